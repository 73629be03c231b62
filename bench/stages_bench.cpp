// meshc_bench: Google Benchmark timings of the compiler's stages, in process, on generated
// specs of three sizes (bench/spec_gen.h). Whole-process figures (start-up, batch, Helm, cat)
// are scripts/bench.sh's.
//
//   load         bytes -> YAML documents with source marks (yaml_loader)
//   validate     the JSON Schema check of one document (schema already compiled)
//   lower        classify, environment check, lowering to the routemap
//   workloads    the Deployments and Services of a routemap
//   emit/<t>     one target's routing objects
//   write        every object of a release as YAML text
//   pipeline     all of the above through the Driver, as `meshc compile` runs them per spec
//   split        post-render's document splitter and Release scan over a Helm stream
//   post_render  the whole post-renderer over a Helm stream with 4 Release documents
//
// Each benchmark's setup runs the earlier stages once and fails loudly (SkipWithError) when
// they report an error, so a broken generator cannot produce fast nonsense.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "bench/spec_gen.h"
#include "compiler/driver/driver.h"
#include "compiler/integrations/post_render.h"
#include "compiler/k8s/workloads.h"
#include "compiler/lower/lower.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/manifest_stream.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_writer.h"
#include "targets/target.h"

namespace {

using meshc::bench::SpecSize;

constexpr SpecSize kSizes[] = {SpecSize::kSmall, SpecSize::kTypical, SpecSize::kLarge};

// The first error of `sink` as text, or "".
std::string first_error(const meshc::DiagnosticSink& sink) {
  for (const auto& d : sink.all()) {
    if (d.severity == meshc::Severity::kError)
      return d.loc.str() + ": " + d.path + ": " + d.message;
  }
  return "";
}

// One spec carried through the stages once, so that each benchmark starts from the output
// of the stage before it.
struct Prepared {
  std::string text;
  std::unique_ptr<meshc::SourceFile> source;
  std::vector<meshc::YamlDocument> docs;
  std::optional<meshc::ReleaseInput> input;
  std::optional<meshc::Routemap> routemap;
  std::vector<meshc::Object> objects;  // workloads, then the environment's target's objects
  std::string error;                   // the first error of any stage, or ""
};

Prepared prepare(SpecSize size, const std::string& environment = "deployment-gtw") {
  Prepared p;
  meshc::Limits limits;
  meshc::DiagnosticSink sink;
  p.text = meshc::bench::values_spec(size, 7, environment);
  p.source = std::make_unique<meshc::SourceFile>("bench.yaml", p.text);
  p.docs = meshc::load_yaml(*p.source, limits, sink);
  if (!sink.has_errors() && p.docs.size() == 1)
    p.input = meshc::classify_document(*p.docs[0].root, sink);
  if (p.input && meshc::check_environment(*p.input, sink) &&
      meshc::SchemaValidator::get().validate(*p.input->document, p.input->form, sink)) {
    p.routemap = meshc::lower_release(*p.input, meshc::ReleaseDefaults{}, sink);
  }
  if (p.routemap) meshc::render_workloads(*p.routemap, sink, p.objects);
  if (p.routemap) {
    if (const meshc::Target* t = meshc::find_target_for_environment(p.routemap->environment)) {
      t->emit(*p.routemap, t->info().api_versions.front().name, sink, p.objects);
    }
  }
  p.error = first_error(sink);
  if (p.error.empty() && !p.routemap) p.error = "no routemap";
  return p;
}

void BM_Load(benchmark::State& state, SpecSize size) {
  Prepared p = prepare(size);
  if (!p.error.empty()) return state.SkipWithError(p.error.c_str());
  meshc::Limits limits;
  for (auto _ : state) {
    meshc::SourceFile src("bench.yaml", p.text);
    meshc::DiagnosticSink sink;
    auto docs = meshc::load_yaml(src, limits, sink);
    benchmark::DoNotOptimize(docs);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * p.text.size()));
}

void BM_Validate(benchmark::State& state, SpecSize size) {
  Prepared p = prepare(size);
  if (!p.error.empty()) return state.SkipWithError(p.error.c_str());
  const meshc::SchemaValidator& v = meshc::SchemaValidator::get();
  for (auto _ : state) {
    meshc::DiagnosticSink sink;
    benchmark::DoNotOptimize(v.validate(*p.input->document, p.input->form, sink));
  }
}

void BM_Lower(benchmark::State& state, SpecSize size) {
  Prepared p = prepare(size);
  if (!p.error.empty()) return state.SkipWithError(p.error.c_str());
  for (auto _ : state) {
    meshc::DiagnosticSink sink;
    auto in = meshc::classify_document(*p.docs[0].root, sink);
    meshc::check_environment(*in, sink);
    auto rm = meshc::lower_release(*in, meshc::ReleaseDefaults{}, sink);
    benchmark::DoNotOptimize(rm);
  }
}

void BM_Workloads(benchmark::State& state, SpecSize size) {
  Prepared p = prepare(size);
  if (!p.error.empty()) return state.SkipWithError(p.error.c_str());
  for (auto _ : state) {
    meshc::DiagnosticSink sink;
    std::vector<meshc::Object> out;
    meshc::render_workloads(*p.routemap, sink, out);
    benchmark::DoNotOptimize(out);
  }
}

// `target` is "name@version"; the spec's environment is chosen to match it.
void BM_Emit(benchmark::State& state, SpecSize size, const std::string& target) {
  std::string err;
  auto t = meshc::parse_target(target, &err);
  if (!t) return state.SkipWithError(err.c_str());
  const char* env = t->target->info().environment.c_str();
  Prepared p = prepare(size, env);
  if (!p.error.empty()) return state.SkipWithError(p.error.c_str());
  const meshc::Target* impl = t->target;
  {
    meshc::DiagnosticSink sink;
    std::vector<meshc::Object> out;
    impl->emit(*p.routemap, t->api_version, sink, out);
    if (sink.has_errors()) return state.SkipWithError(first_error(sink).c_str());
  }
  for (auto _ : state) {
    meshc::DiagnosticSink sink;
    std::vector<meshc::Object> out;
    impl->emit(*p.routemap, t->api_version, sink, out);
    benchmark::DoNotOptimize(out);
  }
}

void BM_Write(benchmark::State& state, SpecSize size) {
  Prepared p = prepare(size);
  if (!p.error.empty()) return state.SkipWithError(p.error.c_str());
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text;
    for (const auto& o : p.objects) meshc::write_yaml_document(o, text);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

// The whole in-process compile of one spec, as the batch compiler runs it per file.
void BM_Pipeline(benchmark::State& state, SpecSize size) {
  Prepared p = prepare(size);
  if (!p.error.empty()) return state.SkipWithError(p.error.c_str());
  for (auto _ : state) {
    meshc::Driver driver(meshc::Limits{}, meshc::ReleaseDefaults{}, std::nullopt);
    driver.add_source("bench.yaml", p.text);
    auto releases = driver.run(meshc::Driver::Stage::kCompile);
    std::string text = meshc::render_objects(releases);
    if (driver.sink().has_errors()) return state.SkipWithError(first_error(driver.sink()).c_str());
    benchmark::DoNotOptimize(text);
  }
}

const std::string& stream_1mb() {
  static const std::string* s = new std::string(meshc::bench::helm_stream(1 << 20, 4));
  return *s;
}

void BM_Split(benchmark::State& state) {
  const std::string& s = stream_1mb();
  for (auto _ : state) {
    size_t maybe = 0;
    for (const auto& seg : meshc::split_yaml_stream(s)) {
      maybe += meshc::scan_for_release(std::string_view(s).substr(
                   seg.begin, seg.end - seg.begin)) != meshc::ReleaseScan::kNo;
    }
    if (maybe != 4) return state.SkipWithError("expected 4 Release documents");
    benchmark::DoNotOptimize(maybe);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.size()));
}

void BM_PostRender(benchmark::State& state) {
  const std::string& s = stream_1mb();
  for (auto _ : state) {
    meshc::Driver driver(meshc::Limits{}, meshc::ReleaseDefaults{}, std::nullopt);
    const meshc::SourceFile& src = driver.add_source("<stdin>", s);
    std::string out = meshc::post_render(src, meshc::Limits{}, driver);
    if (driver.sink().has_errors()) return state.SkipWithError(first_error(driver.sink()).c_str());
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.size()));
}

void register_all() {
  for (SpecSize size : kSizes) {
    std::string n = meshc::bench::size_name(size);
    benchmark::RegisterBenchmark(("load/" + n).c_str(), BM_Load, size);
    benchmark::RegisterBenchmark(("validate/" + n).c_str(), BM_Validate, size);
    benchmark::RegisterBenchmark(("lower/" + n).c_str(), BM_Lower, size);
    benchmark::RegisterBenchmark(("workloads/" + n).c_str(), BM_Workloads, size);
    for (const char* t : {"gateway-api@v1", "istio@v1", "smi@v1alpha4"}) {
      benchmark::RegisterBenchmark(("emit/" + std::string(t) + "/" + n).c_str(), BM_Emit, size,
                                   std::string(t));
    }
    benchmark::RegisterBenchmark(("write/" + n).c_str(), BM_Write, size);
    benchmark::RegisterBenchmark(("pipeline/" + n).c_str(), BM_Pipeline, size);
  }
  benchmark::RegisterBenchmark("split/helm-1MiB", BM_Split);
  benchmark::RegisterBenchmark("post_render/helm-1MiB", BM_PostRender);
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
