#include "compiler/schema/schema_validator.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "compiler/diag/field_path.h"
#include "compiler/diag/suggest.h"
#include "compiler/schema/embedded_schema.h"
#include "compiler/schema/fast_schema.h"
#include "compiler/schema/schema_patterns.h"

namespace meshc {

using nlohmann::json;

struct SchemaValidator::Impl {
  // The schema as parsed once (embedded::kReleaseSchemaCompiled), on the first document the
  // fast validator does not accept: its "pattern" keywords renamed for the RE2 constraint
  // (schema_patterns.h), which the explainer reads too. Read and written under `mutex`.
  json schema;
  bool parsed = false;
  json& parsed_schema() {
    if (!parsed) {
      // Routed and stripped at build time: schema_text() minus descriptions (which neither
      // valijson nor the explainer reads), a third of the text to parse.
      schema = json::parse(embedded::kReleaseSchemaCompiled);
      parsed = true;
    }
    return schema;
  }
  // The valijson form of each spec form, compiled on first use: a run that sees only values
  // files (or only Release documents) never pays for the other.
  std::mutex mutex;
  std::unique_ptr<valijson::Schema> values_schema, release_schema;
};

const std::string& SchemaValidator::schema_text() {
  static const std::string* text = new std::string(embedded::kReleaseSchema);
  return *text;
}

SchemaValidator::SchemaValidator() : impl_(std::make_unique<Impl>()) {}

const valijson::Schema& SchemaValidator::compiled(SpecForm form) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::unique_ptr<valijson::Schema>& slot =
      form == SpecForm::kValues ? impl_->values_schema : impl_->release_schema;
  if (slot) return *slot;
  slot = std::make_unique<valijson::Schema>();
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  add_re2_patterns(parser);  // never std::regex on input strings (schema_patterns.h)
  // The root's $ref picks the form. It is put back afterwards (under the same lock as the
  // explainer's reads), so nothing else ever sees the schema changed.
  json& root = impl_->parsed_schema();
  const bool had_ref = root.contains("$ref");
  json saved = had_ref ? root["$ref"] : json();
  root["$ref"] =
      form == SpecForm::kValues ? "#/definitions/values" : "#/definitions/releaseDocument";
  valijson::adapters::NlohmannJsonAdapter adapter(root);
  parser.populateSchema(adapter, *slot);
  if (had_ref) {
    root["$ref"] = std::move(saved);
  } else {
    root.erase("$ref");
  }
  return *slot;
}

SchemaValidator::~SchemaValidator() = default;

std::vector<std::string> SchemaValidator::environments() {
  json schema = json::parse(schema_text());
  std::vector<std::string> out;
  for (const json& e : schema["definitions"]["values"]["properties"]["environment"]["enum"])
    out.push_back(e.get<std::string>());
  return out;
}

const SchemaValidator& SchemaValidator::get() {
  static const SchemaValidator* v = new SchemaValidator();
  return *v;
}

namespace {

// For a plain word YAML 1.1 reads as a boolean and YAML 1.2 as a string (yes, no, on, off, y,
// n): says so, since the same values file works with Helm (YAML 1.1).
std::string yaml11_boolean_hint(const std::string& w) {
  static const std::pair<const char*, bool> kWords[] = {
      {"y", true},   {"Y", true},    {"yes", true},  {"Yes", true}, {"YES", true}, {"on", true},
      {"On", true},  {"ON", true},   {"n", false},   {"N", false},  {"no", false}, {"No", false},
      {"NO", false}, {"off", false}, {"Off", false}, {"OFF", false}};
  for (const auto& [word, value] : kWords) {
    if (w != word) continue;
    const std::string b = value ? "true" : "false";
    return " (YAML 1.1 readers such as Helm take " + w + " for " + b +
           "; meshc reads YAML 1.2, where it is a string: write " + b + ")";
  }
  return "";
}

// A schema pattern compiled with RE2, once per process (schemas hold a bounded set). Under a
// lock of its own: the driver's threads explain failures at once.
const RE2& cached_pattern(const std::string& p) {
  static auto* cache = new std::map<std::string, std::unique_ptr<RE2>>();
  static auto* mutex = new std::mutex();
  std::lock_guard<std::mutex> lock(*mutex);
  auto it = cache->find(p);
  if (it == cache->end()) it = cache->emplace(p, std::make_unique<RE2>(p)).first;
  return *it->second;
}

// The schema objects that apply to one instance node ($ref followed, allOf flattened).
using SchemaSet = std::vector<const json*>;

class Explainer {
 public:
  Explainer(const json& root, const ExplainOptions& options, DiagnosticSink& sink)
      : root_(root), options_(options), sink_(sink) {}

  void collect(const json& s, SchemaSet& out) const {
    if (!s.is_object()) return;
    auto ref = s.find("$ref");
    if (ref != s.end() && ref->is_string()) {
      collect(resolve(ref->get<std::string>()), out);
    } else {
      out.push_back(&s);
    }
    auto all = s.find("allOf");
    if (all != s.end() && all->is_array()) {
      for (const auto& sub : *all) collect(sub, out);
    }
  }

  SchemaSet child_of_key(const SchemaSet& set, const std::string& key) const {
    SchemaSet out;
    for (const json* s : set) {
      auto props = s->find("properties");
      if (props != s->end() && props->contains(key)) {
        collect((*props)[key], out);
        continue;
      }
      auto addl = s->find("additionalProperties");
      if (addl != s->end() && addl->is_object()) collect(*addl, out);
    }
    return out;
  }

  SchemaSet child_of_item(const SchemaSet& set) const {
    SchemaSet out;
    for (const json* s : set) {
      auto items = s->find("items");
      if (items != s->end()) collect(*items, out);
    }
    return out;
  }

  // explain() on `node` and every node below it: for failures valijson reports only at an
  // ancestor (e.g. propertyNames, whose failing key has no context of its own).
  size_t explain_deep(const YNode& node, const SchemaSet& set, const std::string& path,
                      int depth = 0) {
    size_t n = explain(node, nullptr, set, path);
    if (n > 0 || depth > 64) return n;
    if (node.is_mapping()) {
      for (const auto& [k, v] : node.entries) {
        n += explain_deep(*v, child_of_key(set, k->value), append_path(path, k->value), depth + 1);
      }
    } else if (node.is_sequence()) {
      SchemaSet items = child_of_item(set);
      for (size_t i = 0; i < node.items.size(); ++i) {
        n += explain_deep(*node.items[i], items, append_index(path, i), depth + 1);
      }
    }
    return n;
  }

  // Reports the constraints of `set` that `node` itself breaks. Returns how many it reported.
  size_t explain(const YNode& node, const YNode* key_node, const SchemaSet& set,
                 const std::string& path) {
    size_t before = sink_.error_count();
    json value = to_value(node);
    const Location& at = node.loc;
    // Type first: nothing else is meaningful when the type is wrong.
    for (const json* s : set) {
      auto t = s->find("type");
      if (t == s->end()) continue;
      if (!type_matches(*t, value)) {
        std::string msg = "expected " + type_name(*t) + ", got " + describe(node);
        if (options_.quoting_hints && *t == "string" && node.is_scalar() && node.plain) {
          msg += " (quote it to make it a string: " + quote(node.value) + ")";
        }
        if (*t == "boolean" && node.is_scalar() && node.plain)
          msg += yaml11_boolean_hint(node.value);
        error(at, path, msg);
        return sink_.error_count() - before;
      }
    }
    for (const json* s : set) {
      auto e = s->find("enum");
      if (e != s->end() && std::find(e->begin(), e->end(), value) == e->end()) {
        std::vector<std::string> words;
        std::string list;
        for (const auto& v : *e) {
          std::string w = v.is_string() ? v.get<std::string>() : v.dump();
          words.push_back(w);
          list += (list.empty() ? "" : ", ") + w;
        }
        std::string msg = "expected one of " + list + ", got " + describe(node);
        if (value.is_string()) {
          std::string near = closest_word(value.get<std::string>(), words);
          if (!near.empty()) msg += " (did you mean " + quote(near) + "?)";
        }
        error(at, path, msg);
        return sink_.error_count() - before;
      }
      if (value.is_string()) check_string(node, value.get<std::string>(), *s, path, at);
      if (value.is_number()) check_number(node, value, *s, path, at);
      if (node.is_sequence()) check_array(node, *s, path);
      if (node.is_mapping()) {
        check_object(node, *s, set, path);
        check_field_choice(node, *s, path);
      }
    }
    (void)key_node;
    return sink_.error_count() - before;
  }

 private:
  const json& resolve(const std::string& ref) const {
    static const json kEmpty = json::object();
    if (ref.rfind("#/", 0) != 0) return kEmpty;
    const json* cur = &root_;
    size_t pos = 2;
    while (pos <= ref.size()) {
      size_t next = ref.find('/', pos);
      std::string part =
          ref.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
      if (!cur->is_object() || !cur->contains(part)) return kEmpty;
      cur = &(*cur)[part];
      if (next == std::string::npos) break;
      pos = next + 1;
    }
    return *cur;
  }

  static json to_value(const YNode& n) {
    if (n.is_scalar() || n.is_null()) return scalar_to_json(n);
    if (n.is_sequence()) return json::array();
    return json::object();
  }

  static bool one_type_matches(const std::string& t, const json& v) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    // As the validator (strong types) and fast_schema: 1.0 and 1e2 are numbers, not integers.
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    return true;
  }

  static bool type_matches(const json& t, const json& v) {
    if (t.is_string()) return one_type_matches(t.get<std::string>(), v);
    if (t.is_array()) {
      for (const auto& x : t) {
        if (x.is_string() && one_type_matches(x.get<std::string>(), v)) return true;
      }
      return false;
    }
    return true;
  }

  static std::string type_name(const json& t) {
    auto one = [](const std::string& s) -> std::string {
      if (s == "object") return "a mapping";
      if (s == "array") return "a list";
      return s;
    };
    if (t.is_string()) return one(t.get<std::string>());
    std::string out;
    for (const auto& x : t) out += (out.empty() ? "" : " or ") + one(x.get<std::string>());
    return out;
  }

  static size_t utf8_length(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  void check_string(const YNode& node, const std::string& v, const json& s, const std::string& path,
                    const Location& at) {
    auto hint = s.find("x-expected");
    size_t len = utf8_length(v);
    if (s.contains("minLength") && len < s["minLength"].get<size_t>()) {
      error(at, path,
            s["minLength"].get<size_t>() == 1 ? "expected a non-empty string, got " + describe(node)
                                              : "expected at least " + s["minLength"].dump() +
                                                    " characters, got " + std::to_string(len));
      return;
    }
    if (s.contains("maxLength") && len > s["maxLength"].get<size_t>()) {
      error(
          at, path,
          "expected at most " + s["maxLength"].dump() + " characters, got " + std::to_string(len));
      return;
    }
    auto p = s.find("pattern");
    if (p == s.end()) p = s.find(kRe2PatternKeyword);  // a schema routed for valijson
    if (p != s.end() && !RE2::PartialMatch(v, cached_pattern(p->get<std::string>()))) {
      std::string what = hint != s.end() ? hint->get<std::string>()
                                         : "a string matching " + quote(p->get<std::string>());
      error(at, path, "expected " + what + ", got " + describe(node));
    }
  }

  void check_number(const YNode& node, const json& v, const json& s, const std::string& path,
                    const Location& at) {
    double d = v.get<double>();
    bool lo = s.contains("minimum") && d < s["minimum"].get<double>();
    bool hi = s.contains("maximum") && d > s["maximum"].get<double>();
    if (!lo && !hi) return;
    std::string range;
    if (s.contains("minimum") && s.contains("maximum")) {
      range = "from " + s["minimum"].dump() + " to " + s["maximum"].dump();
    } else if (s.contains("minimum")) {
      range = ">= " + s["minimum"].dump();
    } else {
      range = "<= " + s["maximum"].dump();
    }
    // A schema may allow several types ("type": ["integer", "string"]): the range is about the
    // number.
    bool integer = s.contains("type") &&
                   (s["type"] == "integer" ||
                    (s["type"].is_array() &&
                     std::find(s["type"].begin(), s["type"].end(), "integer") != s["type"].end()));
    std::string kind = integer ? "an integer" : "a number";
    error(at, path, "expected " + kind + " " + range + ", got " + node.value);
  }

  void check_array(const YNode& node, const json& s, const std::string& path) {
    size_t n = node.items.size();
    if (s.contains("minItems") && n < s["minItems"].get<size_t>()) {
      size_t m = s["minItems"].get<size_t>();
      error(node.loc, path,
            "expected at least " + std::to_string(m) + (m == 1 ? " item" : " items") + ", got " +
                (n == 0 ? "an empty list" : std::to_string(n)));
    }
    if (s.contains("maxItems") && n > s["maxItems"].get<size_t>()) {
      error(node.items[s["maxItems"].get<size_t>()]->loc, path,
            "expected at most " + s["maxItems"].dump() + " items, got " + std::to_string(n));
    }
    if (s.value("uniqueItems", false)) {
      for (size_t i = 0; i < n; ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (to_json(*node.items[i]) == to_json(*node.items[j])) {
            error(node.items[i]->loc, append_index(path, i),
                  "expected unique items, got a repeat of item " + std::to_string(j));
            return;
          }
        }
      }
    }
  }

  void check_object(const YNode& node, const json& s, const SchemaSet& set,
                    const std::string& path) {
    if (auto req = s.find("required"); req != s.end()) check_required(node, s, *req, path);
    size_t n = node.entries.size();
    if (s.contains("minProperties") && n < s["minProperties"].get<size_t>()) {
      error(node.loc, path,
            "expected " + minmax_words(s) + ", got " +
                (n == 0 ? std::string("an empty mapping") : std::to_string(n)));
    } else if (s.contains("maxProperties") && n > s["maxProperties"].get<size_t>()) {
      error(node.entries[s["maxProperties"].get<size_t>()].first->loc, path,
            "expected " + minmax_words(s) + ", got " + std::to_string(n));
    }
    if (auto names = s.find("propertyNames"); names != s.end()) {
      check_property_names(node, *names, path);
    }
    auto addl = s.find("additionalProperties");
    if (addl != s.end() && addl->is_boolean() && !addl->get<bool>()) {
      check_unknown_fields(node, set, path);
    }
  }

  // A missing required field that an unknown key is a near-miss of is the same mistake as
  // that unknown key: report it once, as the unknown key (check_unknown_fields).
  void check_required(const YNode& node, const json& s, const json& required,
                      const std::string& path) {
    std::vector<std::string> known_here;
    if (auto props = s.find("properties"); props != s.end()) {
      for (auto it = props->begin(); it != props->end(); ++it) known_here.push_back(it.key());
    }
    for (const auto& r : required) {
      std::string name = r.get<std::string>();
      if (node.get(name)) continue;
      bool typo = false;
      for (const auto& [k, v] : node.entries) {
        if (std::find(known_here.begin(), known_here.end(), k->value) == known_here.end() &&
            closest_word(k->value, known_here) == name) {
          typo = true;
        }
      }
      if (!typo) error(node.loc, path, "missing required field " + quote(name));
    }
  }

  void check_property_names(const YNode& node, const json& names, const std::string& path) {
    SchemaSet name_set;
    collect(names, name_set);
    for (const auto& [k, v] : node.entries) {
      YNode key = *k;
      key.plain = false;  // keys are strings
      for (const json* ns : name_set) {
        size_t before = sink_.error_count();
        check_string(key, k->value, *ns, append_path(path, k->value), k->loc);
        if (sink_.error_count() != before) break;
      }
    }
  }

  // additionalProperties: false: every key must be a property of one of the schemas in `set`.
  void check_unknown_fields(const YNode& node, const SchemaSet& set, const std::string& path) {
    std::vector<std::string> known;
    for (const json* other : set) {
      auto props = other->find("properties");
      if (props == other->end()) continue;
      for (auto it = props->begin(); it != props->end(); ++it) known.push_back(it.key());
    }
    for (const auto& [k, v] : node.entries) {
      if (std::find(known.begin(), known.end(), k->value) != known.end()) continue;
      std::string list;
      for (const auto& w : known) list += (list.empty() ? "" : ", ") + w;
      std::string msg = "unknown field, expected one of " + list;
      std::string near = closest_word(k->value, known);
      if (!near.empty()) msg += " (did you mean " + quote(near) + "?)";
      error(k->loc, append_path(path, k->value), msg);
    }
  }

  // The fields a branch of a field choice names: {required: [a]}, or {not: {anyOf: [{required:
  // [a]}, ...]}} (protobuf's oneof as OpenAPI writes it). False when the branch is anything else.
  static bool choice_fields(const json& branch, std::vector<std::string>& names) {
    if (!branch.is_object()) return false;
    for (auto it = branch.begin(); it != branch.end(); ++it) {
      if (it.key() == "required" && it->is_array()) {
        for (const auto& r : *it) {
          if (!r.is_string()) return false;
          if (std::find(names.begin(), names.end(), r) == names.end()) names.push_back(r);
        }
      } else if (it.key() == "not" && it->is_object() && it->size() == 1 && it->contains("anyOf") &&
                 (*it)["anyOf"].is_array()) {
        for (const auto& b : (*it)["anyOf"]) {
          if (!choice_fields(b, names)) return false;
        }
      } else if (it.key() != "description") {
        return false;
      }
    }
    return true;
  }

  // oneOf (at most one of these fields) and anyOf (at least one) written with `required`.
  void check_field_choice(const YNode& node, const json& s, const std::string& path) {
    for (const char* word : {"oneOf", "anyOf"}) {
      auto c = s.find(word);
      if (c == s.end() || !c->is_array()) continue;
      std::vector<std::string> names;
      bool plain = true;
      for (const auto& b : *c) plain = plain && choice_fields(b, names);
      if (!plain || names.empty()) continue;
      std::vector<std::string> present;
      for (const auto& n : names) {
        if (node.get(n)) present.push_back(n);
      }
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      bool one = std::string(word) == "oneOf";
      if (one && present.size() > 1) {
        std::string got;
        for (size_t i = 0; i < present.size(); ++i) {
          got += (i == 0 ? "" : i + 1 == present.size() ? " and " : ", ") + present[i];
        }
        error(node.get(present[1]) ? node.key_node(present[1])->loc : node.loc, path,
              "expected at most one of " + list + ", got " + got);
      } else if (!one && present.empty()) {
        error(node.loc, path, "expected at least one of " + list + ", got none");
      }
    }
  }

  static std::string minmax_words(const json& s) {
    if (s.contains("minProperties") && s.contains("maxProperties") &&
        s["minProperties"] == s["maxProperties"]) {
      std::string n = s["minProperties"].dump();
      return "exactly " + n + (n == "1" ? " field" : " fields") + explain_choices(s);
    }
    if (s.contains("maxProperties")) return "at most " + s["maxProperties"].dump() + " fields";
    return "at least " + s["minProperties"].dump() + " field" + explain_choices(s);
  }

  static std::string explain_choices(const json& s) {
    auto props = s.find("properties");
    if (props == s.end() || props->empty()) return "";
    std::string out;
    for (auto it = props->begin(); it != props->end(); ++it) {
      out += (out.empty() ? "" : ", ") + it.key();
    }
    return " (one of " + out + ")";
  }

  void error(const Location& at, const std::string& path, std::string msg) {
    // One message per place and text: several schemas of one node may restate a constraint.
    auto key = std::make_tuple(at.line, at.col, path, msg);
    if (!seen_.insert(key).second) return;
    sink_.error(at, path, std::move(msg));
  }

  const json& root_;
  const ExplainOptions& options_;
  DiagnosticSink& sink_;
  std::set<std::tuple<uint32_t, uint32_t, std::string, std::string>> seen_;
};

}  // namespace

namespace {

// The node a valijson context names, with its key node, field path and schemas.
struct ContextNode {
  const YNode* node = nullptr;
  const YNode* key = nullptr;
  std::string path;
  SchemaSet set;
};

// Follows `context` ("<root>", then keys and "[index]") from `instance`; false when it leads
// out of the document.
bool find_context_node(Explainer& ex, const json& schema, const YNode& instance,
                       const std::vector<std::string>& context, ContextNode* out) {
  out->node = &instance;
  ex.collect(schema, out->set);
  for (size_t i = 1; i < context.size(); ++i) {
    const std::string& c = context[i];
    std::string part = c.size() >= 2 && c.front() == '[' ? c.substr(1, c.size() - 2) : c;
    const YNode* node = out->node;
    if (node->is_sequence()) {
      size_t idx = std::strtoul(part.c_str(), nullptr, 10);
      if (idx >= node->items.size()) return false;
      out->node = node->items[idx].get();
      out->key = nullptr;
      out->path = append_index(out->path, idx);
      out->set = ex.child_of_item(out->set);
    } else if (node->is_mapping()) {
      const YNode* child = node->get(part);
      if (!child) return false;
      out->key = node->key_node(part);
      out->node = child;
      out->path = append_path(out->path, part);
      out->set = ex.child_of_key(out->set, part);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

size_t explain_schema_failures(const json& root, const json& schema, const YNode& instance,
                               const std::vector<SchemaFailure>& failures,
                               const ExplainOptions& options, DiagnosticSink& sink) {
  Explainer ex(root, options, sink);
  // Every distinct failing node, explained once, in document order of valijson's contexts.
  std::set<std::vector<std::string>> done;
  // A context no other context lies below is where valijson stopped descending: explain the
  // whole subtree there. Above it, only the node's own constraints.
  auto is_leaf = [&](const std::vector<std::string>& c) {
    for (const auto& other : failures) {
      const auto& o = other.context;
      if (o.size() > c.size() && std::equal(c.begin(), c.end(), o.begin())) return false;
    }
    return true;
  };
  size_t before = sink.error_count();
  for (const auto& err : failures) {
    if (!done.insert(err.context).second) continue;
    ContextNode at;
    if (!find_context_node(ex, schema, instance, err.context, &at)) continue;
    size_t n = is_leaf(err.context) ? ex.explain_deep(*at.node, at.set, at.path)
                                    : ex.explain(*at.node, at.key, at.set, at.path);
    if (n == 0 && options.report_unexplained && is_leaf(err.context)) {
      // valijson's words, made to read like ours: lower-case, no final period.
      std::string why = err.description;
      if (!why.empty()) why[0] = static_cast<char>(tolower(static_cast<unsigned char>(why[0])));
      while (!why.empty() && (why.back() == '.' || why.back() == ' ')) why.pop_back();
      sink.error(at.node->loc, at.path, "does not match the schema: " + why);
    }
  }
  return sink.error_count() - before;
}

bool SchemaValidator::validate(const YNode& root, SpecForm form, DiagnosticSink& sink) const {
  // The generated tables decide first (fast_schema.h); valijson and the explainer only see a
  // document they do not accept, so every message stays as valijson's failures make it.
  if (fast_schema::validate(root, form) == fast_schema::Verdict::kValid) return true;
  return validate_with_valijson(root, form, sink);
}

bool SchemaValidator::validate_with_valijson(const YNode& root, SpecForm form,
                                             DiagnosticSink& sink) const {
  json instance = to_json(root);
  valijson::adapters::NlohmannJsonAdapter target(instance);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  const valijson::Schema& schema = compiled(form);
  if (validator.validate(schema, target, &results)) return true;

  std::lock_guard<std::mutex> lock(impl_->mutex);  // compiled() may be editing the root's $ref
  json& parsed = impl_->parsed_schema();
  const json& def = parsed["definitions"][form == SpecForm::kValues ? "values" : "releaseDocument"];
  std::vector<SchemaFailure> failures;
  for (const auto& err : results) failures.push_back({err.context, err.description});
  if (explain_schema_failures(parsed, def, root, failures, ExplainOptions{}, sink) == 0) {
    // The explainer found no constraint of its own to blame: report valijson's first leaf.
    const auto& first = *results.begin();
    sink.error(root.loc, "", "does not match the release schema: " + first.description);
  }
  return false;
}

}  // namespace meshc
