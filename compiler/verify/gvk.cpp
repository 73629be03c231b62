#include "compiler/verify/gvk.h"

namespace meshc::verify {

Gvk gvk_of(const std::string& api_version, const std::string& kind) {
  Gvk gvk;
  size_t slash = api_version.find('/');
  gvk.version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  if (slash != std::string::npos) gvk.group = api_version.substr(0, slash);
  gvk.kind = kind;
  return gvk;
}

// API groups an API server serves itself. A CRD group always holds a dot, so a group without
// one (core "", apps, batch ...) is built in too.
bool is_builtin_group(const std::string& group) {
  static const char* const kDotted[] = {"admissionregistration.k8s.io",
                                        "apiextensions.k8s.io",
                                        "apiregistration.k8s.io",
                                        "authentication.k8s.io",
                                        "authorization.k8s.io",
                                        "certificates.k8s.io",
                                        "coordination.k8s.io",
                                        "discovery.k8s.io",
                                        "events.k8s.io",
                                        "flowcontrol.apiserver.k8s.io",
                                        "internal.apiserver.k8s.io",
                                        "networking.k8s.io",
                                        "node.k8s.io",
                                        "rbac.authorization.k8s.io",
                                        "resource.k8s.io",
                                        "scheduling.k8s.io",
                                        "storage.k8s.io",
                                        "storagemigration.k8s.io"};
  if (group.find('.') == std::string::npos) return true;
  for (const char* g : kDotted) {
    if (group == g) return true;
  }
  return false;
}

}  // namespace meshc::verify
