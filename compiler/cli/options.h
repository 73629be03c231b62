// What every command shares: its options, their validation, the exit codes and the verdict.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/cli/fast_args.h"
#include "compiler/diag/diagnostics.h"
#include "compiler/driver/driver.h"
#include "compiler/yaml/limits.h"

namespace meshc {

class CrdSet;

// Exit status of every command: 0 success, 1 invalid input (diagnostics on stderr, nothing on
// stdout), 2 usage error (an unknown option or value, a bad --target/--name/--namespace),
// 3 findings (lint) or differences (diff).
constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;
// The run worked and found something a CI job should stop on: `meshc lint` findings, `meshc
// diff` differences.
constexpr int kExitFindings = 3;

// Prints "meshc: error: <message>" and the hint to run --help; returns kExitUsage.
int usage_error(const std::string& message);

// The options of the commands that compile specs (compile, validate, routemap, post-render,
// krm). Which of them a command offers is decided when it registers them.
struct CompileOptions {
  std::vector<std::string> inputs;   // files, directories, "-"
  std::vector<std::string> exclude;  // --exclude GLOB: left out of directory walks
  bool verbose = false;              // -v: say what directory walks left out
  bool quiet = false;                // -q: print errors only
  std::string target;                // --target, "" = each spec's environment decides
  std::string name;                  // --name: default application name
  std::string namespace_;            // --namespace: default namespace
  std::string diagnostics_format = "text";
  std::string caret = "auto";
  std::string color = "auto";
  bool warnings_as_errors = false;
  Limits limits;
  RoutingOverrides routing;   // --implementation, --gateway-implementation, --app-version-header
  std::string check_against;  // --check-against DIR, "" = no CRD check
  std::string step;           // --step N|NAME, "" = each schedule's current step
  bool every_step = false;    // compile every step of each schedule (--all-steps, validate)
  size_t jobs = 0;            // -j/--jobs (compile, validate): threads, 0 = every CPU available
};

// Registers the options on `cmd`: the input files (unless `with_inputs` is false: post-render
// and krm read stdin), --target and the routing options that override spec fields
// (--implementation, --gateway-implementation, --app-version-header), --name, --namespace,
// the diagnostics options and --max-input-bytes.
void add_compile_options(CLI::App* cmd, CompileOptions& o, bool with_inputs);
// Registers --step N|NAME.
void add_step_option(CLI::App* cmd, CompileOptions& o);
// Registers --check-against DIR.
void add_check_against(CLI::App* cmd, CompileOptions& o);
// Registers -j/--jobs N.
void add_jobs_option(CLI::App* cmd, CompileOptions& o);

// The same options as the table parse_fast reads (fast_args.h): the targets, and what CLI11
// checks besides a non-empty value. Appended to `t`, in the order of registration.
void add_fast_compile_options(std::vector<FastOption>* t, CompileOptions& o, bool with_inputs);
void add_fast_step_option(std::vector<FastOption>* t, CompileOptions& o);
void add_fast_check_against(std::vector<FastOption>* t, CompileOptions& o);
void add_fast_jobs_option(std::vector<FastOption>* t, CompileOptions& o);

// An option given an empty value (-o '', --target "") is a usage error, not the option's
// default: an empty variable in a script must not turn `-o "$OUT"` into stdout.
extern const CLI::Validator kNonEmpty;

// How diagnostics are printed (--diagnostics-format, --caret, stderr being a terminal).
PrintOptions print_options(const CompileOptions& o);

// The options checked and turned into what a driver needs.
struct CompileSetup {
  std::optional<TargetChoice> target;
  ReleaseDefaults defaults;
  std::shared_ptr<const CrdSet> crds;  // --check-against, or null
  Limits limits;
  PrintOptions print;
  bool warnings_as_errors = false;
  WalkOptions walk;
  bool verbose = false;
  bool every_step = false;

  // A driver configured with these settings.
  std::unique_ptr<Driver> make_driver() const;
};

// Checks --target, --name, --namespace and --check-against, and loads the CRDs. Returns
// nullopt after printing what is wrong, with the exit status to use in `exit_code` (2 for a
// usage error, 1 when a CRD file is invalid).
std::optional<CompileSetup> resolve_options(const CompileOptions& o, int* exit_code);

// The verdict of a run: failed when `sink` holds an error, or a warning with
// --warnings-as-errors.
bool run_failed(const DiagnosticSink& sink, bool warnings_as_errors);
bool counts_as_failure(const Diagnostic& d, bool warnings_as_errors);

// Writes `text` to stdout (output.h); kExitOk, or kExitInvalid when it could not.
int finish_stdout(const std::string& text);

}  // namespace meshc
