#include "compiler/integrations/krm.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "compiler/integrations/chart_clash.h"
#include "compiler/integrations/post_render.h"
#include "compiler/k8s/names.h"
#include "compiler/lower/lower.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_writer.h"

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

// KRM results name a note's severity "info" (the function spec: error, warning, info).
const char* krm_severity(Severity s) {
  return s == Severity::kNote ? "info" : severity_name(s);
}

Object result_of(const Diagnostic& d, const YNode* item) {
  Object r = Object::object();
  r["message"] = d.message_with_notes();
  r["severity"] = krm_severity(d.severity);
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
    r["message"] = d.loc.str() + ": " + d.message_with_notes();
  }
  return r;
}

// Byte offset of the start of 0-based `line` in `f`.
size_t line_offset(const SourceFile& f, uint32_t line) {
  return static_cast<size_t>(f.line_text(line).data() - f.text().data());
}

bool blank_or_comment(std::string_view t) {
  size_t i = t.find_first_not_of(" \t");
  return i == std::string_view::npos || t[i] == '#';
}

// The text of each item of the block sequence `items` (a value of the mapping `list`) exactly
// as written: from the line of its "-" to the next item's, the last up to the next key of
// `list` or the end of the input. Empty when the layout is not one this can cut (flow style,
// items sharing a line, dashes in different columns ...); callers then re-write the items.
std::vector<std::string_view> item_texts(const SourceFile& f, const YNode& list, const YNode& items,
                                         std::string* dash_indent) {
  std::vector<size_t> starts;
  long dash_col = -1;
  for (const YNodePtr& item : items.items) {
    if (!item->is_mapping() || !item->loc.valid() || item->loc.file != &f) return {};
    uint32_t line = item->loc.line;
    std::string_view t = f.line_text(line);
    std::string_view before = t.substr(0, std::min<size_t>(item->loc.col, t.size()));
    size_t dash = before.find('-');
    if (dash == std::string_view::npos) {
      // "- # comment" on a line above, the mapping below it.
      while (line > 0) {
        std::string_view above = f.line_text(--line);
        size_t d = above.find_first_not_of(' ');
        if (d != std::string_view::npos && above[d] == '-' &&
            blank_or_comment(above.substr(d + 1))) {
          dash = d;
          break;
        }
        if (!blank_or_comment(above)) return {};
      }
      if (dash == std::string_view::npos) return {};
    } else if (before.find_first_not_of(' ') != dash ||
               before.substr(dash + 1).find_first_not_of(' ') != std::string_view::npos) {
      return {};
    }
    if (dash_col >= 0 && static_cast<long>(dash) != dash_col) return {};
    dash_col = static_cast<long>(dash);
    size_t start = line_offset(f, line);
    if (!starts.empty() && start <= starts.back()) return {};
    starts.push_back(start);
  }
  if (starts.empty()) return {};
  size_t end = f.text().size();
  bool after_items = false;
  for (const auto& [k, v] : list.entries) {
    if (after_items) {
      end = line_offset(f, k->loc.line);
      break;
    }
    after_items = v.get() == &items;
  }
  if (end <= starts.back()) return {};
  starts.push_back(end);
  std::vector<std::string_view> out;
  for (size_t i = 0; i + 1 < starts.size(); ++i) {
    out.push_back(std::string_view(f.text()).substr(starts[i], starts[i + 1] - starts[i]));
  }
  *dash_indent = std::string(static_cast<size_t>(dash_col), ' ');
  return out;
}

// `object` as an item of a block sequence whose dashes are at `indent`.
std::string as_sequence_item(const Object& object, const std::string& indent) {
  std::string doc;
  write_yaml_document(object, doc);  // "---\n" then one line per key, no block scalars
  std::string out;
  bool first = true;
  for (size_t pos = doc.find('\n') + 1; pos < doc.size();) {
    size_t nl = doc.find('\n', pos);
    std::string_view line(doc.data() + pos, (nl == std::string::npos ? doc.size() : nl) - pos);
    out += indent;
    out += first ? "- " : "  ";
    out.append(line);
    out += '\n';
    first = false;
    pos = nl == std::string::npos ? doc.size() : nl + 1;
  }
  return out;
}

// The ResourceList of the input: its one document, checked to be a ResourceList. Null after
// reporting what it is instead.
const YNode* resource_list(const SourceFile& input, const std::vector<YamlDocument>& docs,
                           DiagnosticSink& sink, std::string* api_version) {
  if (sink.has_errors()) return nullptr;
  const YNode* list = nullptr;
  for (const auto& d : docs) {
    if (d.root->is_null()) continue;
    if (list) {
      sink.error(d.root->loc, "", "expected one ResourceList, got a second YAML document");
      return nullptr;
    }
    list = d.root.get();
  }
  if (!list) {
    sink.error(Location{&input, 0, 0}, "", "expected a ResourceList on stdin, got no document");
    return nullptr;
  }
  const YNode* kind = list->is_mapping() ? list->get("kind") : nullptr;
  if (!kind || scalar(kind) != "ResourceList") {
    sink.error(kind ? kind->loc : list->loc, kind ? "kind" : "",
               "expected a ResourceList (apiVersion config.kubernetes.io/v1), got " +
                   (kind ? describe(*kind) : describe(*list)));
    return nullptr;
  }
  std::string api = scalar(list->get("apiVersion"));
  if (api.rfind("config.kubernetes.io/", 0) == 0) *api_version = api;
  return list;
}

// One option of a ConfigMap functionConfig (what `kpt fn eval ... -- key=value` sends) into `s`.
void apply_option(const YNode& key, const YNode& value, KrmSettings& s, DiagnosticSink& sink) {
  const std::string& k = key.value;
  std::string path = "functionConfig.data." + k;
  std::string v = scalar(&value);
  if (k == "target") {
    s.target = v;
  } else if (k == "name" || k == "namespace") {
    std::string why = check_dns_label(v, k == "name");
    if (!why.empty()) sink.error(value.loc, path, quote(v) + ": " + why);
    (k == "name" ? s.defaults.name : s.defaults.namespace_) = v;
  } else if (k == "implementation" || k == "gatewayImplementation") {
    std::string err;
    if (!check_implementation_option(path, v, &err)) {
      sink.error(value.loc, path, err.substr(path.size() + 2));
    }
    (k == "implementation" ? s.defaults.routing.implementation
                           : s.defaults.routing.gateway_implementation) = v;
  } else if (k == "appVersionHeader") {
    if (v != "true" && v != "false") {
      sink.error(value.loc, path, "expected true or false, got " + quote(v));
    }
    s.defaults.routing.app_version_header = v;
  } else if (k == "step") {
    if (v.empty()) sink.error(value.loc, path, "expected a step index or a step name, got \"\"");
    s.defaults.step = v;
  } else {
    sink.error(key.loc, path,
               "unknown option, expected one of appVersionHeader, gatewayImplementation, "
               "implementation, name, namespace, step, target");
  }
}

// The functionConfig: a Release to compile too (returned), a ConfigMap of options (applied to
// `s`), or none; anything else is an error.
const YNode* apply_function_config(const YNode* config, KrmSettings& s, DiagnosticSink& sink) {
  if (!config || config->is_null()) return nullptr;
  std::string kind = config->is_mapping() ? scalar(config->get("kind")) : "";
  if (is_release_document(*config)) return config;
  if (kind != "ConfigMap") {
    sink.error(config->loc, "functionConfig",
               "expected a Release (apiVersion meshc.dev/v1alpha1), a ConfigMap of options, "
               "or none, got " +
                   (kind.empty() ? describe(*config) : "kind " + quote(kind)));
    return nullptr;
  }
  const YNode* data = config->get("data");
  if (data && data->is_mapping()) {
    for (const auto& [k, v] : data->entries) apply_option(*k, *v, s, sink);
  }
  return nullptr;
}

// The output items: kept ones (with their text as written, when it can be cut out) and the
// objects compiled from Releases; every diagnostic of a compile is attributed to its Release.
struct ItemsOut {
  Object items = Object::array();
  std::vector<std::string_view> raw;  // per item: its text as written, or empty (compiled)
  std::vector<Attribution> attributions;
};

// An item kept as it is that is also an object a Release generates: kubectl apply would keep
// one of them. Each error names the kept item (its resourceRef in the results).
void report_kept_clashes(const std::vector<const YNode*>& kept, const GeneratedObjects& generated,
                         DiagnosticSink& sink, std::vector<Attribution>& attributions) {
  if (generated.empty()) return;
  for (const YNode* item : kept) {
    ClaimedObject claimed;
    if (!claimed_from_node(*item, &claimed)) continue;
    size_t begin = sink.all().size();
    generated.report_clashes(claimed, item->loc, sink);
    if (sink.all().size() != begin) attributions.push_back({begin, sink.all().size(), item});
  }
}

// Compiles the Release items and the Release functionConfig (unless it is also an item) with
// `driver`, keeping every other item.
ItemsOut compile_items(const YNode* items_node, const YNode* release_config,
                       const std::vector<std::string_view>& texts, Driver& driver) {
  ItemsOut out;
  GeneratedObjects generated("an item of the ResourceList", "the item is here");
  std::vector<const YNode*> kept;
  auto compile_into = [&](const YNode& release) {
    size_t begin = driver.sink().all().size();
    auto compiled = driver.compile_document(release, Driver::Stage::kCompile);
    out.attributions.push_back({begin, driver.sink().all().size(), &release});
    if (!compiled) return;
    for (const Object& object : compiled->objects) {
      generated.add(object, release.loc);
      out.items.push_back(object);
      out.raw.emplace_back();
    }
  };
  std::vector<Object> item_releases;
  if (items_node && items_node->is_sequence()) {
    for (size_t i = 0; i < items_node->items.size(); ++i) {
      const YNode& item = *items_node->items[i];
      if (is_release_document(item)) {
        item_releases.push_back(resource_ref(item));
        compile_into(item);
      } else {
        out.items.push_back(to_ordered_json(item));
        out.raw.push_back(texts.empty() ? std::string_view() : texts[i]);
        kept.push_back(&item);
      }
    }
  }
  if (release_config) {
    Object ref = resource_ref(*release_config);
    bool also_an_item = false;
    for (const Object& r : item_releases) also_an_item = also_an_item || r == ref;
    if (!also_an_item) compile_into(*release_config);
  }
  report_kept_clashes(kept, generated, driver.sink(), out.attributions);
  return out;
}

// Every diagnostic as a result (the function's own first, then the compiles', each with the
// Release it came from); the compiles' diagnostics join `sink`.
Object results_of(const DiagnosticSink& compile_sink, const ItemsOut& items, DiagnosticSink& sink) {
  Object results = Object::array();
  for (const auto& d : sink.all()) results.push_back(result_of(d, nullptr));
  const auto& diags = compile_sink.all();
  for (size_t i = 0; i < diags.size(); ++i) {
    const YNode* item = nullptr;
    for (const auto& a : items.attributions) {
      if (i >= a.begin && i < a.end) item = a.item;
    }
    results.push_back(result_of(diags[i], item));
    sink.add(diags[i]);
  }
  return results;
}

// The output with kept items as they were written (comments, order, quoting: the KRM spec asks
// functions to keep comments) and compiled ones in the writer's form at the same indentation;
// "" unless it reads back as exactly `out`.
std::string keep_written_items(const Object& out, const ItemsOut& items,
                               const std::string& dash_indent, const Limits& limits) {
  std::string kept = "---\napiVersion: ";
  write_yaml_scalar(out["apiVersion"], kept);  // from the input: quoted like any value
  kept += "\nkind: ResourceList\nitems:\n";
  for (size_t i = 0; i < items.items.size(); ++i) {
    if (items.raw[i].empty()) {
      kept += as_sequence_item(items.items[i], dash_indent);
    } else {
      kept.append(items.raw[i]);
      if (kept.back() != '\n') kept += '\n';
    }
  }
  if (out.contains("results")) {
    std::string r;
    write_yaml_document(Object{{"results", out["results"]}}, r);
    kept.append(r, 4, std::string::npos);  // without its "---\n"
  }
  SourceFile back("<output>", kept);
  DiagnosticSink check_sink;
  Limits unlimited = limits;
  unlimited.max_input_bytes = ~size_t{0};
  std::vector<YamlDocument> reread = load_yaml(back, unlimited, check_sink);
  if (check_sink.has_errors() || reread.size() != 1) return "";
  if (to_json(*reread[0].root) != nlohmann::json::parse(out.dump())) return "";
  return kept;
}

}  // namespace

std::string run_krm_function(const SourceFile& input, const KrmSettings& settings,
                             DiagnosticSink& sink, bool* failed) {
  std::vector<YamlDocument> docs = load_yaml(input, settings.limits, sink);
  std::string api_version = kDefaultApiVersion;
  const YNode* list = resource_list(input, docs, sink, &api_version);
  const YNode* items_node = list ? list->get("items") : nullptr;
  if (items_node && !items_node->is_null() && !items_node->is_sequence()) {
    sink.error(items_node->loc, "items",
               "expected a list of resources, got " + describe(*items_node));
    items_node = nullptr;
  }
  // Options from a ConfigMap functionConfig override the command line's.
  KrmSettings s = settings;
  const YNode* release_config =
      apply_function_config(list ? list->get("functionConfig") : nullptr, s, sink);
  std::optional<TargetChoice> target;
  if (!s.target.empty()) {
    std::string err;
    target = parse_target(s.target, &err);
    if (!target) {
      const YNode* config = list ? list->get("functionConfig") : nullptr;
      const YNode* data = config ? config->get("data") : nullptr;
      const YNode* at = data && data->is_mapping() ? data->get("target") : nullptr;
      sink.error(at ? at->loc : Location{}, at ? "functionConfig.data.target" : "", err);
    }
  }
  // The releases are compiled by a driver of their own (the options may come from the input);
  // its diagnostics join `sink` afterwards, in order.
  Driver driver(s.limits, s.defaults, target);
  if (s.configure) s.configure(driver);
  std::string dash_indent;
  std::vector<std::string_view> texts;
  if (items_node && items_node->is_sequence()) {
    texts = item_texts(input, *list, *items_node, &dash_indent);
  }
  ItemsOut items;
  if (!sink.has_errors()) items = compile_items(items_node, release_config, texts, driver);
  Object results = results_of(driver.sink(), items, sink);
  *failed = sink.has_errors();
  for (const auto& d : sink.all()) {
    *failed = *failed || (s.warnings_as_errors && d.severity == Severity::kWarning);
  }
  Object out = Object::object();
  out["apiVersion"] = api_version;
  out["kind"] = "ResourceList";
  out["items"] = *failed ? Object::array() : items.items;
  if (!results.empty()) out["results"] = results;
  std::string text;
  write_yaml_document(out, text);
  if (*failed || texts.empty() || items.items.empty()) return text;
  std::string kept = keep_written_items(out, items, dash_indent, s.limits);
  return kept.empty() ? text : kept;
}

}  // namespace meshc
