#include "compiler/yaml/yaml_writer.h"

#include <re2/re2.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace meshc {

using Object = nlohmann::ordered_json;  // any tree the writer prints

namespace {

bool looks_special(const std::string& s) {
  // Words that YAML 1.1 or 1.2 readers (go-yaml v2 in Helm and kubectl, yaml-cpp, PyYAML)
  // resolve to something other than a string. None is longer than 5 characters.
  static constexpr std::string_view kWords[] = {
      "~",   "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
      "yes", "Yes",  "YES",  "no",   "No",   "NO",   "on",   "On",    "ON",    "off",
      "Off", "OFF",  "y",    "Y",    "n",    "N",    "=",    "<<"};
  const char c = s.empty() ? '\0' : s.front();
  if (s.size() <= 5 && std::strchr("~nNtTfFyYoO=<", c) && c != '\0') {
    for (std::string_view w : kWords) {
      if (w == s) return true;
    }
  }
  // Every string the pattern below matches starts with a sign, a dot or a digit; the writer
  // sees mostly names, so the others are decided here without running (or building) the RE2.
  if (c != '-' && c != '+' && c != '.' && (c < '0' || c > '9')) return false;
  // Numbers, timestamps and sexagesimals as YAML 1.1 (go-yaml v2: Helm, kubectl) or 1.2
  // (yaml-cpp, PyYAML core) would read them: such strings must be quoted.
  static const RE2* kNumberLike = new RE2(
      "[-+]?(0b[0-1_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|"
      "\\.[0-9_]+([eE][-+]?[0-9]+)?|\\.(inf|Inf|INF)|[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?)|"
      "\\.(nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");
  return RE2::FullMatch(s, *kNumberLike);
}

}  // namespace

bool is_plain_safe(const std::string& s) {
  if (s.empty()) return false;
  // Cheapest tests first; the result is their conjunction, so the order changes nothing.
  const char first = s.front();
  if (first != '\0' && std::strchr("-?:,[]{}#&*!|>'\"%@` \t", first)) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  // Bytes that need a closer look: 1 = never plain, 2 = ':' or '#' (plain unless beside ' ').
  static constexpr auto kClass = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 256; ++c) {
      if (c < 0x20 || c == 0x7F || c >= 0x80) t[c] = 1;  // controls; non-ASCII is quoted
    }
    for (unsigned char c : {',', '[', ']', '{', '}'}) t[c] = 1;  // flow-safe
    t[':'] = t['#'] = 2;
    return t;
  }();
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (kClass[c] == 0) continue;
    if (kClass[c] == 1) return false;
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
  }
  if (s.size() >= 3 && (first == '-' || first == '.') && s[1] == first && s[2] == first) {
    return false;  // "---" or "..." would start or end a document
  }
  return !looks_special(s);
}

// Decodes the UTF-8 sequence at s[i]; returns its length, or 0 when it is not well-formed.
static size_t decode_utf8(const std::string& s, size_t i, uint32_t* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
  if (len == 0 || i + len > s.size()) return 0;
  *cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    unsigned char b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) ||
      (*cp >= 0xD800 && *cp <= 0xDFFF) || *cp > 0x10FFFF) {
    return 0;
  }
  return len;
}

// A double-quoted scalar that every YAML reader (yaml-cpp, go-yaml v2/v3 in Helm and kubectl,
// PyYAML, libyaml) reads back as exactly `s`. Escaped, besides '"' and '\\': ASCII controls;
// C1 controls including NEL (U+0085); LS and PS (U+2028, U+2029); the BOM (U+FEFF) and the
// non-characters U+FFFE, U+FFFF. YAML 1.1 readers treat NEL, LS and PS as line breaks and fold
// them to spaces inside quotes, and reject C1 controls and non-characters outright. Escapes are
// \uXXXX (yaml-cpp mis-decodes \N and \_). `s` is UTF-8 (the loader guarantees it); a byte
// that is not is written as U+FFFD, never raw.
static void write_quoted(const std::string& s, std::string& out) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char buf[16];
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t len = decode_utf8(s, i, &cp);
    if (len == 0) {
      out += "\\uFFFD";
      ++i;
      continue;
    }
    if (cp <= 0x9F || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE ||
        cp == 0xFFFF) {
      snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s, i, len);  // printable UTF-8 passes through inside quotes
    }
    i += len;
  }
  out += '"';
}

void write_yaml_scalar(const Object& v, std::string& out) {
  switch (v.type()) {
    case Object::value_t::null:
      out += "null";
      return;
    case Object::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return;
    case Object::value_t::number_integer:
      out += std::to_string(v.get<int64_t>());
      return;
    case Object::value_t::number_unsigned:
      out += std::to_string(v.get<uint64_t>());
      return;
    case Object::value_t::number_float: {
      double d = v.get<double>();
      if (std::isnan(d))
        out += ".nan";
      else if (std::isinf(d))
        out += d > 0 ? ".inf" : "-.inf";
      else {
        std::string text = v.dump();  // shortest round-trip form
        out += text;
      }
      return;
    }
    case Object::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (is_plain_safe(s))
        out += s;
      else
        write_quoted(s, out);
      return;
    }
    case Object::value_t::array:
      out += "[]";
      return;
    case Object::value_t::object:
      out += "{}";
      return;
    default:
      out += "null";
      return;
  }
}

static bool is_block(const Object& v) {
  return (v.is_object() || v.is_array()) && !v.empty();
}

static void write_node(const Object& v, int indent, std::string& out);

static void write_key(const std::string& k, std::string& out) {
  if (is_plain_safe(k))
    out += k;
  else
    write_quoted(k, out);
}

// Writes the entries of a non-empty mapping; the first line's indentation is already written
// when `first_inline` is true (a mapping as a list item).
//
// A key longer than kMaxImplicitKey characters as written is put in YAML's explicit form
// ("? key" then ": value" on the next line, the value indented below it when it is a block):
// yaml-cpp and go-yaml (libyaml) cannot read an implicit key of more than 1024 characters.
static constexpr size_t kMaxImplicitKey = 1000;

static void write_mapping(const Object& m, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!(first && first_inline)) out.append(static_cast<size_t>(indent), ' ');
    first = false;
    std::string key;
    write_key(it.key(), key);
    const Object& val = it.value();
    if (key.size() > kMaxImplicitKey) {
      out += "? " + key + "\n";
      out.append(static_cast<size_t>(indent), ' ');
      if (is_block(val)) {
        out += ":\n";
        write_node(val, indent + 2, out);
      } else {
        out += ": ";
        write_yaml_scalar(val, out);
        out += '\n';
      }
      continue;
    }
    out += key;
    if (val.is_object() && !val.empty()) {
      out += ":\n";
      write_mapping(val, indent + 2, false, out);
    } else if (val.is_array() && !val.empty()) {
      out += ":\n";
      write_node(val, indent, out);  // lists sit at their key's indentation (kubectl style)
    } else {
      out += ": ";
      write_yaml_scalar(val, out);
      out += '\n';
    }
  }
}

static void write_node(const Object& v, int indent, std::string& out) {
  if (v.is_object() && !v.empty()) {
    write_mapping(v, indent, false, out);
    return;
  }
  if (v.is_array() && !v.empty()) {
    for (const auto& item : v) {
      out.append(static_cast<size_t>(indent), ' ');
      out += "- ";
      if (item.is_object() && !item.empty()) {
        write_mapping(item, indent + 2, true, out);
      } else if (item.is_array() && !item.empty()) {
        out.back() = '\n';  // "-" alone on its line, the nested list below it
        write_node(item, indent + 2, out);
      } else {
        write_yaml_scalar(item, out);
        out += '\n';
      }
    }
    return;
  }
  out.append(static_cast<size_t>(indent), ' ');
  write_yaml_scalar(v, out);
  out += '\n';
}

void write_yaml_document(const Object& doc, std::string& out) {
  out += "---\n";
  write_node(doc, 0, out);
}

}  // namespace meshc
