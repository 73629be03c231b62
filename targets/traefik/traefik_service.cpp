// TraefikServices: a weighted round robin between versions' Services for a route split by
// weight (a weight of 0 is kept and receives nothing: Traefik skips non-positive weights), and
// a mirroring service that sends the route's requests to its main service and copies
// `percent` of them to each mirror.
#include "targets/traefik/objects.h"

namespace meshc::traefik {

namespace {

Object service_ref(const Version& v) {
  return Object{{"name", v.name}, {"kind", "Service"}, {"port", v.port}};
}

}  // namespace

std::vector<Mirror> active_mirrors(const Route& r) {
  std::vector<Mirror> out;
  for (const Mirror& m : r.mirrors) {
    if (m.percent > 0) out.push_back(m);
  }
  return out;
}

std::string weighted_name(const Routemap& rm, const Route& r) {
  return rm.name + "-" + r.name;
}

std::string mirroring_name(const Routemap& rm, const Route& r) {
  return rm.name + "-" + r.name + "-mirror";
}

void traefik_services(const Routemap& rm, const Route& r, std::vector<Object>& out) {
  bool weighted = r.destinations.size() > 1;
  if (weighted) {
    Object o = k8s_object(kApiVersion, "TraefikService", weighted_name(rm, r), rm.namespace_, rm);
    Object services = Object::array();
    for (const Destination& d : r.destinations) {
      Object ref = service_ref(rm.versions[d.version]);
      ref["weight"] = d.weight;
      services.push_back(std::move(ref));
    }
    o["spec"] = Object{{"weighted", Object{{"services", services}}}};
    out.push_back(std::move(o));
  }
  std::vector<Mirror> mirrors = active_mirrors(r);
  if (mirrors.empty()) return;
  Object o = k8s_object(kApiVersion, "TraefikService", mirroring_name(rm, r), rm.namespace_, rm);
  Object mirroring = weighted ? Object{{"name", weighted_name(rm, r)}, {"kind", "TraefikService"}}
                              : service_ref(rm.versions[r.destinations.front().version]);
  Object list = Object::array();
  for (const Mirror& m : mirrors) {
    Object ref = service_ref(rm.versions[m.version]);
    ref["percent"] = m.percent;
    list.push_back(std::move(ref));
  }
  mirroring["mirrors"] = std::move(list);
  o["spec"] = Object{{"mirroring", mirroring}};
  out.push_back(std::move(o));
}

}  // namespace meshc::traefik
