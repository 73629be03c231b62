// The loader's tree: YAML nodes that remember where they came from and how they were written.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diag/source.h"

namespace meshc {

struct YNode;
using YNodePtr = std::shared_ptr<const YNode>;

struct YNode {
  enum class Kind { kNull, kScalar, kSequence, kMapping };

  Kind kind = Kind::kNull;
  Location loc;
  // Scalars: the text after YAML unescaping, and whether it was written plain (unquoted and
  // untagged), which decides its type: plain "80" is an integer, quoted "80" is a string.
  std::string value;
  bool plain = true;
  // Explicit core tag ("str", "int", "bool", "null", "float") or "" when none was written.
  std::string tag;
  std::vector<YNodePtr> items;                         // kSequence
  std::vector<std::pair<YNodePtr, YNodePtr>> entries;  // kMapping, in source order
  // Number of nodes this node stands for once aliases are expanded (itself included).
  uint64_t expanded_size = 1;
  // Bytes of scalar text (keys and values) this node stands for once aliases are expanded.
  uint64_t expanded_bytes = 0;

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_mapping() const { return kind == Kind::kMapping; }

  // The value of mapping key `key`, or nullptr.
  const YNode* get(std::string_view key) const;
  // The key node of mapping key `key`, or nullptr.
  const YNode* key_node(std::string_view key) const;
};

// What scalar_to_json gives, without building the JSON value: the type, and the value of a
// boolean or number (a string's value is the node's own `value`).
struct ScalarValue {
  enum Type { kNull, kBool, kInteger, kFloat, kString };
  Type type = kNull;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
};
ScalarValue resolve_scalar(const YNode& n);

// The value of mapping key `key`, relocated to the key when it is a null on a later line: an
// empty value (`application:` and nothing) is given, by the parser, the place of whatever
// follows, often the next key or the end of the input, where an error about it would point.
YNodePtr at_key_if_empty(YNodePtr value, const YNode& key);

// The JSON type a scalar resolves to under the YAML 1.2 core schema (plain scalars) or its
// explicit tag; quoted scalars are strings.
nlohmann::json scalar_to_json(const YNode& n);
// The whole subtree as typed JSON (aliases expanded; callers check expanded_size first).
nlohmann::json to_json(const YNode& n);
nlohmann::ordered_json to_ordered_json(const YNode& n);

// A short description of a node for "got ..." in messages: `string "abc"`, `integer 80`,
// `a mapping`, `a list`, `null`.
std::string describe(const YNode& n);

}  // namespace meshc
