// ObjectMeta as Kubernetes validates it: CRD schemas say only `type: object` for metadata.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace meshc::verify {

// Appends (field path, message) for every ObjectMeta mistake of `obj`'s metadata: only
// ObjectMeta fields; `name` present and a DNS-1123 subdomain of at most 253 characters;
// `namespace` a DNS-1123 label; label keys qualified names and values valid label values;
// annotation keys qualified names, all annotations together at most 256 KiB.
void check_metadata(const nlohmann::json& obj,
                    std::vector<std::pair<std::string, std::string>>& out);

}  // namespace meshc::verify
