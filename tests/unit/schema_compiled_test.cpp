// The schema the validator parses at run time (built by cmake/compile_schema.cpp) is the
// shipped schema with descriptions stripped and patterns routed to RE2, nothing else.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compiler/schema/embedded_schema.h"
#include "compiler/schema/schema_patterns.h"

namespace meshc {
namespace {

TEST(SchemaCompiled, IsTheShippedSchemaStrippedAndRouted) {
  nlohmann::json expected = nlohmann::json::parse(embedded::kReleaseSchema);
  strip_descriptions(expected);
  route_patterns_to_re2(expected);
  EXPECT_EQ(nlohmann::json::parse(embedded::kReleaseSchemaCompiled), expected);
}

TEST(SchemaCompiled, KeepsDescriptionsOnlyInBranches) {
  nlohmann::json s = nlohmann::json::parse(R"({
    "description": "root", "properties": {"description": {"type": "string", "description": "x"}},
    "oneOf": [{"required": ["a"], "description": "kept"}],
    "not": {"anyOf": [{"required": ["b"]}], "description": "kept"},
    "enum": [{"description": "data"}]})");
  strip_descriptions(s);
  EXPECT_EQ(s, nlohmann::json::parse(R"({
    "properties": {"description": {"type": "string"}},
    "oneOf": [{"required": ["a"], "description": "kept"}],
    "not": {"anyOf": [{"required": ["b"]}], "description": "kept"},
    "enum": [{"description": "data"}]})"));
}

}  // namespace
}  // namespace meshc
