// The driver: reads inputs, runs the stages on every release, and collects the output.
// Nothing is written anywhere until the whole run has succeeded (see output.h).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/io/input.h"
#include "compiler/ir/routemap.h"
#include "compiler/lower/lower.h"
#include "compiler/yaml/limits.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_writer.h"
#include "targets/target.h"

namespace meshc {

class CrdSet;

struct CompiledRelease {
  Routemap routemap;
  TargetChoice target;
  std::vector<Object> objects;  // workloads, then routing objects
  // With Driver::render_as_compiled(): `objects` as YAML text, `objects` then left empty.
  std::string text;
  // The schedule step compiled (0 for a release without a schedule), how many steps the
  // release has, and the folder --all-steps writes it to ("1-ten", "0-step0").
  size_t step = 0;
  size_t steps = 1;
  std::string step_folder = "0-step0";
  size_t current_step = 0;  // the schedule's current step (or --step)
};

class Driver {
 public:
  Driver(Limits limits, ReleaseDefaults defaults, std::optional<TargetChoice> target)
      : limits_(limits), defaults_(std::move(defaults)), target_(std::move(target)) {}

  // Reads a file ("-" = stdin; a directory = every *.yaml / *.yml below it, sorted, hidden and
  // excluded entries left out (expand_input); a directory without any is an error). An input
  // over Limits::max_input_bytes is reported at the line and column of its first byte past
  // the limit, and only that much of it is read. A file already read (the same file reached
  // through another argument or path) is read once, with a warning. Returns false after
  // reporting an error; the inputs read so far stay.
  bool add_input(const std::string& path);

  // How directories are walked, and whether what a walk leaves out (hidden entries, excluded
  // ones, documents that are clearly not releases) is reported, as notes.
  void set_walk(WalkOptions walk, bool verbose) {
    walk_ = std::move(walk);
    verbose_ = verbose;
  }
  // Adds an in-memory input (used by post-render and krm).
  const SourceFile& add_source(std::string name, std::string text);
  const SourceFile& add_source(std::unique_ptr<SourceFile> source);

  // How far the pipeline goes for each release.
  enum class Stage {
    kRoutemap,  // load, schema, lowering; target checks only for an explicit --target
    kValidate,  // ... plus the target (the environment's default): everything compile checks
    kCompile,   // the same, keeping the workloads and routing objects
  };

  // Runs the pipeline up to `stage` on every input read, also after another input failed, so
  // one run reports the errors of every file. An input without any document is an error.
  std::vector<CompiledRelease> run(Stage stage);

  // The same stages on one document of an input already added (post-render, krm).
  std::optional<CompiledRelease> compile_document(const YNode& doc, Stage stage);

  // A step of a release that did not compile (every step mode): the release's document, the
  // step, and its first error as one line ("path: message").
  struct FailedStep {
    Location release;
    size_t step = 0;
    size_t steps = 1;
    std::string folder;  // "1-ten", as CompiledRelease::step_folder
    std::string error;
  };
  const std::vector<FailedStep>& failed_steps() const { return state_.failed_steps; }

  DiagnosticSink& sink() { return state_.sink; }
  // The (device, inode) from read_input of each regular file read whose source is in `of`:
  // what compile compares its outputs with, without a stat per input.
  std::set<std::pair<uint64_t, uint64_t>> regular_files(
      const std::set<const SourceFile*>& of) const;
  // Every input read whole, in order.
  const std::vector<std::unique_ptr<SourceFile>>& sources() const { return sources_; }

  // Makes run() compile every step of each release's schedule (compile --all-steps, validate),
  // one CompiledRelease per step, in step order. A diagnostic that several steps report alike
  // is reported once, with a note naming those steps.
  void compile_every_step() { every_step_ = true; }

  // Makes run() (kCompile) render each release to CompiledRelease::text as soon as it compiles
  // and keep no objects: a batch of 10,000 specs otherwise walks every tree a second time at
  // the end, long after it left the caches.
  void render_as_compiled() { render_as_compiled_ = true; }

  // Checks every emitted object against `crds` (--check-against), in kCompile and kValidate
  // (which then renders the objects compile would emit, to check them).
  void set_crd_check(std::shared_ptr<const CrdSet> crds) { crds_ = std::move(crds); }

  // How many threads run() and add_input() may use: 1 = none besides the caller's (the
  // default), 0 = one per CPU available (available_cpus, asked only when a run is that
  // large). A run of many inputs is then split into contiguous chunks compiled at once; its
  // result is used only when it is what one thread would produce (see run_parallel).
  void set_jobs(size_t jobs) { jobs_ = jobs; }

 private:
  // Where an object was first generated in this run.
  struct Generated {
    Location loc;
    std::string path;
  };
  // What compiling a run of inputs changes: one for the driver, one per chunk of a parallel run.
  struct RunState {
    DiagnosticSink sink;
    std::vector<FailedStep> failed_steps;
    // "group/Kind/namespace/name" -> first origin. Hashed: a batch of 10,000 specs holds some
    // 60,000 ids, which a sorted map compares over their long common prefixes at every lookup.
    std::unordered_map<std::string, Generated> generated;
    // What the steps of the release being compiled generate, until its last step is done.
    std::unordered_map<std::string, Generated> step_generated;
    // The trees of the input compiled last, and the objects of the release rendered last
    // (retire_objects).
    std::vector<YamlDocument> docs;
    std::vector<Object> retired_objects;
    // Frees the objects of the release rendered before and keeps `objects` (rendered) until
    // the next one is: the last release's are freed with the driver, and the CLI never
    // destroys its driver (frontend.cpp), as exit reclaims them at no cost (freeing them cost
    // a single compile 17% of its instructions). Under AddressSanitizer they are freed at once.
    void retire_objects(std::vector<Object>& objects);
  };
  // What a run of inputs produced.
  struct RunOutput {
    std::vector<CompiledRelease> releases;
    std::vector<const SourceFile*> with_release;  // a document was compiled (or failed to)
  };
  // Compiles sources_[begin, end) with `st`, appending to `out`.
  void run_sources(size_t begin, size_t end, Stage stage, RunState& st, RunOutput& out) const;
  // run_sources on every source in contiguous chunks, one thread each. True, with `out` and
  // state_ as the sequential run leaves them, only when no chunk reported anything and no
  // object id is generated by two chunks; false otherwise, with nothing changed.
  bool run_parallel(Stage stage, RunOutput& out);
  // A directory argument none of whose files holds a release is an error.
  void check_directories(const RunOutput& out);
  // The files of one input argument read_input read into `reads` (with their diagnostics in
  // `sinks`), on up to jobs_ threads.
  void read_in_parallel(const std::vector<InputFile>& files, std::vector<ReadInput>& reads,
                        std::vector<DiagnosticSink>& sinks) const;
  // The bookkeeping of add_input for one file read: limits, duplicates, directories.
  bool accept_read(const InputFile& f, ReadInput in);

  // Every step wanted (the current one, or each with compile_every_step) of a release.
  std::vector<CompiledRelease> compile_steps(const ReleaseInput& in, Stage stage,
                                             RunState& st) const;
  // One step: `in` with the step applied.
  std::optional<CompiledRelease> compile_release(const ReleaseInput& in, Stage stage,
                                                 RunState& st) const;
  // Reports an object that an earlier release of this run (or this one) already generated:
  // kubectl apply would keep only one of them. `workloads` = how many of `objects` (the first
  // ones) render_workloads produced: the root Service, then each version's two.
  bool check_unique_objects(const Routemap& rm, const std::vector<Object>& objects,
                            size_t workloads, RunState& st) const;
  // Whether a document of `src` is compiled; false (with a note when verbose) for a document
  // of a file found in a directory that is clearly not a release.
  bool wanted(const SourceFile& src, const YNode& doc, DiagnosticSink& sink) const;

  // The objects of `rm` generated twice (`clashes`, per origin: 0 = the release, 1 + i =
  // version i) and where the first of each origin's was generated before (`first_at`).
  void report_duplicates(const Routemap& rm, const std::vector<Object>& objects,
                         const std::map<size_t, std::vector<std::string>>& clashes,
                         const std::map<size_t, Generated>& first_at, DiagnosticSink& sink) const;

  Limits limits_;
  ReleaseDefaults defaults_;
  std::optional<TargetChoice> target_;
  std::shared_ptr<const CrdSet> crds_;
  RunState state_;
  size_t jobs_ = 1;
  std::vector<std::unique_ptr<SourceFile>> sources_;
  // The readable part of inputs over --max-input-bytes: kept so that the error can point into
  // them, never compiled.
  std::vector<std::unique_ptr<SourceFile>> oversized_;
  bool render_as_compiled_ = false;
  bool every_step_ = false;
  WalkOptions walk_;
  bool verbose_ = false;
  std::set<const SourceFile*> found_in_directory_;
  // Each directory argument and the files read from it: one without any release is an error.
  std::vector<std::pair<std::string, std::vector<const SourceFile*>>> directories_;
  // Each file read, by (device, inode): the path it was named by, and its source.
  struct FileRead {
    std::string as_named;
    const SourceFile* source = nullptr;
    bool regular = false;
  };
  std::map<std::pair<uint64_t, uint64_t>, FileRead> files_read_;
};

// A compiled release as YAML: its text, then its objects.
std::string render_release(const CompiledRelease& release);
// Renders compiled releases as one YAML stream.
std::string render_objects(const std::vector<CompiledRelease>& releases);

}  // namespace meshc
