#include "compiler/schema/schema_doc.h"

#include <nlohmann/json.hpp>

#include "compiler/schema/schema_validator.h"

namespace meshc {

namespace {

using nlohmann::json;

class DocWriter {
 public:
  explicit DocWriter(const json& root) : root_(root) {}

  // Follows $ref and single-entry allOf wrappers; keeps the outermost description.
  json resolve(const json& s) const {
    json out = s;
    const json* cur = &s;
    for (int guard = 0; guard < 8; ++guard) {
      const json* next = nullptr;
      if (cur->contains("$ref")) {
        std::string ref = (*cur)["$ref"];
        next = &root_["definitions"][ref.substr(ref.rfind('/') + 1)];
      } else if (cur->contains("allOf") && (*cur)["allOf"].size() == 1) {
        next = &(*cur)["allOf"][0];
      }
      if (!next) break;
      for (auto it = next->begin(); it != next->end(); ++it) {
        if (!out.contains(it.key()) || it.key() == "type") out[it.key()] = *it;
      }
      out.erase("$ref");
      out.erase("allOf");
      cur = next;
    }
    return out;
  }

  void walk(const std::string& path, const json& raw, bool required, std::string& out, int depth) {
    json s = resolve(raw);
    if (!path.empty()) out += row(path, s, required);
    if (depth > 8) return;
    if (s.contains("properties")) {
      std::vector<std::string> req;
      if (s.contains("required")) req = s["required"].get<std::vector<std::string>>();
      for (auto it = s["properties"].begin(); it != s["properties"].end(); ++it) {
        bool r = std::find(req.begin(), req.end(), it.key()) != req.end();
        walk(path.empty() ? it.key() : path + "." + it.key(), *it, r, out, depth + 1);
      }
    }
    if (s.contains("items")) walk(path + "[]", s["items"], false, out, depth + 1);
  }

 private:
  static std::string cell(std::string text) {
    std::string out;
    for (char c : text) {
      if (c == '|')
        out += "\\|";
      else if (c == '\n')
        out += ' ';
      else
        out += c;
    }
    return out;
  }

  std::string row(const std::string& path, const json& s, bool required) const {
    std::string type = s.contains("type") ? (s["type"].is_string() ? s["type"].get<std::string>()
                                                                   : s["type"].dump())
                                          : "";
    if (type == "object" && s.contains("additionalProperties") &&
        s["additionalProperties"].is_object()) {
      json v = resolve(s["additionalProperties"]);
      type = "map of " + v.value("type", std::string("any"));
    }
    if (type == "array" && s.contains("items")) {
      json v = resolve(s["items"]);
      type = "list of " + v.value("type", std::string("any"));
    }
    std::vector<std::string> rules;
    if (required) rules.push_back("required");
    if (s.contains("enum")) {
      std::string e;
      for (const auto& v : s["enum"])
        e += (e.empty() ? "" : ", ") + ("`" + v.get<std::string>() + "`");
      rules.push_back("one of " + e);
    }
    if (s.contains("default")) rules.push_back("default `" + s["default"].dump() + "`");
    if (s.contains("minimum")) rules.push_back(">= " + s["minimum"].dump());
    if (s.contains("maximum")) rules.push_back("<= " + s["maximum"].dump());
    if (s.contains("maxLength")) rules.push_back("at most " + s["maxLength"].dump() + " chars");
    if (s.contains("minItems")) rules.push_back("at least " + s["minItems"].dump() + " items");
    if (s.contains("maxItems")) rules.push_back("at most " + s["maxItems"].dump() + " items");
    if (s.contains("x-expected")) rules.push_back(s["x-expected"].get<std::string>());
    std::string r;
    for (const auto& x : rules) r += (r.empty() ? "" : "; ") + x;
    return "| `" + path + "` | " + cell(type) + " | " + cell(r) + " | " +
           cell(s.value("description", std::string())) + " |\n";
  }

  const json& root_;
};

}  // namespace

std::string schema_markdown() {
  json root = json::parse(SchemaValidator::schema_text());
  DocWriter w(root);
  std::string out =
      "# Release spec reference\n\n"
      "Generated from `schemas/release.schema.json` by `meshc schema --format markdown`; do not\n"
      "edit by hand (a test fails when this file and the schema disagree). What the fields mean\n"
      "for routing is specified in the README and `docs/` pages.\n\n"
      "## Values form (Iter8 `release` chart values)\n\n"
      "| field | type | rules | description |\n|---|---|---|---|\n";
  w.walk("", root["definitions"]["values"], false, out, 0);
  out +=
      "\n## `kind: Release` form\n\n"
      "The values above go under `spec`.\n\n"
      "| field | type | rules | description |\n|---|---|---|---|\n";
  json rel = root["definitions"]["releaseDocument"];
  rel["properties"].erase("spec");
  w.walk("", rel, false, out, 0);
  return out;
}

}  // namespace meshc
