#include "targets/istio/istio.h"

#include "targets/istio/objects.h"

namespace meshc {

namespace {

class IstioTarget final : public Target {
 public:
  const TargetInfo& info() const override {
    static const TargetInfo* info = [] {
      Capabilities c;
      c.header_match = c.path_match = c.query_match = c.method_match = c.cookie_match = true;
      c.regex_match = c.prefix_match = true;
      c.weighted_segments = c.mirror = c.hosts = c.gateway = true;
      c.cross_namespace = true;   // routed to the version's own Service
      c.per_version_port = true;  // the root Service targets the named port "http" of each pod
      c.grpc = true;              // http routes on the call path /<service>/<method>
      c.response_headers = true;  // headers.response.set per destination
      c.sticky = true;            // headers.response.add Set-Cookie per destination
      return new TargetInfo{
          "istio",
          "Istio DestinationRule (a subset per version) + VirtualService (first-match routes)",
          "deployment-istio",
          {{"v1", c}, {"v1beta1", c}, {"v1alpha3", c}}};
    }();
    return *info;
  }
  // DestinationRule subsets select among the endpoints of the host's Service, <app>.
  bool routes_among_root_endpoints() const override { return true; }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    // A gateway without application.hosts: warned by check_capabilities.
    if (rm.gateway == "mesh") {
      // Istio's reserved name for every sidecar: a second VirtualService bound to it, for the
      // same host as the in-mesh one, conflicts with it (Istio keeps only one of them).
      sink.error(rm.gateway_loc, rm.field_path("gateway"),
                 "istio@" + api_version +
                     " reserves the gateway name \"mesh\" for the sidecars, where meshc always "
                     "routes; name an ingress gateway (namespace/name), or leave gateway out");
      return;
    }
    out.push_back(istio::destination_rule(rm, api_version));
    out.push_back(istio::virtual_service(rm, api_version, istio::Binding::kMesh));
    if (!rm.gateway.empty()) {
      out.push_back(istio::virtual_service(rm, api_version, istio::Binding::kGateway));
    }
  }
};

}  // namespace

const Target& istio_target() {
  static const IstioTarget* t = new IstioTarget();
  return *t;
}

}  // namespace meshc
