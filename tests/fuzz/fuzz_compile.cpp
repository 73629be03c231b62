// libFuzzer harness: the whole pipeline (load, schema, lowering, capability checks, workloads,
// every target at every API version it registers, the routemap printer), driven through the
// Driver exactly as `meshc compile` does.
//
// Invariants: no crash or hang; a failed release always has a located diagnostic; a successful
// run's output is YAML that reads back as exactly the objects meshc built (nothing injected),
// and compiling twice gives the same bytes.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "compiler/driver/driver.h"
#include "compiler/ir/routemap_print.h"
#include "targets/target.h"
#include "tests/fuzz/fuzz_support.h"

using namespace meshc;

namespace {

// No --target (each spec's environment decides), then every target at every API version.
const std::vector<std::optional<TargetChoice>>& choices() {
  static const auto* all = [] {
    auto* v = new std::vector<std::optional<TargetChoice>>{std::nullopt};
    for (const Target* t : all_targets()) {
      for (const auto& version : t->info().api_versions)
        v->push_back(TargetChoice{t, version.name});
    }
    return v;
  }();
  return *all;
}

std::string compile(const std::string& text, const std::optional<TargetChoice>& target,
                    Driver::Stage stage, bool* ok, std::vector<nlohmann::json>* objects) {
  Driver driver(Limits{}, ReleaseDefaults{"fuzz", "fuzz-ns"}, target);
  driver.add_source("fuzz.yaml", text);
  auto releases = driver.run(stage);
  fuzz::check_diagnostics(driver.sink());
  *ok = !driver.sink().has_errors();
  if (!*ok) return "";
  std::string out;
  for (const auto& r : releases) {
    if (stage == Driver::Stage::kRoutemap) {
      Object o = routemap_to_object(r.routemap, r.target.name());
      write_yaml_document(o, out);
      objects->push_back(nlohmann::json::parse(o.dump()));
    } else {
      for (const auto& o : r.objects) objects->push_back(nlohmann::json::parse(o.dump()));
    }
  }
  if (stage != Driver::Stage::kRoutemap) out = render_objects(releases);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  bool ok = false;
  std::vector<nlohmann::json> objects;
  std::string out = compile(text, std::nullopt, Driver::Stage::kRoutemap, &ok, &objects);
  if (ok) fuzz::check_reads_back(out, objects);
  {
    // Inputs the loader rejects fail the same way for every target (fuzz_loader covers them).
    SourceFile file("fuzz.yaml", text);
    DiagnosticSink sink;
    load_yaml(file, Limits{}, sink);
    if (sink.has_errors()) return 0;
  }
  for (const auto& target : choices()) {
    objects.clear();
    out = compile(text, target, Driver::Stage::kCompile, &ok, &objects);
    if (!ok) continue;
    fuzz::check_reads_back(out, objects);
    std::vector<nlohmann::json> again_objects;
    bool again_ok = false;
    if (compile(text, target, Driver::Stage::kCompile, &again_ok, &again_objects) != out) {
      fuzz::fail("nondeterministic output for target " + (target ? target->str() : "(default)"));
    }
  }
  return 0;
}
