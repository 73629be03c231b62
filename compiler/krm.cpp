#include "compiler/krm.h"

#include <optional>

#include "compiler/lower.h"
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

std::string scalar(const YNode* n) {
  return n && n->is_scalar() ? n->value : std::string();
}

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
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "info";
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

std::string run_krm_function(const SourceFile& input, const KrmSettings& settings,
                             DiagnosticSink& sink, bool* failed) {
  std::vector<YamlDocument> docs = load_yaml(input, settings.limits, sink);
  std::string api_version = kDefaultApiVersion;

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
    sink.error(items_node->loc, "items",
               "expected a list of resources, got " + describe(*items_node));
    items_node = nullptr;
  }

  // Options from a ConfigMap functionConfig override the command line's.
  KrmSettings s = settings;
  const YNode* config = list ? list->get("functionConfig") : nullptr;
  const YNode* release_config = nullptr;
  if (config && !config->is_null()) {
    std::string kind = config->is_mapping() ? scalar(config->get("kind")) : "";
    if (is_release_document(*config)) {
      release_config = config;
    } else if (kind == "ConfigMap") {
      const YNode* data = config->get("data");
      if (data && data->is_mapping()) {
        for (const auto& [k, v] : data->entries) {
          std::string path = "functionConfig.data." + k->value;
          if (k->value == "target") {
            s.target = scalar(v.get());
          } else if (k->value == "name" || k->value == "namespace") {
            std::string value = scalar(v.get());
            std::string why = check_dns_label(value, k->value == "name");
            if (!why.empty()) sink.error(v->loc, path, quote(value) + ": " + why);
            (k->value == "name" ? s.defaults.name : s.defaults.namespace_) = value;
          } else {
            sink.error(k->loc, path, "unknown option, expected one of name, namespace, target");
          }
        }
      }
    } else {
      sink.error(config->loc, "functionConfig",
                 "expected a Release (apiVersion meshc.dev/v1alpha1), a ConfigMap of options, "
                 "or none, got " +
                     (kind.empty() ? describe(*config) : "kind " + quote(kind)));
    }
  }
  std::optional<TargetChoice> target;
  if (!s.target.empty()) {
    std::string err;
    target = parse_target(s.target, &err);
    if (!target) {
      const YNode* data = config ? config->get("data") : nullptr;
      const YNode* at = data && data->is_mapping() ? data->get("target") : nullptr;
      sink.error(at ? at->loc : Location{}, at ? "functionConfig.data.target" : "", err);
    }
  }

  // The releases are compiled by a driver of their own (the options may come from the input);
  // its diagnostics join `sink` afterwards, in order.
  Driver driver(s.limits, s.defaults, target);
  if (s.configure) s.configure(driver);
  Object items = Object::array();
  std::vector<Attribution> attributions;
  auto compile_into = [&](const YNode& release) {
    size_t begin = driver.sink().all().size();
    auto compiled = driver.compile_document(release, Driver::Stage::kCompile);
    attributions.push_back({begin, driver.sink().all().size(), &release});
    if (!compiled) return;
    for (const Object& object : compiled->objects) items.push_back(object);
  };
  std::vector<Object> item_releases;
  if (!sink.has_errors() && items_node && items_node->is_sequence()) {
    for (const YNodePtr& item : items_node->items) {
      if (is_release_document(*item)) {
        item_releases.push_back(resource_ref(*item));
        compile_into(*item);
      } else {
        items.push_back(to_ordered_json(*item));
      }
    }
  }
  if (!sink.has_errors() && release_config) {
    Object ref = resource_ref(*release_config);
    bool also_an_item = false;
    for (const Object& r : item_releases) also_an_item = also_an_item || r == ref;
    if (!also_an_item) compile_into(*release_config);
  }

  Object results = Object::array();
  for (const auto& d : sink.all()) results.push_back(result_of(d, nullptr));
  const auto& diags = driver.sink().all();
  for (size_t i = 0; i < diags.size(); ++i) {
    const YNode* item = nullptr;
    for (const auto& a : attributions) {
      if (i >= a.begin && i < a.end) item = a.item;
    }
    results.push_back(result_of(diags[i], item));
    sink.add(diags[i]);
  }

  *failed = sink.has_errors();
  for (const auto& d : sink.all()) {
    *failed = *failed || (s.warnings_as_errors && d.severity == Severity::kWarning);
  }
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
