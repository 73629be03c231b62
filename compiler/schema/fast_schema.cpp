#include "compiler/schema/fast_schema.h"

#include <algorithm>

#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/yaml_tree.h"

namespace meshc::fast_schema {

namespace {

// The kind of a node's JSON value (yaml_tree.h's to_json), with a scalar's number.
struct Value {
  enum Kind { kNull, kBool, kInteger, kFloat, kString, kArray, kObject } kind;
  ScalarValue scalar;
};

Value value_of(const YNode& n) {
  switch (n.kind) {
    case YNode::Kind::kNull:
      return {Value::kNull, {}};
    case YNode::Kind::kSequence:
      return {Value::kArray, {}};
    case YNode::Kind::kMapping:
      return {Value::kObject, {}};
    case YNode::Kind::kScalar:
      break;
  }
  ScalarValue s = resolve_scalar(n);
  switch (s.type) {
    case ScalarValue::kNull:
      return {Value::kNull, s};
    case ScalarValue::kBool:
      return {Value::kBool, s};
    case ScalarValue::kInteger:
      return {Value::kInteger, s};
    case ScalarValue::kFloat:
      return {Value::kFloat, s};
    case ScalarValue::kString:
      break;
  }
  return {Value::kString, s};
}

double number_of(const Value& v) {
  return v.kind == Value::kInteger ? static_cast<double>(v.scalar.integer) : v.scalar.number;
}

// valijson's equalTo(other, strict = true) of two values (uniqueItems): numbers by value,
// whatever their kind; strings, booleans, null by type and value; arrays and objects member by
// member.
bool equal(const YNode& a, const YNode& b) {
  Value va = value_of(a), vb = value_of(b);
  switch (va.kind) {
    case Value::kNull:
      return vb.kind == Value::kNull;
    case Value::kBool:
      return vb.kind == Value::kBool && va.scalar.boolean == vb.scalar.boolean;
    case Value::kInteger:
    case Value::kFloat:
      return (vb.kind == Value::kInteger || vb.kind == Value::kFloat) &&
             number_of(va) == number_of(vb);
    case Value::kString:
      return vb.kind == Value::kString && a.value == b.value;
    case Value::kArray:
      if (vb.kind != Value::kArray || a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i) {
        if (!equal(*a.items[i], *b.items[i])) return false;
      }
      return true;
    case Value::kObject:
      // The loader refuses duplicate keys, so entries are the object's members.
      if (vb.kind != Value::kObject || a.entries.size() != b.entries.size()) return false;
      for (const auto& [k, v] : a.entries) {
        const YNode* other = b.get(k->value);
        if (!other || !equal(*v, *other)) return false;
      }
      return true;
  }
  return false;
}

class Checker {
 public:
  bool unsure = false;

  // Whether `n` satisfies schema `s`; false at the first constraint it breaks.
  bool check(const YNode& n, int32_t s) { return check_value(n, value_of(n), s); }

  // A mapping key: always a string (to_json uses the key's text).
  bool check_key(const YNode& key, int32_t s) {
    Value v{Value::kString, {}};
    v.scalar.type = ScalarValue::kString;
    return check_value(key, v, s);
  }

 private:
  bool check_value(const YNode& n, const Value& v, int32_t s) {
    const Node& d = kNodes[s];
    if (d.types != 0 && !type_matches(d.types, v.kind)) return false;
    switch (v.kind) {
      case Value::kString:
        if (!check_string(n.value, d)) return false;
        break;
      case Value::kInteger:
      case Value::kFloat: {
        // valijson compares as doubles; NaN passes both.
        double x = number_of(v);
        if (d.has_minimum && x < d.minimum) return false;
        if (d.has_maximum && x > d.maximum) return false;
        break;
      }
      case Value::kArray:
        if (!check_array(n, d)) return false;
        break;
      case Value::kObject:
        if (!check_object(n, d)) return false;
        break;
      case Value::kNull:
      case Value::kBool:
        break;
    }
    if (d.has_enum) {
      // Only string enums are generated; valijson's strict equality wants a string.
      if (v.kind != Value::kString) return false;
      bool found = false;
      for (uint32_t i = 0; i < d.enum_count && !found; ++i)
        found = kStrings[d.enum_begin + i] == n.value;
      if (!found) return false;
    }
    for (uint32_t i = 0; i < d.all_of_count; ++i) {
      if (!check_value(n, v, kSchemaLists[d.all_of_begin + i])) return false;
    }
    return true;
  }

  static bool type_matches(uint8_t types, Value::Kind k) {
    switch (k) {
      case Value::kNull:
        return types & kNullType;
      case Value::kBool:
        return types & kBooleanType;
      case Value::kInteger:
        return types & (kIntegerType | kNumberType);
      case Value::kFloat:
        return types & kNumberType;
      case Value::kString:
        return types & kStringType;
      case Value::kArray:
        return types & kArrayType;
      case Value::kObject:
        return types & kObjectType;
    }
    return false;
  }

  // valijson's utils::u8_strlen: characters up to the first NUL byte, a character being a
  // byte and the continuation bytes after it, counting stopping early at a sequence whose
  // decoded value is 0. A sequence longer than 6 bytes makes valijson read past its table:
  // then the answer is valijson's to give (unsure).
  bool u8_length(const std::string& s, uint64_t* out) {
    static const uint32_t kOffsets[6] = {0x00000000UL, 0x00003080UL, 0x000E2080UL,
                                         0x03C82080UL, 0xFA082080UL, 0x82082080UL};
    const char* p = s.c_str();
    uint64_t count = 0, i = 0;
    while (p[i] != 0) {
      uint64_t ch = 0;
      int sz = 0;
      do {
        ch <<= 6;
        ch += static_cast<unsigned char>(p[i++]);
        sz++;
      } while (p[i] && (p[i] & 0xC0) == 0x80);
      if (sz > 6) return unsure = true, false;
      ch -= kOffsets[sz - 1];
      if (ch == 0) break;
      count++;
    }
    *out = count;
    return true;
  }

  bool check_string(const std::string& s, const Node& d) {
    if (d.min_length != 0 || d.max_length != kNoLimit) {
      uint64_t len = 0;
      // ASCII without NUL, the usual case: one character per byte.
      bool simple = true;
      for (unsigned char c : s) simple = simple && c != 0 && c < 0x80;
      if (simple) {
        len = s.size();
      } else if (!u8_length(s, &len)) {
        return true;  // unsure: go on, the caller asks valijson
      }
      if (len < d.min_length || len > d.max_length) return false;
    }
    if (d.pattern >= 0 && !matches(kPatterns[d.pattern], s)) return false;
    return true;
  }

  bool check_array(const YNode& n, const Node& d) {
    const size_t size = n.items.size();
    if (size < d.min_items || size > d.max_items) return false;
    if (d.items != kNoSchema) {
      for (const auto& item : n.items) {
        if (!check(*item, d.items)) return false;
      }
    }
    if (d.unique_items) {
      for (size_t i = 1; i < size; ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (equal(*n.items[i], *n.items[j])) return false;
        }
      }
    }
    return true;
  }

  bool check_object(const YNode& n, const Node& d) {
    const size_t size = n.entries.size();  // keys are unique (the loader refuses duplicates)
    if (size < d.min_properties || size > d.max_properties) return false;
    for (uint32_t i = 0; i < d.required_count; ++i) {
      if (!n.get(kStrings[d.required_begin + i])) return false;
    }
    const Property* props = kProperties + d.props_begin;
    const Property* props_end = props + d.props_count;
    for (const auto& [k, v] : n.entries) {
      if (d.property_names != kNoSchema && !check_key(*k, d.property_names)) return false;
      const std::string& key = k->value;
      const Property* p = std::lower_bound(
          props, props_end, key,
          [](const Property& a, const std::string& b) { return a.name < std::string_view(b); });
      if (p != props_end && p->name == key) {
        if (!check(*v, p->schema)) return false;
      } else if (d.additional == Additional::kNone) {
        return false;
      } else if (d.additional == Additional::kSchema) {
        if (!check(*v, d.additional_schema)) return false;
      }
    }
    return true;
  }
};

}  // namespace

bool matches(const Pattern& p, std::string_view s) {
  uint32_t state = p.start;
  for (unsigned char c : s) {
    state = p.next[state * p.classes + p.byte_class[c]];
    if (state == 0) return false;  // dead: no continuation matches
  }
  return p.accept[state] != 0;
}

Verdict validate(const YNode& root, SpecForm form) {
  Checker c;
  bool ok = c.check(root, form == SpecForm::kValues ? kValuesRoot : kReleaseRoot);
  if (!ok && !c.unsure) return Verdict::kInvalid;
  if (c.unsure) return Verdict::kUnsure;
  return Verdict::kValid;
}

}  // namespace meshc::fast_schema
