// ServiceSplitter: a route's weighted split between the versions' subsets of <app>. Consul
// reads weights as floats that must sum to exactly 100 (to 0.01); the routemap's integer
// weights already do, and a weight of 0 is kept (the version receives nothing).
#include "targets/consul/objects.h"

namespace meshc::consul {

bool is_weighted_segment(const Route& r) {
  return !r.matches.empty() && r.destinations.size() > 1;
}

std::string segment_service(const Routemap& rm, const Route& r) {
  return rm.name + "-" + r.name;
}

Object response_headers(const Version& v) {
  return Object{{"set", Object{{"app-version", v.name}}}};
}

Object service_splitter(const Routemap& rm, const Route& r, const std::string& name) {
  Object o = k8s_object(kApiVersion, "ServiceSplitter", name, rm.namespace_, rm);
  Object splits = Object::array();
  for (const Destination& d : r.destinations) {
    const Version& v = rm.versions[d.version];
    Object split{{"weight", d.weight}, {"service", rm.name}, {"serviceSubset", v.name}};
    if (rm.app_version_header.value != "false") split["responseHeaders"] = response_headers(v);
    splits.push_back(std::move(split));
  }
  o["spec"] = Object{{"splits", splits}};
  return o;
}

}  // namespace meshc::consul
