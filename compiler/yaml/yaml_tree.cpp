#include "compiler/yaml/yaml_tree.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "compiler/diag/diagnostics.h"

namespace meshc {

const YNode* YNode::get(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k->value == key) return v.get();
  }
  return nullptr;
}

const YNode* YNode::key_node(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k->value == key) return k.get();
  }
  return nullptr;
}

namespace {

bool is_null_word(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool parse_bool_word(const std::string& s, bool* out) {
  if (s == "true" || s == "True" || s == "TRUE") return *out = true, true;
  if (s == "false" || s == "False" || s == "FALSE") return *out = false, true;
  return false;
}

bool all_of(const std::string& s, size_t from, bool (*pred)(char)) {
  if (from >= s.size()) return false;
  for (size_t i = from; i < s.size(); ++i) {
    if (!pred(s[i])) return false;
  }
  return true;
}

bool is_dec(char c) {
  return c >= '0' && c <= '9';
}
bool is_oct(char c) {
  return c >= '0' && c <= '7';
}
bool is_hex(char c) {
  return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Core-schema integer; false when `s` is not one. Values out of int64 range come back as
// `*overflow = true` (they are then numbers, not integers).
bool parse_int(const std::string& s, int64_t* out, bool* overflow) {
  *overflow = false;
  int base = 10;
  size_t digits = 0;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && all_of(s, 2, is_oct)) {
    base = 8, digits = 2;
  } else if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all_of(s, 2, is_hex)) {
    base = 16, digits = 2;
  } else {
    size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (!all_of(s, i, is_dec)) return false;
  }
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str() + digits, &end, base);
  if (errno == ERANGE) {
    *overflow = true;
    return true;
  }
  *out = v;
  return true;
}

bool parse_float(const std::string& s, double* out) {
  static const char* kInf[] = {".inf", ".Inf", ".INF"};
  static const char* kNan[] = {".nan", ".NaN", ".NAN"};
  // The text after the sign: a suffix of `s`, so strtod reads it from s's own buffer.
  const size_t skip = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  const std::string_view body = std::string_view(s).substr(skip);
  const double sign = skip && s[0] == '-' ? -1 : 1;
  for (auto* w : kInf) {
    if (body == w) return *out = sign * HUGE_VAL, true;
  }
  for (auto* w : kNan) {
    if (s == w) return *out = NAN, true;
  }
  // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  size_t i = 0, n = body.size();
  size_t int_digits = 0, frac_digits = 0;
  while (i < n && is_dec(body[i])) ++i, ++int_digits;
  if (i < n && body[i] == '.') {
    ++i;
    while (i < n && is_dec(body[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < n && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < n && (body[i] == '-' || body[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < n && is_dec(body[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != n) return false;
  *out = sign * std::strtod(s.c_str() + skip, nullptr);
  return true;
}

// Whether an untagged plain scalar starting with `c` can only be a string: every boolean,
// integer, float and null word of the core schema starts with one of these (or is empty).
bool starts_only_strings(char c) {
  return std::string_view("tTfFnN~-+.0123456789").find(c) == std::string_view::npos;
}

}  // namespace

YNodePtr at_key_if_empty(YNodePtr value, const YNode& key) {
  if (!value->is_null() || value->loc.line == key.loc.line) return value;
  auto moved = std::make_shared<YNode>(*value);
  moved->loc = key.loc;
  return moved;
}

ScalarValue resolve_scalar(const YNode& n) {
  ScalarValue out;
  if (n.kind == YNode::Kind::kNull) return out;
  const std::string& s = n.value;
  out.type = ScalarValue::kString;
  // Most scalars of a spec are names and images: no word below to try.
  if (n.tag.empty() && (!n.plain || (!s.empty() && starts_only_strings(s[0])))) return out;
  if (n.tag == "str" || (!n.plain && n.tag.empty())) return out;
  bool b;
  int64_t i;
  double d;
  bool overflow;
  if (n.tag == "null") return out.type = ScalarValue::kNull, out;
  if (n.tag.empty() || n.tag == "bool") {
    if (parse_bool_word(s, &b)) return out.type = ScalarValue::kBool, out.boolean = b, out;
  }
  if (n.tag.empty() || n.tag == "int" || n.tag == "float") {
    if (parse_int(s, &i, &overflow)) {
      if (!overflow && n.tag != "float") {
        return out.type = ScalarValue::kInteger, out.integer = i, out;
      }
      out.type = ScalarValue::kFloat;
      out.number = overflow ? std::strtod(s.c_str(), nullptr) : static_cast<double>(i);
      return out;
    }
  }
  if (n.tag.empty() || n.tag == "float") {
    if (parse_float(s, &d)) return out.type = ScalarValue::kFloat, out.number = d, out;
  }
  if (n.tag.empty() && is_null_word(s)) return out.type = ScalarValue::kNull, out;
  return out;  // a string: the loader already rejected tags whose value does not fit them
}

nlohmann::json scalar_to_json(const YNode& n) {
  ScalarValue v = resolve_scalar(n);
  switch (v.type) {
    case ScalarValue::kNull:
      return nullptr;
    case ScalarValue::kBool:
      return v.boolean;
    case ScalarValue::kInteger:
      return v.integer;
    case ScalarValue::kFloat:
      return v.number;
    case ScalarValue::kString:
      break;
  }
  return n.value;
}

template <typename Json>
static Json convert(const YNode& n) {
  switch (n.kind) {
    case YNode::Kind::kNull:
      return nullptr;
    case YNode::Kind::kScalar:
      return Json(scalar_to_json(n));
    case YNode::Kind::kSequence: {
      Json arr = Json::array();
      for (const auto& item : n.items) arr.push_back(convert<Json>(*item));
      return arr;
    }
    case YNode::Kind::kMapping: {
      Json obj = Json::object();
      for (const auto& [k, v] : n.entries) obj[k->value] = convert<Json>(*v);
      return obj;
    }
  }
  return nullptr;
}

nlohmann::json to_json(const YNode& n) {
  return convert<nlohmann::json>(n);
}
nlohmann::ordered_json to_ordered_json(const YNode& n) {
  return convert<nlohmann::ordered_json>(n);
}

std::string describe(const YNode& n) {
  switch (n.kind) {
    case YNode::Kind::kNull:
      return "null";
    case YNode::Kind::kSequence:
      return "a list";
    case YNode::Kind::kMapping:
      return "a mapping";
    case YNode::Kind::kScalar:
      break;
  }
  nlohmann::json j = scalar_to_json(n);
  if (j.is_null()) return "null";
  if (j.is_boolean()) return std::string("boolean ") + (j.get<bool>() ? "true" : "false");
  if (j.is_number_integer()) return "integer " + n.value;
  if (j.is_number()) return "number " + n.value;
  return "string " + quote(j.get<std::string>());
}

}  // namespace meshc
