#include "compiler/k8s/names.h"

namespace meshc {

std::string check_dns_label(const std::string& value, bool must_start_with_letter) {
  if (value.empty()) return "must not be empty";
  if (value.size() > 63)
    return "must be at most 63 characters, got " + std::to_string(value.size());
  for (char c : value) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return "may hold only lower-case letters, digits and '-'";
    }
  }
  if (must_start_with_letter && !(value[0] >= 'a' && value[0] <= 'z')) {
    return "must start with a lower-case letter";
  }
  if (value.front() == '-' || value.back() == '-')
    return "must start and end with a letter or digit";
  return "";
}

}  // namespace meshc
