// The release schema's verdict without parsing the schema: tables generated at build time from
// schemas/release.schema.json (cmake/gen_fast_schema.cpp), walked over the loader's tree.
//
// SchemaValidator runs this first. Only a document it does not call valid goes on to valijson,
// which decides again and whose failures the explainer turns into messages; a valid document
// (every compile that succeeds) never builds valijson's schema. The verdict is valijson's
// (draft-07, strong types, patterns with RE2's PartialMatch; here each pattern is a DFA built
// at build time by cmake/pattern_dfa.cpp, so no run compiles a regex) for the keywords the
// generator accepts: type, enum, minLength/maxLength, pattern, minimum/maximum, items,
// minItems/maxItems, uniqueItems, properties, required, additionalProperties (bool or schema),
// propertyNames, minProperties/maxProperties, allOf and $ref. Any other keyword in the schema fails
// the build, so the schema stays the one source of truth. Differential tests hold the two verdicts
// equal (tests/unit/fast_schema_test.cpp, tests/fuzz/fuzz_fast_schema.cpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace meshc {

struct YNode;
enum class SpecForm;

namespace fast_schema {

// kUnsure: a string whose length valijson measures in a way that depends on malformed UTF-8
// beyond what the tables model; the caller asks valijson.
enum class Verdict { kValid, kInvalid, kUnsure };

Verdict validate(const YNode& root, SpecForm form);

// --- The generated tables (generated/fast_schema_tables.cpp) -----------------------------

enum TypeBit : uint8_t {
  kNullType = 1,
  kBooleanType = 2,
  kIntegerType = 4,
  kNumberType = 8,  // integers too
  kStringType = 16,
  kArrayType = 32,
  kObjectType = 64,
};

enum class Additional : uint8_t { kAny, kNone, kSchema };

inline constexpr uint64_t kNoLimit = ~uint64_t{0};
inline constexpr int32_t kNoSchema = -1;

struct Node {
  uint8_t types;  // TypeBit mask; 0 when the schema has no "type"
  bool has_enum;
  bool unique_items;
  bool has_minimum, has_maximum;
  Additional additional;
  int32_t additional_schema;                // Additional::kSchema
  int32_t items;                            // kNoSchema: no "items"
  int32_t property_names;                   // kNoSchema: no "propertyNames"
  int32_t pattern;                          // index into kPatterns, or -1
  uint32_t props_begin, props_count;        // kProperties, sorted by name
  uint32_t required_begin, required_count;  // kStrings
  uint32_t enum_begin, enum_count;          // kStrings (string enums only)
  uint32_t all_of_begin, all_of_count;      // kSchemaLists
  uint64_t min_length, max_length;          // 0 / kNoLimit when absent
  uint64_t min_items, max_items;
  uint64_t min_properties, max_properties;
  double minimum, maximum;
};

struct Property {
  std::string_view name;
  int32_t schema;
};

extern const Node kNodes[];
extern const Property kProperties[];
extern const std::string_view kStrings[];
extern const int32_t kSchemaLists[];
// A schema pattern as a DFA over bytes (cmake/pattern_dfa.h): state 0 is dead, next[state *
// classes + byte_class[byte]] is the state after a byte; the string matches when the state at
// its end is accepting. The table answers RE2::PartialMatch(string, source).
struct Pattern {
  std::string_view source;
  const uint8_t* byte_class;  // 256 entries
  const uint16_t* next;
  const uint8_t* accept;  // per state
  uint32_t classes, start;
};

bool matches(const Pattern& p, std::string_view s);

extern const Pattern kPatterns[];
extern const uint32_t kPatternCount;
extern const int32_t kValuesRoot;   // #/definitions/values
extern const int32_t kReleaseRoot;  // #/definitions/releaseDocument

}  // namespace fast_schema
}  // namespace meshc
