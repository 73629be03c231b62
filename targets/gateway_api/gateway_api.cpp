#include "targets/gateway_api/gateway_api.h"

#include "targets/gateway_api/objects.h"
#include "targets/gateway_api/profiles.h"

namespace meshc {

namespace {

// The implementations a spec can name, from the generated profile table.
std::vector<ImplementationInfo> make_implementations() {
  std::vector<ImplementationInfo> out;
  for (size_t i = 0; i < gateway_api::kImplementationProfileCount; ++i) {
    const gateway_api::ImplementationProfile& p = gateway_api::kImplementationProfiles[i];
    std::string summary = std::string(p.version) + ", Gateway API " + p.gateway_api_version;
    if (*p.channels) summary += " (" + std::string(p.channels) + ")";
    summary += ", profiles:";
    for (size_t k = 0; k < p.profile_count; ++k) {
      summary += (k ? ", " : " ") + std::string(p.profiles[k].name);
    }
    if (p.ranking == gateway_api::Ranking::kLinkerd) summary += "; Linkerd's rule ranking";
    out.push_back(
        {p.name, p.alias, summary, [&p] { return gateway_api::implementation_cells(p); }});
  }
  return out;
}

// Made on first use (TargetInfo::implementation_table), kept for the life of the process.
const ImplementationTable& implementation_table() {
  static const ImplementationTable* table =
      new ImplementationTable{make_implementations(), gateway_api::implementation_columns()};
  return *table;
}

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
      c.response_headers = true;  // a ResponseHeaderModifier per backendRef
      c.sticky = true;            // its add: Set-Cookie (HTTPRoute; sticky is HTTP only)
      Capabilities v1 = c;
      v1.grpc = true;  // GRPCRoute is v1 only (v1.1 and later)
      return new TargetInfo{"gateway-api",
                            "Gateway API HTTPRoute (GRPCRoute for gRPC) attached to the root "
                            "Service (GAMMA mesh routing) and to a Gateway if given",
                            "deployment-gtw",
                            {{"v1", v1}, {"v1beta1", c}},
                            implementation_table};
    }();
    return *info;
  }
  void emit(const Routemap& spec_rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    using gateway_api::Parent;
    using gateway_api::Ranking;
    std::string target = info().name + "@" + api_version;
    size_t before = sink.error_count();
    // Plain path prefixes ending in '/' made exact, where every route is ranked by the API's
    // text (Linkerd ties an Exact and a PathPrefix of the same length).
    std::optional<Routemap> exact = gateway_api::exact_slash_prefixes(spec_rm);
    if (exact) {
      DiagnosticSink scratch;
      gateway_api::RoutePlan p = gateway_api::plan_routes(*exact, target, scratch);
      bool text_ranking = (!p.mesh || p.mesh->ranking == Ranking::kGatewayApi) &&
                          (!p.gateway || p.gateway->ranking == Ranking::kGatewayApi);
      if (!text_ranking) exact.reset();
    }
    const Routemap& rm = exact ? *exact : spec_rm;
    gateway_api::check_http_route_limits(rm, target, sink);
    gateway_api::RoutePlan plan = gateway_api::plan_routes(rm, target, sink);
    // Each route is ranked as its implementation ranks rules (the API's text without one).
    Ranking mesh = plan.mesh ? plan.mesh->ranking : Ranking::kGatewayApi;
    gateway_api::check_precedence(rm, target, mesh, sink);
    if (!rm.gateway.empty()) {
      Ranking gateway = plan.gateway ? plan.gateway->ranking : Ranking::kGatewayApi;
      if (gateway != mesh) gateway_api::check_precedence(rm, target, gateway, sink);
    }
    if (sink.error_count() != before) return;
    auto route = [&](Parent parent, const gateway_api::RouteOptions& options) {
      return rm.protocol == Protocol::kGrpc
                 ? gateway_api::grpc_route(rm, parent, options)
                 : gateway_api::http_route(rm, api_version, parent, options);
    };
    out.push_back(route(Parent::kMesh, plan.mesh_options));
    if (!rm.gateway.empty()) out.push_back(route(Parent::kGateway, plan.gateway_options));
    for (Object& grant : gateway_api::reference_grants(rm)) out.push_back(std::move(grant));
  }
};

}  // namespace

const Target& gateway_api_target() {
  static const GatewayApiTarget* t = new GatewayApiTarget();
  return *t;
}

}  // namespace meshc
