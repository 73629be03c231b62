#include "compiler/verify/crd_check.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "compiler/diag/field_path.h"
#include "compiler/diag/suggest.h"
#include "compiler/schema/schema_patterns.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/manifest_stream.h"
#include "compiler/yaml/yaml_loader.h"

namespace meshc {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// API versions and kinds

struct Gvk {
  std::string group, version, kind;
  bool operator<(const Gvk& o) const {
    return std::tie(group, version, kind) < std::tie(o.group, o.version, o.kind);
  }
};

// API groups an API server serves itself. A CRD group always holds a dot, so a group without
// one (core "", apps, batch ...) is built in too.
bool is_builtin_group(const std::string& group) {
  static const char* const kDotted[] = {"admissionregistration.k8s.io",
                                        "apiextensions.k8s.io",
                                        "apiregistration.k8s.io",
                                        "authentication.k8s.io",
                                        "authorization.k8s.io",
                                        "certificates.k8s.io",
                                        "coordination.k8s.io",
                                        "discovery.k8s.io",
                                        "events.k8s.io",
                                        "flowcontrol.apiserver.k8s.io",
                                        "internal.apiserver.k8s.io",
                                        "networking.k8s.io",
                                        "node.k8s.io",
                                        "rbac.authorization.k8s.io",
                                        "resource.k8s.io",
                                        "scheduling.k8s.io",
                                        "storage.k8s.io",
                                        "storagemigration.k8s.io"};
  if (group.find('.') == std::string::npos) return true;
  for (const char* g : kDotted) {
    if (group == g) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// From a CRD's structural schema to a JSON Schema (draft 4, as OpenAPI v3.0 writes bounds)

// Keywords copied as they are: they mean the same in both languages.
const char* const kPlainKeywords[] = {
    "enum",       "minimum",     "maximum",       "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minLength",   "maxLength",     "pattern",          "minItems",
    "maxItems",   "uniqueItems", "minProperties", "maxProperties"};

// A CRD file no API server would have accepted. valijson aborts the process on a keyword of
// the wrong type, so every keyword handed to it is checked here first.
class BadSchema : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws BadSchema unless `v` is a value valijson accepts for keyword `k`.
void check_keyword(const std::string& k, const json& v) {
  auto fail = [&](const char* expected) {
    throw BadSchema(k + ": expected " + expected + ", got " + v.dump());
  };
  if (k == "minLength" || k == "maxLength" || k == "minItems" || k == "maxItems" ||
      k == "minProperties" || k == "maxProperties") {
    if (!(v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0))) {
      fail("a non-negative integer");
    }
  } else if (k == "minimum" || k == "maximum") {
    if (!v.is_number()) fail("a number");
  } else if (k == "multipleOf") {
    if (!v.is_number() || v.get<double>() <= 0) fail("a positive number");
  } else if (k == "exclusiveMinimum" || k == "exclusiveMaximum" || k == "uniqueItems") {
    if (!v.is_boolean()) fail("a boolean");
  } else if (k == "pattern") {
    if (!v.is_string()) fail("a string");
  } else if (k == "enum") {
    if (!v.is_array()) fail("a list");
  } else if (k == "required") {
    if (!v.is_array()) fail("a list of field names");
    for (const auto& r : v) {
      if (!r.is_string()) fail("a list of field names");
    }
  } else if (k == "type") {
    static const char* const kTypes[] = {"array",  "boolean", "integer", "null",
                                         "number", "object",  "string"};
    auto known = [](const json& t) {
      return t.is_string() &&
             std::find(std::begin(kTypes), std::end(kTypes), t) != std::end(kTypes);
    };
    if (!known(v)) fail("one of array, boolean, integer, null, number, object, string");
  }
}

// `s[key]` is boolean true (CRDs are user input: a value of another type means false).
bool is_true(const json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_boolean() && it->get<bool>();
}

std::string string_of(const json& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class SchemaConverter {
 public:
  // The top of a version's openAPIV3Schema. apiVersion and kind are always allowed; metadata
  // keeps the CRD's own restrictions (name, generateName) but is open: check_metadata() checks
  // its fields as ObjectMeta.
  json convert_root(const json& s) {
    json out = structural(s);
    json& props = out["properties"];
    if (!props.contains("apiVersion")) props["apiVersion"] = {{"type", "string"}};
    if (!props.contains("kind")) props["kind"] = {{"type", "string"}};
    json meta = s.contains("properties") && s["properties"].contains("metadata")
                    ? structural(s["properties"]["metadata"])
                    : json::object();
    meta.erase("additionalProperties");
    meta["type"] = "object";
    props["metadata"] = std::move(meta);
    if (!out.contains("type")) out["type"] = "object";
    if (!out.contains("additionalProperties")) out["additionalProperties"] = false;
    return out;
  }

 private:
  // A node of the structural part: it decides types and which fields exist.
  json structural(const json& s) {
    json out = json::object();
    if (!s.is_object()) return out;
    bool int_or_string = is_true(s, "x-kubernetes-int-or-string");
    bool preserve = is_true(s, "x-kubernetes-preserve-unknown-fields");
    bool nullable = is_true(s, "nullable");
    std::vector<std::string> types;
    if (int_or_string) {
      types = {"integer", "string"};
    } else if (s.contains("type")) {
      check_keyword("type", s["type"]);
      types = {s["type"].get<std::string>()};
    }
    if (nullable && !types.empty()) types.push_back("null");
    if (types.size() == 1) out["type"] = types[0];
    if (types.size() > 1) out["type"] = types;
    copy_plain(s, out);
    if (nullable && out.contains("enum") && out["enum"].is_array() &&
        std::find(out["enum"].begin(), out["enum"].end(), nullptr) == out["enum"].end()) {
      out["enum"].push_back(nullptr);
    }
    if (string_of(s, "x-kubernetes-list-type") == "set") out["uniqueItems"] = true;
    if (s.contains("items")) out["items"] = structural(s["items"]);
    bool has_props = s.contains("properties") && s["properties"].is_object();
    if (has_props) {
      json& props = out["properties"] = json::object();
      for (auto it = s["properties"].begin(); it != s["properties"].end(); ++it) {
        props[it.key()] = structural(*it);
      }
    }
    if (is_true(s, "x-kubernetes-embedded-resource")) {
      json& props = out["properties"];
      for (const char* k : {"apiVersion", "kind"}) {
        if (!props.contains(k)) props[k] = {{"type", "string"}};
      }
      if (!props.contains("metadata")) props["metadata"] = {{"type", "object"}};
    }
    if (s.contains("additionalProperties")) {
      const json& a = s["additionalProperties"];
      if (!a.is_object() && !a.is_boolean()) {
        throw BadSchema("additionalProperties: expected a schema or a boolean, got " + a.dump());
      }
      out["additionalProperties"] = a.is_object() ? structural(a) : a;
    } else if (!preserve && (has_props || string_of(s, "type") == "object")) {
      // Kubernetes prunes what the schema does not declare; strict validation rejects it.
      out["additionalProperties"] = false;
    }
    if (s.contains("required")) {
      check_keyword("required", s["required"]);
      json req = json::array();
      for (const auto& r : s["required"]) {
        // A required field with a default is filled in by the server before validation.
        bool defaulted = r.is_string() && has_props && s["properties"].contains(r) &&
                         s["properties"][r.get<std::string>()].contains("default");
        if (!defaulted) req.push_back(r);
      }
      if (!req.empty()) out["required"] = std::move(req);
    }
    add_junctors(s, out, int_or_string);
    return out;
  }

  // allOf / anyOf / oneOf / not: value validations (no types, no closing of objects).
  void add_junctors(const json& s, json& out, bool int_or_string) {
    for (const char* word : {"allOf", "anyOf", "oneOf"}) {
      auto it = s.find(word);
      if (it == s.end() || !it->is_array()) continue;
      // int-or-string spells its two types as anyOf [{type: integer}, {type: string}]
      // (sometimes inside allOf); the type above already says that.
      if (int_or_string && only_types(*it)) continue;
      json branches = json::array();
      bool lossy = false;
      for (const auto& b : *it) {
        if (int_or_string && b.is_object() && b.size() == 1 && b.contains("anyOf") &&
            only_types(b["anyOf"])) {
          continue;
        }
        branches.push_back(value(b, &lossy));
      }
      if (branches.empty()) continue;
      // Dropping a constraint inside oneOf can make two branches match: skip it whole.
      if (lossy && std::string(word) == "oneOf") continue;
      out[word] = std::move(branches);
    }
    if (s.contains("not")) {
      bool lossy = false;
      json n = value(s["not"], &lossy);
      if (!lossy) out["not"] = std::move(n);
    }
  }

  static bool only_types(const json& branches) {
    for (const auto& b : branches) {
      if (!b.is_object() || b.size() != 1 || !b.contains("type")) return false;
    }
    return true;
  }

  // A value validation (inside a junctor). Sets *lossy when it held a constraint meshc drops.
  json value(const json& s, bool* lossy) {
    json out = json::object();
    if (!s.is_object()) throw BadSchema("expected a schema, got " + s.dump());
    if (s.contains("format") || s.contains("x-kubernetes-validations")) *lossy = true;
    if (s.contains("type")) {
      check_keyword("type", s["type"]);
      out["type"] = s["type"];
    }
    copy_plain(s, out);
    if (s.contains("required")) {
      check_keyword("required", s["required"]);
      out["required"] = s["required"];
    }
    if (s.contains("items")) out["items"] = value(s["items"], lossy);
    if (s.contains("properties") && s["properties"].is_object()) {
      json& props = out["properties"] = json::object();
      for (auto it = s["properties"].begin(); it != s["properties"].end(); ++it) {
        props[it.key()] = value(*it, lossy);
      }
    }
    for (const char* word : {"allOf", "anyOf", "oneOf"}) {
      auto it = s.find(word);
      if (it == s.end() || !it->is_array()) continue;
      bool inner = false;
      json branches = json::array();
      for (const auto& b : *it) branches.push_back(value(b, &inner));
      if (inner) *lossy = true;
      if (inner && std::string(word) == "oneOf") continue;
      out[word] = std::move(branches);
    }
    if (s.contains("not")) {
      bool inner = false;
      json n = value(s["not"], &inner);
      if (inner)
        *lossy = true;
      else
        out["not"] = std::move(n);
    }
    return out;
  }

  static void copy_plain(const json& s, json& out) {
    for (const char* k : kPlainKeywords) {
      auto it = s.find(k);
      if (it == s.end()) continue;
      check_keyword(k, *it);
      out[k] = *it;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// ObjectMeta

const char* const kObjectMetaFields[] = {"annotations",
                                         "creationTimestamp",
                                         "deletionGracePeriodSeconds",
                                         "deletionTimestamp",
                                         "finalizers",
                                         "generateName",
                                         "generation",
                                         "labels",
                                         "managedFields",
                                         "name",
                                         "namespace",
                                         "ownerReferences",
                                         "resourceVersion",
                                         "selfLink",
                                         "uid"};

constexpr size_t kMaxAnnotationBytes = 256 * 1024;

const char* const kDns1123Label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const char* const kDns1123Subdomain =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const char* const kLabelName = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

std::string describe_json(const json& v) {
  if (v.is_string()) return "string " + quote(v.get<std::string>());
  if (v.is_boolean()) return std::string("boolean ") + (v.get<bool>() ? "true" : "false");
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer " + v.dump();
  if (v.is_number()) return "number " + v.dump();
  if (v.is_null()) return "null";
  if (v.is_array()) return "a list";
  return "a mapping";
}

// What is wrong with `key` as a qualified name (label or annotation key), or "".
std::string check_qualified_name(const std::string& key) {
  static const RE2* prefix_re = new RE2(kDns1123Subdomain);
  static const RE2* name_re = new RE2(kLabelName);
  std::string prefix, name = key;
  size_t slash = key.find('/');
  if (slash != std::string::npos) prefix = key.substr(0, slash), name = key.substr(slash + 1);
  if (slash != std::string::npos) {
    if (prefix.empty() || prefix.size() > 253 || !RE2::FullMatch(prefix, *prefix_re)) {
      return "expected a key prefix that is a DNS-1123 subdomain of at most 253 characters "
             "(lower-case letters, digits, '-' and '.'), got " +
             quote(prefix);
    }
  }
  if (name.empty() || name.size() > 63 || !RE2::FullMatch(name, *name_re)) {
    return "expected a qualified name: at most 63 letters, digits, '-', '_' and '.', starting "
           "and ending alphanumeric, after an optional DNS-subdomain prefix and '/', got " +
           quote(key);
  }
  return "";
}

// Reports ObjectMeta mistakes of `meta` as (path, message) pairs.
void check_metadata(const json& obj, std::vector<std::pair<std::string, std::string>>& out) {
  static const RE2* label_re = new RE2(kDns1123Label);
  static const RE2* subdomain_re = new RE2(kDns1123Subdomain);
  static const RE2* value_re = new RE2(std::string("(") + kLabelName + ")?");
  auto it = obj.find("metadata");
  if (it == obj.end()) {
    out.emplace_back("", "missing required field \"metadata\"");
    return;
  }
  const json& meta = *it;
  if (!meta.is_object()) return;  // the schema reports the type
  std::vector<std::string> known(std::begin(kObjectMetaFields), std::end(kObjectMetaFields));
  for (auto f = meta.begin(); f != meta.end(); ++f) {
    if (std::find(known.begin(), known.end(), f.key()) != known.end()) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    std::string msg = "unknown field, expected one of " + list;
    std::string near = closest_word(f.key(), known);
    if (!near.empty()) msg += " (did you mean " + quote(near) + "?)";
    out.emplace_back(append_path("metadata", f.key()), msg);
  }
  auto name = meta.find("name");
  if (name == meta.end()) {
    out.emplace_back("metadata", "missing required field \"name\"");
  } else if (!name->is_string()) {
    out.emplace_back("metadata.name", "expected string, got " + describe_json(*name));
  } else {
    const std::string& n = name->get<std::string>();
    if (n.empty() || n.size() > 253 || !RE2::FullMatch(n, *subdomain_re)) {
      out.emplace_back("metadata.name",
                       "expected a DNS-1123 subdomain of at most 253 characters (lower-case "
                       "letters, digits, '-' and '.', starting and ending with a letter or "
                       "digit), got " +
                           describe_json(*name));
    }
  }
  auto ns = meta.find("namespace");
  if (ns != meta.end()) {
    if (!ns->is_string()) {
      out.emplace_back("metadata.namespace", "expected string, got " + describe_json(*ns));
    } else {
      const std::string& n = ns->get<std::string>();
      if (n.empty() || n.size() > 63 || !RE2::FullMatch(n, *label_re)) {
        out.emplace_back("metadata.namespace",
                         "expected a DNS-1123 label of at most 63 characters (lower-case "
                         "letters, digits and '-', starting and ending with a letter or "
                         "digit), got " +
                             describe_json(*ns));
      }
    }
  }
  for (const char* field : {"labels", "annotations"}) {
    auto m = meta.find(field);
    if (m == meta.end()) continue;
    std::string base = std::string("metadata.") + field;
    if (!m->is_object()) {
      out.emplace_back(base, "expected a mapping, got " + describe_json(*m));
      continue;
    }
    bool labels = std::string(field) == "labels";
    size_t total = 0;
    for (auto e = m->begin(); e != m->end(); ++e) {
      std::string path = append_path(base, e.key());
      std::string why = check_qualified_name(e.key());
      if (!why.empty()) out.emplace_back(path, why);
      if (!e->is_string()) {
        out.emplace_back(path, "expected string, got " + describe_json(*e));
        continue;
      }
      const std::string& v = e->get<std::string>();
      total += e.key().size() + v.size();
      if (labels && (v.size() > 63 || !RE2::FullMatch(v, *value_re))) {
        out.emplace_back(path,
                         "expected a label value: at most 63 letters, digits, '-', '_' and '.', "
                         "starting and ending alphanumeric, got " +
                             describe_json(*e));
      }
    }
    if (!labels && total > kMaxAnnotationBytes) {
      out.emplace_back(base, "expected annotations of at most " +
                                 std::to_string(kMaxAnnotationBytes) + " bytes in total, got " +
                                 std::to_string(total));
    }
  }
}

// The object as a tree the explainer can walk; every node is placed at `at`.
YNodePtr to_ynode(const Object& v, const Location& at) {
  auto n = std::make_shared<YNode>();
  n->loc = at;
  if (v.is_object()) {
    n->kind = YNode::Kind::kMapping;
    for (auto it = v.begin(); it != v.end(); ++it) {
      auto key = std::make_shared<YNode>();
      key->kind = YNode::Kind::kScalar;
      key->loc = at;
      key->value = it.key();
      key->plain = false;
      n->entries.emplace_back(std::move(key), to_ynode(*it, at));
    }
  } else if (v.is_array()) {
    n->kind = YNode::Kind::kSequence;
    for (const auto& item : v) n->items.push_back(to_ynode(item, at));
  } else if (v.is_null()) {
    n->kind = YNode::Kind::kNull;
  } else {
    n->kind = YNode::Kind::kScalar;
    if (v.is_string()) {
      n->value = v.get<std::string>();
      n->plain = false;
    } else {
      n->value = v.dump();  // integers, numbers and booleans read back as their type
      n->plain = true;
    }
  }
  return n;
}

std::string object_identity(const Object& obj) {
  std::string kind = obj.contains("kind") && obj["kind"].is_string()
                         ? obj["kind"].get<std::string>()
                         : std::string("object");
  std::string name, ns;
  if (obj.contains("metadata") && obj["metadata"].is_object()) {
    const auto& m = obj["metadata"];
    if (m.contains("name") && m["name"].is_string()) name = m["name"].get<std::string>();
    if (m.contains("namespace") && m["namespace"].is_string()) {
      ns = m["namespace"].get<std::string>();
    }
  }
  if (name.empty()) return kind + " (unnamed)";
  return kind + " " + (ns.empty() ? name : ns + "/" + name);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The set

// One CRD's definition of one version.
struct Definition {
  std::string file;
  std::tuple<size_t, size_t, size_t> order;  // (segment, item, version): file order
  Location loc;                              // the version entry in the CRD file
  const YNode* schema = nullptr;             // openAPIV3Schema, or null when the version has none
  bool served = true;
  bool deprecated = false;
  std::string deprecation_warning;
  // Built on first use: most runs need a few of the definitions loaded.
  std::unique_ptr<json> converted;
  std::unique_ptr<valijson::Schema> compiled;
  bool unusable = false;  // the schema could not be converted or parsed (reported)
};

// A document of a CRD file that mentions CustomResourceDefinition, parsed on first need.
struct Segment {
  size_t source = 0;
  size_t begin = 0, end = 0;
  bool parsed = false;
};

struct CrdSet::Impl {
  std::string dir;
  std::vector<std::unique_ptr<SourceFile>> sources;
  std::vector<Segment> segments;        // in file order, then offset
  std::vector<YamlDocument> documents;  // keep the nodes `Definition::schema` points into
  std::set<std::pair<std::string, std::string>> ready;            // (group, kind)s fully parsed
  std::map<Gvk, std::vector<std::unique_ptr<Definition>>> index;  // each in file order

  void ensure(const std::string& group, const std::string& kind, DiagnosticSink& sink);
  void ensure_all(DiagnosticSink& sink);
  void parse(size_t segment, DiagnosticSink& sink);
  bool add_crd(const YNode& doc, size_t segment, size_t item, DiagnosticSink& sink);
  const valijson::Schema* compiled(Definition& d, const Gvk& gvk, DiagnosticSink& sink);
};

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
      auto converted = std::make_unique<json>(SchemaConverter().convert_root(to_json(*d.schema)));
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

bool CrdSet::check(const std::vector<Object>& objects, const Location& at,
                   DiagnosticSink& sink) const {
  size_t before = sink.error_count();
  std::set<Gvk> version_noted;  // served / deprecated notes: once per kind and version
  for (const Object& obj : objects) {
    if (!obj.is_object() || !obj.contains("apiVersion") || !obj["apiVersion"].is_string() ||
        !obj.contains("kind") || !obj["kind"].is_string()) {
      sink.error(at, "", object_identity(obj) + ": expected apiVersion and kind strings");
      continue;
    }
    std::string api_version = obj["apiVersion"].get<std::string>();
    Gvk gvk;
    size_t slash = api_version.find('/');
    gvk.version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
    if (slash != std::string::npos) gvk.group = api_version.substr(0, slash);
    gvk.kind = obj["kind"].get<std::string>();
    if (is_builtin_group(gvk.group)) continue;
    std::string who = object_identity(obj);

    impl_->ensure(gvk.group, gvk.kind, sink);
    auto found = impl_->index.find(gvk);
    if (found == impl_->index.end()) {
      std::string others;
      for (const auto& [g, defs] : impl_->index) {
        if (g.group == gvk.group && g.kind == gvk.kind) {
          others += (others.empty() ? "" : ", ") + g.version;
        }
      }
      sink.error(at, "",
                 who + ": the cluster's CRDs in " + impl_->dir + " define no " + gvk.kind + " in " +
                     api_version +
                     (others.empty() ? std::string()
                                     : " (they define " + gvk.kind + " in " + gvk.group +
                                           " versions " + others + ")"));
      continue;
    }
    const auto& defs = found->second;

    if (version_noted.insert(gvk).second) {
      bool served = false, all_deprecated = true;
      std::string files, warning;
      for (const auto& d : defs) {
        served = served || d->served;
        files += (files.empty() ? "" : ", ") + d->file;
        if (d->served) {
          all_deprecated = all_deprecated && d->deprecated;
          if (warning.empty()) warning = d->deprecation_warning;
        }
      }
      if (!served) {
        std::string serving;
        for (const auto& [g, ds] : impl_->index) {
          if (g.group != gvk.group || g.kind != gvk.kind) continue;
          for (const auto& d : ds) {
            if (d->served) {
              serving += (serving.empty() ? "" : ", ") + g.version;
              break;
            }
          }
        }
        sink.warning(at, "",
                     who + ": " + api_version + " " + gvk.kind + " is not served by this CRD (" +
                         files + "): an API server with it installed rejects the object" +
                         (serving.empty() ? std::string() : "; served versions: " + serving));
      } else if (all_deprecated) {
        sink.warning(at, "",
                     who + ": " + api_version + " " + gvk.kind + " is deprecated (" + files + ")" +
                         (warning.empty() ? std::string() : ": " + warning));
      }
    }

    // Every definition's verdict; the same mistake from several files is reported once.
    struct Finding {
      std::string path, message;
      std::vector<std::string> files;
    };
    std::vector<Finding> findings;
    json instance = json::parse(obj.dump());
    YNodePtr tree;
    bool any_schema = false;
    for (const auto& d : defs) {
      if (!d->schema) continue;
      any_schema = true;
      const valijson::Schema* schema = impl_->compiled(*d, gvk, sink);
      if (!schema) continue;
      valijson::Validator validator(valijson::Validator::kStrongTypes);
      valijson::ValidationResults results;
      valijson::adapters::NlohmannJsonAdapter adapter(instance);
      bool valid;
      try {
        valid = validator.validate(*schema, adapter, &results);
      } catch (const std::exception& e) {
        sink.error(at, "", who + ": cannot check against " + d->file + ": " + e.what());
        continue;
      }
      if (valid) continue;
      if (!tree) tree = to_ynode(obj, at);
      std::vector<SchemaFailure> failures;
      for (const auto& err : results) failures.push_back({err.context, err.description});
      DiagnosticSink local;
      ExplainOptions options;
      options.quoting_hints = false;
      options.report_unexplained = true;
      size_t explained = 0;
      try {
        explained =
            explain_schema_failures(*d->converted, *d->converted, *tree, failures, options, local);
      } catch (const std::exception&) {
        local.truncate(0);  // a constraint of an odd type: fall back to valijson's words
      }
      if (explained == 0) {
        local.error(at, "", "does not match the schema: " + results.begin()->description);
      }
      for (const auto& diag : local.all()) {
        auto same = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) {
          if (f.path != diag.path) return false;
          if (f.message == diag.message) return true;
          // Channels list different known fields; the unknown field is the same mistake.
          return f.message.rfind("unknown field", 0) == 0 &&
                 diag.message.rfind("unknown field", 0) == 0;
        });
        if (same == findings.end()) {
          findings.push_back({diag.path, diag.message, {d->file}});
        } else if (std::find(same->files.begin(), same->files.end(), d->file) ==
                   same->files.end()) {
          same->files.push_back(d->file);
        }
      }
    }
    if (!any_schema) {
      std::string files;
      for (const auto& d : defs) files += (files.empty() ? "" : ", ") + d->file;
      sink.note(at, "",
                who + ": " + api_version + " " + gvk.kind + " has no schema in " + files +
                    ": only its metadata is checked");
    }
    std::vector<std::pair<std::string, std::string>> meta;
    check_metadata(obj, meta);
    for (const auto& [path, message] : meta) {
      sink.error(at, "", who + ": " + (path.empty() ? "" : path + ": ") + message);
    }
    for (const auto& f : findings) {
      // ObjectMeta's verdict on a metadata field replaces the CRD's restatement of it.
      auto said = [&](const auto& m) { return m.first == f.path; };
      if (std::find_if(meta.begin(), meta.end(), said) != meta.end()) continue;
      std::string files;
      for (const auto& x : f.files) files += ", " + x;
      sink.error(at, "",
                 who + ": " + (f.path.empty() ? "" : f.path + ": ") + f.message + " (" +
                     api_version + " " + gvk.kind + files + ")");
    }
  }
  return sink.error_count() == before;
}

}  // namespace meshc
