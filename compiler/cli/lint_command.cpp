// meshc lint: routing that no request can reach, segments one request can fall into twice,
// and matches a target's precedence reorders, at their spec locations, with rule ids
// (compiler/analysis/lint.h). Exit 0 clean, 1 invalid input, 2 usage, 3 findings.
#include <unistd.h>

#include <map>
#include <set>

#include "compiler/analysis/lint.h"
#include "compiler/cli/command.h"
#include "compiler/cli/frontend.h"

namespace meshc {

namespace {

// Holds the run for the life of the process, as run_frontend does (frontend.cpp).
FrontendRun* g_lint_run = nullptr;

class LintCommand final : public Command {
 public:
  const char* name() const override { return "lint"; }
  const char* summary() const override {
    return "Report unreachable candidates, overlapping segments and reordered matches; exit 3 "
           "on findings.";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # Findings for the target each spec's environment selects\n"
           "  meshc lint specs/\n"
           "\n"
           "  # For every target meshc knows\n"
           "  meshc lint spec.yaml --all-targets\n"
           "\n"
           "  # As GitHub annotations on a pull request, or SARIF for code scanning\n"
           "  meshc lint specs/ --format github\n"
           "  meshc lint specs/ --format sarif > lint.sarif";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, true);
    cmd->add_flag("--all-targets", all_targets_,
                  "Lint for every target at its default API version (not with --target).");
    cmd->add_option("--format", format_,
                    "How findings are printed on stdout: text (file:line:col: warning: ... "
                    "[rule]), json (one array, each with its \"rule\"), github (annotations) or "
                    "sarif (SARIF 2.1.0, ruleId per result).")
        ->check(CLI::IsMember({"text", "json", "github", "sarif"}));
    cmd->add_flag("--exit-zero", exit_zero_,
                  "Exit 0 even when there are findings (input errors still exit 1).");
  }
  int run() override {
    if (all_targets_ && !opts_.target.empty()) {
      return usage_error("--all-targets and --target exclude each other");
    }
    // The routemap stage with no target: the target checks are findings here, not errors.
    std::string target = opts_.target;
    opts_.target.clear();
    std::optional<TargetChoice> choice;
    if (!target.empty()) {
      std::string err;
      choice = parse_target(target, &err);
      if (!choice) return usage_error(err);
    }
    // Every step of a schedule is linted, as validate checks every step.
    opts_.every_step = true;
    FrontendRun* run = nullptr;
    // Warnings of the lowering that carry a rule are findings: printed with them, on stdout.
    int rc = run_frontend_quiet(run);
    if (rc >= 0) return rc;
    DiagnosticSink findings;
    for (const Diagnostic& d : run->driver->sink().all()) {
      if (!d.rule.empty()) findings.add(d);
    }
    lint_releases(*run, choice, findings);
    return print_findings(findings);
  }

 private:
  // run_frontend, but the diagnostics that are findings are left for stdout: the others go
  // to stderr as usual.
  int run_frontend_quiet(FrontendRun*& run);
  // Adds the findings of each release's routemap, and of the targets it is linted for.
  void lint_releases(const FrontendRun& run, const std::optional<TargetChoice>& choice,
                     DiagnosticSink& findings) const;
  // Prints the findings on stdout in --format; the exit code.
  int print_findings(const DiagnosticSink& findings);

  CompileOptions opts_;
  bool all_targets_ = false;
  bool exit_zero_ = false;
  std::string format_ = "text";
};

void LintCommand::lint_releases(const FrontendRun& run, const std::optional<TargetChoice>& choice,
                                DiagnosticSink& findings) const {
  // The versions each release (its routemap's location: one per document, whatever the
  // step) serves in some step.
  std::map<std::string, std::set<std::string>> served;
  for (const CompiledRelease& r : run.releases) {
    served[r.routemap.loc.str()].merge(versions_served(r.routemap));
  }
  for (const CompiledRelease& r : run.releases) {
    lint_routemap(r.routemap, findings, served[r.routemap.loc.str()]);
    std::vector<TargetChoice> targets;
    if (choice) {
      targets.push_back(*choice);
    } else if (all_targets_) {
      for (const Target* t : all_targets()) {
        targets.push_back({t, t->info().api_versions.front().name});
      }
    } else if (const Target* t = find_target_for_environment(r.routemap.environment)) {
      targets.push_back({t, t->info().api_versions.front().name});
    }
    for (const TargetChoice& t : targets) lint_target(r.routemap, t, findings);
  }
}

// Prints the findings on stdout, each once (a finding several schedule steps share, once).
int LintCommand::print_findings(const DiagnosticSink& findings) {
  PrintOptions p = print_options(opts_);
  p.format = format_ == "json"     ? DiagnosticFormat::kJson
             : format_ == "github" ? DiagnosticFormat::kGithub
             : format_ == "sarif"  ? DiagnosticFormat::kSarif
                                   : DiagnosticFormat::kText;
  p.color = false;
  p.show_source = false;
  p.show_rules = true;
  p.max_shown = 0;
  std::vector<Diagnostic> unique = unique_diagnostics(findings.all());
  fflush(stdout);
  if (!unique.empty() || structured(p.format)) print_diagnostics(unique, p, stdout);
  if (fflush(stdout) != 0) return kExitInvalid;
  return unique.empty() || exit_zero_ ? kExitOk : kExitFindings;
}

int LintCommand::run_frontend_quiet(FrontendRun*& run) {
  int exit_code = kExitOk;
  std::optional<CompileSetup> setup = resolve_options(opts_, &exit_code);
  if (!setup) return exit_code;
  std::vector<std::string> inputs = opts_.inputs;
  if (inputs.empty()) {
    if (isatty(STDIN_FILENO)) return usage_error("no input files (give files, or - for stdin)");
    inputs.push_back("-");
  }
  run = g_lint_run = new FrontendRun();
  run->driver = setup->make_driver();
  for (const auto& in : inputs) run->driver->add_input(in);
  run->releases = run->driver->run(Driver::Stage::kRoutemap);
  std::vector<Diagnostic> others;
  bool failed = false;
  for (const Diagnostic& d : run->driver->sink().all()) {
    if (!d.rule.empty() && d.severity != Severity::kError) continue;
    failed = failed || counts_as_failure(d, setup->warnings_as_errors);
    others.push_back(d);
  }
  if (!others.empty() || structured(setup->print.format)) {
    print_diagnostics(others, setup->print, stderr);
  }
  return failed ? kExitInvalid : -1;
}

}  // namespace

std::unique_ptr<Command> make_lint_command() {
  return std::make_unique<LintCommand>();
}

}  // namespace meshc
