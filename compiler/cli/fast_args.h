// The plain command lines of compile, validate and routemap parsed without CLI11: registering
// compile's options with CLI11 cost 40% of a small compile (issue 15). Anything beyond the
// plain forms is left to CLI11, which then parses as if this did not exist.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace meshc {

// Where an option's value goes: a flag's bool, a value, a repeatable value (--exclude, the
// positional files), a size.
using FastTarget = std::variant<bool*, std::string*, std::vector<std::string>*, size_t*>;

// One option of a command as CLI11 registers it (options.cpp next to each add_option; the
// unit test fast_args_test.cpp fails when the two disagree).
struct FastOption {
  const char* names;  // as CLI11 spells them: "-t,--target", "--name"; "" = the positionals
  FastTarget target;
  // CLI::IsMember's values (options.cpp's lists, kept for the process); null = any non-empty
  // value. A pointer, not a copy: the table is built on every run.
  const std::vector<std::string>* members = nullptr;
  const char* excludes = "";  // the long name of the option CLI11 says it excludes
};

// Parses `args` (the arguments after the command word) into the targets of `table` when each
// is a plain form: a known --long or -s option followed by its value, --long=VALUE, a known
// flag, a positional; each value non-empty, not starting with '-', in `members` when given,
// digits for a size; single options and flags at most once; no pair CLI11 excludes; no
// argument equal to one of `reserved` (the command names). Returns false without touching
// any target otherwise (then CLI11 parses, and reports what is wrong).
bool parse_fast(const std::vector<FastOption>& table, const std::vector<std::string>& args,
                const std::vector<std::string>& reserved);

}  // namespace meshc
