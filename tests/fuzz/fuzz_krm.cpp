// libFuzzer harness: meshc as a KRM function (compiler/krm.*): a ResourceList in, a
// ResourceList out.
//
// Invariants: no crash; diagnostics located; the ResourceList printed, success or failure, is
// YAML that reads back as one mapping document (results are how a KRM function reports
// errors, so the output must stay well-formed whatever the input).
#include <cstddef>
#include <cstdint>

#include "compiler/integrations/krm.h"
#include "tests/fuzz/fuzz_support.h"

using namespace meshc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  Limits limits;
  Driver driver(limits, ReleaseDefaults{"fuzz", "fuzz-ns"}, std::nullopt);
  const SourceFile& src = driver.add_source("<stdin>", text);
  KrmSettings settings;
  settings.limits = limits;
  settings.defaults = ReleaseDefaults{"fuzz", "fuzz-ns"};
  bool failed = false;
  std::string out = run_krm_function(src, settings, driver.sink(), &failed);
  fuzz::check_diagnostics(driver.sink());
  if (out.empty()) return 0;
  SourceFile back("output.yaml", out);
  DiagnosticSink sink;
  Limits unlimited;
  unlimited.max_alias_expansion = ~0ull;
  unlimited.max_nodes = ~0ull;
  auto docs = load_yaml(back, unlimited, sink);
  if (sink.has_errors()) {
    fuzz::fail("KRM output does not load: " + sink.all()[0].message, out.substr(0, 4096));
  }
  if (docs.size() != 1 || !docs[0].root->is_mapping()) {
    fuzz::fail("KRM output is not one ResourceList mapping", out.substr(0, 4096));
  }
  return 0;
}
