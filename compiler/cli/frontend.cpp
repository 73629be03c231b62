#include "compiler/cli/frontend.h"

#include <unistd.h>

namespace meshc {
namespace {
// Holds the run for the life of the process, so leak checkers see it as still reachable.
FrontendRun* g_kept_run = nullptr;
}  // namespace

int run_frontend(const CompileOptions& o, Driver::Stage stage, bool keep_going, FrontendRun*& run) {
  int exit_code = kExitOk;
  std::optional<CompileSetup> setup = resolve_options(o, &exit_code);
  if (!setup) return exit_code;
  std::vector<std::string> inputs = o.inputs;
  if (inputs.empty()) {
    if (isatty(STDIN_FILENO)) return usage_error("no input files (give files, or - for stdin)");
    inputs.push_back("-");
  }
  // Never freed: the process ends right after the run, and destroying the trees of a large
  // batch one by one took a third of its time. Kept in a global, so leak checkers see it as
  // still reachable rather than lost.
  run = g_kept_run = new FrontendRun();
  run->driver = setup->make_driver();
  Driver& driver = *run->driver;
  driver.render_as_compiled();  // compile only ever writes the text (kCompile only)
  driver.set_jobs(o.jobs);
  // Every input is read and compiled even when another failed: one run reports everything.
  for (const auto& in : inputs) driver.add_input(in);
  size_t unlocated_input_errors = 0;  // "cannot open ...": the input yields no release
  for (const auto& d : driver.sink().all()) unlocated_input_errors += !d.loc.valid();
  run->releases = driver.run(stage);
  const DiagnosticSink& sink = driver.sink();
  Failures& f = run->failures;
  size_t unlocated = 0;
  for (const auto& d : sink.all()) {
    if (!counts_as_failure(d, setup->warnings_as_errors)) continue;
    f.any = true;
    if (d.loc.valid())
      f.files.insert(d.loc.file);
    else
      ++unlocated;
  }
  f.all = unlocated > unlocated_input_errors;
  if (!sink.all().empty() || structured(setup->print.format))
    print_diagnostics(sink.all(), setup->print, stderr);
  return f.any && !keep_going ? kExitInvalid : -1;
}

}  // namespace meshc
