// Kubernetes name rules that meshc checks outside the schema (values given on the command
// line or in a KRM function's options).
#pragma once

#include <string>

namespace meshc {

// A DNS-1123 label (at most 63 characters of a-z, 0-9 and '-', starting and ending with a
// letter or digit); with `must_start_with_letter`, a DNS-1035 label. "" when `value` is one,
// else what is wrong ("must be at most 63 characters, got 70").
std::string check_dns_label(const std::string& value, bool must_start_with_letter);

}  // namespace meshc
