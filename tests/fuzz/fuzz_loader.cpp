// libFuzzer harness: the YAML loader, and the writer's round trip of everything it loads.
//
// Bytes -> load_yaml -> (no crash, no hang, located diagnostics) -> for every loaded document:
// to_ordered_json -> write_yaml_document -> load_yaml again -> the same values.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_support.h"

using namespace meshc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SourceFile file("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  Limits limits;
  DiagnosticSink sink;
  auto docs = load_yaml(file, limits, sink);
  fuzz::check_diagnostics(sink);
  if (sink.has_errors()) return 0;
  std::string text;
  std::vector<nlohmann::json> expected;
  for (const auto& d : docs) {
    write_yaml_document(to_ordered_json(*d.root), text);
    expected.push_back(to_json(*d.root));
  }
  fuzz::check_reads_back(text, expected);
  return 0;
}
