#include "compiler/yaml_writer.h"

#include <cmath>
#include <cstdio>

#include <re2/re2.h>

namespace meshc {

namespace {

bool looks_special(const std::string& s) {
  // Words that YAML 1.1 or 1.2 readers (go-yaml v2 in Helm and kubectl, yaml-cpp, PyYAML)
  // resolve to something other than a string.
  static const char* kWords[] = {"~", "null", "Null", "NULL", "true", "True", "TRUE", "false",
                                 "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on",
                                 "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", "=", "<<"};
  for (const char* w : kWords) {
    if (s == w) return true;
  }
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
  if (s.empty() || looks_special(s)) return false;
  const char first = s.front();
  if (std::string("-?:,[]{}#&*!|>'\"%@` \t").find(first) != std::string::npos) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F || c >= 0x80) return false;  // controls; non-ASCII is quoted
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
    if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}') return false;  // flow-safe
  }
  if (s.rfind("---", 0) == 0 || s.rfind("...", 0) == 0) return false;
  return true;
}

static void write_quoted(const std::string& s, std::string& out) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through inside quotes
        }
    }
  }
  out += '"';
}

void write_yaml_scalar(const Object& v, std::string& out) {
  switch (v.type()) {
    case Object::value_t::null: out += "null"; return;
    case Object::value_t::boolean: out += v.get<bool>() ? "true" : "false"; return;
    case Object::value_t::number_integer: out += std::to_string(v.get<int64_t>()); return;
    case Object::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); return;
    case Object::value_t::number_float: {
      double d = v.get<double>();
      if (std::isnan(d)) out += ".nan";
      else if (std::isinf(d)) out += d > 0 ? ".inf" : "-.inf";
      else {
        std::string text = v.dump();  // shortest round-trip form
        out += text;
      }
      return;
    }
    case Object::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (is_plain_safe(s)) out += s;
      else write_quoted(s, out);
      return;
    }
    case Object::value_t::array: out += "[]"; return;
    case Object::value_t::object: out += "{}"; return;
    default: out += "null"; return;
  }
}

static bool is_block(const Object& v) {
  return (v.is_object() || v.is_array()) && !v.empty();
}

static void write_node(const Object& v, int indent, std::string& out);

static void write_key(const std::string& k, std::string& out) {
  if (is_plain_safe(k)) out += k;
  else write_quoted(k, out);
}

// Writes the entries of a non-empty mapping; the first line's indentation is already written
// when `first_inline` is true (a mapping as a list item).
static void write_mapping(const Object& m, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!(first && first_inline)) out.append(static_cast<size_t>(indent), ' ');
    first = false;
    write_key(it.key(), out);
    const Object& val = it.value();
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
  (void)is_block;
}

}  // namespace meshc
