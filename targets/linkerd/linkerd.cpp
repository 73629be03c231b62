#include "targets/linkerd/linkerd.h"

#include "targets/linkerd/objects.h"

namespace meshc {

namespace {

class LinkerdTarget final : public Target {
 public:
  const TargetInfo& info() const override {
    static const TargetInfo* info = [] {
      Capabilities c;
      c.header_match = c.path_match = c.query_match = c.method_match = c.cookie_match = true;
      // The proxy matches path, header and query regexes against the whole value
      // (linkerd2-proxy linkerd/http/route/src/http/match/*.rs); literal prefixes become
      // anchored regexes.
      c.regex_match = c.prefix_match = true;
      c.weighted_segments = true;  // weighted backendRefs (v1beta2 and later)
      c.hosts = true;              // hostnames, matched against the request's authority
      // No RequestMirror filter in the CRD (only RequestHeaderModifier and RequestRedirect on
      // rules); Linkerd has no ingress gateway of its own.
      c.mirror = c.gateway = false;
      c.cross_namespace = true;   // backendRefs[].namespace; Linkerd reads no ReferenceGrant
      c.per_version_port = true;  // every backendRef names its port
      // A backendRef-level ResponseHeaderModifier: allowed by the CRD (backendRefs[].filters),
      // converted by the policy controller (linkerd2 version-2.20 outbound/index/http.rs
      // convert_gateway_backend_filter) and applied by the proxy (linkerd2-proxy
      // app/outbound/src/http/logical/policy/route/filters.rs apply_http_response).
      c.response_headers = true;
      c.grpc = false;  // policy.linkerd.io has no GRPCRoute: gateway-api with linkerd has
      return new TargetInfo{"linkerd",
                            "Linkerd policy.linkerd.io HTTPRoute attached to the root Service "
                            "(Linkerd without Gateway API routes)",
                            "deployment-linkerd",
                            {{"v1beta3", c}}};
    }();
    return *info;
  }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    std::string target = info().name + "@" + api_version;
    size_t before = sink.error_count();
    linkerd::check_route_limits(rm, target, sink);
    linkerd::check_precedence(rm, target, sink);
    if (sink.error_count() != before) return;
    out.push_back(linkerd::http_route(rm, api_version));
  }
};

}  // namespace

const Target& linkerd_target() {
  static const LinkerdTarget* t = new LinkerdTarget();
  return *t;
}

}  // namespace meshc
