// meshc krm: a KRM function for kpt and kustomize (ResourceList on stdin and stdout).
#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "compiler/integrations/krm.h"
#include "compiler/io/input.h"
#include "compiler/io/output.h"

namespace meshc {

namespace {

class KrmCommand final : public Command {
 public:
  const char* name() const override { return "krm"; }
  const char* summary() const override {
    return "KRM function (kustomize, kpt): read a ResourceList on stdin, replace every Release "
           "item (and compile a Release functionConfig) by its objects, write the ResourceList "
           "with results.";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # kpt: the objects of the Releases below releases/\n"
           "  kpt fn eval releases/ --exec \"meshc krm\" -o unwrap > manifests.yaml\n"
           "\n"
           "  # Options as function arguments\n"
           "  kpt fn eval releases/ --exec \"meshc krm\" -o unwrap -- target=istio\n"
           "\n"
           "  # kustomize: a Release as an exec generator (README.md)\n"
           "  kustomize build --enable-alpha-plugins --enable-exec .";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, false);
    add_step_option(cmd, opts_);
    add_check_against(cmd, opts_);
  }
  int run() override;

 private:
  CompileOptions opts_;
};

// Exit status 0 or 1, and a ResourceList on stdout either way (krm.h); 2 for usage errors,
// with nothing on stdout.
int KrmCommand::run() {
  int exit_code = kExitOk;
  std::optional<CompileSetup> setup = resolve_options(opts_, &exit_code);
  if (!setup) return exit_code;
  // The function compiles with a driver of its own (the ResourceList may set options); this
  // one holds the input and the diagnostics.
  std::unique_ptr<Driver> owner = setup->make_driver();
  DiagnosticSink& sink = owner->sink();
  ReadInput in = read_input("-", setup->limits.max_input_bytes, sink);
  const SourceFile& input = in.source && in.complete ? owner->add_source(std::move(in.source))
                                                     : owner->add_source("<stdin>", "");
  KrmSettings settings;
  settings.limits = setup->limits;
  settings.defaults = setup->defaults;
  settings.target = opts_.target;
  settings.warnings_as_errors = setup->warnings_as_errors;
  std::shared_ptr<const CrdSet> crds = setup->crds;
  settings.configure = [crds](Driver& d) {
    if (crds) d.set_crd_check(crds);
  };
  bool fn_failed = false;
  std::string out = run_krm_function(input, settings, sink, &fn_failed);
  if (!sink.all().empty() || structured(setup->print.format))
    print_diagnostics(sink.all(), setup->print, stderr);
  bool written = write_stdout_or_report(out);
  return fn_failed || !written ? kExitInvalid : kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_krm_command() {
  return std::make_unique<KrmCommand>();
}

}  // namespace meshc
