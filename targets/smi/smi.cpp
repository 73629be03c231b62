#include "targets/smi/smi.h"

#include "targets/smi/objects.h"

namespace meshc {

namespace {

class SmiTarget final : public Target {
 public:
  std::string name() const override { return "smi"; }
  std::string description() const override {
    return "SMI TrafficSplit (OSM, Linkerd); HTTPRouteGroup matches from v1alpha3";
  }
  std::vector<std::string> api_versions() const override {
    return {"v1alpha2", "v1alpha1", "v1alpha3", "v1alpha4"};
  }
  Capabilities capabilities(const std::string& api_version) const override {
    Capabilities c;  // no hosts, gateways, mirroring, query parameters or per-backend ports
    if (smi::has_matches(api_version)) {
      c.header_match = c.path_match = c.method_match = c.cookie_match = true;
      c.regex_match = c.prefix_match = true;
      c.weighted_segments = true;
    }
    return c;
  }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    std::string target = name() + "@" + api_version;
    size_t before = sink.error_count();
    smi::check_ports(rm, target, sink);
    smi::check_segments_exclusive(rm, target, sink);
    if (sink.error_count() != before) return;
    for (const Route& r : rm.routes) {
      if (r.segment_of) out.push_back(smi::http_route_group(rm, r, api_version));
      out.push_back(smi::traffic_split(rm, r, api_version));
    }
  }
};

}  // namespace

const Target& smi_target() {
  static const SmiTarget* t = new SmiTarget();
  return *t;
}

}  // namespace meshc
