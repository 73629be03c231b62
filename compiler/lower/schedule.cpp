#include "compiler/lower/schedule.h"

#include <map>
#include <memory>

#include "compiler/diag/field_path.h"
#include "compiler/diag/suggest.h"

namespace meshc {

std::string Schedule::label(size_t step) const {
  std::string out = std::to_string(step);
  if (step < names.size() && !names[step].empty()) out += " (" + names[step] + ")";
  return out;
}

std::string Schedule::folder(size_t step) const {
  std::string name =
      step < names.size() && !names[step].empty() ? names[step] : "step" + std::to_string(step);
  return std::to_string(step) + "-" + name;
}

std::string release_app_name(const ReleaseInput& in, const std::string& fallback) {
  const YNode* app = in.values->get("application");
  const YNode* meta = app ? app->get("metadata") : nullptr;
  if (const YNode* n = meta ? meta->get("name") : nullptr) return n->value;
  if (in.form == SpecForm::kReleaseDocument) {
    const YNode* doc_meta = in.document->get("metadata");
    if (const YNode* n = doc_meta ? doc_meta->get("name") : nullptr) return n->value;
  }
  return fallback;
}

namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string range_of(size_t n) {
  return n == 1 ? "0 (the schedule has 1 step)"
                : "0 to " + std::to_string(n - 1) + " (the schedule has " + std::to_string(n) +
                      " steps)";
}

// Resolves a step given as a name; SIZE_MAX after reporting.
size_t step_by_name(const Schedule& s, const std::string& name, const Location& at,
                    const std::string& path, const std::string& what, DiagnosticSink& sink) {
  for (size_t i = 0; i < s.names.size(); ++i) {
    if (s.names[i] == name) return i;
  }
  std::vector<std::string> named;
  for (const std::string& n : s.names) {
    if (!n.empty()) named.push_back(n);
  }
  std::string msg = "expected a step index (0-based) or a step name, got " + what + " " +
                    quote(name) + ", which names no step";
  if (all_digits(name)) {
    msg += "; for the step at index " + name + ", write it unquoted";
  } else if (std::string near = closest_word(name, named); !near.empty()) {
    msg += "; did you mean " + quote(near) + "?";
  } else if (named.empty()) {
    msg += " (no step has a name)";
  }
  sink.error(at, path, msg);
  return SIZE_MAX;
}

// Version names, as lowering will derive them.
std::vector<std::string> lowered_version_names(const YNode* app, const std::string& app_name) {
  std::vector<std::string> version_names;
  if (const YNode* versions = app->get("versions")) {
    for (size_t i = 0; i < versions->items.size(); ++i) {
      const YNode* meta = versions->items[i]->get("metadata");
      const YNode* n = meta ? meta->get("name") : nullptr;
      version_names.push_back(n ? n->value : app_name + "-" + std::to_string(i));
    }
  }
  return version_names;
}

// Reports each version a step's versions map names that the application does not have.
void check_step_versions(const YNode& st, const std::string& path,
                         const std::vector<std::string>& version_names, const std::string& app_name,
                         DiagnosticSink& sink) {
  const YNode* versions = st.get("versions");
  if (!versions) return;
  for (const auto& [key, value] : versions->entries) {
    bool known = false;
    for (const std::string& v : version_names) known = known || v == key->value;
    if (known || app_name.empty()) continue;
    std::string msg =
        "expected the name of one of the application's versions, got " + quote(key->value);
    if (std::string near = closest_word(key->value, version_names); !near.empty()) {
      msg += "; did you mean " + quote(near) + "?";
    } else {
      std::string list;
      for (size_t v = 0; v < version_names.size(); ++v) {
        list += (v == 0 ? "" : ", ") + quote(version_names[v]);
      }
      msg += " (the versions are " + list + ")";
    }
    sink.error(key->loc, append_path(path + ".versions", key->value), msg);
  }
}

// Reads the steps' names (reporting one used twice) and checks their versions.
void read_steps(Schedule& s, const YNode* app, const std::string& app_name, DiagnosticSink& sink) {
  std::vector<std::string> version_names = lowered_version_names(app, app_name);
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const YNode& st = *s.steps[i];
    std::string path = append_index(s.path + ".steps", i);
    const YNode* name = st.get("name");
    s.names.push_back(name ? name->value : "");
    if (name) {
      auto [it, fresh] = seen.emplace(name->value, i);
      if (!fresh) {
        sink.error(name->loc, path + ".name",
                   "expected a step name unique in the schedule, got " + quote(name->value) +
                       " again (also step " + std::to_string(it->second) + ")")
            .note(s.steps[it->second]->get("name")->loc, "first used here");
      }
    }
    check_step_versions(st, path, version_names, app_name, sink);
  }
}

// Sets s.current from --step (when given) or application.schedule.current; false after
// reporting a step that is not there.
bool read_current(Schedule& s, const std::string& step, DiagnosticSink& sink) {
  const YNode* current = s.node->get("current");
  if (!step.empty()) {
    Location at = current ? current->loc : s.node->loc;
    std::string path = current ? s.path + ".current" : s.path;
    if (all_digits(step)) {
      size_t i = step.size() > 4 ? SIZE_MAX : std::stoul(step);
      if (i >= s.steps.size()) {
        sink.error(at, path, "--step " + step + ": expected a step index " + range_of(s.size()));
        return false;
      }
      s.current = i;
    } else {
      s.current = step_by_name(s, step, at, path, "--step", sink);
      if (s.current == SIZE_MAX) return false;
    }
  } else if (current) {
    std::string path = s.path + ".current";
    nlohmann::json j = scalar_to_json(*current);
    if (j.is_number_integer()) {
      long long i = j.get<long long>();
      if (i < 0 || static_cast<size_t>(i) >= s.steps.size()) {
        sink.error(current->loc, path,
                   "expected a step index " + range_of(s.size()) + ", got " + current->value);
        return false;
      }
      s.current = static_cast<size_t>(i);
    } else {
      s.current = step_by_name(s, current->value, current->loc, path, "step name", sink);
      if (s.current == SIZE_MAX) return false;
    }
  }
  return true;
}

}  // namespace

std::optional<Schedule> read_schedule(const ReleaseInput& in, const std::string& app_name,
                                      const std::string& step, DiagnosticSink& sink) {
  Schedule s;
  s.app_name = app_name;
  const YNode* app = in.values->get("application");
  s.node = app ? app->get("schedule") : nullptr;
  s.path = join_path(in.path_prefix, "application.schedule");
  size_t before = sink.error_count();
  if (!s.node) {
    if (!step.empty() && step != "0") {
      sink.error(app ? app->loc : in.values->loc, join_path(in.path_prefix, "application"),
                 "--step " + step +
                     ": this release has no schedule (application.schedule), so its only step "
                     "is 0");
      return std::nullopt;
    }
    return s;
  }
  const YNode* steps = s.node->get("steps");
  for (const auto& item : steps->items) s.steps.push_back(item.get());
  read_steps(s, app, app_name, sink);
  if (sink.error_count() != before) return std::nullopt;
  if (!read_current(s, step, sink)) return std::nullopt;
  return s;
}

namespace {

// A copy of mapping `m` with `key` set to (key_node, value): replaced in place, or appended.
void set_entry(YNode& m, const YNodePtr& key_node, const YNodePtr& value) {
  for (auto& [k, v] : m.entries) {
    if (k->value == key_node->value) {
      v = value;
      return;
    }
  }
  m.entries.emplace_back(key_node, value);
}

void erase_entry(YNode& m, const std::string& key) {
  for (size_t i = 0; i < m.entries.size(); ++i) {
    if (m.entries[i].first->value == key) {
      m.entries.erase(m.entries.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
  }
}

}  // namespace

SteppedInput apply_step(const ReleaseInput& in, const Schedule& schedule, size_t step) {
  SteppedInput out;
  out.input = in;
  if (schedule.empty()) return out;
  const YNode& st = *schedule.steps[step];
  const std::string step_path = append_index(schedule.path + ".steps", step);
  const std::string app_path = join_path(in.path_prefix, "application");
  auto values = std::make_shared<YNode>(*in.values);
  const YNode* app_node = in.values->get("application");
  auto app = std::make_shared<YNode>(*app_node);
  for (const auto& [k, v] : st.entries) {
    if (k->value != "strategy") continue;
    set_entry(*app, k, v);
    out.renames.emplace_back(app_path + ".strategy", step_path + ".strategy");
  }
  const YNode* step_versions = st.get("versions");
  const YNode* versions_node = app_node->get("versions");
  if (step_versions && versions_node) {
    auto versions = std::make_shared<YNode>(*versions_node);
    const std::string& app_name = schedule.app_name;
    for (size_t i = 0; i < versions->items.size(); ++i) {
      const YNode& v = *versions->items[i];
      const YNode* meta = v.get("metadata");
      const YNode* n = meta ? meta->get("name") : nullptr;
      std::string name = n ? n->value : app_name + "-" + std::to_string(i);
      const YNode* change = step_versions->get(name);
      if (!change) continue;
      auto copy = std::make_shared<YNode>(v);
      std::string vpath = append_index(app_path + ".versions", i);
      std::string spath = append_path(step_path + ".versions", name);
      if (change->get("matches") || change->get("match")) {
        erase_entry(*copy, "matches");
        erase_entry(*copy, "match");
      }
      for (const auto& [k, val] : change->entries) {
        set_entry(*copy, k, val);
        out.renames.emplace_back(append_path(vpath, k->value), append_path(spath, k->value));
      }
      versions->items[i] = copy;
    }
    for (const auto& [k, v] : app_node->entries) {
      if (k->value == "versions") set_entry(*app, k, versions);
    }
  }
  for (const auto& [k, v] : in.values->entries) {
    if (k->value == "application") set_entry(*values, k, app);
  }
  out.values = values;
  out.input.values = values.get();
  // The values form: the document is the values.
  if (in.document == in.values) out.input.document = values.get();
  return out;
}

std::string step_field_path(const std::string& path, const SteppedInput& stepped) {
  for (const auto& [was, now] : stepped.renames) {
    if (path.compare(0, was.size(), was) != 0) continue;
    if (path.size() > was.size() && path[was.size()] != '.' && path[was.size()] != '[') continue;
    return now + path.substr(was.size());
  }
  return path;
}

namespace {

void rename_match(RequestMatch& m, const SteppedInput& stepped) {
  m.field_path = step_field_path(m.field_path, stepped);
  auto value = [&](ValueMatch& v) {
    v.field_path = step_field_path(v.field_path, stepped);
    v.value_field_path = step_field_path(v.value_field_path, stepped);
  };
  if (m.path) value(*m.path);
  for (ValueMatch& v : m.headers) value(v);
  for (ValueMatch& v : m.query_params) value(v);
  for (ValueMatch& v : m.cookies) value(v);
  if (m.grpc) m.grpc->field_path = step_field_path(m.grpc->field_path, stepped);
}

}  // namespace

void rename_step_paths(Routemap& rm, const SteppedInput& stepped) {
  if (stepped.renames.empty()) return;
  for (Route& r : rm.routes) {
    r.field_path = step_field_path(r.field_path, stepped);
    for (RequestMatch& m : r.matches) rename_match(m, stepped);
    for (Destination& d : r.destinations) d.field_path = step_field_path(d.field_path, stepped);
    for (Mirror& m : r.mirrors) m.field_path = step_field_path(m.field_path, stepped);
  }
}

void mark_step_diagnostics(DiagnosticSink& sink, size_t from, const SteppedInput& stepped,
                           const Schedule& schedule, size_t step) {
  if (schedule.empty()) return;
  for (size_t i = from; i < sink.all().size(); ++i) {
    Diagnostic& d = sink.at(i);
    if (d.severity == Severity::kNote) continue;
    d.path = step_field_path(d.path, stepped);
    d.note(schedule.steps[step]->loc, "in step " + schedule.label(step));
  }
}

}  // namespace meshc
