// The GRPCRoute (gateway.networking.k8s.io/v1) of a gRPC release: the same rules as the
// HTTPRoute (one per candidate segment in the routemap's order, then the catch-all rule, which
// matches every call), with GRPCRouteMatch matches (method: service and method; headers).
#include "compiler/k8s/workloads.h"
#include "targets/gateway_api/objects.h"

namespace meshc::gateway_api {

namespace {

Object grpc_match_object(const RequestMatch& m) {
  Object o = new_mapping(!!m.grpc + !m.headers.empty());
  if (m.grpc) {
    Object method = new_mapping(1 + !m.grpc->service.empty() + !m.grpc->method.empty());
    append_entry(method, "type", m.grpc->regex ? "RegularExpression" : "Exact");
    if (!m.grpc->service.empty()) append_entry(method, "service", m.grpc->service);
    if (!m.grpc->method.empty()) append_entry(method, "method", m.grpc->method);
    append_entry(o, "method", std::move(method));
  }
  if (!m.headers.empty()) {
    Object& headers = append_entry(o, "headers", new_list(m.headers.size()));
    for (const ValueMatch& h : m.headers) append_item(headers, named_condition(h, h.name));
  }
  return o;
}

Object grpc_rule(const Routemap& rm, const Route& r, const RouteOptions& options) {
  Object rule = new_mapping(!r.matches.empty() + !r.mirrors.empty() + 1);
  if (!r.matches.empty()) {
    Object& matches = append_entry(rule, "matches", new_list(r.matches.size()));
    for (const RequestMatch& m : r.matches) append_item(matches, grpc_match_object(m));
  }
  if (!r.mirrors.empty()) {
    Object& filters = append_entry(rule, "filters", new_list(r.mirrors.size()));
    for (const Mirror& m : r.mirrors) append_item(filters, mirror_filter(rm, m, options));
  }
  Object& backends = append_entry(rule, "backendRefs", new_list(r.destinations.size()));
  for (const Destination& d : r.destinations) append_item(backends, backend_ref(rm, d, options));
  return rule;
}

}  // namespace

Object grpc_route(const Routemap& rm, Parent parent, const RouteOptions& options) {
  bool mesh = parent == Parent::kMesh;
  Object route = k8s_object("gateway.networking.k8s.io/v1", "GRPCRoute",
                            mesh ? rm.name : rm.name + "-gateway", rm.namespace_, rm);
  std::vector<std::string> hostnames = route_hostnames(rm, parent);
  Object spec = new_mapping(2 + !hostnames.empty());
  append_item(append_entry(spec, "parentRefs", new_list(1)), parent_ref(rm, parent));
  if (!hostnames.empty()) {
    Object& names = append_entry(spec, "hostnames", new_list(hostnames.size()));
    for (std::string& h : hostnames) append_item(names, std::move(h));
  }
  Object& rules = append_entry(spec, "rules", new_list(rm.routes.size()));
  for (const Route& r : rm.routes) append_item(rules, grpc_rule(rm, r, options));
  append_entry(route, "spec", std::move(spec));
  return route;
}

}  // namespace meshc::gateway_api
