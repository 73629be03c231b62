#include "compiler/schema/schema_patterns.h"

#include <re2/re2.h>

#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>

namespace meshc {

namespace {

// What a member of a schema object holds, by its keyword.
enum class Member { kOther, kPattern, kSchemaMap, kSchemaOrList, kBranches };

Member member_kind(const std::string& k) {
  if (k == "pattern") return Member::kPattern;
  if (k == "properties" || k == "patternProperties" || k == "definitions" || k == "dependencies") {
    return Member::kSchemaMap;  // name -> schema
  }
  if (k == "not" || k == "allOf" || k == "anyOf" || k == "oneOf") return Member::kBranches;
  if (k == "items" || k == "additionalItems" || k == "additionalProperties" ||
      k == "propertyNames" || k == "contains" || k == "if" || k == "then" || k == "else") {
    return Member::kSchemaOrList;  // a schema or a list of schemas
  }
  return Member::kOther;
}

// Calls f(subschema, is_branch) for every schema directly below the schema object `schema`.
template <typename F>
void for_each_subschema(nlohmann::json& schema, F&& f) {
  for (auto it = schema.begin(); it != schema.end(); ++it) {
    Member m = member_kind(it.key());
    nlohmann::json& v = it.value();
    if (m == Member::kSchemaMap) {
      if (v.is_object()) {
        for (auto& sub : v) f(sub, false);
      }
    } else if (m == Member::kSchemaOrList || m == Member::kBranches) {
      if (v.is_array()) {
        for (auto& sub : v) f(sub, m == Member::kBranches);
      } else {
        f(v, m == Member::kBranches);
      }
    }
  }
}

void strip_descriptions(nlohmann::json& schema, bool is_branch) {
  if (!schema.is_object()) return;
  for_each_subschema(schema,
                     [](nlohmann::json& sub, bool branch) { strip_descriptions(sub, branch); });
  auto d = schema.find("description");
  if (!is_branch && d != schema.end() && d->is_string()) schema.erase(d);
}

}  // namespace

void route_patterns_to_re2(nlohmann::json& schema) {
  if (!schema.is_object()) return;
  // One walk over the object's members (not a lookup per keyword: this runs over every CRD
  // schema of --check-against).
  for_each_subschema(schema, [](nlohmann::json& sub, bool) { route_patterns_to_re2(sub); });
  auto p = schema.find("pattern");
  if (p != schema.end() && p->is_string()) {
    nlohmann::json pattern = std::move(*p);
    schema.erase(p);
    schema[kRe2PatternKeyword] = std::move(pattern);
  }
}

void strip_descriptions(nlohmann::json& schema) {
  strip_descriptions(schema, false);
}

namespace {

// Compiled patterns, shared by every constraint (schemas hold a bounded set of patterns).
// Under a lock: the driver's threads validate at once (an RE2 itself is safe to share).
const RE2& compiled(const std::string& pattern) {
  static auto* cache = new std::map<std::string, std::unique_ptr<RE2>>();
  static auto* mutex = new std::mutex();
  std::lock_guard<std::mutex> lock(*mutex);
  auto it = cache->find(pattern);
  if (it == cache->end()) {
    RE2::Options options;
    options.set_log_errors(false);
    it = cache->emplace(pattern, std::make_unique<RE2>(pattern, options)).first;
  }
  return *it->second;
}

class Re2PatternConstraint final : public valijson::constraints::PolyConstraint {
 public:
  explicit Re2PatternConstraint(std::string pattern) : pattern_(std::move(pattern)) {}

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override {
    if (!target.isString()) return true;
    const RE2& re = compiled(pattern_);
    if (!re.ok() || RE2::PartialMatch(target.asString(), re)) return true;
    if (results) {
      results->pushError(context, "Failed to match regex specified by 'pattern' constraint.");
    }
    return false;
  }

 private:
  Constraint* cloneInto(void* where) const override {
    return new (where) Re2PatternConstraint(pattern_);
  }
  size_t sizeOf() const override { return sizeof(Re2PatternConstraint); }

  std::string pattern_;
};

class Re2PatternBuilder final : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override {
    std::string pattern;
    if (value.maybeString()) pattern = value.asString();
    return new Re2PatternConstraint(pattern);
  }
};

}  // namespace

void add_re2_patterns(valijson::SchemaParser& parser) {
  parser.addConstraintBuilder(kRe2PatternKeyword, new Re2PatternBuilder());
}

}  // namespace meshc
