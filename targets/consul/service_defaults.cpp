// ServiceDefaults: the protocol of a service. Consul compiles a discovery chain with a router
// or splitter only when every service in it speaks an L7 protocol ("discovery chain uses a
// protocol tcp that does not permit advanced routing or splitting behavior" otherwise), and
// tcp is the default.
#include "targets/consul/objects.h"

namespace meshc::consul {

Object service_defaults(const Routemap& rm, const std::string& name) {
  Object o = k8s_object(kApiVersion, "ServiceDefaults", name, rm.namespace_, rm);
  o["spec"] = Object{{"protocol", "http"}};
  return o;
}

}  // namespace meshc::consul
