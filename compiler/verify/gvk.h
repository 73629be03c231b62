// Kubernetes API group, version and kind: what a CRD defines and an object names.
#pragma once

#include <string>
#include <tuple>

namespace meshc::verify {

struct Gvk {
  std::string group, version, kind;
  bool operator<(const Gvk& o) const {
    return std::tie(group, version, kind) < std::tie(o.group, o.version, o.kind);
  }
};

// API groups an API server serves itself (core, apps, networking.k8s.io ...): their objects are
// not CRDs. A CRD group always holds a dot, so a group without one is built in too.
bool is_builtin_group(const std::string& group);

// The (group, version, kind) of an apiVersion ("group/version" or "version") and a kind.
Gvk gvk_of(const std::string& api_version, const std::string& kind);

}  // namespace meshc::verify
