#include "compiler/driver/driver.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "compiler/diag/field_path.h"
#include "compiler/io/input.h"
#include "compiler/ir/capabilities.h"
#include "compiler/k8s/workloads.h"
#include "compiler/lower/schedule.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/verify/crd_check.h"
#include "compiler/yaml/yaml_loader.h"
#include "targets/target.h"

namespace meshc {

namespace fs = std::filesystem;

const SourceFile& Driver::add_source(std::string name, std::string text) {
  return add_source(std::make_unique<SourceFile>(std::move(name), std::move(text)));
}

const SourceFile& Driver::add_source(std::unique_ptr<SourceFile> source) {
  sources_.push_back(std::move(source));
  return *sources_.back();
}

bool Driver::add_input(const std::string& path) {
  DiagnosticSink& sink = state_.sink;
  std::vector<InputFile> files;
  std::vector<std::string> skipped;
  bool listed = expand_input(path, walk_, &files, &skipped, sink);
  if (verbose_) {
    for (const std::string& s : skipped) sink.note(Location{}, "", "skipped " + s);
  }
  if (!listed) return false;
  if (!files.empty() && files.front().found_in_directory) directories_.push_back({path, {}});
  // The files are read at once, each with a sink of its own; what is done with them (and
  // their diagnostics) happens here, in order, as if each had been read in turn.
  std::vector<ReadInput> reads;
  std::vector<DiagnosticSink> sinks;
  read_in_parallel(files, reads, sinks);
  bool ok = true;
  for (size_t i = 0; i < files.size(); ++i) {
    ReadInput in;
    if (i < reads.size()) {
      for (const Diagnostic& d : sinks[i].all()) sink.add(d);
      in = std::move(reads[i]);
    } else {
      in = read_input(files[i].path, limits_.max_input_bytes, sink);
    }
    ok = accept_read(files[i], std::move(in)) && ok;
  }
  return ok;
}

bool Driver::accept_read(const InputFile& f, ReadInput in) {
  if (!in.source) return false;
  if (!in.complete) {
    oversized_.push_back(std::move(in.source));
    return false;
  }
  const SourceFile* source = in.source.get();
  if (in.device != 0 || in.inode != 0) {
    auto [it, fresh] =
        files_read_.try_emplace({in.device, in.inode}, FileRead{f.path, source, in.regular});
    if (!fresh) {
      // The same file twice would compile every object in it twice; read it once.
      const std::string& first = it->second.as_named;
      state_.sink.warning(Location{}, "",
                          quote(f.path) + (f.path == first ? "" : " (" + first + ")") +
                              " is given more than once; it is read once");
      if (f.found_in_directory) directories_.back().second.push_back(it->second.source);
      return true;
    }
  }
  if (f.found_in_directory) {
    found_in_directory_.insert(source);
    directories_.back().second.push_back(source);
  }
  add_source(std::move(in.source));
  return true;
}

std::set<std::pair<uint64_t, uint64_t>> Driver::regular_files(
    const std::set<const SourceFile*>& of) const {
  std::set<std::pair<uint64_t, uint64_t>> out;
  for (const auto& [id, read] : files_read_) {
    if (read.regular && of.count(read.source)) out.insert(id);
  }
  return out;
}

namespace {

// Empties a tree from its leaves up. nlohmann's destructor moves every descendant of a
// collection onto a growing stack of its own (so as never to recurse); the objects meshc
// builds are a few levels deep, and freed this way each collection is empty by the time its
// destructor runs.
void clear_tree(Object& o) {
  if (o.is_object()) {
    auto& entries = o.get_ref<Object::object_t&>();
    for (auto& entry : entries) clear_tree(entry.second);
    entries.clear();
  } else if (o.is_array()) {
    auto& items = o.get_ref<Object::array_t&>();
    for (Object& item : items) clear_tree(item);
    items.clear();
  }
}

// Frees a release's objects once they are rendered.
void release_objects(std::vector<Object>& objects) {
  for (Object& o : objects) clear_tree(o);
  objects = {};
}

// Built with AddressSanitizer (and so LeakSanitizer): what a run leaves for exit to reclaim
// is freed there all the same, so the freeing code is checked and nothing looks leaked.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kFreeAtOnce = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kFreeAtOnce = true;
#else
constexpr bool kFreeAtOnce = false;
#endif
#else
constexpr bool kFreeAtOnce = false;
#endif
// The size of an input whose trees run_sources may leave for exit to reclaim.
constexpr size_t kKeepTreesBelow = 256 * 1024;
// Room reserved for a release's YAML before its objects are written: most releases (two
// versions, their Deployments, Services and routes) come to 2-4 KiB.
constexpr size_t kReleaseTextGuess = 4096;

}  // namespace

void Driver::RunState::retire_objects(std::vector<Object>& objects) {
  release_objects(retired_objects);
  retired_objects = std::move(objects);
  objects.clear();
  if (kFreeAtOnce) release_objects(retired_objects);
}

bool Driver::wanted(const SourceFile& src, const YNode& doc, DiagnosticSink& sink) const {
  if (doc.is_null()) return false;
  if (!found_in_directory_.count(&src)) return true;
  std::string why = why_not_a_release(doc);
  if (why.empty()) return true;
  if (verbose_) sink.note(doc.loc, "", "skipped: " + why);
  return false;
}

std::vector<CompiledRelease> Driver::run(Stage stage) {
  RunOutput out;
  if (!run_parallel(stage, out)) run_sources(0, sources_.size(), stage, state_, out);
  check_directories(out);
  return std::move(out.releases);
}

void Driver::run_sources(size_t begin, size_t end, Stage stage, RunState& st,
                         RunOutput& out) const {
  DiagnosticSink& sink = st.sink;
  for (size_t i = begin; i < end; ++i) {
    const SourceFile* src = sources_[i].get();
    size_t errors_before = sink.error_count();
    // An input's trees live only while its releases compile: nothing compiled refers to them
    // (locations point into the sources), and a batch of 10,000 specs would hold them all.
    // The previous input's trees are freed here, before this one's are built; the last
    // input's when the driver is (see retire_objects), unless they are large (below).
    st.docs.clear();
    st.docs = load_yaml(*src, limits_, sink);
    bool any = false;
    for (const YamlDocument& d : st.docs) {
      const YNode& doc = *d.root;
      if (!doc.is_null()) any = true;
      if (!wanted(*src, doc, sink)) continue;
      if (out.with_release.empty() || out.with_release.back() != src)
        out.with_release.push_back(src);
      auto in = classify_document(doc, sink);
      if (!in) continue;
      for (CompiledRelease& r : compile_steps(*in, stage, st)) {
        if (render_as_compiled_ && stage == Stage::kCompile) {
          // A release's objects are a few KiB of YAML: room for them at once, rather than
          // three doublings from the writer's first KiB.
          if (r.text.empty()) r.text.reserve(kReleaseTextGuess);
          for (const Object& o : r.objects) write_yaml_document(o, r.text);
          st.retire_objects(r.objects);
        }
        out.releases.push_back(std::move(r));
      }
    }
    // A large input's trees are freed at once: kept to the end, they would add to the peak
    // of the output phase (+60 MiB for one file of 10,000 releases); a spec's are left for
    // exit, where they cost nothing.
    if (src->text().size() > kKeepTreesBelow) st.docs.clear();
    if (!any && sink.error_count() == errors_before) {
      Location l{src, 0, 0};
      if (!found_in_directory_.count(src))
        sink.error(l, "", "expected a release spec, got an empty input");
      else if (verbose_)
        sink.note(l, "", "skipped: empty");
    }
  }
  if (kFreeAtOnce) st.docs.clear();
}

void Driver::check_directories(const RunOutput& out) {
  // A directory in which nothing is a release is a mistake (a wrong path, an --exclude too
  // many), not an empty output: Argo CD would prune everything the folder generated.
  if (directories_.empty()) return;
  std::set<const SourceFile*> with_release(out.with_release.begin(), out.with_release.end());
  for (const auto& [dir, files] : directories_) {
    if (std::none_of(files.begin(), files.end(),
                     [&](const SourceFile* f) { return with_release.count(f) > 0; })) {
      state_.sink.error(Location{}, "",
                        "no release spec in directory " + quote(dir) + ": none of its " +
                            std::to_string(files.size()) +
                            " YAML files holds one (-v says what was left out and why)");
    }
  }
}

std::optional<CompiledRelease> Driver::compile_document(const YNode& doc, Stage stage) {
  auto in = classify_document(doc, state_.sink);
  if (!in) return std::nullopt;
  std::vector<CompiledRelease> steps = compile_steps(*in, stage, state_);
  if (steps.empty()) return std::nullopt;
  return std::move(steps.front());
}

namespace {

bool same_diagnostic(const Diagnostic& a, const Diagnostic& b) {
  return a.severity == b.severity && a.loc.file == b.loc.file && a.loc.line == b.loc.line &&
         a.loc.col == b.loc.col && a.path == b.path && a.message == b.message;
}

// A diagnostic of this release reported so far, and the steps that report it.
struct Reported {
  size_t index;  // in the sink
  std::vector<size_t> steps;
};

// The first error reported from `from` on, as `path: message`.
std::string first_error(const DiagnosticSink& sink, size_t from) {
  std::string first;
  for (size_t i = from; i < sink.all().size() && first.empty(); ++i) {
    const Diagnostic& d = sink.all()[i];
    if (d.severity == Severity::kError) first = (d.path.empty() ? "" : d.path + ": ") + d.message;
  }
  return first;
}

// The diagnostics step `k` reported from `from` on: one another step reported alike is
// dropped and that step's entry in `reported` notes step `k` too.
void merge_step_diagnostics(DiagnosticSink& sink, size_t from, size_t k,
                            std::vector<Reported>& reported) {
  std::vector<Diagnostic> fresh(sink.all().begin() + static_cast<std::ptrdiff_t>(from),
                                sink.all().end());
  sink.truncate(from);
  for (Diagnostic& d : fresh) {
    bool seen = false;
    for (Reported& rep : reported) {
      if (!same_diagnostic(sink.at(rep.index), d)) continue;
      rep.steps.push_back(k);
      seen = true;
      break;
    }
    if (seen) continue;
    reported.push_back({sink.all().size(), {k}});
    sink.add(std::move(d));
  }
}

// "in step 0 (smoke)" becomes "in steps 0 (smoke) and 2 (all)", or "in every step".
void name_every_step(DiagnosticSink& sink, const std::vector<Reported>& reported,
                     const Schedule& schedule) {
  for (const Reported& rep : reported) {
    if (rep.steps.size() < 2) continue;
    std::string text;
    if (rep.steps.size() == schedule.size()) {
      text = "in every step";
    } else {
      text = "in steps ";
      for (size_t i = 0; i < rep.steps.size(); ++i) {
        text += (i == 0                      ? ""
                 : i + 1 == rep.steps.size() ? " and "
                                             : ", ") +
                schedule.label(rep.steps[i]);
      }
    }
    Diagnostic& d = sink.at(rep.index);
    if (d.notes.empty()) continue;
    d.notes.back().message = text;
    if (rep.steps.size() == schedule.size()) d.notes.back().loc = schedule.node->loc;
  }
}

}  // namespace

std::vector<CompiledRelease> Driver::compile_steps(const ReleaseInput& in, Stage stage,
                                                   RunState& st) const {
  DiagnosticSink& sink = st.sink;
  std::vector<CompiledRelease> out;
  if (!check_environment(in, sink) || !check_leading_zero_integers(in, sink)) return out;
  if (!SchemaValidator::get().validate(*in.document, in.form, sink)) return out;
  auto schedule = read_schedule(in, release_app_name(in, defaults_.name), defaults_.step, sink);
  if (!schedule) return out;
  std::vector<size_t> steps;
  if (every_step_) {
    for (size_t k = 0; k < schedule->size(); ++k) steps.push_back(k);
  } else {
    steps.push_back(schedule->current);
  }
  // Every step generates the same objects: each is checked against the releases before this
  // one (st.generated, left alone until the last step), not against the other steps; what the
  // steps generate gathers in step_generated (the first step's origin wins). No copy of
  // generated per release: a batch of 10,000 specs would copy it 10,000 times.
  st.step_generated.clear();
  // This release's diagnostics so far, by step: one that another step reports alike is
  // reported once, its note naming every step.
  std::vector<Reported> reported;
  for (size_t k : steps) {
    SteppedInput stepped = apply_step(in, *schedule, k);
    size_t from = sink.all().size();
    auto r = compile_release(stepped.input, stage, st);
    mark_step_diagnostics(sink, from, stepped, *schedule, k);
    if (!r)
      st.failed_steps.push_back(
          {in.document->loc, k, schedule->size(), schedule->folder(k), first_error(sink, from)});
    if (!schedule->empty() && steps.size() > 1) merge_step_diagnostics(sink, from, k, reported);
    if (!r) continue;
    rename_step_paths(r->routemap, stepped);
    r->step = k;
    r->steps = schedule->size();
    r->step_folder = schedule->folder(k);
    r->current_step = schedule->current;
    out.push_back(std::move(*r));
  }
  st.generated.merge(st.step_generated);  // moves the entries; none is in st.generated yet
  st.step_generated.clear();
  name_every_step(sink, reported, *schedule);
  return out;
}

std::optional<CompiledRelease> Driver::compile_release(const ReleaseInput& in, Stage stage,
                                                       RunState& st) const {
  DiagnosticSink& sink = st.sink;
  size_t before = sink.error_count();
  auto rm = lower_release(in, defaults_, sink);
  if (!rm) return std::nullopt;
  CompiledRelease out;
  // Target: --target wins; otherwise the environment's. Workloads only for "deployment".
  if (target_) {
    out.target = *target_;
  } else if (const Target* t = find_target_for_environment(rm->environment)) {
    out.target = TargetChoice{t, t->info().api_versions.front().name};
  } else if (rm->environment != "deployment") {
    // The schema lists an environment that no registered target declares: never fall back
    // to workloads only.
    sink.error(rm->environment_loc, rm->field_path("environment"),
               "no target of this build compiles environment " + quote(rm->environment) +
                   "; pass --target (" + target_synopsis() + ")");
    return std::nullopt;
  } else if (rm->strategy != Strategy::kNone && stage != Stage::kRoutemap) {
    std::string environments;
    for (const Target* t : all_targets()) {
      environments += (environments.empty() ? "" : ", ") + t->info().environment;
    }
    sink.error(rm->strategy_loc, rm->field_path("application.strategy"),
               std::string("environment deployment emits no routing, so strategy ") +
                   strategy_name(rm->strategy) + " would be dropped; use one of " + environments +
                   ", or pass --target");
    return std::nullopt;
  }
  bool check_target = stage != Stage::kRoutemap || target_.has_value();
  if (out.target.target && check_target) {
    check_capabilities(*rm, out.target.capabilities(), out.target.str(),
                       capability_alternatives(out.target), sink);
    check_implementation_names(*rm, out.target, sink);
  }
  if (sink.error_count() != before) return std::nullopt;
  // validate runs the target too (and drops its objects), so it reports what compile would.
  if (stage != Stage::kRoutemap) {
    std::vector<StringMap> pod_annotations;
    if (out.target.target) {
      for (const Version& v : rm->versions) {
        pod_annotations.push_back(out.target.target->pod_annotations(*rm, v));
      }
    }
    RootSelector root_selector =
        !out.target.target || out.target.target->routes_among_root_endpoints()
            ? RootSelector::kEveryVersion
            : RootSelector::kDefaultRouteLeader;
    render_workloads(*rm, sink, out.objects, pod_annotations, root_selector);
    const size_t workloads = out.objects.size();
    if (out.target.target) out.target.target->emit(*rm, out.target.api_version, sink, out.objects);
    if (sink.error_count() != before) return std::nullopt;
    if (!check_unique_objects(*rm, out.objects, workloads, st)) return std::nullopt;
    if (crds_ && !crds_->check(out.objects, rm->loc, sink)) return std::nullopt;
  }
  out.routemap = std::move(*rm);
  return out;
}

namespace {

// Where the objects of one origin come from: 0 = the release (root Service, routing objects),
// 1 + i = version i (its Deployment and Service).
std::pair<Location, std::string> origin_place(const Routemap& rm, size_t origin) {
  if (origin == 0) return {rm.loc, ""};
  const Version& v = rm.versions[origin - 1];
  return {v.loc, v.field_path};
}

// "a", "a and b", "a, b and c".
std::string id_list(const std::vector<std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == ids.size() ? " and " : ", ") + ids[i];
  }
  return out;
}

}  // namespace

bool Driver::check_unique_objects(const Routemap& rm, const std::vector<Object>& objects,
                                  size_t workloads, RunState& st) const {
  auto origin_of = [&](size_t object) {
    return object > 0 && object < workloads ? 1 + (object - 1) / 2 : 0;
  };
  // Per origin, the objects generated before and where the first of them was.
  std::map<size_t, std::vector<std::string>> clashes;
  std::map<size_t, Generated> first_at;
  std::unordered_map<std::string, Generated> mine;
  for (size_t i = 0; i < objects.size(); ++i) {
    std::string id = object_id(objects[i]);
    size_t origin = origin_of(i);
    const Generated* first = nullptr;
    if (auto it = st.generated.find(id); it != st.generated.end()) first = &it->second;
    if (auto it = mine.find(id); it != mine.end()) first = &it->second;
    if (first) {
      clashes[origin].push_back(id);
      first_at.try_emplace(origin, *first);
    } else {
      auto [loc, path] = origin_place(rm, origin);
      mine.emplace(std::move(id), Generated{loc, path});
    }
  }
  if (clashes.empty()) {
    st.step_generated.merge(mine);  // an id another step generated keeps that step's origin
    return true;
  }
  report_duplicates(rm, objects, clashes, first_at, st.sink);
  return false;
}

void Driver::report_duplicates(const Routemap& rm, const std::vector<Object>& objects,
                               const std::map<size_t, std::vector<std::string>>& clashes,
                               const std::map<size_t, Generated>& first_at,
                               DiagnosticSink& sink) const {
  const std::string why = " (kubectl apply would keep only the last one)";
  // The root Service is the application's name in its namespace: the same release again (or
  // another one of that name), which one error says better than one per version.
  auto release = clashes.find(0);
  if (release != clashes.end() && !release->second.empty() &&
      release->second.front() == object_id(objects[0]) && first_at.at(0).path.empty()) {
    size_t n = 0;
    for (const auto& [origin, ids] : clashes) n += ids.size();
    sink.error(rm.loc, "",
               "release " + (rm.namespace_.empty() ? "" : rm.namespace_ + "/") + rm.name +
                   " is defined twice in this run: " + std::to_string(n) + " of its " +
                   std::to_string(objects.size()) + " objects would be generated twice" + why)
        .note(first_at.at(0).loc, "first defined here");
    return;
  }
  for (const auto& [origin, ids] : clashes) {
    if (ids.empty()) continue;
    auto [loc, path] = origin_place(rm, origin);
    sink.error(loc, path,
               id_list(ids) + (ids.size() == 1 ? " is" : " are") + " generated twice in this run" +
                   why + "; give the versions or applications different names or namespaces")
        .note(first_at.at(origin).loc, "first generated here");
  }
}

std::string render_release(const CompiledRelease& release) {
  std::string text = release.text;
  for (const auto& o : release.objects) write_yaml_document(o, text);
  return text;
}

std::string render_objects(const std::vector<CompiledRelease>& releases) {
  std::string text;
  for (const auto& r : releases) {
    text += r.text;
    for (const auto& o : r.objects) write_yaml_document(o, text);
  }
  return text;
}

}  // namespace meshc
