// A subcommand of meshc: registered by main.cpp, which parses the command line and runs the
// one the user named.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <vector>

#include "compiler/cli/fast_args.h"

namespace meshc {

class Command {
 public:
  virtual ~Command() = default;
  virtual const char* name() const = 0;
  virtual const char* summary() const = 0;  // one line, for meshc --help
  // The footer of `meshc COMMAND --help`: its examples, one per line ("" for none).
  virtual const char* examples() const = 0;
  // Registers the command's options and arguments on `cmd`. Called only when CLI11 meets the
  // command on the command line (or prints its help): registering every option of every
  // command up front cost a sixth of a single compile.
  virtual void add_options(CLI::App* cmd) = 0;
  // The options add_options registers, for parse_fast (fast_args.h): main.cpp tries it before
  // CLI11 on the plain command lines. Empty (the default): CLI11 always parses.
  virtual std::vector<FastOption> fast_options() { return {}; }
  // Runs the command after a successful parse; returns the exit status (options.h).
  virtual int run() = 0;
  // Whether the command reads the other commands' CLI11 registration (the completions and
  // the man page are generated from it). main.cpp registers only the command named on the
  // command line otherwise: adding every subcommand cost as much as parsing.
  virtual bool needs_every_command() const { return false; }
};

// Every command, in the order meshc --help lists them (compiler/cli/*_command.cpp).
std::vector<std::unique_ptr<Command>> all_commands();

std::unique_ptr<Command> make_compile_command();
std::unique_ptr<Command> make_validate_command();
std::unique_ptr<Command> make_routemap_command();
std::unique_ptr<Command> make_plan_command();
std::unique_ptr<Command> make_explain_command();
std::unique_ptr<Command> make_post_render_command();
std::unique_ptr<Command> make_krm_command();
std::unique_ptr<Command> make_lint_command();
std::unique_ptr<Command> make_diff_command();
std::unique_ptr<Command> make_promote_command();
std::unique_ptr<Command> make_targets_command();
std::unique_ptr<Command> make_schema_command();
std::unique_ptr<Command> make_version_command();
std::unique_ptr<Command> make_completion_command();
std::unique_ptr<Command> make_man_command();

}  // namespace meshc
