// Istio VirtualService + DestinationRule (networking.istio.io v1 / v1beta1 / v1alpha3), with the
// matching rules Envoy applies to the routes Istio generates: http routes in order, the first
// whose any match entry holds; StringMatch exact / prefix / regex (RE2, whole value); headers by
// case-insensitive name; uri exact and regex on the path without query, prefix on :path.
#include <algorithm>

#include "tests/routing/simulator_internal.h"

namespace routing {
namespace {

const char* const kGroup = "networking.istio.io";

std::string Fqdn(std::string host, const std::string& ns) {
  host = Lower(host);
  if (host == "*" || host.rfind("*.", 0) == 0) return host;
  if (host.find('.') == std::string::npos) return host + "." + ns + ".svc.cluster.local";
  return host;
}

// Specificity with which `pattern` covers `name`: -1 if it does not.
long Covers(const std::string& pattern, const std::string& name) {
  if (pattern == "*") return 0;
  if (pattern.rfind("*.", 0) == 0) {
    const std::string suffix = pattern.substr(1);
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return static_cast<long>(suffix.size());
    }
    return -1;
  }
  return pattern == name ? 100000 + static_cast<long>(pattern.size()) : -1;
}

// StringMatch {exact|prefix|regex}; an empty one means "present".
bool StringMatches(const YAML::Node& m, const std::optional<std::string>& value,
                   const std::string& ctx, bool ignore_case = false) {
  CheckKeys(m, {"exact", "prefix", "regex"}, ctx);
  if (!value) return false;
  std::string v = ignore_case ? Lower(*value) : *value;
  if (Has(m, "exact")) return v == (ignore_case ? Lower(Str(m, "exact")) : Str(m, "exact"));
  if (Has(m, "prefix")) {
    const std::string p = ignore_case ? Lower(Str(m, "prefix")) : Str(m, "prefix");
    return v.compare(0, p.size(), p) == 0;
  }
  if (Has(m, "regex")) return RegexMatch(Str(m, "regex"), *value, Anchor::kFull);
  return true;
}

std::string NormalizeGateway(const std::string& gw, const std::string& ns) {
  if (gw == "mesh" || gw.find('/') != std::string::npos) return gw;
  return ns + "/" + gw;
}

bool MatchEntryHolds(const YAML::Node& m, const Request& request, const std::string& gateway,
                     const std::string& vs_ns, const std::string& ctx) {
  CheckKeys(m,
            {"name", "uri", "method", "authority", "headers", "queryParams", "ignoreUriCase",
             "gateways", "statPrefix"},
            ctx);
  if (Has(m, "gateways")) {
    bool listed = false;
    for (const auto& g : m["gateways"]) {
      listed = listed || NormalizeGateway(g.as<std::string>(), vs_ns) == gateway;
    }
    if (!listed) return false;
  }
  const bool ignore_case = Has(m, "ignoreUriCase") && m["ignoreUriCase"].as<bool>();
  if (Has(m, "uri")) {
    const YAML::Node uri = m["uri"];
    // Envoy: path (exact) and safe_regex ignore the query string; prefix reads the whole :path.
    const std::string subject = Has(uri, "prefix") ? request.FullPath() : request.path;
    if (!StringMatches(uri, subject, ctx + ".uri", ignore_case && !Has(uri, "regex"))) return false;
  }
  if (Has(m, "method") && !StringMatches(m["method"], request.method, ctx + ".method"))
    return false;
  if (Has(m, "authority") && !StringMatches(m["authority"], request.host, ctx + ".authority")) {
    return false;
  }
  if (Has(m, "headers")) {
    for (const auto& kv : m["headers"]) {
      const std::string name = kv.first.as<std::string>();
      if (!StringMatches(kv.second, request.Header(name), ctx + ".headers." + name)) return false;
    }
  }
  if (Has(m, "queryParams")) {
    for (const auto& kv : m["queryParams"]) {
      const std::string name = kv.first.as<std::string>();
      if (Has(kv.second, "prefix")) throw NotModeled(ctx + ".queryParams prefix");
      if (!StringMatches(kv.second, request.Query(name), ctx + ".queryParams." + name))
        return false;
    }
  }
  return true;
}

// The version behind a Destination {host, subset, port}.
std::string DestinationVersion(const Cluster::State& state, const Object& vs, const YAML::Node& d,
                               int request_port, const std::string& ctx) {
  CheckKeys(d, {"host", "subset", "port"}, ctx);
  const std::string host = Fqdn(Str(d, "host"), vs.ns);
  const std::string suffix = ".svc.cluster.local";
  if (host.size() <= suffix.size() ||
      host.compare(host.size() - suffix.size(), suffix.size(), suffix) != 0 ||
      std::count(host.begin(), host.end(), '.') != 4) {
    throw Broken(ctx + ": destination host " + host + " is not an in-cluster Service");
  }
  const std::string name = host.substr(0, host.find('.'));
  const std::string ns =
      host.substr(name.size() + 1, host.find('.', name.size() + 1) - name.size() - 1);
  const Service* svc = state.FindService(ns, name);
  if (!svc) throw Broken(ctx + ": destination Service " + ns + "/" + name + " does not exist");
  int port = 0;
  if (Has(d, "port")) {
    port = Int(d["port"], "number", 0);
  } else if (svc->ports.size() == 1) {
    port = svc->ports[0].port;
  } else {
    port = request_port;
  }
  std::map<std::string, std::string> subset_labels;
  if (Has(d, "subset")) {
    const std::string subset = Str(d, "subset");
    std::vector<std::pair<long, const Object*>> rules;
    for (const Object* dr : state.Find(kGroup, "DestinationRule")) {
      const YAML::Node spec = At(dr->node, "spec");
      CheckKeys(spec, {"host", "subsets", "trafficPolicy", "exportTo"}, dr->Ref() + ".spec");
      if (Has(spec, "exportTo")) throw NotModeled(dr->Ref() + ".spec.exportTo");
      const long score = Covers(Fqdn(Str(spec, "host"), dr->ns), host);
      if (score >= 0) rules.push_back({score, dr});
    }
    if (rules.empty())
      throw Broken(ctx + ": no DestinationRule for " + host + " (subset " + subset + ")");
    std::sort(rules.begin(), rules.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    if (rules.size() > 1 && rules[0].first == rules[1].first) {
      throw NotModeled(ctx + ": several DestinationRules for " + host);
    }
    bool found = false;
    for (const auto& s : At(At(rules[0].second->node, "spec"), "subsets")) {
      CheckKeys(s, {"name", "labels", "trafficPolicy"}, rules[0].second->Ref() + ".subsets[]");
      if (Str(s, "name") != subset) continue;
      found = true;
      for (const auto& kv : s["labels"]) {
        subset_labels[kv.first.as<std::string>()] = kv.second.as<std::string>();
      }
    }
    if (!found) throw Broken(ctx + ": subset " + subset + " is not in " + rules[0].second->Ref());
  }
  return ResolveVersion(state, ns, name, subset_labels, port, ctx);
}

std::string AppVersionHeader(const YAML::Node& headers) {
  std::string value;
  const YAML::Node response = At(headers, "response");
  for (const char* op : {"set", "add"}) {
    if (!Has(response, op)) continue;
    for (const auto& kv : response[op]) {
      if (Lower(kv.first.as<std::string>()) == "app-version") value = kv.second.as<std::string>();
    }
  }
  return value;
}

// The set-cookie header a destination's (or route's) headers.response add or set ("" if none).
std::string SetCookieHeader(const YAML::Node& headers) {
  std::string value;
  const YAML::Node response = At(headers, "response");
  for (const char* op : {"set", "add"}) {
    if (!Has(response, op)) continue;
    for (const auto& kv : response[op]) {
      if (Lower(kv.first.as<std::string>()) == "set-cookie") value = kv.second.as<std::string>();
    }
  }
  return value;
}

double Percentage(const YAML::Node& p) {
  return Number(p, "value", 100);
}

Outcome ApplyRoute(const Cluster::State& state, const Object& vs, const YAML::Node& http,
                   int request_port, const std::string& ctx) {
  Outcome out;
  out.kind = Outcome::Kind::kRouted;
  out.detail = ctx + (Has(http, "name") ? " (" + Str(http, "name") + ")" : "");
  const YAML::Node routes = http["route"];
  if (!routes || routes.size() == 0) throw Broken(ctx + ": no route destinations");
  double total = 0;
  for (const auto& r : routes) total += Number(r, "weight", routes.size() == 1 ? 100 : 0);
  if (total <= 0) throw Broken(ctx + ": destination weights sum to 0");
  const std::string route_app_version = AppVersionHeader(http["headers"]);
  for (size_t i = 0; i < routes.size(); ++i) {
    const YAML::Node r = routes[i];
    const std::string rctx = ctx + ".route[" + std::to_string(i) + "]";
    CheckKeys(r, {"destination", "weight", "headers"}, rctx);
    const double share = 100.0 * Number(r, "weight", routes.size() == 1 ? 100 : 0) / total;
    if (share <= 0) continue;
    const std::string v = DestinationVersion(state, vs, r["destination"], request_port, rctx);
    out.versions[v] += share;
    const std::string app_version = AppVersionHeader(r["headers"]);
    out.app_version[v] = app_version.empty() ? route_app_version : app_version;
    const std::string cookie = SetCookieHeader(r["headers"]);
    out.set_cookie[v] = cookie.empty() ? SetCookieHeader(http["headers"]) : cookie;
  }
  if (Has(http, "mirror")) {
    double pct = 100;
    if (Has(http, "mirrorPercentage"))
      pct = Percentage(http["mirrorPercentage"]);
    else if (Has(http, "mirrorPercent"))
      pct = Number(http, "mirrorPercent", 100);
    else if (Has(http, "mirror_percent"))
      pct = Number(http, "mirror_percent", 100);
    out.mirrors[DestinationVersion(state, vs, http["mirror"], request_port, ctx + ".mirror")] +=
        pct;
  }
  if (Has(http, "mirrors")) {
    for (const auto& m : http["mirrors"]) {
      CheckKeys(m, {"destination", "percentage"}, ctx + ".mirrors[]");
      const double pct = Has(m, "percentage") ? Percentage(m["percentage"]) : 100;
      out.mirrors[DestinationVersion(state, vs, m["destination"], request_port,
                                     ctx + ".mirrors[]")] += pct;
    }
  }
  return out;
}

// First-match evaluation of one VirtualService.
Outcome EvaluateVirtualService(const Cluster::State& state, const Object& vs,
                               const Request& request, const std::string& gateway,
                               int request_port) {
  const YAML::Node http = At(At(vs.node, "spec"), "http");
  for (size_t i = 0; http && i < http.size(); ++i) {
    const std::string ctx = vs.Ref() + " http[" + std::to_string(i) + "]";
    CheckKeys(http[i],
              {"name", "match", "route", "mirror", "mirrors", "mirrorPercentage", "mirrorPercent",
               "mirror_percent", "headers", "rewrite", "timeout", "retries", "corsPolicy"},
              ctx);
    const YAML::Node match = http[i]["match"];
    bool holds = !match || match.size() == 0;
    for (size_t j = 0; !holds && j < match.size(); ++j) {
      holds = MatchEntryHolds(match[j], request, gateway, vs.ns,
                              ctx + ".match[" + std::to_string(j) + "]");
    }
    if (holds) return ApplyRoute(state, vs, http[i], request_port, ctx);
  }
  Outcome out;
  out.kind = Outcome::Kind::kUnrouted;
  out.detail = "no http route of " + vs.Ref() + " matches (404)";
  return out;
}

}  // namespace

Outcome RouteIstio(const Cluster::State& state, const Request& request) {
  std::string gateway = "mesh", host;
  const Service* target = nullptr;
  int request_port = 0;
  if (request.via == "mesh") {
    target = &MeshTarget(state, request);
    host = target->name + "." + target->ns + ".svc.cluster.local";
    request_port = RequestPort(*target);
  } else {
    if (request.gateway.find('/') == std::string::npos) {
      throw Broken("gateway must be namespace/name: " + request.gateway);
    }
    gateway = request.gateway;
    host = Lower(request.host.substr(0, request.host.find(':')));
  }
  // VirtualServices bound to this gateway (or the mesh) whose hosts cover the host; the most
  // specific host wins (Envoy picks the most specific virtual host).
  std::vector<std::pair<long, const Object*>> bound;
  for (const Object* vs : state.Find(kGroup, "VirtualService")) {
    const YAML::Node spec = At(vs->node, "spec");
    CheckKeys(spec, {"hosts", "gateways", "http", "exportTo"}, vs->Ref() + ".spec");
    if (Has(spec, "exportTo")) throw NotModeled(vs->Ref() + ".spec.exportTo");
    bool on_gateway =
        !Has(spec, "gateways") || At(spec, "gateways").size() == 0 ? gateway == "mesh" : false;
    for (const auto& g : At(spec, "gateways")) {
      on_gateway = on_gateway || NormalizeGateway(g.as<std::string>(), vs->ns) == gateway;
    }
    if (!on_gateway) continue;
    long best = -1;
    for (const auto& h : At(spec, "hosts"))
      best = std::max(best, Covers(Fqdn(h.as<std::string>(), vs->ns), host));
    if (best >= 0) bound.push_back({best, vs});
  }
  if (bound.empty()) {
    if (target) return PlainServiceRouting(state, *target, "no VirtualService for " + host);
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "no VirtualService on gateway " + gateway + " for host " + host;
    return out;
  }
  long top = 0;
  for (const auto& b : bound) top = std::max(top, b.first);
  std::vector<const Object*> chosen;
  for (const auto& b : bound) {
    if (b.first == top) chosen.push_back(b.second);
  }
  if (chosen.size() == 1) {
    return EvaluateVirtualService(state, *chosen[0], request, gateway, request_port);
  }
  // Several VirtualServices for one host: which applies (sidecars) or comes first (gateways)
  // depends on creation time, which the manifests do not carry.
  std::vector<std::pair<std::string, Outcome>> readings;
  for (const Object* vs : chosen) {
    Outcome o = EvaluateVirtualService(state, *vs, request, gateway, request_port);
    Finish(&o);
    readings.push_back({vs->Ref() + " is oldest", o});
  }
  return Combine(readings);
}

}  // namespace routing
