// ReferenceGrants: a backendRef to a Service in another namespace is only honoured when that
// namespace grants it. v1beta1, the version every Gateway API release since v0.6 serves.
#include <map>
#include <set>

#include "compiler/k8s/workloads.h"
#include "targets/gateway_api/objects.h"

namespace meshc::gateway_api {

std::vector<Object> reference_grants(const Routemap& rm) {
  std::map<std::string, std::set<std::string>> services;  // namespace -> Service names
  for (const Version& v : rm.versions) {
    if (v.namespace_ != rm.namespace_) services[v.namespace_].insert(v.name);
  }
  std::vector<Object> out;
  for (const auto& [ns, names] : services) {
    Object grant = k8s_object("gateway.networking.k8s.io/v1beta1", "ReferenceGrant",
                              rm.name + "-from-" + rm.namespace_, ns, rm);
    Object from = Object{{"group", "gateway.networking.k8s.io"},
                         {"kind", rm.protocol == Protocol::kGrpc ? "GRPCRoute" : "HTTPRoute"},
                         {"namespace", rm.namespace_}};
    Object to = Object::array();
    for (const std::string& name : names) {
      to.push_back(Object{{"group", ""}, {"kind", "Service"}, {"name", name}});
    }
    grant["spec"] = Object{{"from", Object::array({from})}, {"to", to}};
    out.push_back(std::move(grant));
  }
  return out;
}

}  // namespace meshc::gateway_api
