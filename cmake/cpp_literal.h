// Shared by the build-time generators (gen_fast_schema.cpp, gen_templates.cpp): bytes as the
// text of a C++ string literal.
#pragma once

#include <cstdio>
#include <string>

namespace meshc::gen {

// `s` as a C++ string literal, quotes included; octal escapes for anything but printable
// ASCII (and '?', no trigraphs), so that no escape runs into the next character. Callers
// that may hold NUL pass the size along (std::string(lit, n), std::string_view(lit, n)).
inline std::string cpp_literal(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f && c != '?') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out + "\"";
}

}  // namespace meshc::gen
