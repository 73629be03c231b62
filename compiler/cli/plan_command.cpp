// meshc plan: what share of each request segment every version gets at each step of a
// release's schedule, per target (a release without a schedule is one step).
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "compiler/analysis/release_diff.h"
#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "compiler/yaml/yaml_tree.h"
#include "targets/target.h"

namespace meshc {

namespace {

std::string describe_value(const ValueMatch& m, const char* what) {
  std::string name = std::string(what) + (m.name.empty() ? "" : " " + m.name);
  switch (m.type) {
    case MatchType::kExact:
      return m.name.empty() ? name + " " + m.value : name + "=" + m.value;
    case MatchType::kPrefix:
      return name + " starting with " + m.value;
    case MatchType::kPathPrefix:
      return name + " under " + m.value;
    case MatchType::kRegex:
      return name + " matching /" + m.value + "/";
  }
  return name;
}

// "header traffic=test and path under /api": the conditions of one match, ANDed.
std::string match_words(const RequestMatch& m) {
  std::vector<std::string> parts;
  if (m.grpc) {
    std::string g = "gRPC";
    if (!m.grpc->service.empty())
      g += std::string(" service ") + (m.grpc->regex ? "matching /" : "") + m.grpc->service +
           (m.grpc->regex ? "/" : "");
    if (!m.grpc->method.empty())
      g += std::string(" method ") + (m.grpc->regex ? "matching /" : "") + m.grpc->method +
           (m.grpc->regex ? "/" : "");
    parts.push_back(g);
  }
  if (!m.method.empty()) parts.push_back("method " + m.method);
  if (m.path) parts.push_back(describe_value(*m.path, "path"));
  for (const auto& h : m.headers) parts.push_back(describe_value(h, "header"));
  for (const auto& q : m.query_params) parts.push_back(describe_value(q, "query parameter"));
  for (const auto& c : m.cookies) parts.push_back(describe_value(c, "cookie"));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : " and ") + parts[i];
  return out;
}

// "requests with header country=wakanda", "all other requests", "all requests".
std::string describe_route(const Route& r, bool first) {
  bool any = r.matches.empty();
  for (const auto& m : r.matches) any = any || m.empty();
  if (any) return first ? "all requests" : "all other requests";
  std::string out = "requests with ";
  for (size_t i = 0; i < r.matches.size(); ++i) {
    out += (i == 0 ? "" : ", or with ") + match_words(r.matches[i]);
  }
  return out;
}

// One release's plan on one target.
struct TargetPlan {
  std::string target;
  struct Step {
    size_t index = 0;
    std::string label;
    std::string name;
    bool compiled = false;
    Routemap routemap;  // when compiled
    std::string error;  // when not
  };
  std::vector<Step> steps;
};

struct ReleasePlan {
  std::string file;
  Location loc;
  std::string name, namespace_;
  size_t current = 0;
  std::vector<TargetPlan> targets;
};

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

// Adds the diagnostics of `from` to `all`, each once: the same diagnostic from the next
// target's run is reported once.
void add_unseen(DiagnosticSink& all, const DiagnosticSink& from) {
  for (const Diagnostic& d : from.all()) {
    bool seen = false;
    for (const Diagnostic& e : all.all()) {
      seen = seen || (e.loc.file && d.loc.file && e.loc.file->name() == d.loc.file->name() &&
                      e.loc.line == d.loc.line && e.loc.col == d.loc.col &&
                      e.message == d.message && e.path == d.path);
    }
    if (!seen) all.add(d);
  }
}

// The plans of every release over the runs of each target, matched up by the location of the
// release's document.
class PlanBuilder {
 public:
  // Adds one target's run: its compiled steps and the steps it failed to compile.
  void add_run(const std::string& target, std::vector<CompiledRelease>& releases,
               const Driver& driver);
  std::vector<ReleasePlan> plans;

 private:
  size_t plan_of(const Location& loc);
  std::map<std::pair<const SourceFile*, size_t>, size_t> by_loc_;  // release -> plans index
};

size_t PlanBuilder::plan_of(const Location& loc) {
  auto key = std::make_pair(loc.file, static_cast<size_t>(loc.line) * 100000 + loc.col);
  auto it = by_loc_.find(key);
  if (it != by_loc_.end()) return it->second;
  // Sources are per driver: match a release of another target's run by file name and
  // position.
  for (size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].file == loc.file->name() && plans[i].loc.line == loc.line &&
        plans[i].loc.col == loc.col) {
      by_loc_.emplace(key, i);
      return i;
    }
  }
  plans.push_back({loc.file->name(), loc, "", "", 0, {}});
  by_loc_.emplace(key, plans.size() - 1);
  return plans.size() - 1;
}

void PlanBuilder::add_run(const std::string& target, std::vector<CompiledRelease>& releases,
                          const Driver& driver) {
  // Per release (by its document's location), this target's steps.
  std::map<size_t, TargetPlan> this_target;
  for (CompiledRelease& r : releases) {
    size_t p = plan_of(r.routemap.loc);
    ReleasePlan& rp = plans[p];
    rp.name = r.routemap.name;
    rp.namespace_ = r.routemap.namespace_;
    rp.current = r.current_step;
    TargetPlan& tp = this_target[p];
    if (tp.target.empty()) tp.target = r.target.str().empty() ? "workloads only" : r.target.str();
    TargetPlan::Step st;
    st.index = r.step;
    st.label = r.step_folder.substr(r.step_folder.find('-') + 1);
    st.compiled = true;
    st.routemap = std::move(r.routemap);
    tp.steps.push_back(std::move(st));
  }
  for (const Driver::FailedStep& f : driver.failed_steps()) {
    size_t p = plan_of(f.release);
    TargetPlan& tp = this_target[p];
    if (tp.target.empty()) tp.target = target.empty() ? "the environment's target" : target;
    TargetPlan::Step st;
    st.index = f.step;
    st.label = f.folder.substr(f.folder.find('-') + 1);
    st.error = f.error;
    tp.steps.push_back(std::move(st));
  }
  for (auto& [p, tp] : this_target) {
    std::sort(
        tp.steps.begin(), tp.steps.end(),
        [](const TargetPlan::Step& a, const TargetPlan::Step& b) { return a.index < b.index; });
    plans[p].targets.push_back(std::move(tp));
  }
}

// One target's table of a release's plan: STEP, SEGMENT, each version's share, then mirrors
// (a column dropped when no segment mirrors), with the JSON of each step alongside.
class PlanTable {
 public:
  explicit PlanTable(const TargetPlan& tp);
  // The JSON of one step, its rows added to the table.
  nlohmann::ordered_json add_step(const TargetPlan::Step& st, bool current);
  // The table's text, a line per row.
  std::string render();
  // The table in Markdown (a header row, a row per segment, a step's error in its row).
  std::string render_markdown();
  bool failed = false;  // a step did not compile

 private:
  nlohmann::ordered_json add_segment(const TargetPlan::Step& st, const Route& route,
                                     const std::string& label, bool first);
  std::vector<std::string> versions_;
  void drop_mirror_column();
  std::vector<std::vector<std::string>> rows_;
  size_t columns_ = 0;
  bool any_mirror_ = false;
};

PlanTable::PlanTable(const TargetPlan& tp) {
  for (const auto& st : tp.steps) {
    if (!st.compiled) continue;
    for (const Version& v : st.routemap.versions) {
      if (std::find(versions_.begin(), versions_.end(), v.name) == versions_.end())
        versions_.push_back(v.name);
    }
  }
  std::vector<std::string> header = {"STEP", "SEGMENT"};
  for (const auto& v : versions_) header.push_back(v);
  header.push_back("MIRROR");
  columns_ = header.size();
  rows_.push_back(header);
}

nlohmann::ordered_json PlanTable::add_step(const TargetPlan::Step& st, bool current) {
  nlohmann::ordered_json js;
  js["step"] = st.index;
  js["current"] = current;
  std::string label = std::to_string(st.index) + " " + st.label + (current ? " *" : "");
  js["name"] = st.label;
  if (!st.compiled) {
    js["error"] = st.error;
    std::vector<std::string> row = {label, "error: " + st.error};
    rows_.push_back(row);
    failed = true;
    return js;
  }
  js["segments"] = nlohmann::ordered_json::array();
  bool first = true;
  for (const Route& route : st.routemap.routes) {
    js["segments"].push_back(add_segment(st, route, first ? label : "", first));
    first = false;
  }
  return js;
}

nlohmann::ordered_json PlanTable::add_segment(const TargetPlan::Step& st, const Route& route,
                                              const std::string& label, bool first) {
  std::string what = describe_route(route, first);
  nlohmann::ordered_json jseg;
  jseg["route"] = route.name;
  jseg["requests"] = what;
  jseg["shares"] = nlohmann::ordered_json::object();
  std::vector<std::string> row = {label, what};
  for (const auto& v : versions_) {
    int share = 0;
    bool present = false;
    for (const Destination& d : route.destinations) {
      if (st.routemap.versions[d.version].name == v) share += d.weight, present = true;
    }
    if (present || st.routemap.strategy != Strategy::kNone) jseg["shares"][v] = share;
    row.push_back(std::to_string(share) + "%");
  }
  std::string mirrors;
  jseg["mirrors"] = nlohmann::ordered_json::object();
  for (const Mirror& m : route.mirrors) {
    const std::string& v = st.routemap.versions[m.version].name;
    jseg["mirrors"][v] = m.percent;
    mirrors += (mirrors.empty() ? "" : ", ") + v + " " + std::to_string(m.percent) + "%";
    any_mirror_ = true;
  }
  row.push_back(mirrors.empty() ? "-" : mirrors);
  rows_.push_back(row);
  return jseg;
}

void PlanTable::drop_mirror_column() {
  if (any_mirror_) return;
  for (auto& row : rows_) {
    if (row.size() == columns_) row.pop_back();
  }
  any_mirror_ = true;  // dropped once
  --columns_;
}

std::string PlanTable::render() {
  drop_mirror_column();
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (row.size() == 2 && c == 1 && row[1].rfind("error: ", 0) == 0) continue;
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += c + 1 == row.size() ? row[c] : pad(row[c], widths[c]) + "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// A cell of a Markdown table: a | would end it, a newline the row.
std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c == '\n' ? ' ' : c;
    }
  }
  return out.empty() ? " " : out;
}

std::string PlanTable::render_markdown() {
  drop_mirror_column();
  std::string out;
  for (size_t i = 0; i < rows_.size(); ++i) {
    const auto& row = rows_[i];
    std::string line = "|";
    for (size_t c = 0; c < columns_; ++c)
      line += " " + markdown_cell(c < row.size() ? row[c] : "") + " |";
    out += line + "\n";
    if (i == 0) {
      std::string rule = "|";
      // Shares right-aligned; the step, the segment and the mirrors left.
      for (size_t c = 0; c < columns_; ++c)
        rule += c < 2 || c >= 2 + versions_.size() ? " --- |" : " ---: |";
      out += rule + "\n";
    }
  }
  return out;
}

std::string release_id(const ReleasePlan& rp) {
  return (rp.namespace_.empty() ? "" : rp.namespace_ + "/") + rp.name;
}

// "step 1 ten (current)": a step's title in the flowchart.
std::string step_title(const TargetPlan::Step& st, size_t current) {
  std::string t = "step " + std::to_string(st.index);
  if (st.label != "step" + std::to_string(st.index)) t += " " + st.label;
  return st.index == current ? t + " (current)" : t;
}

// One target's steps as subgraphs r<*n>, r<*n + 1>, ... drawn by diff's renderer: a step
// compared with the step before it (a share it moves is "before -> after", thick), the first
// step (and one after a step that failed) as it is; a step that failed holds its error.
std::string target_mermaid(const ReleasePlan& rp, const TargetPlan& tp, size_t* n) {
  std::string out;
  std::optional<ReleaseTraffic> before;  // the step before, when it compiled
  for (const TargetPlan::Step& st : tp.steps) {
    std::string title =
        "release " + release_id(rp) + " on " + tp.target + ": " + step_title(st, rp.current);
    if (!st.compiled) {
      out += mermaid_error_subgraph((*n)++, title, "error: " + st.error);
      before.reset();
      continue;
    }
    ReleaseTraffic now = traffic_of(st.routemap);
    out +=
        mermaid_subgraph((*n)++, title, diff_traffic(before ? &*before : nullptr, &now), !before);
    before = std::move(now);
  }
  return out;
}

// One flowchart of every release's plan on every target, a subgraph per step.
std::string plan_mermaid(const std::vector<ReleasePlan>& plans) {
  std::string out = "flowchart LR\n";
  size_t n = 0;
  for (const ReleasePlan& rp : plans) {
    for (const TargetPlan& tp : rp.targets) out += target_mermaid(rp, tp, &n);
  }
  return out;
}

// The heading line of a release's plan.
std::string release_heading(const ReleasePlan& rp) {
  return "release " + release_id(rp) + " (" + rp.file + ":" + std::to_string(rp.loc.line + 1) +
         "), current step " + std::to_string(rp.current);
}

// One target's part of a release's plan in Markdown: its table, then its flowchart.
std::string target_markdown(const ReleasePlan& rp, const TargetPlan& tp, PlanTable& table) {
  std::string out = "**target " + tp.target + "**\n\n" + table.render_markdown() + "\n";
  size_t n = 0;
  std::string chart = "flowchart LR\n" + target_mermaid(rp, tp, &n);
  std::string f = fence_for(chart);
  return out + f + "mermaid\n" + chart + f + "\n\n";
}

// One release's plan: its heading and a table per target appended to `out` (text, or with
// `markdown` a Markdown table and flowchart), its JSON returned. Sets `failed` when a step did
// not compile.
nlohmann::ordered_json plan_release(const ReleasePlan& rp, bool markdown, std::string* out,
                                    bool* failed) {
  nlohmann::ordered_json jr;
  jr["file"] = rp.file;
  jr["line"] = rp.loc.line + 1;
  jr["name"] = rp.name;
  jr["namespace"] = rp.namespace_;
  jr["current"] = rp.current;
  jr["targets"] = nlohmann::ordered_json::array();
  *out += markdown ? "#### " + release_heading(rp) + " (marked *)\n\n"
                   : release_heading(rp) + " (marked *)\n";
  for (const TargetPlan& tp : rp.targets) {
    nlohmann::ordered_json jt;
    jt["target"] = tp.target;
    jt["steps"] = nlohmann::ordered_json::array();
    PlanTable table(tp);
    for (const auto& st : tp.steps)
      jt["steps"].push_back(table.add_step(st, st.index == rp.current));
    *out +=
        markdown ? target_markdown(rp, tp, table) : "\ntarget " + tp.target + "\n" + table.render();
    if (table.failed) *failed = true;
    jr["targets"].push_back(jt);
  }
  if (!markdown) *out += "\n";
  return jr;
}

class PlanCommand final : public Command {
 public:
  const char* name() const override { return "plan"; }
  const char* summary() const override {
    return "Show each step of a release's schedule: which share of each request segment every "
           "version gets, per target.";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # The steps of a schedule on the environment's target\n"
           "  meshc plan examples/iter8-wakanda-schedule.yaml\n"
           "\n"
           "  # On every target (a step a target cannot express is an error there)\n"
           "  meshc plan examples/weighted-ramp-schedule.yaml --all-targets\n"
           "\n"
           "  # For CI\n"
           "  meshc plan spec.yaml --format json\n"
           "\n"
           "  # A pull request comment: a table and a Mermaid flowchart of every step\n"
           "  meshc plan spec.yaml --format markdown > comment.md";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, true);
    cmd->add_flag("--all-targets", all_targets_,
                  "Plan on every target at its default API version, one table each.")
        ->excludes("--target");
    cmd->add_option("--format", format_,
                    "text (a table per release and target), json, mermaid (a flowchart with a "
                    "subgraph per step: segments -> versions, drawn as meshc diff draws a change) "
                    "or markdown (per target the table and the flowchart, for a pull request "
                    "comment).")
        ->check(CLI::IsMember({"text", "json", "mermaid", "markdown"}));
  }
  int run() override;

 private:
  CompileOptions opts_;
  bool all_targets_ = false;
  std::string format_ = "text";
};

int PlanCommand::run() {
  std::vector<std::string> targets;
  if (all_targets_) {
    for (const Target* t : all_targets()) targets.push_back(t->info().name);
  } else {
    targets.push_back(opts_.target);  // "" = each release's environment
  }
  if (opts_.inputs.empty()) opts_.inputs.push_back("-");
  PlanBuilder builder;
  bool failed = false;
  DiagnosticSink all_diags;
  std::vector<std::unique_ptr<Driver>> drivers;  // own the sources diagnostics point into
  PrintOptions print;
  for (const std::string& target : targets) {
    CompileOptions o = opts_;
    o.target = target;
    o.every_step = true;
    int exit_code = kExitOk;
    std::optional<CompileSetup> setup = resolve_options(o, &exit_code);
    if (!setup) return exit_code;
    print = setup->print;
    drivers.push_back(setup->make_driver());
    Driver& driver = *drivers.back();
    for (const auto& in : o.inputs) driver.add_input(in);
    std::vector<CompiledRelease> releases = driver.run(Driver::Stage::kValidate);
    if (run_failed(driver.sink(), setup->warnings_as_errors)) failed = true;
    add_unseen(all_diags, driver.sink());
    builder.add_run(target, releases, driver);
  }
  if (!all_diags.all().empty()) print_diagnostics(all_diags.all(), print, stderr);
  bool markdown = format_ == "markdown";
  std::string out = markdown ? "### meshc plan\n\n" : "";
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const ReleasePlan& rp : builder.plans)
    json.push_back(plan_release(rp, markdown, &out, &failed));
  if (format_ == "json") out = json.dump(2) + "\n";
  if (format_ == "mermaid") out = plan_mermaid(builder.plans);
  if (!out.empty() && (format_ == "text" || markdown)) out.pop_back();
  int rc = finish_stdout(out);
  return failed ? kExitInvalid : rc;
}

}  // namespace

std::unique_ptr<Command> make_plan_command() {
  return std::make_unique<PlanCommand>();
}

}  // namespace meshc
