// The VirtualService: Istio tries http routes in order and takes the first that matches,
// exactly the routemap's order, so routes map one to one. Conditions Istio cannot state
// directly are rewritten to mean the same: a segment-aware path prefix becomes an exact
// path OR a prefix ending in '/', query-parameter prefixes and cookie pairs become
// regexes, and an empty exact value the regex of the empty string. A gRPC release's routes
// are http routes too: a call is an HTTP/2 POST to /<service>/<method>.
#include <algorithm>
#include <cctype>

#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_regex.h"
#include "compiler/k8s/workloads.h"
#include "targets/istio/objects.h"

namespace meshc::istio {

namespace {

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

// An Istio StringMatch. `prefix_ok`: the field has prefix (headers and uri do, query
// parameters do not).
Object string_match(const ValueMatch& m, bool prefix_ok) {
  switch (m.type) {
    case MatchType::kExact:
      if (m.value.empty()) return Object{{"regex", "^$"}};
      return Object{{"exact", m.value}};
    case MatchType::kPrefix:
      if (prefix_ok) return Object{{"prefix", m.value}};
      return Object{{"regex", literal_prefix_regex(m.value)}};
    case MatchType::kPathPrefix:
      return Object{{"regex", path_prefix_regex(m.value)}};
    case MatchType::kRegex:
      return Object{{"regex", m.value}};
  }
  return Object();
}

// The uri conditions one path condition becomes (alternatives: any may hold).
std::vector<Object> uri_matches(const ValueMatch& p) {
  if (p.type != MatchType::kPathPrefix) return {string_match(p, true)};
  std::string base = p.value;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.empty()) return {Object{{"prefix", "/"}}};
  return {Object{{"exact", base}}, Object{{"prefix", base + "/"}}};
}

// The HTTPMatchRequests of one routemap match (more than one when the path needs it).
void add_matches(const RequestMatch& m, Object& out) {
  Object base = Object::object();
  if (!m.method.empty()) base["method"] = Object{{"exact", m.method}};
  Object headers = Object::object();
  for (const ValueMatch& h : m.headers) headers[to_lower(h.name)] = string_match(h, true);
  if (!m.cookies.empty())
    headers[cookie_header_name()] = Object{{"regex", cookie_header_regex(m.cookies)}};
  if (!headers.empty()) base["headers"] = std::move(headers);
  Object query = Object::object();
  for (const ValueMatch& q : m.query_params) query[q.name] = string_match(q, false);
  if (!query.empty()) base["queryParams"] = std::move(query);
  // A gRPC call is a POST to /<service>/<method>: its method match is a uri condition.
  std::optional<ValueMatch> path = m.path;
  if (m.grpc) path = grpc_path_condition(*m.grpc);
  if (!path) {
    out.push_back(std::move(base));
    return;
  }
  for (Object& uri : uri_matches(*path)) {
    Object one = Object{{"uri", std::move(uri)}};
    for (auto it = base.begin(); it != base.end(); ++it) one[it.key()] = *it;
    out.push_back(std::move(one));
  }
}

// The destination of a version: a subset of the root Service, by its short name (Istio
// completes it with the VirtualService's namespace, wherever the object is moved), or the
// version's own Service, fully qualified, when it lives in another namespace.
Object destination(const Routemap& rm, const Version& v) {
  if (v.namespace_ != rm.namespace_) return Object{{"host", service_fqdn(v.name, v.namespace_)}};
  return Object{{"host", rm.name}, {"subset", v.name}};
}

Object http_route(const Routemap& rm, const Route& r) {
  Object route = Object::object();
  route["name"] = r.name;
  if (!r.matches.empty()) {
    Object matches = Object::array();
    for (const RequestMatch& m : r.matches) add_matches(m, matches);
    route["match"] = std::move(matches);
  }
  Object dests = Object::array();
  bool app_version = rm.app_version_header.value != "false";
  for (const Destination& d : r.destinations) {
    const Version& v = rm.versions[d.version];
    Object dest = Object{{"destination", destination(rm, v)}, {"weight", d.weight}};
    Object response = Object::object();
    if (app_version) response["set"] = Object{{"app-version", v.name}};
    // add, not set: the application's own Set-Cookie headers stay.
    if (d.set_cookie) response["add"] = Object{{"set-cookie", sticky_set_cookie(rm, v)}};
    if (!response.empty()) dest["headers"] = Object{{"response", response}};
    dests.push_back(std::move(dest));
  }
  route["route"] = std::move(dests);
  if (r.mirrors.size() == 1) {
    const Mirror& m = r.mirrors.front();
    route["mirror"] = destination(rm, rm.versions[m.version]);
    route["mirrorPercentage"] = Object{{"value", m.percent}};
  } else if (!r.mirrors.empty()) {
    Object mirrors = Object::array();
    for (const Mirror& m : r.mirrors) {
      mirrors.push_back(Object{{"destination", destination(rm, rm.versions[m.version])},
                               {"percentage", Object{{"value", m.percent}}}});
    }
    route["mirrors"] = std::move(mirrors);
  }
  return route;
}

}  // namespace

Object virtual_service(const Routemap& rm, const std::string& api_version, Binding binding) {
  bool mesh = binding == Binding::kMesh;
  Object vs = k8s_object("networking.istio.io/" + api_version, "VirtualService",
                         mesh ? rm.name : rm.name + "-gateway", rm.namespace_, rm);
  // In the mesh the short name (completed with the VirtualService's namespace) stands for
  // every in-cluster name: sidecars route by Service.
  // Through the gateway the Host header is matched: the application's hosts answer, or every
  // in-cluster name when there are none.
  std::vector<std::string> names;
  if (mesh) names.push_back(rm.name);
  if (!mesh && rm.hosts.empty()) names = in_cluster_hosts(rm);
  for (const std::string& h : rm.hosts) {
    if (std::find(names.begin(), names.end(), h) == names.end()) names.push_back(h);
  }
  Object hosts = names;
  Object spec = Object::object();
  spec["hosts"] = std::move(hosts);
  spec["gateways"] = Object::array({mesh ? std::string("mesh") : rm.gateway});
  Object http = Object::array();
  for (const Route& r : rm.routes) http.push_back(http_route(rm, r));
  spec["http"] = std::move(http);
  vs["spec"] = std::move(spec);
  return vs;
}

}  // namespace meshc::istio
