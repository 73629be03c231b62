// Field paths as diagnostics show them: "application.versions[1].weight", "spec.rules[0]",
// a key that is not an identifier in brackets and quotes ("labels[\"app.kubernetes.io/name\"]").
#pragma once

#include <string>

namespace meshc {

// `base` followed by the mapping key `key`.
std::string append_path(const std::string& base, const std::string& key);
// `base` followed by the list index `index`.
std::string append_index(const std::string& base, size_t index);
// `rest` ("application.strategy", "[0].name" or "") under `prefix` ("spec" or "").
std::string join_path(const std::string& prefix, const std::string& rest);

}  // namespace meshc
