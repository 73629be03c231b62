#include "compiler/edit/promote.h"

#include <algorithm>
#include <memory>

#include "compiler/edit/yaml_text.h"

namespace meshc {

namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The edits of one release, on the text of its file.
class Editor {
 public:
  Editor(const SourceFile& file, const PromoteRelease& rel, DiagnosticSink& sink)
      : file_(file), text_(file.text()), rel_(rel), rm_(rel.routemap), sink_(sink) {}

  std::vector<TextEdit> edits;

  std::string path(const std::string& p) const { return rm_.field_path(p); }
  void error(const YNode* at, const std::string& p, const std::string& message) {
    sink_.error(at ? at->loc : rm_.loc, path(p), message);
  }

  // --- entries of mappings -------------------------------------------------------------------

  struct Entry {
    const YNode* key = nullptr;
    const YNode* value = nullptr;
    size_t index = 0;
  };
  static std::optional<Entry> find(const YNode& m, const std::string& key) {
    for (size_t i = 0; i < m.entries.size(); ++i)
      if (m.entries[i].first->value == key)
        return Entry{m.entries[i].first.get(), m.entries[i].second.get(), i};
    return std::nullopt;
  }
  bool flow(const YNode& n) const { return is_flow_collection(text_, n); }
  bool key_first_on_line(const YNode& key) const {
    size_t off = offset_of(key.loc);
    size_t ls = line_start_of(text_, off);
    return text_.substr(ls, off - ls).find_first_not_of(' ') == std::string_view::npos;
  }
  // Where the lines of a block mapping entry end.
  size_t block_end(const Entry& e) const {
    bool compact = e.value->is_sequence() && !flow(*e.value);
    return block_entry_end(text_, offset_of(e.key->loc), e.key->loc.col, compact);
  }
  // Where a value written on one span ends, or kNoSpan.
  size_t value_end(const Entry& e, bool in_flow) const {
    return span_end(text_, *e.value, in_flow);
  }
  std::string eol() const { return line_ending_at(text_, 0); }

  // The text of entry `key` of `from` (a mapping), as lines to put in a block mapping whose
  // keys are in column `col` (the first line without its indentation), ending with a line end.
  std::optional<std::string> entry_lines(const YNode& from, const std::string& key, uint32_t col,
                                         const std::string& p) {
    auto e = find(from, key);
    size_t begin = offset_of(e->key->loc);
    std::string s;
    if (flow(from)) {
      size_t end = value_end(*e, true);
      if (end == kNoSpan) {
        cannot(e->value, p);
        return std::nullopt;
      }
      s = std::string(text_.substr(begin, end - begin)) + eol();
    } else {
      s = std::string(text_.substr(begin, block_end(*e) - begin));
      if (s.empty() || s.back() != '\n') s += eol();
    }
    return reindent(s, static_cast<int>(col) - static_cast<int>(e->key->loc.col));
  }
  // The value of entry `key` of `from` as text for a flow collection.
  std::string flow_value(const YNode& from, const std::string& key) {
    auto e = find(from, key);
    size_t end = value_end(*e, flow(from));
    if (end != kNoSpan && e->value->loc.line == file_line_of(end)) {
      size_t begin = offset_of(e->value->loc);
      return std::string(text_.substr(begin, end - begin));
    }
    return flow_text(*e->value);
  }
  // A node as flow YAML: plain scalars as written (when they hold no flow indicator), other
  // scalars double-quoted.
  static std::string flow_text(const YNode& n) {
    if (n.is_null()) return "null";
    if (n.is_scalar()) {
      bool plain = n.plain && n.tag.empty() && !n.value.empty() &&
                   n.value.find_first_of(",[]{}#&*!|>'\"%@`:") == std::string::npos &&
                   n.value.front() != ' ' && n.value.back() != ' ' && n.value.front() != '-' &&
                   n.value.front() != '?';
      return plain ? n.value : nlohmann::json(n.value).dump();
    }
    std::string out;
    if (n.is_sequence()) {
      for (const auto& i : n.items) out += (out.empty() ? "" : ", ") + flow_text(*i);
      return "[" + out + "]";
    }
    for (const auto& [k, v] : n.entries)
      out += (out.empty() ? "" : ", ") + flow_text(*k) + ": " + flow_text(*v);
    return "{" + out + "}";
  }
  uint32_t file_line_of(size_t off) const {
    uint32_t line = 0, col = 0;
    file_.position_of(off, &line, &col);
    return line;
  }
  bool cannot(const YNode* at, const std::string& p) {
    error(at, p,
          "meshc promote cannot edit this value in place (an anchor, tag or alias?); "
          "edit the file by hand");
    return false;
  }

  // Replaces entry `key` of `to` by that of `from`.
  bool replace(const YNode& to, const YNode& from, const std::string& key, const std::string& p) {
    auto e = find(to, key);
    if (flow(to)) {
      size_t end = value_end(*e, true);
      if (end == kNoSpan) return cannot(e->value, p);
      edits.push_back({offset_of(e->value->loc), end, flow_value(from, key)});
      return true;
    }
    auto lines = entry_lines(from, key, e->key->loc.col, p);
    if (!lines) return false;
    edits.push_back({offset_of(e->key->loc), block_end(*e), *lines});
    return true;
  }
  // Adds "key: value" (one line) as the first entry of mapping `m`.
  bool add_first(const YNode& m, const std::string& key, const std::string& value,
                 const std::string& p) {
    std::string entry = key + ": " + value;
    size_t off = offset_of(m.loc);
    if (flow(m)) {
      if (m.entries.empty()) {
        size_t end = span_end(text_, m, true);
        if (end == kNoSpan) return cannot(&m, p);
        edits.push_back({off, end, "{" + entry + "}"});
        return true;
      }
      size_t at = offset_of(m.entries.front().first->loc);
      edits.push_back({at, at, entry + ", "});
      return true;
    }
    if (m.entries.empty()) return cannot(&m, p);
    const YNode& first = *m.entries.front().first;
    size_t at = offset_of(first.loc);
    std::string nl = line_ending_at(text_, at);
    if (key_first_on_line(first)) {
      size_t ls = line_start_of(text_, at);
      edits.push_back({ls, ls, std::string(first.loc.col, ' ') + entry + nl});
    } else {  // "- first: ..." becomes "- key: value" and "  first: ..." below it
      edits.push_back({at, at, entry + nl + std::string(first.loc.col, ' ')});
    }
    return true;
  }

  // Adds entry `key` of `from` to `to`.
  bool insert(const YNode& to, const YNode& from, const std::string& key, const std::string& p) {
    if (to.entries.empty()) return cannot(&to, p);
    const YNode& first = *to.entries.front().first;
    if (flow(to)) {
      edits.push_back(
          {offset_of(first.loc), offset_of(first.loc), key + ": " + flow_value(from, key) + ", "});
      return true;
    }
    auto lines = entry_lines(from, key, first.loc.col, p);
    if (!lines) return false;
    Entry last{to.entries.back().first.get(), to.entries.back().second.get(),
               to.entries.size() - 1};
    size_t at = block_end(last);
    std::string s = std::string(first.loc.col, ' ') + *lines;
    if (at == text_.size() && !text_.empty() && text_.back() != '\n') s = eol() + s;
    edits.push_back({at, at, s});
    return true;
  }
  // Removes entry `key` of `m`.
  bool remove(const YNode& m, const std::string& key, const std::string& p) {
    auto e = find(m, key);
    size_t key_off = offset_of(e->key->loc);
    bool has_next = e->index + 1 < m.entries.size();
    size_t next_off = has_next ? offset_of(m.entries[e->index + 1].first->loc) : 0;
    if (flow(m)) {
      if (has_next) {
        edits.push_back({key_off, next_off, ""});
        return true;
      }
      if (e->index == 0) return cannot(&m, p);
      auto prev = Entry{m.entries[e->index - 1].first.get(), m.entries[e->index - 1].second.get(),
                        e->index - 1};
      size_t prev_end = value_end(prev, true), end = value_end(*e, true);
      if (prev_end == kNoSpan || end == kNoSpan) return cannot(e->value, p);
      edits.push_back({prev_end, end, ""});
      return true;
    }
    if (key_first_on_line(*e->key)) {
      edits.push_back({line_start_of(text_, key_off), block_end(*e), ""});
      return true;
    }
    // "- key: ..." : the next key moves up onto the "- " line.
    if (!has_next) return cannot(e->key, p);
    edits.push_back({key_off, next_off, ""});
    return true;
  }

  // Removes item `i` of the list `seq`.
  bool remove_item(const YNode& seq, size_t i, const std::string& p) {
    const YNode& item = *seq.items[i];
    size_t off = offset_of(item.loc);
    if (flow(seq)) {
      if (i + 1 < seq.items.size()) {
        edits.push_back({off, offset_of(seq.items[i + 1]->loc), ""});
        return true;
      }
      if (i == 0) return cannot(&seq, p);
      size_t prev_end = span_end(text_, *seq.items[i - 1], true);
      size_t end = span_end(text_, item, true);
      if (prev_end == kNoSpan || end == kNoSpan) return cannot(&item, p);
      edits.push_back({prev_end, end, ""});
      return true;
    }
    size_t dash = off;
    while (dash > 0 &&
           (text_[dash - 1] == ' ' || text_[dash - 1] == '\n' || text_[dash - 1] == '\r'))
      --dash;
    if (dash == 0 || text_[dash - 1] != '-') return cannot(&item, p);
    --dash;
    size_t ls = line_start_of(text_, dash);
    if (text_.substr(ls, dash - ls).find_first_not_of(' ') != std::string_view::npos)
      return cannot(&item, p);
    edits.push_back(
        {ls, block_entry_end(text_, dash, static_cast<uint32_t>(dash - ls), false), ""});
    return true;
  }

  const SourceFile& file_;
  std::string_view text_;
  const PromoteRelease& rel_;
  const Routemap& rm_;
  DiagnosticSink& sink_;
};

// --- the schedule -------------------------------------------------------------------------

struct Schedule {
  const YNode* node = nullptr;     // application.schedule
  const YNode* steps = nullptr;    // its steps list
  const YNode* current = nullptr;  // its current value, or null
  size_t at = 0;                   // the current step
};

std::string step_name(const Schedule& s, size_t i) {
  const YNode* n = s.steps->items[i]->get("name");
  return n && n->is_scalar() ? n->value : "";
}
std::string step_label(const Schedule& s, size_t i) {
  std::string name = step_name(s, i);
  return std::to_string(i) + (name.empty() ? "" : " (" + name + ")");
}
// The step named `want`, or with `index_too` (--to on the command line) the step of index
// `want`. In the file a quoted current: "1" is a name, as compile reads it.
std::optional<size_t> find_step(const Schedule& s, const std::string& want, bool index_too) {
  for (size_t i = 0; i < s.steps->items.size(); ++i)
    if (step_name(s, i) == want) return i;
  if (index_too && all_digits(want) && std::stoul(want) < s.steps->items.size())
    return std::stoul(want);
  return std::nullopt;
}
// current: as compile reads it (lower/schedule.cpp): a YAML integer (1, +1, 0x1, !!int 1) is
// an index, anything else a step name. A negative index names no step.
bool current_is_index(const YNode& current) {
  return resolve_scalar(current).type == ScalarValue::kInteger;
}
std::optional<size_t> current_step(const Schedule& s) {
  if (!current_is_index(*s.current)) return find_step(s, s.current->value, false);
  int64_t i = resolve_scalar(*s.current).integer;
  if (i < 0) return std::nullopt;
  return static_cast<size_t>(i);
}
std::string step_list(const Schedule& s) {
  std::vector<std::string> v;
  for (size_t i = 0; i < s.steps->items.size(); ++i) v.push_back(step_label(s, i));
  return join(v);
}

// A copy of mapping `m` with entry `key` set to `value` (added last when absent) or, with a
// null value, removed.
YNodePtr with_entry(const YNode& m, const std::string& key, YNodePtr value) {
  auto out = std::make_shared<YNode>(m);
  auto& es = out->entries;
  auto it =
      std::find_if(es.begin(), es.end(), [&](const auto& e) { return e.first->value == key; });
  if (!value) {
    if (it != es.end()) es.erase(it);
    return out;
  }
  if (it != es.end()) {
    it->second = std::move(value);
    return out;
  }
  auto k = std::make_shared<YNode>();
  k->kind = YNode::Kind::kScalar;
  k->value = key;
  k->loc = value->loc;
  es.emplace_back(std::move(k), std::move(value));
  return out;
}
YNodePtr share(const YNode* n) {
  return n ? std::make_shared<YNode>(*n) : nullptr;
}

// The values of a release as its step `step` has them (the step's changes applied), or null
// after reporting a step version that names no version.
YNodePtr values_at_step(const YNode& values, const YNode& step, const Routemap& rm,
                        const std::string& step_path, DiagnosticSink& sink) {
  const YNode* app = values.get("application");
  YNodePtr new_app = with_entry(*app, "schedule", nullptr);
  if (const YNode* s = step.get("strategy")) new_app = with_entry(*new_app, "strategy", share(s));
  if (const YNode* sv = step.get("versions"); sv && sv->is_mapping()) {
    const YNode* versions = app->get("versions");
    auto new_versions = std::make_shared<YNode>(*versions);
    for (const auto& [k, change] : sv->entries) {
      size_t i = 0;
      while (i < rm.versions.size() && rm.versions[i].name != k->value) ++i;
      if (i == rm.versions.size() || i >= new_versions->items.size()) {
        std::vector<std::string> names;
        for (const auto& v : rm.versions) names.push_back(v.name);
        sink.error(k->loc, rm.field_path(step_path + ".versions"),
                   "no version named " + quote(k->value) + " (versions: " + join(names) + ")");
        return nullptr;
      }
      YNodePtr v = new_versions->items[i];
      for (const char* f : {"weight", "unmatchedWeight"})
        if (const YNode* x = change->get(f)) v = with_entry(*v, f, share(x));
      if (change->get("matches") || change->get("match")) {
        v = with_entry(*with_entry(*v, "matches", nullptr), "match", nullptr);
        for (const char* f : {"matches", "match"})
          if (const YNode* x = change->get(f)) v = with_entry(*v, f, share(x));
      }
      new_versions->items[i] = v;
    }
    new_app = with_entry(*new_app, "versions", new_versions);
  }
  return with_entry(values, "application", new_app);
}

}  // namespace

std::string routing_not_all_to(const Routemap& rm, size_t version) {
  for (const Route& r : rm.routes) {
    for (const Destination& d : r.destinations)
      if (d.weight > 0 && d.version != version)
        return "route " + quote(r.name) + " sends " + std::to_string(d.weight) + "% to " +
               rm.versions[d.version].name;
    for (const Mirror& m : r.mirrors)
      return "route " + quote(r.name) + " mirrors " + std::to_string(m.percent) + "% to " +
             rm.versions[m.version].name;
  }
  return "";
}

namespace {

// The candidate that finishing makes the primary: --candidate, or the only one there is.
std::optional<size_t> finish_candidate(Editor& ed, const Routemap& rm, const YNode* versions,
                                       const PromoteRequest& req) {
  std::vector<std::string> candidates;
  for (size_t i = 1; i < rm.versions.size(); ++i) candidates.push_back(rm.versions[i].name);
  size_t ci = 0;
  if (candidates.empty()) {
    ed.error(versions, "application.versions",
             "nothing to finish: the release has no candidate (versions[1] and later)");
    return std::nullopt;
  }
  if (!req.candidate.empty()) {
    for (size_t i = 1; i < rm.versions.size(); ++i)
      if (rm.versions[i].name == req.candidate) ci = i;
    if (ci == 0) {
      ed.error(versions, "application.versions",
               "--candidate " + quote(req.candidate) +
                   " names no candidate (candidates: " + join(candidates) + ")");
      return std::nullopt;
    }
  } else if (candidates.size() == 1) {
    ci = 1;
  } else {
    ed.error(versions, "application.versions",
             "finishing needs to know which candidate becomes the primary: choose one with "
             "--candidate NAME (candidates: " +
                 join(candidates) + ")");
    return std::nullopt;
  }
  return ci;
}

// The last step must send everything to candidate `ci`: the finished release then routes
// exactly as it does. False after reporting why not.
bool last_step_sends_all_to(Editor& ed, const PromoteRelease& rel, const Schedule* sched, size_t ci,
                            const ReleaseDefaults& defaults, DiagnosticSink& sink) {
  const Routemap& rm = rel.routemap;
  const YNode& values = *rel.input.values;
  const YNode* versions = values.get("application")->get("versions");
  const std::string& cname = rm.versions[ci].name;
  YNodePtr last_values;
  std::string what = "the spec as written";
  if (sched) {
    size_t last = sched->steps->items.size() - 1;
    std::string sp = "application.schedule.steps[" + std::to_string(last) + "]";
    last_values = values_at_step(values, *sched->steps->items[last], rm, sp, sink);
    if (!last_values) return false;
    what = "the last step, " + step_label(*sched, last) + ",";
  }
  ReleaseInput in = rel.input;
  if (last_values) in.values = last_values.get();
  DiagnosticSink lsink;
  auto lrm = lower_release(in, defaults, lsink);
  const YNode* at = sched ? sched->steps->items.back().get() : versions;
  std::string at_path =
      sched ? "application.schedule.steps[" + std::to_string(sched->steps->items.size() - 1) + "]"
            : "application.versions";
  if (!lrm) {
    for (const Diagnostic& d : lsink.all()) sink.add(d);
    ed.error(at, at_path, "cannot finish: " + what + " does not compile (above)");
    return false;
  }
  std::string why = routing_not_all_to(*lrm, ci);
  if (!why.empty()) {
    ed.error(at, at_path,
             "cannot finish the rollout to " + cname + ": " + what +
                 " does not send every "
                 "request to it (" +
                 why + "); the finished release would send everything to " + cname +
                 ", which would change the routing. Add a last step that sends all "
                 "traffic to " +
                 cname + ", or promote --back");
    return false;
  }
  return true;
}

// Versions after the candidate move up one index: one named by its index (<app>-<i>) would
// be renamed, and its Deployment and Service with it. Its name is written out instead; the
// names written are added to `named`. False after reporting a version that cannot be named.
bool name_versions_after(Editor& ed, const Routemap& rm, const YNode* versions, size_t ci,
                         std::vector<std::string>& named, DiagnosticSink& sink) {
  const std::string& cname = rm.versions[ci].name;
  for (size_t i = ci + 1; i < rm.versions.size(); ++i) {
    const YNode* v = versions->items[i].get();
    const YNode* md = v->get("metadata");
    if (md && md->get("name")) continue;
    std::string pi = "application.versions[" + std::to_string(i) + "]";
    bool ok = md && md->is_mapping()
                  ? ed.add_first(*md, "name", rm.versions[i].name, pi + ".metadata")
                  : !md && v->is_mapping() &&
                        ed.add_first(*v, "metadata", "{name: " + rm.versions[i].name + "}", pi);
    if (!ok) {
      if (!sink.has_errors())
        ed.error(v, pi + ".metadata.name",
                 "removing " + cname + " would rename this version (" + rm.versions[i].name +
                     " is its default name, from its index): give it metadata.name: " +
                     rm.versions[i].name + " first");
      return false;
    }
    named.push_back(rm.versions[i].name);
  }
  return true;
}

// The candidate's image, port and specifications replace version 0's; the fields moved are
// added to `moved`.
bool move_candidate_fields(Editor& ed, const YNode& v0, const YNode& cv,
                           std::vector<std::string>& moved) {
  std::string p0 = "application.versions[0]";
  for (const char* f : {"image", "port", "deploymentSpecification", "serviceSpecification"}) {
    bool in0 = v0.get(f) != nullptr, inc = cv.get(f) != nullptr;
    bool ok = true;
    if (in0 && inc)
      ok = ed.replace(v0, cv, f, p0 + "." + f);
    else if (in0)
      ok = ed.remove(v0, f, p0 + "." + f);
    else if (inc)
      ok = ed.insert(v0, cv, f, p0 + "." + f);
    if (!ok) return false;
    if (in0 || inc) moved.push_back(f);
  }
  return true;
}

// metadata: {labels: ...} made for version 0, which has no metadata, from the candidate's.
bool add_metadata_labels(Editor& ed, const SourceFile& file, const YNode& v0, const YNode& mc,
                         const std::string& pm) {
  if (ed.flow(v0)) {
    const YNode& first = *v0.entries.front().first;
    size_t at = offset_of(first.loc);
    ed.edits.push_back({at, at, "metadata: {labels: " + ed.flow_value(mc, "labels") + "}, "});
    return true;
  }
  uint32_t col = v0.entries.front().first->loc.col;
  auto lines = ed.entry_lines(mc, "labels", col + 2, pm + ".labels");
  if (!lines) return false;
  const auto& lastp = v0.entries.back();
  size_t at = ed.block_end(Editor::Entry{lastp.first.get(), lastp.second.get(), 0});
  std::string s =
      std::string(col, ' ') + "metadata:" + ed.eol() + std::string(col + 2, ' ') + *lines;
  std::string_view text = file.text();
  if (at == text.size() && !text.empty() && text.back() != '\n') s = ed.eol() + s;
  ed.edits.push_back({at, at, s});
  return true;
}

// Labels: in metadata, whose name stays (it names the Deployment and Service).
bool move_candidate_labels(Editor& ed, const SourceFile& file, const YNode& v0, const YNode& cv,
                           std::vector<std::string>& moved) {
  const YNode* m0 = v0.get("metadata");
  const YNode* mc = cv.get("metadata");
  if (m0 && !m0->is_mapping()) m0 = nullptr;
  if (mc && !mc->is_mapping()) mc = nullptr;
  const YNode* l0 = m0 ? m0->get("labels") : nullptr;
  const YNode* lc = mc ? mc->get("labels") : nullptr;
  std::string pm = "application.versions[0].metadata";
  bool ok = true;
  if (l0 && lc)
    ok = ed.replace(*m0, *mc, "labels", pm + ".labels");
  else if (l0 && m0->entries.size() == 1)
    ok = ed.remove(v0, "metadata", pm);
  else if (l0)
    ok = ed.remove(*m0, "labels", pm + ".labels");
  else if (lc && m0)
    ok = ed.insert(*m0, *mc, "labels", pm + ".labels");
  else if (lc && !add_metadata_labels(ed, file, v0, *mc, pm))
    return false;
  if (!ok) return false;
  if (l0 || lc) moved.push_back("labels");
  return true;
}

// Removes the candidate and the schedule; with more than two versions the other candidates
// stay deployed, and strategy none gives them no traffic, as the last step did.
bool remove_candidate(Editor& ed, const Routemap& rm, const YNode& app, const YNode& versions,
                      size_t ci, const Schedule* sched) {
  if (!ed.remove_item(versions, ci, "application.versions[" + std::to_string(ci) + "]"))
    return false;
  if (sched && !ed.remove(app, "schedule", "application.schedule")) return false;
  if (rm.versions.size() > 2) {
    if (auto s = Editor::find(app, "strategy")) {
      size_t end = ed.value_end(*s, ed.flow(app));
      if (end == kNoSpan) {
        ed.cannot(s->value, "application.strategy");
        return false;
      }
      if (s->value->value != "none") ed.edits.push_back({offset_of(s->value->loc), end, "none"});
    }
  }
  return true;
}

std::optional<PromoteResult> finish(const SourceFile& file, const PromoteRelease& rel,
                                    const Schedule* sched, const PromoteRequest& req,
                                    const ReleaseDefaults& defaults, DiagnosticSink& sink) {
  Editor ed(file, rel, sink);
  const Routemap& rm = rel.routemap;
  const YNode& values = *rel.input.values;
  const YNode* app = values.get("application");
  const YNode* versions = app->get("versions");
  std::string app_name = rm.namespace_ + "/" + rm.name;

  auto ci_found = finish_candidate(ed, rm, versions, req);
  if (!ci_found) return std::nullopt;
  size_t ci = *ci_found;
  const std::string& cname = rm.versions[ci].name;
  if (!last_step_sends_all_to(ed, rel, sched, ci, defaults, sink)) return std::nullopt;
  std::vector<std::string> named;
  if (!name_versions_after(ed, rm, versions, ci, named, sink)) return std::nullopt;

  const YNode& v0 = *versions->items[0];
  const YNode& cv = *versions->items[ci];
  if (!v0.is_mapping() || !cv.is_mapping() || v0.entries.empty()) {
    ed.error(&v0, "application.versions", "cannot edit these versions in place");
    return std::nullopt;
  }
  std::vector<std::string> moved;
  bool dropped_weight = false;
  if (!move_candidate_fields(ed, v0, cv, moved)) return std::nullopt;
  if (!move_candidate_labels(ed, file, v0, cv, moved)) return std::nullopt;
  // Alone, version 0 must take every request: a weight 0 it had while the candidate took
  // everything (a blue-green switch-over, 0/100) would leave it none.
  if (rm.versions.size() == 2) {
    const YNode* w = v0.get("weight");
    if (w && w->is_scalar() && w->plain && w->value == "0") {
      if (!ed.remove(v0, "weight", "application.versions[0].weight")) return std::nullopt;
      dropped_weight = true;
    }
  }
  if (!remove_candidate(ed, rm, *app, *versions, ci, sched)) return std::nullopt;

  PromoteResult r;
  if (!apply_edits(file.text(), ed.edits, &r.text)) {
    ed.error(versions, "application.versions",
             "cannot edit these versions in place (overlapping edits); edit the file by hand");
    return std::nullopt;
  }
  r.finished = true;
  r.summary = "finished " + app_name + ": " + cname + " is the primary now, as " +
              rm.versions[0].name + " (with its " + join(moved) + "); " + cname + " " +
              (sched ? "and the schedule " : "") + "removed";
  if (dropped_weight) r.summary += "; its weight 0 removed";
  if (!named.empty()) r.summary += "; metadata.name written for " + join(named) + " (kept)";
  if (rm.versions.size() > 2) r.summary += "; strategy none for the other candidates";
  return r;
}

}  // namespace

namespace {

// A release's name: its metadata.name as written for a release document, else its routemap's.
std::string release_name(const PromoteRelease& r) {
  if (r.input.form == SpecForm::kReleaseDocument) {
    const YNode* md = r.input.document->get("metadata");
    const YNode* n = md ? md->get("name") : nullptr;
    if (n && n->is_scalar()) return n->value;
  }
  return r.routemap.name;
}

// The index of the release to promote: --release, or the only one in the file.
std::optional<size_t> choose_release(const SourceFile& file,
                                     const std::vector<PromoteRelease>& releases,
                                     const PromoteRequest& req, DiagnosticSink& sink) {
  Location top{&file, 0, 0};
  if (releases.empty()) {
    sink.error(top, "", "no release in this file");
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& r : releases) names.push_back(release_name(r));
  size_t ri = 0;
  if (!req.release.empty()) {
    ri = releases.size();
    for (size_t i = 0; i < releases.size(); ++i)
      if (names[i] == req.release || releases[i].routemap.name == req.release) {
        if (ri != releases.size()) {
          sink.error(releases[i].routemap.loc, "",
                     "--release " + quote(req.release) + " names more than one release");
          return std::nullopt;
        }
        ri = i;
      }
    if (ri == releases.size()) {
      sink.error(top, "",
                 "--release " + quote(req.release) +
                     " names no release of this file (releases: " + join(names) + ")");
      return std::nullopt;
    }
  } else if (releases.size() > 1) {
    sink.error(top, "",
               std::to_string(releases.size()) +
                   " releases in this file: choose one with "
                   "--release NAME (releases: " +
                   join(names) + ")");
    return std::nullopt;
  }
  return ri;
}

// Reads application.schedule (if any) into `s`; false after reporting a current naming no step.
bool read_schedule_node(const YNode* app, const Routemap& rm, Schedule& s, DiagnosticSink& sink) {
  s.node = app->get("schedule");
  if (!s.node) return true;
  s.steps = s.node->get("steps");
  s.current = s.node->get("current");
  if (s.current) {
    auto at = current_step(s);
    if (!at || *at >= s.steps->items.size()) {
      sink.error(s.current->loc, rm.field_path("application.schedule.current"),
                 "names no step (steps: " + step_list(s) + ")");
      return false;
    }
    s.at = *at;
  }
  return true;
}

// Where promoting moves the schedule: a step, or past the last one (finishing the rollout).
struct Move {
  bool finish = false;
  size_t to = 0;
};

std::optional<Move> step_to_move_to(const Schedule& s, const PromoteRequest& req,
                                    const Routemap& rm, DiagnosticSink& sink) {
  size_t n = s.steps->items.size();
  const YNode* where = s.current ? s.current : s.node;
  std::string where_path =
      rm.field_path(s.current ? "application.schedule.current" : "application.schedule");
  Move m;
  if (!req.to.empty()) {
    auto t = find_step(s, req.to, true);
    if (!t) {
      sink.error(s.steps->loc, rm.field_path("application.schedule.steps"),
                 "--to " + quote(req.to) + " names no step (steps: " + step_list(s) + ")");
      return std::nullopt;
    }
    m.to = *t;
  } else if (req.back) {
    if (s.at == 0) {
      sink.error(where->loc, where_path,
                 "cannot go back: the schedule is at its first step, " + step_label(s, 0));
      return std::nullopt;
    }
    m.to = s.at - 1;
  } else if (s.at + 1 < n) {
    m.to = s.at + 1;
  } else {
    // At the last step: promoting finishes the rollout.
    m.finish = true;
    return m;
  }
  if (!req.candidate.empty()) {
    sink.error(where->loc, where_path,
               "--candidate is for finishing the rollout; this moves to step " +
                   step_label(s, m.to) + " (use --finish to finish now)");
    return std::nullopt;
  }
  return m;
}

// The edit that sets application.schedule.current to step `to`, keeping its form (index or
// name, quoted or not), or adds it first in the schedule. False after reporting why not.
bool edit_current(Editor& ed, std::string_view text, const Schedule& s, size_t to) {
  std::string name = step_name(s, to);
  if (s.current) {
    size_t begin = offset_of(s.current->loc);
    size_t end = span_end(text, *s.current, ed.flow(*s.node));
    if (end == kNoSpan || begin >= text.size()) {
      ed.cannot(s.current, "application.schedule.current");
      return false;
    }
    bool index = current_is_index(*s.current);
    std::string v = index || name.empty() ? std::to_string(to) : name;
    char q = text[begin];
    if (!index && !name.empty() && (q == '"' || q == '\'')) v = q + v + q;
    ed.edits.push_back({begin, end, v});
    return true;
  }
  const YNode& first = *s.node->entries.front().first;
  size_t at = offset_of(first.loc);
  std::string v = "current: " + std::to_string(to);
  if (ed.flow(*s.node)) {
    ed.edits.push_back({at, at, v + ", "});
  } else if (ed.key_first_on_line(first)) {
    size_t ls = line_start_of(text, at);
    ed.edits.push_back({ls, ls, std::string(first.loc.col, ' ') + v + line_ending_at(text, at)});
  } else {
    ed.cannot(&first, "application.schedule");
    return false;
  }
  return true;
}

}  // namespace

std::optional<PromoteResult> plan_promote(const SourceFile& file,
                                          const std::vector<PromoteRelease>& releases,
                                          const PromoteRequest& req,
                                          const ReleaseDefaults& defaults, DiagnosticSink& sink) {
  auto ri_found = choose_release(file, releases, req, sink);
  if (!ri_found) return std::nullopt;
  size_t ri = *ri_found;
  const PromoteRelease& rel = releases[ri];
  const Routemap& rm = rel.routemap;
  std::string app_name = rm.namespace_ + "/" + rm.name;
  const YNode* app = rel.input.values->get("application");

  Schedule s;
  if (!read_schedule_node(app, rm, s, sink)) return std::nullopt;
  if (req.finish) {
    auto r = finish(file, rel, s.node ? &s : nullptr, req, defaults, sink);
    if (r) r->release = ri;
    return r;
  }
  if (!s.node) {
    sink.error(app->loc, rm.field_path("application"),
               "no schedule to promote along: add application.schedule with its steps, or use "
               "--finish to make a candidate the primary");
    return std::nullopt;
  }
  auto move = step_to_move_to(s, req, rm, sink);
  if (!move) return std::nullopt;
  if (move->finish) {
    auto r = finish(file, rel, &s, req, defaults, sink);
    if (r) r->release = ri;
    return r;
  }
  size_t to = move->to;
  PromoteResult r;
  r.release = ri;
  if (to == s.at) {
    r.text = std::string(file.text());
    r.changed = false;
    r.summary = app_name + ": already at step " + step_label(s, to) + "; nothing to do";
    return r;
  }
  std::string_view text = file.text();
  Editor ed(file, rel, sink);
  if (!edit_current(ed, text, s, to)) return std::nullopt;
  if (!apply_edits(text, ed.edits, &r.text)) {
    ed.cannot(s.node, "application.schedule");
    return std::nullopt;
  }
  r.summary = std::string(to > s.at ? "promoted " : "rolled back ") + app_name + ": step " +
              step_label(s, s.at) + " -> " + step_label(s, to);
  return r;
}

}  // namespace meshc
