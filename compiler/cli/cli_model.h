// meshc's command line as data, read from the CLI11 app main.cpp builds: what the shell
// completions and the man page (`meshc completion`, `meshc man`) are generated from, so that
// a command registered in commands.cpp appears in them with its options, with no list to edit.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "compiler/cli/command.h"

namespace meshc {

// What a shell offers for an option's value (or a command's arguments).
enum class ValueKind {
  kNone,    // free text: nothing to offer
  kChoice,  // one of `choices`
  kFile,    // a path
  kDir,     // a directory
};

struct CliOption {
  std::vector<std::string> names;  // "-t", "--target" (none for a command's arguments)
  std::string value_name;          // "TEXT", "DIR"; "" for a flag
  ValueKind kind = ValueKind::kNone;
  std::vector<std::string> choices;  // kChoice
  std::string description;
  bool repeatable = false;
};

struct CliCommand {
  std::string name;
  std::string summary;
  std::string usage;     // "meshc compile [OPTIONS] [files...]"
  std::string examples;  // its --help footer
  std::vector<CliOption> options;
  bool has_arguments = false;
  CliOption arguments;  // the positional arguments, when has_arguments
};

struct CliModel {
  std::string description;           // meshc --help's
  std::string footer;                // meshc --help's examples and notes
  std::vector<CliOption> options;    // meshc's own (-h, -V)
  std::vector<CliCommand> commands;  // in the order of meshc --help
};

// The model of the app that `running` (the subcommand being run) belongs to. main.cpp
// registers a command's options only when that command is parsed, so the others' are
// registered here, on fresh instances of the commands.
CliModel cli_model(CLI::App* running);

}  // namespace meshc
