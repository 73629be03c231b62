// libFuzzer harness: the schema validator and its explainer, on every document of the input in
// both forms (values and kind: Release), plus document classification.
//
// Invariant: a rejection always comes with at least one diagnostic, every diagnostic located
// inside the input; acceptance adds no error.
#include <cstddef>
#include <cstdint>

#include "compiler/lower/lower.h"
#include "compiler/schema/schema_validator.h"
#include "tests/fuzz/fuzz_support.h"

using namespace meshc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SourceFile file("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  Limits limits;
  DiagnosticSink load_sink;
  auto docs = load_yaml(file, limits, load_sink);
  for (const auto& d : docs) {
    for (SpecForm form : {SpecForm::kValues, SpecForm::kReleaseDocument}) {
      DiagnosticSink sink;
      bool ok = SchemaValidator::get().validate(*d.root, form, sink);
      if (ok == sink.has_errors()) {
        fuzz::fail(ok ? "validator accepted but reported errors"
                      : "validator rejected without a diagnostic");
      }
      fuzz::check_diagnostics(sink);
    }
    DiagnosticSink sink;
    if (auto in = classify_document(*d.root, sink)) {
      if (check_environment(*in, sink))
        SchemaValidator::get().validate(*in->document, in->form, sink);
    }
    fuzz::check_diagnostics(sink);
  }
  return 0;
}
