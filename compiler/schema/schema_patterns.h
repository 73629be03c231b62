// JSON Schema "pattern" evaluated with RE2 inside valijson.
//
// valijson evaluates "pattern" with std::regex, whose matcher recurses once per input
// character: a string of a few hundred kilobytes (a label value, an annotation, a field of a
// deploymentSpecification) overflows the stack and kills the process, and some patterns take
// exponential time. RE2 runs in time linear in the input without recursion, and is the engine
// Kubernetes itself (Go regexp) and meshc's explainer use, so a pattern means the same thing
// everywhere. Every valijson schema in meshc is parsed through these two functions.
#pragma once

#include <nlohmann/json.hpp>

namespace valijson {
class SchemaParser;
}

namespace meshc {

// The keyword that "pattern" is renamed to (a valijson custom constraint).
inline constexpr const char* kRe2PatternKeyword = "x-meshc-re2-pattern";

// Renames every "pattern" keyword of the JSON Schema `schema` (draft 4 to 7, in schema
// positions only: property names and enum/const/default data are left alone) to
// kRe2PatternKeyword.
void route_patterns_to_re2(nlohmann::json& schema);

// Removes the "description" annotations of the JSON Schema `schema` (in schema positions only,
// as above), except in the branches of not/allOf/anyOf/oneOf, whose members the explainer
// reads (schema_validator.h). Validation and the explainer's messages do not depend on them.
void strip_descriptions(nlohmann::json& schema);

// Registers the RE2 constraint for kRe2PatternKeyword with `parser`: a string value must
// contain a match of the pattern (JSON Schema semantics: unanchored). A pattern RE2 cannot
// compile constrains nothing. Non-strings always pass.
void add_re2_patterns(valijson::SchemaParser& parser);

}  // namespace meshc
