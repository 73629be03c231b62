// TrafficSplits. The split of the catch-all route holds the weights of all requests no
// segment takes; each canary segment gets a split of its own, restricted by its
// HTTPRouteGroup. v1alpha1 counts weights as quantities summing to 1000m (as Linkerd reads
// them), later versions as integers summing to 100.
#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_regex.h"
#include "compiler/k8s/workloads.h"
#include "targets/smi/objects.h"

namespace meshc::smi {

bool has_matches(const std::string& api_version) {
  return api_version == "v1alpha3" || api_version == "v1alpha4";
}

std::string segment_name(const Routemap& rm, const Route& r) {
  return rm.versions[*r.segment_of].name;
}

void check_segments_exclusive(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  for_each_segment_overlap(
      rm, [](const SegmentOverlap&) { return true; },
      [&](const SegmentOverlap& p) {
        const std::string& owner = rm.versions[*p.earlier_route.segment_of].name;
        sink.error(p.later.loc, p.later.field_path,
                   target +
                       " cannot keep the candidates' list order: SMI gives no order "
                       "between TrafficSplits, and a request may match both this match "
                       "of " +
                       quote(rm.versions[*p.later_route.segment_of].name) +
                       " and the earlier match of " + quote(owner) +
                       "; make the matches exclusive (e.g. differ in an exact header value)")
            .note(p.earlier.loc, "the earlier match of " + quote(owner) + " is here")
            .with_rule("reordered-by-precedence");
      });
}

void check_ports(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  for (const Version& v : rm.versions) {
    if (v.port == rm.port) continue;
    sink.error(v.port_loc, v.port_field_path,
               target + " cannot express a version serving port " + std::to_string(v.port) +
                   " behind a root Service on port " + std::to_string(rm.port) +
                   " (SMI splits only between equal ports; set application.port to " +
                   std::to_string(v.port) + ")");
    return;  // one report: the fix is the same for every version
  }
}

Object traffic_split(const Routemap& rm, const Route& r, const std::string& api_version) {
  bool segment = r.segment_of.has_value();
  Object ts = k8s_object("split.smi-spec.io/" + api_version, "TrafficSplit",
                         segment ? segment_name(rm, r) : rm.name, rm.namespace_, rm);
  Object spec = Object::object();
  spec["service"] = rm.name;
  if (segment) {
    spec["matches"] =
        Object::array({Object{{"kind", "HTTPRouteGroup"}, {"name", segment_name(rm, r)}}});
  }
  std::vector<uint64_t> shares;
  for (const Destination& d : r.destinations) shares.push_back(d.share);
  std::vector<int> milli = normalise_weights(shares, 1000);
  Object backends = Object::array();
  for (size_t k = 0; k < r.destinations.size(); ++k) {
    const Destination& d = r.destinations[k];
    Object weight =
        api_version == "v1alpha1" ? Object(std::to_string(milli[k]) + "m") : Object(d.weight);
    backends.push_back(Object{{"service", rm.versions[d.version].name}, {"weight", weight}});
  }
  spec["backends"] = std::move(backends);
  ts["spec"] = std::move(spec);
  return ts;
}

}  // namespace meshc::smi
