#include "targets/traefik/traefik.h"

#include "targets/traefik/objects.h"

namespace meshc {

namespace {

class TraefikTarget final : public Target {
 public:
  const TargetInfo& info() const override {
    static const TargetInfo* info = [] {
      Capabilities c;
      c.header_match = c.path_match = c.query_match = c.method_match = c.cookie_match = true;
      c.regex_match = c.prefix_match = true;
      c.weighted_segments = c.mirror = true;  // weighted and mirroring TraefikServices
      c.hosts = true;                         // Host() in every rule
      c.ingress = true;                       // every route is matched by Host on the proxy
      c.per_version_port = true;              // every service reference names its port
      // gateway names an Istio or Gateway API gateway, which an IngressRoute cannot attach
      // to; Traefik reaches Services in other namespaces only with allowCrossNamespace, off
      // by default.
      return new TargetInfo{"traefik",
                            "Traefik IngressRoute (explicit priorities) + TraefikService "
                            "(weighted, mirroring), for requests through Traefik",
                            "deployment-traefik",
                            {{"v1alpha1", c}}};
    }();
    return *info;
  }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    (void)api_version, (void)sink;
    out.push_back(traefik::ingress_route(rm));
    for (const Route& r : rm.routes) traefik::traefik_services(rm, r, out);
  }
};

}  // namespace

const Target& traefik_target() {
  static const TraefikTarget* t = new TraefikTarget();
  return *t;
}

}  // namespace meshc
