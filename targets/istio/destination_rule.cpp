// The DestinationRule: subsets of the root Service host, one per version, by version label.
// Versions in another namespace are not endpoints of the root Service; routes reach them by
// their own Service name instead, so they get no subset. The host is the short name: Istio
// completes it with the rule's own namespace, so the rule stays right when kustomize or
// `helm -n` moves it to another namespace.
#include "compiler/k8s/workloads.h"
#include "targets/istio/objects.h"

namespace meshc::istio {

Object destination_rule(const Routemap& rm, const std::string& api_version) {
  Object dr = k8s_object("networking.istio.io/" + api_version, "DestinationRule", rm.name,
                         rm.namespace_, rm);
  Object subsets = Object::array();
  for (const Version& v : rm.versions) {
    if (v.namespace_ != rm.namespace_) continue;
    Object labels = Object::object();
    for (const auto& [k, val] : selector_labels(rm, v)) {
      if (k != "app") labels[k] = val;  // the host's Service already selects app
    }
    subsets.push_back(Object{{"name", v.name}, {"labels", labels}});
  }
  dr["spec"] = Object{{"host", rm.name}, {"subsets", subsets}};
  return dr;
}

}  // namespace meshc::istio
