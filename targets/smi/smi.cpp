#include "targets/smi/smi.h"

#include "targets/smi/objects.h"

namespace meshc {

namespace {

class SmiTarget final : public Target {
 public:
  const TargetInfo& info() const override {
    static const TargetInfo* info = [] {
      Capabilities split;  // no hosts, gateways, mirroring, query parameters or per-backend ports
      Capabilities groups = split;  // from v1alpha3: HTTPRouteGroup matches
      groups.header_match = groups.path_match = groups.method_match = groups.cookie_match = true;
      groups.regex_match = groups.prefix_match = true;
      groups.weighted_segments = true;
      return new TargetInfo{
          "smi",
          "SMI TrafficSplit (OSM, Linkerd); HTTPRouteGroup matches from v1alpha3",
          "deployment-smi",
          {{"v1alpha2", split}, {"v1alpha1", split}, {"v1alpha3", groups}, {"v1alpha4", groups}}};
    }();
    return *info;
  }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    std::string target = info().name + "@" + api_version;
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
