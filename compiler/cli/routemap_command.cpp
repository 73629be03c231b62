// meshc routemap: the mesh-neutral routing meshc understood, as YAML.
#include "compiler/cli/command.h"
#include "compiler/cli/frontend.h"
#include "compiler/ir/routemap_print.h"
#include "compiler/yaml/yaml_writer.h"

namespace meshc {

namespace {

class RoutemapCommand final : public Command {
 public:
  const char* name() const override { return "routemap"; }
  const char* summary() const override {
    return "Print the routemap, meshc's mesh-neutral reading of each spec, as YAML.";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # What meshc understood of a spec\n"
           "  meshc routemap spec.yaml\n"
           "\n"
           "  # The same, from stdin\n"
           "  cat spec.yaml | meshc routemap";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, true);
    add_step_option(cmd, opts_);
  }
  std::vector<FastOption> fast_options() override {
    std::vector<FastOption> t;
    add_fast_compile_options(&t, opts_, true);
    add_fast_step_option(&t, opts_);
    return t;
  }
  int run() override {
    FrontendRun* run = nullptr;
    int rc = run_frontend(opts_, Driver::Stage::kRoutemap, false, run);
    if (rc >= 0) return rc;
    std::string text;
    for (const auto& r : run->releases) {
      // The target the spec's environment selects (not --target's): what the spec says.
      const Target* env = find_target_for_environment(r.routemap.environment);
      write_yaml_document(routemap_to_object(r.routemap, env ? env->info().name : ""), text);
    }
    return finish_stdout(text);
  }

 private:
  CompileOptions opts_;
};

}  // namespace

std::unique_ptr<Command> make_routemap_command() {
  return std::make_unique<RoutemapCommand>();
}

}  // namespace meshc
