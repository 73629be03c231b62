// A CRD's structural schema (OpenAPI v3 as Kubernetes reads it) as a JSON Schema that
// valijson validates with the same meaning.
#include "compiler/verify/structural_schema.h"

#include <stdexcept>

#include "compiler/schema/schema_patterns.h"

namespace meshc::verify {

using nlohmann::json;

namespace {

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

// Walks a structural schema and writes the JSON Schema of the same meaning.
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
    if (s.contains("required")) add_required(s, has_props, out);
    add_junctors(s, out, int_or_string);
    return out;
  }

  // required, less the fields with a default: the server fills those in before validation.
  void add_required(const json& s, bool has_props, json& out) {
    check_keyword("required", s["required"]);
    json req = json::array();
    for (const auto& r : s["required"]) {
      bool defaulted = r.is_string() && has_props && s["properties"].contains(r) &&
                       s["properties"][r.get<std::string>()].contains("default");
      if (!defaulted) req.push_back(r);
    }
    if (!req.empty()) out["required"] = std::move(req);
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

}  // namespace

json structural_to_json_schema(const json& openapi_schema) {
  return SchemaConverter().convert_root(openapi_schema);
}

}  // namespace meshc::verify
