#include "compiler/krm.h"

#include <optional>

#include "compiler/post_render.h"
#include "compiler/yaml_loader.h"
#include "compiler/yaml_writer.h"

namespace meshc {

namespace {

constexpr const char* kDefaultApiVersion = "config.kubernetes.io/v1";
// Annotations by which kustomize and kpt (current and legacy names) track an item's file.
constexpr const char* kPathAnnotations[] = {"internal.config.kubernetes.io/path",
                                            "config.kubernetes.io/path"};
constexpr const char* kIndexAnnotations[] = {"internal.config.kubernetes.io/index",
                                             "config.kubernetes.io/index"};

std::string scalar(const YNode* n) { return n && n->is_scalar() ? n->value : std::string(); }

const YNode* metadata_field(const YNode& doc, const char* key) {
  const YNode* md = doc.get("metadata");
  return md && md->is_mapping() ? md->get(key) : nullptr;
}

std::string annotation(const YNode& doc, const std::string& key) {
  const YNode* ann = metadata_field(doc, "annotations");
  return ann && ann->is_mapping() ? scalar(ann->get(key)) : std::string();
}

// The identity of a resource for de-duplication and results: apiVersion, kind, name, namespace.
Object resource_ref(const YNode& doc) {
  Object ref = Object::object();
  ref["apiVersion"] = scalar(doc.get("apiVersion"));
  ref["kind"] = scalar(doc.get("kind"));
  ref["name"] = scalar(metadata_field(doc, "name"));
  std::string ns = scalar(metadata_field(doc, "namespace"));
  if (!ns.empty()) ref["namespace"] = ns;
  return ref;
}

// Diagnostics [begin, end) of the sink came from compiling `item`.
struct Attribution {
  size_t begin, end;
  const YNode* item;
};

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "info";
  }
  return "error";
}

Object result_of(const Diagnostic& d, const YNode* item) {
  Object r = Object::object();
  r["message"] = d.message;
  r["severity"] = severity_name(d.severity);
  if (item) r["resourceRef"] = resource_ref(*item);
  if (!d.path.empty()) r["field"] = Object{{"path", d.path}};
  Object file = Object::object();
  if (item) {
    for (const char* key : kPathAnnotations) {
      std::string p = annotation(*item, key);
      if (!p.empty() && !file.contains("path")) file["path"] = p;
    }
    for (const char* key : kIndexAnnotations) {
      std::string i = annotation(*item, key);
      if (!i.empty() && !file.contains("index") && i.find_first_not_of("0123456789") == i.npos &&
          i.size() < 10) {
        file["index"] = std::stoi(i);
      }
    }
  }
  if (!file.empty()) r["file"] = file;
  if (d.loc.valid() && !item) {
    r["message"] = d.loc.str() + ": " + d.message;
  }
  return r;
}

}  // namespace

std::string run_krm_function(const SourceFile& input, const Limits& limits, Driver& driver,
                             bool warnings_as_errors, bool* failed) {
  DiagnosticSink& sink = driver.sink();
  std::vector<YamlDocument> docs = load_yaml(input, limits, sink);
  std::string api_version = kDefaultApiVersion;
  Object items = Object::array();
  std::vector<Attribution> attributions;

  const YNode* list = nullptr;
  if (!sink.has_errors()) {
    for (const auto& d : docs) {
      if (d.root->is_null()) continue;
      if (list) {
        sink.error(d.root->loc, "", "expected one ResourceList, got a second YAML document");
        break;
      }
      list = d.root.get();
    }
    if (!list && !sink.has_errors()) {
      sink.error(Location{&input, 0, 0}, "", "expected a ResourceList on stdin, got no document");
    }
  }
  if (list && !sink.has_errors()) {
    const YNode* kind = list->is_mapping() ? list->get("kind") : nullptr;
    if (!kind || scalar(kind) != "ResourceList") {
      sink.error(kind ? kind->loc : list->loc, kind ? "kind" : "",
                 "expected a ResourceList (apiVersion config.kubernetes.io/v1), got " +
                     (kind ? describe(*kind) : describe(*list)));
      list = nullptr;
    } else {
      std::string api = scalar(list->get("apiVersion"));
      if (api.rfind("config.kubernetes.io/", 0) == 0) api_version = api;
    }
  }
  const YNode* items_node = list ? list->get("items") : nullptr;
  if (items_node && !items_node->is_null() && !items_node->is_sequence()) {
    sink.error(items_node->loc, "items", "expected a list of resources, got " +
                                             describe(*items_node));
    items_node = nullptr;
  }

  // Compiles `release` and appends its objects, which inherit the release's file path.
  auto compile_into = [&](const YNode& release) {
    size_t begin = sink.all().size();
    auto compiled = driver.compile_document(release, Driver::Stage::kCompile);
    attributions.push_back({begin, sink.all().size(), &release});
    if (!compiled) return;
    for (Object object : compiled->objects) {
      for (const char* key : kPathAnnotations) {
        std::string p = annotation(release, key);
        if (!p.empty()) object["metadata"]["annotations"][key] = p;
      }
      items.push_back(std::move(object));
    }
  };

  std::vector<Object> item_releases;
  if (items_node && items_node->is_sequence()) {
    for (const YNodePtr& item : items_node->items) {
      if (is_release_document(*item)) {
        item_releases.push_back(resource_ref(*item));
        compile_into(*item);
      } else {
        items.push_back(to_ordered_json(*item));
      }
    }
  }
  const YNode* config = list ? list->get("functionConfig") : nullptr;
  if (config && !config->is_null()) {
    if (is_release_document(*config)) {
      Object ref = resource_ref(*config);
      bool also_an_item = false;
      for (const Object& r : item_releases) also_an_item = also_an_item || r == ref;
      if (!also_an_item) compile_into(*config);
    } else {
      sink.error(config->loc, "functionConfig",
                 "expected a Release (apiVersion meshc.dev/v1alpha1) or none, got kind " +
                     quote(config->is_mapping() ? scalar(config->get("kind")) : describe(*config)));
    }
  }

  Object results = Object::array();
  const auto& diags = sink.all();
  for (size_t i = 0; i < diags.size(); ++i) {
    const YNode* item = nullptr;
    for (const auto& a : attributions) {
      if (i >= a.begin && i < a.end) item = a.item;
    }
    results.push_back(result_of(diags[i], item));
  }

  *failed = sink.has_errors();
  for (const auto& d : diags) *failed = *failed || (warnings_as_errors && d.severity == Severity::kWarning);
  Object out = Object::object();
  out["apiVersion"] = api_version;
  out["kind"] = "ResourceList";
  out["items"] = *failed ? Object::array() : items;
  if (!results.empty()) out["results"] = results;
  std::string text;
  write_yaml_document(out, text);
  return text;
}

}  // namespace meshc
