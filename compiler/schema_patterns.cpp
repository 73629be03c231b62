#include "compiler/schema_patterns.h"

#include <re2/re2.h>

#include <map>
#include <memory>
#include <new>
#include <string>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>

namespace meshc {

void route_patterns_to_re2(nlohmann::json& schema) {
  if (!schema.is_object()) return;
  auto p = schema.find("pattern");
  if (p != schema.end() && p->is_string()) {
    schema[kRe2PatternKeyword] = *p;
    schema.erase("pattern");
  }
  // Keywords whose value is a map of name -> schema.
  for (const char* k : {"properties", "patternProperties", "definitions", "dependencies"}) {
    auto it = schema.find(k);
    if (it == schema.end() || !it->is_object()) continue;
    for (auto& sub : *it) route_patterns_to_re2(sub);
  }
  // Keywords whose value is a schema or a list of schemas.
  for (const char* k : {"items", "additionalItems", "additionalProperties", "propertyNames",
                        "contains", "not", "if", "then", "else", "allOf", "anyOf", "oneOf"}) {
    auto it = schema.find(k);
    if (it == schema.end()) continue;
    if (it->is_array()) {
      for (auto& sub : *it) route_patterns_to_re2(sub);
    } else {
      route_patterns_to_re2(*it);
    }
  }
}

namespace {

// Compiled patterns, shared by every constraint (schemas hold a bounded set of patterns).
const RE2& compiled(const std::string& pattern) {
  static auto* cache = new std::map<std::string, std::unique_ptr<RE2>>();
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
