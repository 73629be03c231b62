// meshc diff OLD NEW: what traffic moves per request segment, and which objects are added,
// removed or changed, between two versions of the specs (compiler/analysis/release_diff.h), or
// of two manifest streams (--manifests, compiler/analysis/manifest_traffic.h).
// Exit 0 no difference, 1 invalid input, 2 usage, 3 differences (docs/diff.md).
#include <unistd.h>

#include <memory>
#include <set>
#include <vector>

#include "compiler/analysis/manifest_traffic.h"
#include "compiler/analysis/release_diff.h"
#include "compiler/cli/command.h"
#include "compiler/cli/frontend.h"
#include "compiler/io/input.h"
#include "compiler/yaml/yaml_loader.h"

namespace meshc {

namespace {

class DiffCommand final : public Command {
 public:
  const char* name() const override { return "diff"; }
  const char* summary() const override {
    return "Show what traffic moves per request segment, and which objects change, between "
           "two specs; exit 3 when they differ.";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # What a change of weights does\n"
           "  meshc diff old.yaml new.yaml\n"
           "\n"
           "  # The spec as committed on main against the working copy\n"
           "  git show main:spec.yaml | meshc diff - spec.yaml\n"
           "\n"
           "  # A pull request comment: text and a Mermaid flowchart\n"
           "  meshc diff old.yaml new.yaml --format markdown > comment.md\n"
           "\n"
           "  # Two rendered manifest streams (any tool's output)\n"
           "  helm template ./chart | meshc diff --manifests live.yaml -";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, true);
    cmd->add_option("--format", format_,
                    "text (default), json, mermaid (a flowchart: segments -> versions, shares "
                    "before -> after) or markdown (the flowchart and the text, for a pull "
                    "request comment).")
        ->check(CLI::IsMember({"text", "json", "mermaid", "markdown"}));
    cmd->add_option("--from-step", from_step_,
                    "With one SPEC: compare its application.schedule step A (index or name) ...")
        ->type_name("A")
        ->check(kNonEmpty);
    cmd->add_option("--to-step", to_step_, "... with step B.")->type_name("B")->check(kNonEmpty);
    cmd->add_flag("--exit-zero", exit_zero_, "Exit 0 also when the specs differ.");
    cmd->add_flag("--manifests", manifests_,
                  "OLD and NEW are streams of Kubernetes objects (files, or - for one of them), "
                  "made by meshc or anything else: each routed Service is a release. An object "
                  "or field that cannot be read is an error (exit 1).");
  }
  int run() override;

 private:
  // Compiles one side, adding its diagnostics to `diags`; sets `failed` on a failure.
  void compile_side(const CompileSetup& setup, const std::string& input,
                    std::vector<ReleaseSide>* side, std::vector<Diagnostic>* diags, bool* failed);

  // --manifests: reads one stream into its sides, its diagnostics added to `diags`; false on a
  // failure.
  bool read_stream(const CompileSetup& setup, const std::string& input,
                   std::vector<ReleaseSide>* side, std::vector<Diagnostic>* diags);
  bool read_manifests(const CompileSetup& setup, const std::string& input,
                      std::vector<ReleaseSide>* side, DiagnosticSink& sink);
  int run_manifests(const CompileSetup& setup);
  // Prints the diff of the two sides; the exit code.
  int print_diff(const std::vector<ReleaseSide>& old_side,
                 const std::vector<ReleaseSide>& new_side);

  CompileOptions opts_;
  // --manifests: the streams read, kept as long as the command (locations point into them).
  std::vector<ReadInput> streams_;
  bool manifests_ = false;
  // Each side's driver, kept as long as the command (its diagnostics point into the sources).
  std::vector<std::unique_ptr<Driver>> drivers_;
  std::string format_ = "text";
  std::string from_step_, to_step_;
  bool exit_zero_ = false;
};

void DiffCommand::compile_side(const CompileSetup& setup, const std::string& input,
                               std::vector<ReleaseSide>* side, std::vector<Diagnostic>* diags,
                               bool* failed) {
  // One driver per side: the same path on both sides is two inputs, not one read twice.
  drivers_.push_back(setup.make_driver());
  Driver* driver = drivers_.back().get();
  driver->add_input(input);
  std::vector<CompiledRelease> releases = driver->run(Driver::Stage::kCompile);
  const DiagnosticSink& sink = driver->sink();
  // The same file on both sides says the same thing twice: once is enough.
  diags->insert(diags->end(), sink.all().begin(), sink.all().end());
  *diags = unique_diagnostics(*diags);
  if (run_failed(sink, setup.warnings_as_errors)) {
    *failed = true;
    return;
  }
  for (CompiledRelease& r : releases) {
    ReleaseSide s;
    s.traffic = traffic_of(r.routemap);
    s.target = r.target.str();
    s.objects = std::move(r.objects);
    side->push_back(std::move(s));
  }
}

int DiffCommand::run() {
  const std::vector<std::string>& in = opts_.inputs;
  bool steps = !from_step_.empty() || !to_step_.empty();
  if (steps) {
    if (from_step_.empty() || to_step_.empty()) {
      return usage_error("--from-step and --to-step go together");
    }
    if (in.size() != 1) return usage_error("--from-step/--to-step take one SPEC");
  } else if (in.size() != 2) {
    return usage_error(
        "expected two inputs, OLD and NEW (or one SPEC with --from-step and "
        "--to-step), got " +
        std::to_string(in.size()));
  }
  if (!steps && in[0] == "-" && in[1] == "-") {
    return usage_error("only one of OLD and NEW can be stdin (-)");
  }
  if (manifests_ && steps) return usage_error("--manifests compares two streams, not steps");
  if (manifests_ && !opts_.target.empty())
    return usage_error("--manifests reads the objects given: no --target");
  int exit_code = kExitOk;
  std::optional<CompileSetup> setup = resolve_options(opts_, &exit_code);
  if (!setup) return exit_code;
  if (manifests_) return run_manifests(*setup);
  // Two steps of one schedule: the same spec compiled twice, each side at its step.
  CompileSetup old_setup = *setup, new_setup = *setup;
  if (steps) {
    old_setup.defaults.step = from_step_;
    new_setup.defaults.step = to_step_;
  }
  const std::string& old_input = in[0];
  const std::string& new_input = steps ? in[0] : in[1];
  std::vector<ReleaseSide> old_side, new_side;
  bool failed = false;
  std::vector<Diagnostic> diags;
  compile_side(old_setup, old_input, &old_side, &diags, &failed);
  compile_side(new_setup, new_input, &new_side, &diags, &failed);
  if (!diags.empty() || structured(setup->print.format)) {
    print_diagnostics(diags, setup->print, stderr);
  }
  if (failed) return kExitInvalid;
  return print_diff(old_side, new_side);
}

int DiffCommand::print_diff(const std::vector<ReleaseSide>& old_side,
                            const std::vector<ReleaseSide>& new_side) {
  std::vector<ReleaseDiff> diffs = diff_releases(old_side, new_side);
  std::string text = format_ == "json"       ? diff_json(diffs)
                     : format_ == "mermaid"  ? diff_mermaid(diffs)
                     : format_ == "markdown" ? diff_markdown(diffs)
                                             : diff_text(diffs);
  int rc = finish_stdout(text);
  if (rc != kExitOk) return rc;
  return any_change(diffs) && !exit_zero_ ? kExitFindings : kExitOk;
}

// What the readers cannot read: errors (the segments would be a guess), each once.
void report_unsupported(const std::vector<EvalUnsupported>& unsupported, DiagnosticSink& sink) {
  std::set<std::string> seen;
  for (const EvalUnsupported& u : unsupported) {
    if (!seen.insert(u.loc.str() + u.what).second) continue;
    if (u.affects)
      sink.error(u.loc, "", "meshc diff cannot read this: " + u.what);
    else
      sink.warning(u.loc, "", u.what);
  }
}

bool DiffCommand::read_stream(const CompileSetup& setup, const std::string& input,
                              std::vector<ReleaseSide>* side, std::vector<Diagnostic>* diags) {
  DiagnosticSink sink;
  bool ok = read_manifests(setup, input, side, sink);
  diags->insert(diags->end(), sink.all().begin(), sink.all().end());
  return ok && !run_failed(sink, setup.warnings_as_errors);
}

bool DiffCommand::read_manifests(const CompileSetup& setup, const std::string& input,
                                 std::vector<ReleaseSide>* side, DiagnosticSink& sink) {
  streams_.push_back(read_input(input, setup.limits.max_input_bytes, sink));
  ReadInput& in = streams_.back();
  std::vector<YamlDocument> docs;
  if (in.source && in.complete) docs = load_yaml(*in.source, setup.limits, sink);
  if (sink.has_errors()) return false;
  ManifestSet set;
  std::vector<EvalUnsupported> problems = set.add(docs);
  EvalOptions eo;
  eo.mesh_implementation = opts_.routing.implementation;
  StreamRouting routing = stream_routing(set, eo);
  problems.insert(problems.end(), routing.unsupported.begin(), routing.unsupported.end());
  report_unsupported(problems, sink);
  if (sink.has_errors()) return false;
  *side = manifest_sides(routing);
  return true;
}

int DiffCommand::run_manifests(const CompileSetup& setup) {
  const std::vector<std::string>& in = opts_.inputs;
  std::vector<ReleaseSide> old_side, new_side;
  std::vector<Diagnostic> diags;
  bool ok = read_stream(setup, in[0], &old_side, &diags);
  ok = read_stream(setup, in[1], &new_side, &diags) && ok;
  diags = unique_diagnostics(diags);
  if (!diags.empty() || structured(setup.print.format))
    print_diagnostics(diags, setup.print, stderr);
  if (!ok) return kExitInvalid;
  return print_diff(old_side, new_side);
}

}  // namespace

std::unique_ptr<Command> make_diff_command() {
  return std::make_unique<DiffCommand>();
}

}  // namespace meshc
