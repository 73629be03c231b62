#include "targets/consul/consul.h"

#include "targets/consul/objects.h"

namespace meshc {

namespace {

class ConsulTarget final : public Target {
 public:
  const TargetInfo& info() const override {
    static const TargetInfo* info = [] {
      Capabilities c;
      c.header_match = c.path_match = c.query_match = c.method_match = c.cookie_match = true;
      c.regex_match = c.prefix_match = true;
      c.weighted_segments = true;  // a route to a helper service with a splitter
      c.per_version_port = true;   // each pod registers the port the root Service reaches
      c.response_headers = true;   // responseHeaders.set on every split and route destination
      // No mirroring in Consul's L7 config entries; Consul routes by service name, so
      // application.hosts and gateway mean nothing to it; versions in other namespaces would
      // be other Consul services (namespaces are a Consul Enterprise feature).
      return new TargetInfo{
          "consul",
          "Consul ServiceRouter + ServiceSplitter + ServiceResolver (a subset per version) + "
          "ServiceDefaults (consul-k8s)",
          "deployment-consul",
          {{"v1alpha1", c}}};
    }();
    return *info;
  }
  // Every version's pods register under <app> (kubernetes-service), which only a Service
  // selecting them all allows; the ServiceResolver subsets pick among those instances.
  bool routes_among_root_endpoints() const override { return true; }
  StringMap pod_annotations(const Routemap& rm, const Version& v) const override {
    return consul::pod_annotations(rm, v);
  }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    consul::check_regex_sizes(rm, info().name + "@" + api_version, sink);
    bool has_segments = false;
    for (const Route& r : rm.routes) has_segments = has_segments || !r.matches.empty();
    out.push_back(consul::service_defaults(rm, rm.name));
    out.push_back(consul::service_resolver(rm));
    out.push_back(consul::service_splitter(rm, rm.routes.back(), rm.name));
    if (has_segments) out.push_back(consul::service_router(rm));
    for (const Route& r : rm.routes) {
      if (!consul::is_weighted_segment(r)) continue;
      std::string name = consul::segment_service(rm, r);
      out.push_back(consul::service_defaults(rm, name));
      out.push_back(consul::service_splitter(rm, r, name));
    }
  }
};

}  // namespace

const Target& consul_target() {
  static const ConsulTarget* t = new ConsulTarget();
  return *t;
}

}  // namespace meshc
