// meshc: compiles release specs into the Kubernetes objects of a service mesh.
// This file registers the commands (commands.cpp) and runs the one named; each command's
// options and work are in its own file, what they share in options.h.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "compiler/cli/command.h"
#include "compiler/cli/help_format.h"
#include "compiler/cli/options.h"
#include "compiler/cli/version.h"
#include "compiler/diag/diagnostics.h"
#include "compiler/diag/suggest.h"
#include "compiler/io/output.h"

namespace {

using namespace meshc;

// Every command, never destroyed: the process ends when the command returns (destroying
// them cost a single compile 2.9K instructions). In a global, so leak checkers see them as
// still reachable.
std::vector<std::unique_ptr<Command>>* g_commands = nullptr;
const std::vector<std::unique_ptr<Command>>& kept_commands() {
  g_commands = new std::vector<std::unique_ptr<Command>>(all_commands());
  return *g_commands;
}

// Refilled to the terminal width (help_format.h).
constexpr const char* kDescription =
    "meshc compiles a release spec (the versions of an app, which requests each candidate\n"
    "gets, the weights and a strategy) into Kubernetes objects: the versions' Deployments and\n"
    "Services plus the routing of your mesh (Gateway API HTTPRoute, Istio DestinationRule +\n"
    "VirtualService, SMI TrafficSplit, Linkerd, Consul, Traefik or Contour). Output is\n"
    "validated before it reaches a cluster and identical for the same input.\n";

constexpr const char* kFooter =
    "Examples:\n"
    "  # Compile to stdout\n"
    "  meshc compile examples/canary-gateway-api.yaml\n"
    "\n"
    "  # One file per release in out/\n"
    "  meshc compile spec.yaml --target istio -o out/\n"
    "\n"
    "  # Check every spec, print the errors\n"
    "  meshc validate specs/\n"
    "\n"
    "  # Show what meshc understood\n"
    "  meshc routemap spec.yaml\n"
    "\n"
    "A command's options and examples: meshc help COMMAND (or meshc COMMAND --help).\n"
    "\n"
    "Exit status: 0 success, 1 invalid input (errors on stderr as file:line:col: error: ...),\n"
    "2 usage error. Nothing is written to stdout or files unless the whole run succeeded\n"
    "(compile --keep-going -o DIR/ writes the files of the inputs without errors).\n"
    "Limits and what meshc promises on failure: docs/limits.md.";

// The command word: the first argument that is not an option (meshc's own options, -h and
// -V, take no value), or -1 when there is none.
int command_index(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") return i + 1 < argc ? i + 1 : -1;
    if (arg.empty() || arg[0] != '-') return i;
  }
  return -1;
}

// "unknown command "compil"; did you mean "compile"?", or the list of commands when none is
// close. CLI11 would say only "A subcommand is required".
int unknown_command(const std::string& word, const std::vector<std::string>& names) {
  std::string message = "unknown command " + quote(word);
  std::string close = closest_word(word, names);
  if (!close.empty()) return usage_error(message + "; did you mean " + quote(close) + "?");
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return usage_error(message + "; expected one of " + list);
}

// CLI11's words for an option given more often than it may be ("--output: At Most 1 required
// but received 2") in meshc's; other messages as they are.
std::string parse_error_message(const CLI::ParseError& e) {
  const std::string what = e.what();
  const std::string at_most = ": At Most 1 required but received ";
  const size_t at = what.find(at_most);
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr && at != std::string::npos) {
    const std::string option = what.substr(0, at);
    return option + " was given " + what.substr(at + at_most.size()) +
           " times; it takes one value (give it once)";
  }
  return what;
}

// The name of every command, and `help`, in the order meshc --help lists them.
std::vector<std::string> command_names(const std::vector<std::unique_ptr<Command>>& commands) {
  std::vector<std::string> names;
  for (const auto& command : commands) names.push_back(command->name());
  names.push_back("help");
  return names;
}

// Adds `command` to `app`; its options are added only when CLI11 meets it (command.h).
void add_command(CLI::App& app, Command* command) {
  CLI::App* sub = app.add_subcommand(command->name(), command->summary());
  // Each command's own examples, not meshc's (CLI11 gives a subcommand its parent's footer).
  sub->footer(command->examples());
  sub->preparse_callback([command, sub](std::size_t) { command->add_options(sub); });
}

// Adds each command and `help` to `app`.
void register_commands(CLI::App& app, const std::vector<std::unique_ptr<Command>>& commands,
                       const std::vector<std::string>& names) {
  for (auto& command : commands) add_command(app, command.get());
  // Listed by --help; `meshc help [COMMAND]` is answered below, before CLI11 parses.
  CLI::App* help =
      app.add_subcommand("help", "Print the help of meshc, or of a command: meshc help compile.")
          ->footer("Examples:\n  meshc help compile");
  // Never parsed by CLI11; there for the help text, the completions and the man page.
  help->add_option("command")
      ->description("The command whose help to print.")
      ->check(CLI::IsMember(names));
}

// Whether the arguments before the command word ask for the version (-V, --version, -hV).
bool asks_for_version(int argc, char** argv, int word) {
  for (int i = 1; i < (word > 0 ? word : argc); ++i) {
    std::string arg = argv[i];
    if (arg == "--version" ||
        (arg.size() > 1 && arg[0] == '-' && arg[1] != '-' && arg.find('V') != std::string::npos)) {
      return true;
    }
  }
  return false;
}

// Tells CLI11 about the commands this run needs (adding all sixteen cost a single compile as
// much as parsing it); what it prints is the same either way. Only the command `word` names,
// when no `--` precedes it (CLI11 then looks the word up before it counts a command as parsed)
// and it reads no other's registration; every command otherwise: meshc's help, `meshc help`,
// unknown commands, the completions, the man page and CLI11's errors read them.
void register_needed(CLI::App& app, int argc, char** argv, int word,
                     const std::vector<std::unique_ptr<Command>>& commands,
                     const std::vector<std::string>& names) {
  if (word > 0 && std::string(argv[word - 1]) != "--") {
    for (auto& command : commands) {
      if (command->name() != std::string(argv[word])) continue;
      if (command->needs_every_command()) break;
      return add_command(app, command.get());
    }
  }
  register_commands(app, commands, names);
}

// Before the command only meshc's own options: `meshc --target istio compile` would otherwise
// be "A subcommand is required". An exit code, or -1 when the arguments are fine.
int check_leading_options(int argc, char** argv, int word) {
  for (int i = 1; i < (word > 0 ? word : argc); ++i) {
    std::string arg = argv[i];
    if (arg == "--" || arg.find_first_not_of("hV", 1) == std::string::npos || arg == "--help" ||
        arg == "--version") {
      continue;
    }
    return usage_error("unknown option " + quote(arg) +
                       "; a command's options follow the command: meshc COMMAND " + arg);
  }
  return -1;
}

// `meshc help [COMMAND]`: meshc's help, or `args` turned into `COMMAND --help`. An exit code,
// or -1 when CLI11 is to parse `args`.
int help_arguments(const CLI::App& app, int argc, char** argv, int word,
                   const std::vector<std::string>& names, std::vector<std::string>* args) {
  std::vector<std::string> topics;
  for (int i = word + 1; i < argc; ++i) {
    if (argv[i][0] != '-') topics.push_back(argv[i]);
  }
  if (topics.size() > 1) return usage_error("help takes one command, got " + quote(topics[1]));
  if (topics.empty() || topics[0] == "help") return finish_stdout(app.help());
  if (std::find(names.begin(), names.end(), topics[0]) == names.end()) {
    return unknown_command(topics[0], names);
  }
  *args = {topics[0], "--help"};  // exactly what `meshc COMMAND --help` prints
  return -1;
}

// The command `word` names when its arguments are plain enough for parse_fast (fast_args.h),
// parsed; null when CLI11 is to parse them (and then the command's state is untouched).
// MESHC_CLI11_ONLY=1 turns this off, for the tests that compare the two.
Command* parse_without_cli11(const std::vector<std::unique_ptr<Command>>& commands, int argc,
                             char** argv, int word, const std::vector<std::string>& names) {
  const char* off = std::getenv("MESHC_CLI11_ONLY");
  if (word != 1 || (off && *off)) return nullptr;
  for (auto& command : commands) {
    if (std::strcmp(command->name(), argv[word]) != 0) continue;
    std::vector<FastOption> table = command->fast_options();
    if (table.empty()) return nullptr;
    std::vector<std::string> args(argv + word + 1, argv + argc);
    return parse_fast(table, args, names) ? command.get() : nullptr;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace meshc;
  // A closed pipe is an error we report (exit 1), not a silent death by signal.
  std::signal(SIGPIPE, SIG_IGN);
  init_output_safety();  // before any file is opened (output.h)

  int word = command_index(argc, argv);
  if (int rc = check_leading_options(argc, argv, word); rc >= 0) return rc;
  // -V without a command: what CLI11 prints (App::exit), without building the command line
  // and throwing CallForVersion through it. CLI11 runs -V's callback before it looks at -h,
  // and with no command nothing else can fail.
  if (word < 0 && asks_for_version(argc, argv, word)) {
    std::cout << version_string() << std::endl;
    return kExitOk;
  }

  const std::vector<std::unique_ptr<Command>>& commands = kept_commands();
  std::vector<std::string> names = command_names(commands);
  // The plain `meshc compile spec.yaml --name x`: CLI11's registration of compile's options
  // cost 40% of a small compile.
  if (Command* command = parse_without_cli11(commands, argc, argv, word, names)) {
    return command->run();
  }

  CLI::App app{kDescription, "meshc"};
  // Before the commands are added: they take their parent's formatter.
  app.formatter(std::make_shared<WrappingFormatter>(help_width()));
  app.set_version_flag("-V,--version", version_string());
  app.require_subcommand(1);
  app.footer(kFooter);
  register_needed(app, argc, argv, word, commands, names);
  // Bare `meshc` prints the help and succeeds, as helm and kubectl do.
  if (argc == 1) return finish_stdout(app.help());
  std::vector<std::string> args(argv + 1, argv + argc);
  if (word > 0 && std::find(names.begin(), names.end(), argv[word]) == names.end()) {
    return unknown_command(argv[word], names);
  }
  if (word > 0 && std::string(argv[word]) == "help") {
    if (int rc = help_arguments(app, argc, argv, word, names, &args); rc >= 0) return rc;
  }

  try {
    // CLI11 takes the arguments in reverse order.
    std::reverse(args.begin(), args.end());
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      app.exit(e);  // --help, --version
      return kExitOk;
    }
    return usage_error(parse_error_message(e));
  }
  // The one command parsed (require_subcommand(1)); the others may not be registered.
  for (const CLI::App* sub : app.get_subcommands()) {
    for (auto& command : commands) {
      if (sub->get_name() == command->name()) return command->run();
    }
  }
  return kExitUsage;
}
