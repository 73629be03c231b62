#include "compiler/cli/options.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "compiler/io/output.h"
#include "compiler/k8s/names.h"
#include "compiler/verify/crd_check.h"
#include "targets/target.h"

namespace meshc {

int usage_error(const std::string& message) {
  std::fprintf(stderr, "meshc: error: %s\nRun 'meshc --help' for usage.\n", message.c_str());
  return kExitUsage;
}

const CLI::Validator kNonEmpty(
    [](std::string& value) {
      return value.empty() ? std::string("expected a value, got an empty string") : std::string();
    },
    "", "NONEMPTY");

namespace {

// The values of the options CLI11 checks with IsMember, shared with the fast path's table;
// built when first used (as globals they cost every run, --version too, 2,500 instructions).
const std::vector<std::string>& bool_values() {
  static const std::vector<std::string> values{"true", "false"};
  return values;
}
const std::vector<std::string>& format_values() {
  static const std::vector<std::string> values{"text", "json", "github", "sarif"};
  return values;
}
const std::vector<std::string>& auto_values() {
  static const std::vector<std::string> values{"auto", "always", "never"};
  return values;
}

// The inputs: files, directories, what directories leave out.
void add_input_options(CLI::App* cmd, CompileOptions& o) {
  cmd->add_option("files", o.inputs,
                  "Release spec files (Iter8 values or kind: Release documents), directories "
                  "(every *.yaml/*.yml below them), or - for stdin. Default: stdin when it is "
                  "not a terminal.");
  cmd->add_option("--exclude", o.exclude,
                  "Leave out of directory inputs the files and directories whose path below "
                  "the directory, or whose name, matches this shell glob (repeatable). Hidden "
                  "entries (.name) are always left out; files named as arguments never are.")
      ->type_name("GLOB")
      ->allow_extra_args(false)
      ->check(kNonEmpty);
  cmd->add_flag("-v,--verbose", o.verbose,
                "Say (as notes on stderr) what directory inputs left out: hidden and excluded "
                "entries, empty files, and documents that are clearly not releases; with -o, "
                "each file written, left unchanged or deleted.");
}

// What to emit and for which mesh, and the defaults of the spec's names.
void add_routing_options(CLI::App* cmd, CompileOptions& o) {
  cmd->add_option(
         "-t,--target", o.target,
         "Mesh API to emit: " + target_synopsis() + ". Default: chosen by each spec's environment.")
      ->check(kNonEmpty);
  cmd->add_option("--implementation", o.routing.implementation,
                  "gateway-api: the Gateway API implementation serving the routes, as its "
                  "conformance report names it (organization/project) or its alias "
                  "(meshc targets --implementations); every feature the routes use is checked "
                  "against it. Overrides the spec's implementation.")
      ->type_name("NAME")
      ->check(kNonEmpty);
  cmd->add_option("--gateway-implementation", o.routing.gateway_implementation,
                  "gateway-api: the implementation of the ingress gateway (the spec's gateway), "
                  "when it is not --implementation. Overrides the spec's gatewayImplementation.")
      ->type_name("NAME")
      ->check(kNonEmpty);
  cmd->add_option("--app-version-header", o.routing.app_version_header,
                  "true: every response carries app-version: <version> (an error where the "
                  "target cannot set it); false: never. Default: wherever the target can. "
                  "Overrides the spec's appVersionHeader.")
      ->check(CLI::IsMember(bool_values()));
  cmd->add_option("--name", o.name,
                  "Default application name when the spec gives none (Helm's release name).")
      ->check(kNonEmpty);
  cmd->add_option("-n,--namespace", o.namespace_,
                  "Default namespace when the spec gives none (Helm's release namespace); "
                  "otherwise \"default\".")
      ->check(kNonEmpty);
}

// How diagnostics are printed, and the limits.
void add_diagnostic_options(CLI::App* cmd, CompileOptions& o) {
  cmd->add_option("--diagnostics-format", o.diagnostics_format,
                  "How errors are printed on stderr: text (file:line:col: error: ...), json (one "
                  "array, [] when there is nothing), github (GitHub Actions annotations, shown "
                  "inline on the pull request) or sarif (SARIF 2.1.0 for code scanning).")
      ->check(CLI::IsMember(format_values()));
  cmd->add_option("--color", o.color,
                  "Colour in text diagnostics: auto (when stderr is a terminal and NO_COLOR is "
                  "not set), always, never.")
      ->check(CLI::IsMember(auto_values()));
  cmd->add_option("--caret", o.caret,
                  "Show the source line and a caret under each error: auto (when stderr is a "
                  "terminal), always, never.")
      ->check(CLI::IsMember(auto_values()));
  cmd->add_flag("--warnings-as-errors", o.warnings_as_errors,
                "Fail (exit 1) when there are warnings.");
  CLI::Option* quiet = cmd->add_flag(
      "-q,--quiet", o.quiet,
      "Print errors only: no warnings or notes (with --warnings-as-errors, warnings are errors "
      "and printed). The exit status is the same.");
  if (CLI::Option* verbose = cmd->get_option_no_throw("--verbose")) quiet->excludes(verbose);
  cmd->add_option("--max-input-bytes", o.limits.max_input_bytes,
                  "Largest input file or stdin stream accepted (default 64 MiB).");
}

}  // namespace

void add_fast_compile_options(std::vector<FastOption>* t, CompileOptions& o, bool with_inputs) {
  // In the order of add_input_options, add_routing_options and add_diagnostic_options.
  if (with_inputs) {
    t->insert(t->end(), {{"", &o.inputs}, {"--exclude", &o.exclude}, {"-v,--verbose", &o.verbose}});
  }
  t->insert(t->end(), {{"-t,--target", &o.target},
                       {"--implementation", &o.routing.implementation},
                       {"--gateway-implementation", &o.routing.gateway_implementation},
                       {"--app-version-header", &o.routing.app_version_header, &bool_values()},
                       {"--name", &o.name},
                       {"-n,--namespace", &o.namespace_},
                       {"--diagnostics-format", &o.diagnostics_format, &format_values()},
                       {"--color", &o.color, &auto_values()},
                       {"--caret", &o.caret, &auto_values()},
                       {"--warnings-as-errors", &o.warnings_as_errors},
                       {"-q,--quiet", &o.quiet, {}, with_inputs ? "--verbose" : ""},
                       {"--max-input-bytes", &o.limits.max_input_bytes}});
}

void add_compile_options(CLI::App* cmd, CompileOptions& o, bool with_inputs) {
  if (with_inputs) add_input_options(cmd, o);
  add_routing_options(cmd, o);
  add_diagnostic_options(cmd, o);
}

void add_step_option(CLI::App* cmd, CompileOptions& o) {
  cmd->add_option("--step", o.step,
                  "The step of application.schedule to compile instead of schedule.current: "
                  "its index (0-based, digits) or its name. A release without a schedule has "
                  "only step 0.")
      ->type_name("N|NAME")
      ->check(kNonEmpty);
}

void add_check_against(CLI::App* cmd, CompileOptions& o) {
  cmd->add_option("--check-against", o.check_against,
                  "Validate every emitted object against the CustomResourceDefinitions in DIR "
                  "(every *.yaml/*.yml below it, e.g. the CRDs your cluster has): unknown "
                  "fields, types, limits, metadata; an API the directory lacks is an error.")
      ->type_name("DIR")
      ->check(kNonEmpty);
}

void add_jobs_option(CLI::App* cmd, CompileOptions& o) {
  cmd->add_option("-j,--jobs", o.jobs,
                  "Threads to compile with: a run of 64 or more input files is split into "
                  "that many contiguous chunks compiled at once (the output, diagnostics and "
                  "exit status are those of -j 1, which uses one thread). Default (or 0): the "
                  "CPUs meshc may run on (at most 32).")
      ->type_name("N");
}

void add_fast_jobs_option(std::vector<FastOption>* t, CompileOptions& o) {
  t->push_back({"-j,--jobs", &o.jobs});
}

void add_fast_step_option(std::vector<FastOption>* t, CompileOptions& o) {
  t->push_back({"--step", &o.step});
}

void add_fast_check_against(std::vector<FastOption>* t, CompileOptions& o) {
  t->push_back({"--check-against", &o.check_against});
}

PrintOptions print_options(const CompileOptions& o) {
  PrintOptions p;
  p.format = o.diagnostics_format == "json"     ? DiagnosticFormat::kJson
             : o.diagnostics_format == "github" ? DiagnosticFormat::kGithub
             : o.diagnostics_format == "sarif"  ? DiagnosticFormat::kSarif
                                                : DiagnosticFormat::kText;
  // A warning that fails the run (--warnings-as-errors) is an error to print.
  p.errors_only = o.quiet && !o.warnings_as_errors;
  p.show_source = o.caret == "always" || (o.caret == "auto" && isatty(STDERR_FILENO));
  // https://no-color.org: a set, non-empty NO_COLOR turns colour off unless asked for.
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  p.color = p.format == DiagnosticFormat::kText &&
            (o.color == "always" ||
             (o.color == "auto" && isatty(STDERR_FILENO) && !(no_color && *no_color) &&
              !(term && std::string_view(term) == "dumb")));
  return p;
}

std::unique_ptr<Driver> CompileSetup::make_driver() const {
  auto driver = std::make_unique<Driver>(limits, defaults, target);
  if (crds) driver->set_crd_check(crds);
  driver->set_walk(walk, verbose);
  if (every_step) driver->compile_every_step();
  return driver;
}

std::optional<CompileSetup> resolve_options(const CompileOptions& o, int* exit_code) {
  CompileSetup s;
  s.defaults = ReleaseDefaults{o.name, o.namespace_, o.routing, o.step};
  s.limits = o.limits;
  s.print = print_options(o);
  s.warnings_as_errors = o.warnings_as_errors;
  s.walk.exclude = o.exclude;
  s.verbose = o.verbose;
  s.every_step = o.every_step;
  *exit_code = kExitUsage;
  if (!o.target.empty()) {
    std::string err;
    s.target = parse_target(o.target, &err);
    if (!s.target) {
      usage_error(err);
      return std::nullopt;
    }
  }
  for (const auto& [value, what] : {std::pair{o.name, "--name"}, {o.namespace_, "--namespace"}}) {
    if (value.empty()) continue;
    std::string why = check_dns_label(value, std::string(what) == "--name");
    if (!why.empty()) {
      usage_error(std::string(what) + " " + quote(value) + ": " + why);
      return std::nullopt;
    }
  }
  for (const auto& [value, what] :
       {std::pair{o.routing.implementation, "--implementation"},
        {o.routing.gateway_implementation, "--gateway-implementation"}}) {
    std::string err;
    if (!value.empty() && !check_implementation_option(what, value, &err)) {
      usage_error(err);
      return std::nullopt;
    }
  }
  if (!o.check_against.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(o.check_against, ec)) {
      usage_error("--check-against " + quote(o.check_against) +
                  ": expected a directory of CRD files");
      return std::nullopt;
    }
    // Loaded once per run, for every release; the set owns the files its errors name.
    DiagnosticSink sink;
    s.crds = CrdSet::load(o.check_against, sink);
    if (sink.has_errors()) {
      print_diagnostics(sink.all(), s.print, stderr);
      *exit_code = kExitInvalid;
      return std::nullopt;
    }
  }
  return s;
}

bool counts_as_failure(const Diagnostic& d, bool warnings_as_errors) {
  return d.severity == Severity::kError || (warnings_as_errors && d.severity == Severity::kWarning);
}

bool run_failed(const DiagnosticSink& sink, bool warnings_as_errors) {
  for (const auto& d : sink.all()) {
    if (counts_as_failure(d, warnings_as_errors)) return true;
  }
  return false;
}

int finish_stdout(const std::string& text) {
  return write_stdout_or_report(text) ? kExitOk : kExitInvalid;
}

}  // namespace meshc
