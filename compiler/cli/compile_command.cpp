// meshc compile: release specs -> Kubernetes objects, to stdout or to -o FILE|DIR/.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "compiler/cli/command.h"
#include "compiler/cli/frontend.h"
#include "compiler/io/check_output.h"
#include "compiler/io/output.h"
#include "compiler/io/output_index.h"

namespace meshc {

namespace {

using OutputFiles = std::vector<std::pair<std::string, std::string>>;

// The file -o DIR/ writes a release to: <namespace>.<app>.yaml, with --all-steps in the
// step's folder (<index>-<name>/<namespace>.<app>.yaml).
std::string release_file_name(const CompiledRelease& r, bool all_steps) {
  return (all_steps ? r.step_folder + "/" : "") + r.routemap.namespace_ + "." + r.routemap.name +
         ".yaml";
}

// The first of `paths` that is an input file holding a release (the same file, by device and
// inode, whatever the spelling or symlink), or "": -o a.yaml for the input a.yaml would
// replace the spec by its output, as would -o DIR/ for a spec named <ns>.<app>.yaml in DIR.
// Inputs without a release (a previous run's output in DIR, skipped) may be replaced. The
// inputs' identities are the ones read_input saw (no second stat of 10,000 inputs).
std::string input_among(const std::vector<std::string>& paths, const FrontendRun& run) {
  std::set<const SourceFile*> specs = run.failures.files;
  for (const CompiledRelease& r : run.releases) specs.insert(r.routemap.loc.file);
  const std::set<std::pair<uint64_t, uint64_t>> inputs = run.driver->regular_files(specs);
  struct stat st;
  for (const std::string& p : paths) {
    if (::stat(p.c_str(), &st) == 0 &&
        inputs.count({static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)}))
      return p;
  }
  return "";
}

class CompileCommand final : public Command {
 public:
  const char* name() const override { return "compile"; }
  const char* summary() const override {
    return "Compile release specs to Kubernetes objects (stdout, or -o FILE|DIR/).";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # YAML on stdout\n"
           "  meshc compile examples/canary-gateway-api.yaml\n"
           "\n"
           "  # Another mesh API and version\n"
           "  meshc compile spec.yaml --target istio@v1beta1\n"
           "\n"
           "  # One file per release in out/\n"
           "  meshc compile specs/ -o out/\n"
           "\n"
           "  # Fail when out/ is not what specs/ compile to (CI)\n"
           "  meshc compile specs/ -o out/ --check\n"
           "\n"
           "  # Another step of the schedule than application.schedule.current\n"
           "  meshc compile examples/weighted-ramp-schedule.yaml --step 2\n"
           "\n"
           "  # Every step, each in out/<index>-<name>/\n"
           "  meshc compile examples/weighted-ramp-schedule.yaml --all-steps -o out/\n"
           "\n"
           "  # Check the objects against your cluster's CRDs\n"
           "  meshc compile spec.yaml --check-against crds/";
  }
  void add_options(CLI::App* cmd) override;
  std::vector<FastOption> fast_options() override;
  int run() override;

 private:
  // One file per release below `dir`; false when two releases would share a file (reported).
  bool files_per_release(const std::string& dir, const std::vector<CompiledRelease>& releases,
                         OutputFiles* files) const;
  // `plan` and `dir` with -o DIR/: the files a run would delete there are stale too.
  int check_files(const OutputFiles& files, const OutputPlan* plan, const std::string& dir) const;
  // -o DIR/: the index of what meshc wrote there, and the files it no longer produces.
  // Adds the index to `files`; false after reporting an unreadable index.
  bool plan_directory(const std::string& dir, const FrontendRun& run, OutputFiles* files,
                      OutputPlan* plan) const;
  // The usage errors of -o, --check and --keep-going: an exit code, or -1 when there is none.
  // Sets `dir_mode` when -o names a directory.
  int check_output_options(bool* dir_mode) const;
  bool refuses_to_clobber_inputs(const OutputFiles& files, const OutputPlan* plan,
                                 const std::string& dir, const FrontendRun& run) const;
  // Writes `files`, then deletes the files `plan` says meshc no longer produces; `status`
  // when both succeed.
  int write_outputs(const OutputFiles& files, const OutputPlan* plan, const std::string& dir,
                    int status) const;

  CompileOptions opts_;
  std::string out_path_;
  bool keep_going_ = false;
  bool check_only_ = false;
};

void CompileCommand::add_options(CLI::App* cmd) {
  add_compile_options(cmd, opts_, true);
  add_step_option(cmd, opts_);
  add_check_against(cmd, opts_);
  add_jobs_option(cmd, opts_);
  cmd->add_option("-o,--output", out_path_,
                  "Write to FILE instead of stdout, or, when the path ends in '/' or is a "
                  "directory, one file per release named <namespace>.<app>.yaml, listed in "
                  "DIR/.meshc-outputs with the input each came from: a file whose input no "
                  "longer produces it (or no longer exists) is deleted. Files are replaced "
                  "atomically. A path, not a format: -o json, yaml, wide, name and - are "
                  "refused (-o ./json is a file named json).")
      ->type_name("PATH")
      ->check(kNonEmpty);
  cmd->add_flag("--all-steps", opts_.every_step,
                "With -o DIR/: compile every step of each release's schedule, step i to "
                "DIR/<i>-<name>/ (name = the step's name, or step<i>) in the layout of a plain "
                "-o DIR/; a release without a schedule is its step 0. Step folders the specs no "
                "longer produce are deleted.")
      ->excludes("--step");
  cmd->add_flag("--keep-going", keep_going_,
                "With -o DIR/: write the releases of every input file without errors, leave "
                "the others' files untouched, still exit 1 when anything failed. Without it a "
                "run writes all or nothing.");
  cmd->add_flag("--check", check_only_,
                "With -o: write nothing; compare the files -o would write with the ones there "
                "and, when any differs or is missing or is one a run would delete, print a "
                "unified diff on stderr and exit 1 (stale generated manifests).");
}

std::vector<FastOption> CompileCommand::fast_options() {
  std::vector<FastOption> t;
  add_fast_compile_options(&t, opts_, true);
  add_fast_step_option(&t, opts_);
  add_fast_check_against(&t, opts_);
  add_fast_jobs_option(&t, opts_);
  t.insert(t.end(), {{"-o,--output", &out_path_},
                     {"--all-steps", &opts_.every_step, {}, "--step"},
                     {"--keep-going", &keep_going_},
                     {"--check", &check_only_}});
  return t;
}

bool CompileCommand::files_per_release(const std::string& dir,
                                       const std::vector<CompiledRelease>& releases,
                                       OutputFiles* files) const {
  // Two releases with the same namespace and name would overwrite each other, so both are an
  // error (with --keep-going, neither is written).
  std::map<std::string, const CompiledRelease*> by_file;
  std::set<std::string> clashes;
  DiagnosticSink clash;
  for (const auto& r : releases) {
    std::string file = dir + release_file_name(r, opts_.every_step);
    auto [it, fresh] = by_file.emplace(file, &r);
    if (fresh) continue;
    clashes.insert(file);
    clash
        .error(r.routemap.loc, "",
               "release " + r.routemap.namespace_ + "/" + r.routemap.name +
                   " is defined twice; both would be written to " + file)
        .note(it->second->routemap.loc, "also defined here");
  }
  for (const auto& [file, r] : by_file) {
    if (!clashes.count(file)) files->emplace_back(file, render_release(*r));
  }
  if (!clash.has_errors()) return true;
  print_diagnostics(clash.all(), print_options(opts_), stderr);
  return false;
}

bool CompileCommand::plan_directory(const std::string& dir, const FrontendRun& run,
                                    OutputFiles* files, OutputPlan* plan) const {
  OutputIndex old_index;
  std::string err;
  if (!read_output_index(dir, &old_index, &err)) {
    std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
    return false;
  }
  std::map<std::string, std::string> produced;
  for (const CompiledRelease& r : run.releases) {
    produced[release_file_name(r, opts_.every_step)] =
        index_input_key(dir, r.routemap.loc.file->name());
  }
  if (run.failures.all) {
    // After an error no input can be blamed for, nothing is judged: every file listed stays
    // listed (and on disk).
    plan->index = old_index;
    for (const auto& [file, input] : produced) plan->index[file] = input;
  } else {
    // Inputs that failed (--keep-going) keep what they produced before.
    std::set<std::string> read_inputs;
    for (const auto& src : run.driver->sources()) {
      if (!run.failures.files.count(src.get()))
        read_inputs.insert(index_input_key(dir, src->name()));
    }
    *plan = plan_output(dir, old_index, produced, read_inputs);
  }
  if (plan->index.empty() && old_index.empty()) return true;
  // The index goes first, and still lists the orphans: a run killed (or failing) anywhere
  // between its first rename and its last deletion leaves an index that names every file
  // meshc wrote here, so the next run still prunes them. write_outputs writes the final index
  // once the orphans are gone.
  OutputIndex during = plan->index;
  for (const std::string& f : plan->orphans) during[f] = old_index.at(f);
  files->insert(files->begin(), {dir + kOutputIndexName, render_output_index(during)});
  return true;
}

int CompileCommand::check_files(const OutputFiles& files, const OutputPlan* plan,
                                const std::string& dir) const {
  std::string diff;
  bool fresh = files_up_to_date(files, &diff);
  if (plan) {
    for (const std::string& f : plan->orphans) {
      diff += "meshc: error: " + dir + f + " was generated from " + plan->orphan_inputs.at(f) +
              ", which no longer produces it (rerun without --check to delete it)\n";
      fresh = false;
    }
  }
  if (fresh) return kExitOk;
  std::fprintf(stderr,
               "meshc: error: generated manifests in %s are stale: they differ from what the "
               "specs compile to (rerun the same command without --check to update them)\n%s",
               out_path_.c_str(), diff.c_str());
  return kExitInvalid;
}

bool CompileCommand::refuses_to_clobber_inputs(const OutputFiles& files, const OutputPlan* plan,
                                               const std::string& dir,
                                               const FrontendRun& run) const {
  std::vector<std::string> paths;
  for (const auto& [path, text] : files) paths.push_back(path);
  if (plan) {
    for (const std::string& f : plan->orphans) paths.push_back(dir + f);
  }
  std::string input = input_among(paths, run);
  if (input.empty()) return false;
  std::fprintf(stderr,
               "meshc: error: -o %s: the output would replace %s, which is one of the input "
               "specs; write the output elsewhere (nothing was written)\n",
               out_path_.c_str(), input.c_str());
  return true;
}

int CompileCommand::check_output_options(bool* dir_mode) const {
  // kubectl's and helm's -o is a format; meshc's is a path. `-o json` would quietly write a
  // file named json, `-o -` one named -.
  if (out_path_ == "-") {
    return usage_error(
        "-o -: meshc writes to stdout when -o is omitted; to write a file "
        "named -, use -o ./-");
  }
  for (const char* format : {"json", "yaml", "wide", "name"}) {
    if (out_path_ != format) continue;
    return usage_error(std::string("-o ") + format +
                       ": -o names a file or directory; meshc writes YAML to stdout when -o "
                       "is omitted; to write a file named " +
                       format + ", use -o ./" + format);
  }
  if (check_only_ && out_path_.empty()) return usage_error("--check needs -o FILE|DIR/");
  std::error_code ec;
  *dir_mode = !out_path_.empty() &&
              (out_path_.back() == '/' || std::filesystem::is_directory(out_path_, ec));
  if (opts_.every_step && !*dir_mode) {
    return usage_error(
        "--all-steps writes one folder per step, and needs -o DIR/ (for one step on stdout, "
        "use --step N|NAME)");
  }
  if (keep_going_ && (!*dir_mode || check_only_)) {
    return usage_error("--keep-going needs -o DIR/ (stdout and -o FILE are all or nothing)");
  }
  return -1;
}

int CompileCommand::write_outputs(const OutputFiles& files, const OutputPlan* plan,
                                  const std::string& dir, int status) const {
  std::string err;
  std::vector<std::string> unchanged;
  if (!write_files_atomically(files, &err, &unchanged)) {
    std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
    return kExitInvalid;
  }
  if (opts_.verbose) {
    // -v: what happened to each file, in the order written (as rsync -v and helm --debug say).
    std::set<std::string> same(unchanged.begin(), unchanged.end());
    if (plan && !plan->orphans.empty()) same.erase(dir + kOutputIndexName);  // rewritten below
    for (const auto& [path, text] : files) {
      std::fprintf(stderr, "meshc: note: %s %s\n", same.count(path) ? "unchanged" : "wrote",
                   path.c_str());
    }
    if (plan) {
      for (const std::string& f : plan->orphans) {
        std::fprintf(stderr, "meshc: note: deleted %s%s (its input %s no longer produces it)\n",
                     dir.c_str(), f.c_str(), plan->orphan_inputs.at(f).c_str());
      }
    }
  }
  // Deleted only once every new file is in place: a failed run deletes nothing.
  if (plan && !plan->orphans.empty()) {
    std::vector<std::string> paths;
    for (const std::string& f : plan->orphans) paths.push_back(dir + f);
    if (!remove_files(paths, &err)) {
      std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
      return kExitInvalid;
    }
    // A step folder left empty (a step removed from the schedule) goes too; one holding
    // anything else stays.
    std::set<std::string> folders;
    for (const std::string& f : plan->orphans) {
      if (size_t slash = f.find('/'); slash != std::string::npos)
        folders.insert(f.substr(0, slash));
    }
    for (const std::string& folder : folders) {
      std::error_code ignored;
      if (std::filesystem::is_empty(dir + folder, ignored))
        std::filesystem::remove(dir + folder, ignored);
    }
    // The orphans are gone: the index without them.
    if (!write_files_atomically({{dir + kOutputIndexName, render_output_index(plan->index)}}, &err,
                                nullptr)) {
      std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
      return kExitInvalid;
    }
  }
  return status;
}

int CompileCommand::run() {
  bool dir_mode = false;
  if (int rc = check_output_options(&dir_mode); rc >= 0) return rc;
  FrontendRun* run = nullptr;
  int rc = run_frontend(opts_, Driver::Stage::kCompile, keep_going_, run);
  if (rc >= 0) return rc;
  std::vector<CompiledRelease>& releases = run->releases;
  const Failures& failures = run->failures;
  if (failures.any) {
    // --keep-going: only releases of input files without any error are written.
    if (failures.all) releases.clear();
    releases.erase(std::remove_if(releases.begin(), releases.end(),
                                  [&](const CompiledRelease& r) {
                                    return failures.files.count(r.routemap.loc.file) > 0;
                                  }),
                   releases.end());
  }
  int status = failures.any ? kExitInvalid : kExitOk;
  if (out_path_.empty()) {
    // run_frontend has each release's objects rendered into its text as it compiles
    // (Driver::render_as_compiled): the texts go out as they are, by one writev, not copied
    // into one string.
    std::vector<std::string_view> pieces;
    pieces.reserve(releases.size());
    for (const CompiledRelease& r : releases) pieces.emplace_back(r.text);
    return write_stdout_or_report(pieces) ? kExitOk : kExitInvalid;
  }
  OutputFiles files;
  const std::string dir = out_path_.back() == '/' ? out_path_ : out_path_ + "/";
  std::optional<OutputPlan> plan;
  if (!dir_mode) {
    files.emplace_back(out_path_, render_objects(releases));
  } else if (!files_per_release(dir, releases, &files)) {
    if (!keep_going_) return kExitInvalid;
    status = kExitInvalid;
  }
  if (dir_mode) {
    plan.emplace();
    if (!plan_directory(dir, *run, &files, &*plan)) return kExitInvalid;
  }
  if (check_only_) return check_files(files, plan ? &*plan : nullptr, dir);
  if (refuses_to_clobber_inputs(files, plan ? &*plan : nullptr, dir, *run)) return kExitInvalid;
  return write_outputs(files, plan ? &*plan : nullptr, dir, status);
}

}  // namespace

std::unique_ptr<Command> make_compile_command() {
  return std::make_unique<CompileCommand>();
}

}  // namespace meshc
