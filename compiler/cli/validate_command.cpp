// meshc validate: everything compile checks, without emitting.
#include "compiler/cli/command.h"
#include "compiler/cli/frontend.h"

namespace meshc {

namespace {

class ValidateCommand final : public Command {
 public:
  const char* name() const override { return "validate"; }
  const char* summary() const override {
    return "Check release specs (schema and semantics) without emitting; exit 0 or 1.";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # Check every spec below specs/\n"
           "  meshc validate specs/\n"
           "\n"
           "  # Also check what --target smi can express\n"
           "  meshc validate spec.yaml --target smi\n"
           "\n"
           "  # Every step of a schedule is checked, each failing step's errors noted\n"
           "  meshc validate examples/weighted-ramp-schedule.yaml\n"
           "\n"
           "  # Errors as JSON, for tools\n"
           "  meshc validate specs/ --diagnostics-format json";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, true);
    add_check_against(cmd, opts_);
    add_jobs_option(cmd, opts_);
  }
  std::vector<FastOption> fast_options() override {
    std::vector<FastOption> t;
    add_fast_compile_options(&t, opts_, true);
    add_fast_check_against(&t, opts_);
    add_fast_jobs_option(&t, opts_);
    return t;
  }
  int run() override {
    // Every step of a schedule is checked: a step a later PR promotes to must compile too.
    opts_.every_step = true;
    FrontendRun* run = nullptr;
    int rc = run_frontend(opts_, Driver::Stage::kValidate, false, run);
    return rc >= 0 ? rc : kExitOk;
  }

 private:
  CompileOptions opts_;
};

}  // namespace

std::unique_ptr<Command> make_validate_command() {
  return std::make_unique<ValidateCommand>();
}

}  // namespace meshc
