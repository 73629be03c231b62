// The front half that compile, validate and routemap share: the options checked, every input
// read and run through the driver, and the diagnostics printed.
#pragma once

#include <memory>
#include <set>
#include <vector>

#include "compiler/cli/options.h"
#include "compiler/driver/driver.h"

namespace meshc {

// What a run that went on despite errors (--keep-going) knows about them.
struct Failures {
  bool any = false;                   // anything failed: the exit status is 1
  bool all = false;                   // an error no input file can be blamed for
  std::set<const SourceFile*> files;  // inputs with an error (or warning, -Werror)
};

struct FrontendRun {
  std::unique_ptr<Driver> driver;  // owns the sources the releases point into
  std::vector<CompiledRelease> releases;
  Failures failures;
};

// Runs the pipeline up to `stage` on every input of `o` (stdin when none is given and stdin is
// not a terminal), reading and compiling every input even after one failed, and prints the
// diagnostics. Returns the exit status to use now, or -1 to go on with `run` — which happens
// on success, and with `keep_going` also after errors (then `run.failures` says what failed).
// The run is never freed (see the definition).
int run_frontend(const CompileOptions& o, Driver::Stage stage, bool keep_going, FrontendRun*& run);

}  // namespace meshc
