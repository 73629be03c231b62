#include "targets/contour/contour.h"

#include "targets/contour/objects.h"

namespace meshc {

namespace {

class ContourTarget final : public Target {
 public:
  const TargetInfo& info() const override {
    static const TargetInfo* info = [] {
      Capabilities c;
      c.header_match = c.path_match = c.query_match = c.cookie_match = true;
      c.method_match = true;  // a condition on the ":method" header
      c.regex_match = c.prefix_match = true;
      c.weighted_segments = c.mirror = true;  // one mirror per route (checked in emit)
      c.hosts = true;                         // a root HTTPProxy per host
      c.ingress = true;                       // every route is matched by Host on the proxy
      c.per_version_port = true;              // every service names its port
      c.response_headers = true;              // responseHeadersPolicy on every service
      // gateway names an Istio or Gateway API gateway, which an HTTPProxy cannot attach to;
      // an HTTPProxy routes only to Services in its own namespace.
      return new TargetInfo{"contour",
                            "Contour HTTPProxy (routes, weighted services, mirroring) with a "
                            "root HTTPProxy per host, for requests through Contour",
                            "deployment-contour",
                            {{"v1", c}}};
    }();
    return *info;
  }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    std::string target = info().name + "@" + api_version;
    std::vector<contour::ProxyRoute> routes = contour::proxy_routes(rm);
    size_t before = sink.error_count();
    contour::check_expressible(rm, routes, target, sink);
    if (sink.error_count() == before) contour::check_precedence(rm, routes, target, sink);
    if (sink.error_count() != before) return;
    out.push_back(contour::routes_proxy(rm, routes));
    for (const std::string& h : contour::answered_hosts(rm)) {
      out.push_back(contour::root_proxy(rm, h));
    }
  }
};

}  // namespace

const Target& contour_target() {
  static const ContourTarget* t = new ContourTarget();
  return *t;
}

}  // namespace meshc
