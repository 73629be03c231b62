#include "compiler/verify/crd_index.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema_parser.hpp>

#include "compiler/schema/schema_patterns.h"
#include "compiler/verify/structural_schema.h"
#include "compiler/yaml/manifest_stream.h"

namespace meshc {

using verify::Definition;
using verify::Segment;

using nlohmann::json;
namespace fs = std::filesystem;

CrdSet::CrdSet() : impl_(std::make_unique<Impl>()) {}
CrdSet::~CrdSet() = default;

const std::string& CrdSet::dir() const {
  return impl_->dir;
}

size_t CrdSet::definition_count() const {
  DiagnosticSink ignored;
  impl_->ensure_all(ignored);
  size_t n = 0;
  for (const auto& [gvk, defs] : impl_->index) n += defs.size();
  return n;
}

static const YNode* child(const YNode* n, const char* key) {
  return n && n->is_mapping() ? n->get(key) : nullptr;
}

static std::string scalar(const YNode* n) {
  return n && n->is_scalar() ? n->value : std::string();
}

static bool flag(const YNode* n, bool absent) {
  if (!n) return absent;
  json v = scalar_to_json(*n);
  return v.is_boolean() ? v.get<bool>() : absent;
}

static bool is_crd(const YNode& n) {
  return n.is_mapping() && scalar(n.get("kind")) == "CustomResourceDefinition" &&
         scalar(n.get("apiVersion")).rfind("apiextensions.k8s.io/", 0) == 0;
}

// Parses every segment that may define `kind` in `group`: a CRD spells both in its text.
void CrdSet::Impl::ensure(const std::string& group, const std::string& kind, DiagnosticSink& sink) {
  if (!ready.insert({group, kind}).second) return;
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& seg = segments[i];
    if (seg.parsed) continue;
    std::string_view text =
        std::string_view(sources[seg.source]->text()).substr(seg.begin, seg.end - seg.begin);
    if (text.find(group) != std::string_view::npos && text.find(kind) != std::string_view::npos) {
      parse(i, sink);
    }
  }
}

void CrdSet::Impl::ensure_all(DiagnosticSink& sink) {
  for (size_t i = 0; i < segments.size(); ++i) {
    if (!segments[i].parsed) parse(i, sink);
  }
}

// Parses one segment and indexes its CRDs: CustomResourceDefinition documents, and the items
// of List documents (what `kubectl get crd -o yaml` prints).
void CrdSet::Impl::parse(size_t segment, DiagnosticSink& sink) {
  Segment& seg = segments[segment];
  seg.parsed = true;
  Limits limits;
  for (auto& doc : load_yaml_range(*sources[seg.source], seg.begin, seg.end, limits, sink)) {
    const YNode& root = *doc.root;
    if (is_crd(root)) {
      add_crd(root, segment, 0, sink);
    } else if (const YNode* items = child(&root, "items");
               items && items->is_sequence() && scalar(root.get("kind")).size() >= 4 &&
               scalar(root.get("kind")).compare(scalar(root.get("kind")).size() - 4, 4, "List") ==
                   0) {
      for (size_t i = 0; i < items->items.size(); ++i) {
        if (is_crd(*items->items[i])) add_crd(*items->items[i], segment, i, sink);
      }
    }
    documents.push_back(std::move(doc));
  }
}

// Indexes one CRD. Reports what makes it unusable, located in the CRD file.
bool CrdSet::Impl::add_crd(const YNode& doc, size_t segment, size_t item, DiagnosticSink& sink) {
  const YNode* spec = child(&doc, "spec");
  std::string group = scalar(child(spec, "group"));
  std::string kind = scalar(child(child(spec, "names"), "kind"));
  const YNode* versions = child(spec, "versions");
  const YNode* legacy_version = child(spec, "version");  // apiextensions.k8s.io/v1beta1
  if (group.empty() || kind.empty() ||
      (!(versions && versions->is_sequence()) && !legacy_version)) {
    sink.error(spec ? spec->loc : doc.loc, "spec",
               "expected a CustomResourceDefinition with spec.group, spec.names.kind and "
               "spec.versions, got " +
                   std::string(spec ? "an incomplete spec" : "no spec"));
    return false;
  }
  // v1beta1: one schema for every version, unless a version has its own.
  const YNode* shared_schema = child(child(spec, "validation"), "openAPIV3Schema");
  auto add = [&](const std::string& version, size_t v, const YNode* entry, bool served) {
    auto d = std::make_unique<Definition>();
    d->file = sources[segments[segment].source]->name();
    d->order = {segment, item, v};
    d->loc = entry->loc;
    d->served = served;
    d->schema = child(child(entry, "schema"), "openAPIV3Schema");
    if (!d->schema) d->schema = shared_schema;
    if (d->schema && !d->schema->is_mapping()) d->schema = nullptr;
    d->deprecated = flag(child(entry, "deprecated"), false);
    d->deprecation_warning = scalar(child(entry, "deprecationWarning"));
    // Segments are parsed as groups are needed, not in file order: keep each list sorted.
    auto& defs = index[Gvk{group, version, kind}];
    auto at = std::upper_bound(defs.begin(), defs.end(), d->order,
                               [](const auto& o, const auto& x) { return o < x->order; });
    defs.insert(at, std::move(d));
  };
  bool ok = true;
  if (versions && versions->is_sequence()) {
    for (size_t i = 0; i < versions->items.size(); ++i) {
      const YNode* v = versions->items[i].get();
      std::string name = scalar(child(v, "name"));
      if (name.empty()) {
        sink.error(v->loc, "spec.versions", "expected a version with a name, got " + describe(*v));
        ok = false;
        continue;
      }
      add(name, i, v, flag(child(v, "served"), true));
    }
  } else {
    add(scalar(legacy_version), 0, spec, true);
  }
  return ok;
}

// The definition's schema, converted and parsed on first use; null (reported once, at the
// version in the CRD file) when valijson cannot use it.
const valijson::Schema* CrdSet::Impl::compiled(Definition& d, const Gvk& gvk,
                                               DiagnosticSink& sink) {
  if (!d.compiled && !d.unusable) {
    try {
      auto converted =
          std::make_unique<json>(verify::structural_to_json_schema(to_json(*d.schema)));
      auto schema = std::make_unique<valijson::Schema>();
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
      add_re2_patterns(parser);      // never std::regex on object strings (schema_patterns.h)
      json re2_schema = *converted;  // the explainer reads the plain "pattern"
      route_patterns_to_re2(re2_schema);
      valijson::adapters::NlohmannJsonAdapter adapter(re2_schema);
      parser.populateSchema(adapter, *schema);
      d.converted = std::move(converted);
      d.compiled = std::move(schema);
    } catch (const std::exception& e) {
      d.unusable = true;
      sink.error(
          d.loc, "",
          "cannot use the openAPIV3Schema of " + gvk.kind + " " + gvk.version + ": " + e.what());
    }
  }
  return d.compiled.get();
}

std::unique_ptr<CrdSet> CrdSet::load(const std::string& dir, DiagnosticSink& sink) {
  std::unique_ptr<CrdSet> set(new CrdSet());
  Impl& impl = *set->impl_;
  impl.dir = dir;
  Location none;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    sink.error(none, "", "--check-against: expected a directory of CRD files, got " + quote(dir));
    return set;
  }
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string ext = it->path().extension().string();
    if (ext == ".yaml" || ext == ".yml") files.push_back(it->path().string());
  }
  if (ec) {
    sink.error(none, "", "cannot read directory " + quote(dir) + ": " + ec.message());
    return set;
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      sink.error(none, "", "cannot read " + quote(f));
      continue;
    }
    impl.sources.push_back(std::make_unique<SourceFile>(f, text.str()));
    std::string_view all(impl.sources.back()->text());
    for (const StreamSegment& seg : split_yaml_stream(all)) {
      if (all.substr(seg.begin, seg.end - seg.begin).find("CustomResourceDefinition") ==
          std::string_view::npos) {
        continue;  // cannot be (or hold) a CRD
      }
      impl.segments.push_back({impl.sources.size() - 1, seg.begin, seg.end, false});
    }
  }
  if (impl.segments.empty()) {
    sink.error(none, "",
               "--check-against: no CustomResourceDefinition in the " +
                   std::to_string(files.size()) + " *.yaml/*.yml files below " + quote(dir));
  }
  return set;
}

}  // namespace meshc
