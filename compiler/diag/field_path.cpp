#include "compiler/diag/field_path.h"

#include <cctype>

#include "compiler/diag/diagnostics.h"

namespace meshc {

std::string append_path(const std::string& base, const std::string& key) {
  bool ident = !key.empty() && (isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_');
  for (char c : key) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') ident = false;
  }
  if (ident) return base.empty() ? key : base + "." + key;
  return base + "[" + quote(key) + "]";
}

std::string append_index(const std::string& base, size_t index) {
  return base + "[" + std::to_string(index) + "]";
}

std::string join_path(const std::string& prefix, const std::string& rest) {
  if (prefix.empty()) return rest;
  if (rest.empty()) return prefix;
  return rest[0] == '[' ? prefix + rest : prefix + "." + rest;
}

}  // namespace meshc
