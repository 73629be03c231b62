// Helpers every unit test of meshc's stages shares: loading text, lowering a spec, building
// routemaps by hand, emitting a target, finding objects, capturing printed diagnostics.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"
#include "compiler/lower/documents.h"
#include "compiler/lower/lower.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/yaml_loader.h"
#include "targets/target.h"

namespace meshc::test {

// A text loaded as YAML; the source stays alive as long as the diagnostics that point into it.
struct Loaded {
  std::unique_ptr<SourceFile> file;
  std::vector<YamlDocument> docs;
  DiagnosticSink sink;
};

inline std::unique_ptr<Loaded> load(const std::string& text, const Limits& limits = {},
                                    const std::string& name = "t.yaml") {
  auto l = std::make_unique<Loaded>();
  l->file = std::make_unique<SourceFile>(name, text);
  l->docs = load_yaml(*l->file, limits, l->sink);
  return l;
}

// "file:line:col: message" of the first error, or "".
inline std::string first_error(const DiagnosticSink& sink) {
  for (const auto& d : sink.all()) {
    if (d.severity == Severity::kError) return d.loc.str() + ": " + d.message;
  }
  return "";
}
inline std::string first_error(const Loaded& l) {
  return first_error(l.sink);
}

// A spec (one document) lowered as the driver would: classify, schema, lower.
struct Lowered {
  std::unique_ptr<Loaded> loaded;
  std::optional<Routemap> routemap;
  DiagnosticSink& sink() { return loaded->sink; }
};

inline Lowered lower_text(const std::string& text, const ReleaseDefaults& defaults = {}) {
  Lowered out;
  out.loaded = load(text, {}, "spec.yaml");
  DiagnosticSink& sink = out.loaded->sink;
  if (sink.has_errors() || out.loaded->docs.empty()) return out;
  auto in = classify_document(*out.loaded->docs[0].root, sink);
  if (!in || !check_environment(*in, sink)) return out;
  if (!SchemaValidator::get().validate(*in->document, in->form, sink)) return out;
  out.routemap = lower_release(*in, defaults, sink);
  return out;
}

// A routemap built by hand: versions "<app>-<i>" in namespace `ns`, no routes yet.
inline Routemap make_routemap(const std::string& app, const std::string& ns, size_t versions) {
  Routemap rm;
  rm.name = app;
  rm.namespace_ = ns;
  for (size_t i = 0; i < versions; ++i) {
    Version v;
    v.index = i;
    v.name = app + "-" + std::to_string(i);
    v.namespace_ = ns;
    v.image = app + ":" + std::to_string(i);
    v.field_path = "application.versions[" + std::to_string(i) + "]";
    rm.versions.push_back(v);
  }
  return rm;
}

inline ValueMatch condition(const std::string& name, const std::string& value,
                            MatchType type = MatchType::kExact) {
  ValueMatch m;
  m.name = name;
  m.value = value;
  m.type = type;
  return m;
}

inline RequestMatch header_match(const std::string& name, const std::string& value,
                                 MatchType type = MatchType::kExact) {
  RequestMatch m;
  m.headers.push_back(condition(name, value, type));
  return m;
}

inline RequestMatch path_match(const std::string& path, MatchType type) {
  RequestMatch m;
  m.path = condition("", path, type);
  return m;
}

// A canary segment of version `v`: `matches`, `weight` percent to v and the rest to 0.
inline Route segment(size_t v, const std::string& name, std::vector<RequestMatch> matches,
                     int weight = 100) {
  Route r;
  r.name = name;
  r.segment_of = v;
  r.matches = std::move(matches);
  if (weight < 100) {
    r.destinations.push_back({0, 100 - weight, static_cast<uint64_t>(100 - weight)});
  }
  r.destinations.push_back({v, weight, static_cast<uint64_t>(weight)});
  return r;
}

// The catch-all route with `destinations` ({version, percent}).
inline Route catch_all(const std::vector<std::pair<size_t, int>>& destinations) {
  Route r;
  r.name = "default";
  for (const auto& [v, w] : destinations) {
    r.destinations.push_back({v, w, static_cast<uint64_t>(w)});
  }
  return r;
}

// What a target emits for `rm` ("name@version" or "name"), and what it reported.
struct Emitted {
  std::vector<Object> objects;
  DiagnosticSink sink;
  bool capabilities_ok = true;
};

inline std::unique_ptr<Emitted> emit(const std::string& target, const Routemap& rm) {
  auto out = std::make_unique<Emitted>();
  std::string err;
  auto choice = parse_target(target, &err);
  if (!choice) {
    out->sink.error(Location{}, "", err);
    return out;
  }
  out->capabilities_ok = check_capabilities(rm, choice->capabilities(), choice->str(),
                                            capability_alternatives(*choice), out->sink);
  if (out->capabilities_ok) {
    choice->target->emit(rm, choice->api_version, out->sink, out->objects);
  }
  return out;
}

// The emitted object of `kind` named `name`, or null.
inline const Object* find_object(const std::vector<Object>& objects, const std::string& kind,
                                 const std::string& name) {
  for (const Object& o : objects) {
    if (o.value("kind", "") == kind && o["metadata"].value("name", "") == name) return &o;
  }
  return nullptr;
}

// What print_diagnostics writes for `diags`.
inline std::string printed(const std::vector<Diagnostic>& diags, const PrintOptions& opts = {}) {
  char* buf = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&buf, &size);
  print_diagnostics(diags, opts, out);
  std::fclose(out);
  std::string text(buf, size);
  std::free(buf);
  return text;
}

}  // namespace meshc::test
