// libFuzzer harness: the fast validator (compiler/schema/fast_schema.h) against valijson, on
// every document of the input in both forms (values and kind: Release), and on the values under
// a Release's spec.
//
// Invariant: the two verdicts agree. The fast validator may say "unsure" (a string whose length
// valijson measures through malformed UTF-8), never the opposite of valijson.
#include <cstddef>
#include <cstdint>

#include "compiler/lower/lower.h"
#include "compiler/schema/fast_schema.h"
#include "compiler/schema/schema_validator.h"
#include "tests/fuzz/fuzz_support.h"

using namespace meshc;

namespace {

void compare(const YNode& root, SpecForm form) {
  fast_schema::Verdict fast = fast_schema::validate(root, form);
  if (fast == fast_schema::Verdict::kUnsure) return;
  DiagnosticSink sink;
  bool valijson = SchemaValidator::get().validate_with_valijson(root, form, sink);
  if (valijson != (fast == fast_schema::Verdict::kValid)) {
    fuzz::fail(valijson ? "fast validator rejected what valijson accepts"
                        : "fast validator accepted what valijson rejects",
               to_json(root).dump().substr(0, 4096));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SourceFile file("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  Limits limits;
  DiagnosticSink load_sink;
  auto docs = load_yaml(file, limits, load_sink);
  for (const auto& d : docs) {
    if (d.root->expanded_size > 100000) continue;  // valijson's copy (to_json) would be huge
    compare(*d.root, SpecForm::kValues);
    compare(*d.root, SpecForm::kReleaseDocument);
    if (const YNode* spec = d.root->is_mapping() ? d.root->get("spec") : nullptr)
      compare(*spec, SpecForm::kValues);
  }
  return 0;
}
