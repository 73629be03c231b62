// Line diffs for `meshc compile --check`, which shows how committed manifests differ from
// what the specs compile to.
#pragma once

#include <string>

namespace meshc {

// A unified diff (as `diff -u` prints it: "--- a", "+++ b", "@@ -l,n +l,n @@" hunks with
// `context` lines around each change) turning `a` into `b`; "" when they are equal. Lines are
// compared with their line ends; a last line without one is marked "\ No newline at end of
// file". Minimal (Myers' algorithm), deterministic.
std::string unified_diff(const std::string& a, const std::string& b, const std::string& a_label,
                         const std::string& b_label, int context = 3);

}  // namespace meshc
