// The GRPCRoute (gateway.networking.k8s.io/v1) of a gRPC release: the same rules as the
// HTTPRoute (one per candidate segment in the routemap's order, then the catch-all rule, which
// matches every call), with GRPCRouteMatch matches (method: service and method; headers).
#include "compiler/k8s/workloads.h"
#include "targets/gateway_api/objects.h"

namespace meshc::gateway_api {

namespace {

Object grpc_match_object(const RequestMatch& m) {
  Object o = Object::object();
  if (m.grpc) {
    Object method = Object::object();
    method["type"] = m.grpc->regex ? "RegularExpression" : "Exact";
    if (!m.grpc->service.empty()) method["service"] = m.grpc->service;
    if (!m.grpc->method.empty()) method["method"] = m.grpc->method;
    o["method"] = std::move(method);
  }
  Object headers = Object::array();
  for (const ValueMatch& h : m.headers) headers.push_back(named_condition(h, h.name));
  if (!headers.empty()) o["headers"] = std::move(headers);
  return o;
}

Object grpc_rule(const Routemap& rm, const Route& r, const RouteOptions& options) {
  Object rule = Object::object();
  if (!r.matches.empty()) {
    Object matches = Object::array();
    for (const RequestMatch& m : r.matches) matches.push_back(grpc_match_object(m));
    rule["matches"] = std::move(matches);
  }
  if (!r.mirrors.empty()) {
    Object filters = Object::array();
    for (const Mirror& m : r.mirrors) filters.push_back(mirror_filter(rm, m, options));
    rule["filters"] = std::move(filters);
  }
  Object backends = Object::array();
  for (const Destination& d : r.destinations) backends.push_back(backend_ref(rm, d, options));
  rule["backendRefs"] = std::move(backends);
  return rule;
}

}  // namespace

Object grpc_route(const Routemap& rm, Parent parent, const RouteOptions& options) {
  bool mesh = parent == Parent::kMesh;
  Object route = k8s_object("gateway.networking.k8s.io/v1", "GRPCRoute",
                            mesh ? rm.name : rm.name + "-gateway", rm.namespace_, rm);
  Object spec = Object::object();
  spec["parentRefs"] = Object::array({parent_ref(rm, parent)});
  std::vector<std::string> hostnames = route_hostnames(rm, parent);
  if (!hostnames.empty()) spec["hostnames"] = hostnames;
  Object rules = Object::array();
  for (const Route& r : rm.routes) rules.push_back(grpc_rule(rm, r, options));
  spec["rules"] = std::move(rules);
  route["spec"] = std::move(spec);
  return route;
}

}  // namespace meshc::gateway_api
