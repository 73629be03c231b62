#include "targets/gateway_api/gateway_api.h"

#include "targets/gateway_api/objects.h"

namespace meshc {

namespace {

class GatewayApiTarget final : public Target {
 public:
  const TargetInfo& info() const override {
    static const TargetInfo* info = [] {
      Capabilities c;
      c.header_match = c.path_match = c.query_match = c.method_match = c.cookie_match = true;
      c.regex_match = c.prefix_match = true;  // literal prefixes become anchored regexes
      c.weighted_segments = c.mirror = c.hosts = c.gateway = true;
      c.cross_namespace = true;   // with a ReferenceGrant in the version's namespace
      c.per_version_port = true;  // every backendRef names its port
      return new TargetInfo{"gateway-api",
                            "Gateway API HTTPRoute attached to the root Service (GAMMA mesh "
                            "routing) and to a Gateway if given",
                            "deployment-gtw",
                            {{"v1", c}, {"v1beta1", c}}};
    }();
    return *info;
  }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    std::string target = info().name + "@" + api_version;
    size_t before = sink.error_count();
    gateway_api::check_http_route_limits(rm, target, sink);
    gateway_api::check_precedence(rm, target, sink);
    if (sink.error_count() != before) return;
    out.push_back(gateway_api::http_route(rm, api_version, gateway_api::Parent::kMesh));
    if (!rm.gateway.empty()) {
      out.push_back(gateway_api::http_route(rm, api_version, gateway_api::Parent::kGateway));
    }
    for (Object& grant : gateway_api::reference_grants(rm)) out.push_back(std::move(grant));
  }
};

}  // namespace

const Target& gateway_api_target() {
  static const GatewayApiTarget* t = new GatewayApiTarget();
  return *t;
}

}  // namespace meshc
