// meshc version: the version, the git commit and the build type (the same as --version).
#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "compiler/cli/version.h"

namespace meshc {

namespace {

class VersionCommand final : public Command {
 public:
  const char* name() const override { return "version"; }
  const char* summary() const override {
    return "Print meshc's version, the git commit and the build type (as --version).";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # meshc 0.1.0 (commit abc1234, RelWithDebInfo)\n"
           "  meshc version";
  }
  void add_options(CLI::App* cmd) override {}
  int run() override { return finish_stdout(version_string() + "\n"); }
};

}  // namespace

std::unique_ptr<Command> make_version_command() {
  return std::make_unique<VersionCommand>();
}

}  // namespace meshc
