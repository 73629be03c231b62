// meshc targets: the registry, for people and for scripts.
#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "targets/target.h"

namespace meshc {

namespace {

class TargetsCommand final : public Command {
 public:
  const char* name() const override { return "targets"; }
  const char* summary() const override { return "List the targets and their API versions."; }
  void add_options(CLI::App* cmd) override {
    cmd->add_option("--format", format_,
                    "text (name, API versions, description), names (one target name per line), "
                    "versions (one name@version per line, defaults first) or environments "
                    "(one environment<TAB>target per line).")
        ->check(CLI::IsMember({"text", "names", "versions", "environments"}));
  }
  int run() override {
    std::string text;
    for (const Target* t : all_targets()) {
      const TargetInfo& info = t->info();
      if (format_ == "names") {
        text += info.name + "\n";
      } else if (format_ == "versions") {
        for (const ApiVersion& v : info.api_versions) text += info.name + "@" + v.name + "\n";
      } else if (format_ == "environments") {
        text += info.environment + "\t" + info.name + "\n";
      } else {
        text += info.name + "\t";
        for (size_t i = 0; i < info.api_versions.size(); ++i) {
          text += (i ? ", " : "") + info.api_versions[i].name + (i == 0 ? " (default)" : "");
        }
        text += "\t" + info.description + "\n";
      }
    }
    return finish_stdout(text);
  }

 private:
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Command> make_targets_command() {
  return std::make_unique<TargetsCommand>();
}

}  // namespace meshc
