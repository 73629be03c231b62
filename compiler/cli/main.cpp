// meshc: compiles release specs into the Kubernetes objects of a service mesh.
// This file registers the commands (commands.cpp) and runs the one named; each command's
// options and work are in its own file, what they share in options.h.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "compiler/io/output.h"

namespace {

constexpr const char* kDescription =
    "meshc compiles a release spec (the versions of an app, which requests each candidate "
    "gets, the weights and a strategy) into Kubernetes objects: the versions' Deployments "
    "and Services plus the routing of your mesh (Gateway API HTTPRoute, Istio "
    "DestinationRule + VirtualService, or SMI TrafficSplit). Output is validated before it "
    "reaches a cluster and identical for the same input.";

constexpr const char* kFooter =
    "Examples:\n"
    "  meshc compile examples/canary-gateway-api.yaml       compile to stdout\n"
    "  meshc compile spec.yaml --target istio -o out/        one file per release in out/\n"
    "  meshc validate specs/                                 check every spec, print errors\n"
    "  meshc routemap spec.yaml                              show what meshc understood\n"
    "\n"
    "Exit status: 0 success, 1 invalid input (errors on stderr as file:line:col: error: ...),\n"
    "2 usage error. Nothing is written to stdout or files unless the whole run succeeded\n"
    "(compile --keep-going -o DIR/ writes the files of the inputs without errors).\n"
    "Limits and what meshc promises on failure: docs/limits.md.";

}  // namespace

int main(int argc, char** argv) {
  using namespace meshc;
  // A closed pipe is an error we report (exit 1), not a silent death by signal.
  std::signal(SIGPIPE, SIG_IGN);
  init_output_safety();  // before any file is opened (output.h)

  CLI::App app{kDescription, "meshc"};
  app.set_version_flag("-V,--version", std::string("meshc ") + MESHC_VERSION);
  app.require_subcommand(1);
  app.footer(kFooter);
  std::vector<std::unique_ptr<Command>> commands = all_commands();
  for (auto& command : commands) {
    CLI::App* sub = app.add_subcommand(command->name(), command->summary());
    Command* c = command.get();
    sub->preparse_callback([c, sub](std::size_t) { c->add_options(sub); });
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      app.exit(e);  // --help, --version
      return kExitOk;
    }
    return usage_error(e.what());
  }
  for (auto& command : commands) {
    if (app.got_subcommand(command->name())) return command->run();
  }
  return kExitUsage;
}
