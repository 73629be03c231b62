// meshc promote: move a release's schedule to its next step (or another one), or finish the
// rollout, by editing the spec file in place (compiler/edit/promote.h).
#include <cstdio>

#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "compiler/edit/promote.h"
#include "compiler/io/output.h"
#include "compiler/io/replace_file.h"
#include "compiler/yaml/yaml_loader.h"

namespace meshc {

namespace {

// The releases of one file, through the driver's checks (schema, lowering, target).
// A file of one document is always compiled (so a broken spec is reported); in a file of
// several, documents that are clearly something else (a ConfigMap next to a Release) are left
// alone.
std::vector<PromoteRelease> releases_of(Driver& driver, const SourceFile& src,
                                        const Limits& limits) {
  std::vector<PromoteRelease> out;
  auto docs = load_yaml(src, limits, driver.sink());
  size_t non_null = 0;
  for (const auto& d : docs) non_null += d.root->is_null() ? 0 : 1;
  // The trees must outlive the releases that point into them: the run ends with the process.
  static std::vector<std::vector<YamlDocument>> keep;
  keep.push_back(docs);
  for (const auto& d : keep.back()) {
    const YNode& doc = *d.root;
    if (doc.is_null()) continue;
    if (non_null > 1 && !why_not_a_release(doc).empty()) continue;
    DiagnosticSink scratch;
    auto in = classify_document(doc, scratch);
    auto cr = driver.compile_document(doc, Driver::Stage::kValidate);
    if (in && cr) out.push_back(PromoteRelease{*in, std::move(cr->routemap)});
  }
  if (docs.empty() && !driver.sink().has_errors())
    driver.sink().error(Location{&src, 0, 0}, "", "no release in this file");
  return out;
}

// Whether the edited file is still a valid spec and, when the release is finished, sends
// everything to its primary, as the last step sent everything to the candidate. Says why not
// on stderr.
bool edit_is_sound(const CompileSetup& setup, const std::string& path, const PromoteResult& plan) {
  auto check = setup.make_driver();
  const SourceFile& edited = check->add_source(path + " (as edited)", plan.text);
  auto after = releases_of(*check, edited, setup.limits);
  std::string why;
  if (!check->sink().has_errors() && plan.finished) {
    if (plan.release < after.size())
      why = routing_not_all_to(after[plan.release].routemap, 0);
    else
      why = "the release is gone";
  }
  if (check->sink().has_errors() || !why.empty()) {
    print_diagnostics(check->sink().all(), setup.print, stderr);
    std::fprintf(stderr, "meshc: error: %s: refusing to write an edit that %s (nothing written)\n",
                 path.c_str(),
                 why.empty() ? "does not validate" : ("routes otherwise: " + why).c_str());
    return false;
  }
  return true;
}

class PromoteCommand final : public Command {
 public:
  const char* name() const override { return "promote"; }
  const char* summary() const override {
    return "Move a release's schedule to its next step, or finish the rollout (edits FILE).";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # Next step of application.schedule (at the last step: finish)\n"
           "  meshc promote spec.yaml\n"
           "\n"
           "  # A given step, or the one before\n"
           "  meshc promote spec.yaml --to fifty\n"
           "  meshc promote spec.yaml --back\n"
           "\n"
           "  # One Release of a multi-document file; show the result, write nothing\n"
           "  meshc promote releases.yaml --release cart --dry-run\n"
           "\n"
           "  # Make the candidate the primary and drop the schedule\n"
           "  meshc promote spec.yaml --finish --candidate httpbin-2";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, false);
    cmd->add_option("FILE", opts_.inputs, "The release spec file to edit in place")
        ->required()
        ->expected(1);
    cmd->add_option("--release", req_.release,
                    "The release to promote, by metadata.name (needed when FILE has several)")
        ->check(kNonEmpty);
    auto* to =
        cmd->add_option("--to", req_.to, "Go to this step (index or name)")->check(kNonEmpty);
    auto* back = cmd->add_flag("--back", req_.back, "Go back to the step before the current one");
    auto* fin = cmd->add_flag("--finish", req_.finish,
                              "Finish the rollout: the candidate becomes the primary; the "
                              "candidate and the schedule are removed");
    to->excludes(back)->excludes(fin);
    back->excludes(fin);
    cmd->add_option("--candidate", req_.candidate,
                    "When finishing with several candidates: the one that becomes the primary")
        ->check(kNonEmpty);
    cmd->add_flag("--dry-run", dry_run_, "Print the edited file on stdout and leave FILE as it is");
  }
  int run() override;

 private:
  CompileOptions opts_;
  PromoteRequest req_;
  bool dry_run_ = false;
};

int PromoteCommand::run() {
  if (opts_.inputs.size() != 1) return usage_error("promote edits exactly one FILE");
  const std::string& path = opts_.inputs[0];
  if (path == "-") return usage_error("promote edits a file in place; it cannot read stdin");
  int rc = kExitOk;
  auto setup = resolve_options(opts_, &rc);
  if (!setup) return rc;

  FileSnapshot snap;
  std::string err;
  if (!snapshot_file(path, &snap, &err)) {
    std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
    return kExitInvalid;
  }
  auto driver = setup->make_driver();
  const SourceFile& src = driver->add_source(path, snap.text);
  auto releases = releases_of(*driver, src, setup->limits);
  DiagnosticSink& sink = driver->sink();
  std::optional<PromoteResult> plan;
  if (!run_failed(sink, setup->warnings_as_errors))
    plan = plan_promote(src, releases, req_, setup->defaults, sink);
  if (!plan || run_failed(sink, setup->warnings_as_errors)) {
    print_diagnostics(sink.all(), setup->print, stderr);
    return kExitInvalid;
  }

  // Warnings of the file as read (e.g. a weight the strategy does not use) are shown too.
  if (!sink.all().empty()) print_diagnostics(sink.all(), setup->print, stderr);

  if (plan->changed && !edit_is_sound(*setup, path, *plan)) return kExitInvalid;

  if (dry_run_) {
    std::fprintf(stderr, "%s (dry run: %s not written)\n", plan->summary.c_str(), path.c_str());
    return finish_stdout(plan->text);
  }
  if (plan->changed && !replace_file_if_unchanged(snap, plan->text, &err)) {
    std::fprintf(stderr, "meshc: error: %s\n", err.c_str());
    return kExitInvalid;
  }
  std::fprintf(stderr, "%s\n", plan->summary.c_str());
  return kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_promote_command() {
  return std::make_unique<PromoteCommand>();
}

}  // namespace meshc
