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
  return route_object(rm, "gateway.networking.k8s.io/v1", "GRPCRoute", parent, options, grpc_rule);
}

}  // namespace meshc::gateway_api
