// ServiceResolver <app>: one subset per version. A subset filter sees what consul-k8s
// registered for the pod (service metadata and tags from its annotations), not its labels, so
// the pods carry the metadata the filters select on (pod_annotations).
#include "targets/consul/objects.h"

namespace meshc::consul {

namespace {

constexpr const char* kAnnotationPrefix = "consul.hashicorp.com/";
constexpr const char* kVersionMeta = "version";

}  // namespace

StringMap pod_annotations(const Routemap& rm, const Version& v) {
  return {{std::string(kAnnotationPrefix) + "kubernetes-service", rm.name},
          {std::string(kAnnotationPrefix) + "service-meta-" + kVersionMeta, v.pod_version()}};
}

Object service_resolver(const Routemap& rm) {
  Object o = k8s_object(kApiVersion, "ServiceResolver", rm.name, rm.namespace_, rm);
  Object subsets = Object::object();
  for (const Version& v : rm.versions) {
    // Version labels are label values ([A-Za-z0-9._-]): safe inside a quoted bexpr string.
    subsets[v.name] = Object{{"filter", std::string("Service.Meta.") + kVersionMeta + " == \"" +
                                            v.pod_version() + "\""}};
  }
  o["spec"] = Object{{"defaultSubset", rm.versions.front().name}, {"subsets", subsets}};
  return o;
}

}  // namespace meshc::consul
