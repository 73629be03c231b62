// Gateway API HTTPRoute (gateway.networking.k8s.io v1 / v1beta1), for GAMMA mesh routing (a
// Service parentRef) and for a Gateway parentRef. Semantics from the HTTPRoute field docs of
// tests/crds/gateway.networking.k8s.io/standard (rules[].matches, hostnames, backendRefs,
// RequestMirror) and GEP-1294 (mesh binding).
#include <algorithm>
#include <tuple>

#include "tests/routing/simulator_internal.h"

namespace routing {
namespace {

const char* const kGroup = "gateway.networking.k8s.io";

// What the spec leaves to implementations, made explicit: every answer is computed under each
// combination and must agree.
struct Reading {
  bool regex_above_prefix;  // RegularExpression path precedence: above PathPrefix or below it
  Anchor regex_anchor;      // regex dialect: whole-value (Envoy) or search (nginx/PCRE style)
  std::string Name() const {
    return std::string(regex_above_prefix ? "regex paths rank above prefixes"
                                          : "regex paths rank below prefixes") +
           (regex_anchor == Anchor::kFull ? ", whole-value regex" : ", search regex");
  }
};

std::string HostWithoutPort(const std::string& host) {
  return Lower(host.substr(0, host.find(':')));
}

// Precedence of a match that holds, per the rules[].matches field docs. Larger wins.
// GRPCRoute matches rank by the characters of the matching service, then of the matching
// method, then header matches (rules[] field doc); their path fields stay 0, as HTTPRoute
// matches' gRPC fields do (one request is matched against one kind of route only).
struct Rank {
  size_t grpc_service = 0;
  size_t grpc_method = 0;
  int path_kind = 0;  // Exact 3; PathPrefix / RegularExpression 1 or 2 by reading
  size_t prefix_len = 0;
  int method = 0;
  size_t headers = 0;
  size_t query = 0;
  auto Tuple() const {
    return std::make_tuple(grpc_service, grpc_method, path_kind, prefix_len, method, headers,
                           query);
  }
  bool operator<(const Rank& o) const { return Tuple() < o.Tuple(); }
  bool operator==(const Rank& o) const { return Tuple() == o.Tuple(); }
};

bool PathPrefixMatches(std::string prefix, const std::string& path) {
  // "Matches based on a URL path prefix split by `/` ... element by element ... When specified,
  // a trailing `/` is ignored."
  if (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  if (prefix == "/") return true;
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

// Evaluates one HTTPRouteMatch; returns whether it holds and its rank.
bool MatchHolds(const YAML::Node& match, const Request& request, const Reading& reading,
                const std::string& ctx, Rank* rank) {
  CheckKeys(match, {"path", "headers", "queryParams", "method"}, ctx);
  // path (default PathPrefix "/")
  std::string type = "PathPrefix", value = "/";
  if (Has(match, "path")) {
    CheckKeys(match["path"], {"type", "value"}, ctx + ".path");
    type = Str(match["path"], "type", "PathPrefix");
    value = Str(match["path"], "value", "/");
  }
  bool ok = true;
  if (type == "Exact") {
    ok = request.path == value;
    rank->path_kind = 3;
  } else if (type == "PathPrefix") {
    ok = PathPrefixMatches(value, request.path);
    rank->path_kind = reading.regex_above_prefix ? 1 : 2;
    std::string normalized = value;
    if (normalized.size() > 1 && normalized.back() == '/') normalized.pop_back();
    rank->prefix_len = normalized.size();
  } else if (type == "RegularExpression") {
    ok = RegexMatch(value, request.path, reading.regex_anchor);
    rank->path_kind = reading.regex_above_prefix ? 2 : 1;
  } else {
    throw NotModeled(ctx + ".path.type " + type);
  }
  // headers: case-insensitive names; only the first entry of a name counts
  std::vector<std::string> seen;
  if (Has(match, "headers")) {
    for (const auto& h : match["headers"]) {
      CheckKeys(h, {"name", "type", "value"}, ctx + ".headers[]");
      const std::string name = Lower(Str(h, "name"));
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
      seen.push_back(name);
      const std::string htype = Str(h, "type", "Exact");
      const std::string want = Str(h, "value");
      const auto got = request.Header(name);
      if (htype == "Exact") {
        ok = ok && got && *got == want;
      } else if (htype == "RegularExpression") {
        ok = ok && got && RegexMatch(want, *got, reading.regex_anchor);
      } else {
        throw NotModeled(ctx + ".headers[].type " + htype);
      }
    }
  }
  rank->headers = seen.size();
  // query parameters: exact names; only the first entry of a name counts; first value in request
  std::vector<std::string> seen_query;
  if (Has(match, "queryParams")) {
    for (const auto& q : match["queryParams"]) {
      CheckKeys(q, {"name", "type", "value"}, ctx + ".queryParams[]");
      const std::string name = Str(q, "name");
      if (std::find(seen_query.begin(), seen_query.end(), name) != seen_query.end()) continue;
      seen_query.push_back(name);
      const std::string qtype = Str(q, "type", "Exact");
      const std::string want = Str(q, "value");
      const auto got = request.Query(name);
      if (qtype == "Exact") {
        ok = ok && got && *got == want;
      } else if (qtype == "RegularExpression") {
        ok = ok && got && RegexMatch(want, *got, reading.regex_anchor);
      } else {
        throw NotModeled(ctx + ".queryParams[].type " + qtype);
      }
    }
  }
  rank->query = seen_query.size();
  if (Has(match, "method")) {
    rank->method = 1;
    ok = ok && request.method == Str(match, "method");
  }
  return ok;
}

// Header conditions of a match (HTTPRoute or GRPCRoute): case-insensitive names, only the first
// entry of a name counts. Returns whether they all hold; `count` is the number of names.
bool HeadersHold(const YAML::Node& match, const Request& request, const Reading& reading,
                 const std::string& ctx, size_t* count) {
  std::vector<std::string> seen;
  bool ok = true;
  if (Has(match, "headers")) {
    for (const auto& h : match["headers"]) {
      CheckKeys(h, {"name", "type", "value"}, ctx + ".headers[]");
      const std::string name = Lower(Str(h, "name"));
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
      seen.push_back(name);
      const std::string htype = Str(h, "type", "Exact");
      const std::string want = Str(h, "value");
      const auto got = request.Header(name);
      if (htype == "Exact") {
        ok = ok && got && *got == want;
      } else if (htype == "RegularExpression") {
        ok = ok && got && RegexMatch(want, *got, reading.regex_anchor);
      } else {
        throw NotModeled(ctx + ".headers[].type " + htype);
      }
    }
  }
  *count = seen.size();
  return ok;
}

// Evaluates one GRPCRouteMatch against a gRPC call; returns whether it holds and its rank. A
// RegularExpression method match ranks by the characters of the request's service and method
// under one reading (regex_above_prefix) and as none under the other: GRPCRoute does not say.
bool GrpcMatchHolds(const YAML::Node& match, const Request& request, const Reading& reading,
                    const std::string& ctx, Rank* rank) {
  CheckKeys(match, {"method", "headers"}, ctx);
  std::string service, method;
  if (!GrpcCall(request, &service, &method)) return false;
  bool ok = true;
  if (Has(match, "method")) {
    const YAML::Node m = match["method"];
    CheckKeys(m, {"type", "service", "method"}, ctx + ".method");
    const std::string type = Str(m, "type", "Exact");
    const std::string want_service = Str(m, "service"), want_method = Str(m, "method");
    if (type == "Exact") {
      ok = (want_service.empty() || want_service == service) &&
           (want_method.empty() || want_method == method);
      rank->grpc_service = want_service.size();
      rank->grpc_method = want_method.size();
    } else if (type == "RegularExpression") {
      ok = (want_service.empty() || RegexMatch(want_service, service, reading.regex_anchor)) &&
           (want_method.empty() || RegexMatch(want_method, method, reading.regex_anchor));
      if (reading.regex_above_prefix) {
        rank->grpc_service = want_service.empty() ? 0 : service.size();
        rank->grpc_method = want_method.empty() ? 0 : method.size();
      }
    } else {
      throw NotModeled(ctx + ".method.type " + type);
    }
  }
  size_t headers = 0;
  ok = HeadersHold(match, request, reading, ctx, &headers) && ok;
  rank->headers = headers;
  return ok;
}

bool ParentIs(const YAML::Node& ref, const std::string& route_ns, const std::string& group,
              const std::string& kind, const std::string& ns, const std::string& name) {
  std::string g = Str(ref, "group", kGroup);
  if (g == "core") g = "";
  return g == group && Str(ref, "kind", "Gateway") == kind &&
         Str(ref, "namespace", route_ns) == ns && Str(ref, "name") == name;
}

// A cross-namespace reference from an HTTPRoute to a Service needs a ReferenceGrant there.
bool Granted(const Cluster::State& state, const std::string& route_kind, const std::string& from_ns,
             const std::string& to_ns, const std::string& service) {
  for (const Object* grant : state.Find(kGroup, "ReferenceGrant")) {
    if (grant->ns != to_ns) continue;
    const YAML::Node spec = At(grant->node, "spec");
    bool from_ok = false, to_ok = false;
    for (const auto& f : At(spec, "from")) {
      from_ok = from_ok || (Str(f, "group") == kGroup && Str(f, "kind") == route_kind &&
                            Str(f, "namespace") == from_ns);
    }
    for (const auto& t : At(spec, "to")) {
      to_ok = to_ok || (Str(t, "group") == "" && Str(t, "kind") == "Service" &&
                        (!Has(t, "name") || Str(t, "name") == service));
    }
    if (from_ok && to_ok) return true;
  }
  return false;
}

// The version behind a backendRef (or a RequestMirror's backendRef).
std::string BackendVersion(const Cluster::State& state, const Object& route, const YAML::Node& ref,
                           const std::string& ctx) {
  std::string group = Str(ref, "group", "");
  if (group == "core") group = "";
  const std::string kind = Str(ref, "kind", "Service");
  if (group != "" || kind != "Service")
    throw NotModeled(ctx + " backend kind " + group + "/" + kind);
  const std::string ns = Str(ref, "namespace", route.ns);
  const std::string name = Str(ref, "name");
  if (ns != route.ns && !Granted(state, route.kind, route.ns, ns, name)) {
    throw Broken(ctx + ": cross-namespace backend Service " + ns + "/" + name +
                 " without a ReferenceGrant in " + ns + " allowing " + route.kind + "s from " +
                 route.ns);
  }
  if (!Has(ref, "port")) throw Broken(ctx + ": backendRef to Service " + name + " has no port");
  return ResolveVersion(state, ns, name, {}, Int(ref, "port", 0), ctx);
}

double MirrorPercent(const YAML::Node& mirror) {
  if (Has(mirror, "percent")) return Number(mirror, "percent", 100);
  if (Has(mirror, "fraction")) {
    return 100.0 * Number(mirror["fraction"], "numerator", 0) /
           Number(mirror["fraction"], "denominator", 100);
  }
  return 100;
}

// Reads a filters list; adds mirrors (times `share`/100) and returns the app-version header set by
// a ResponseHeaderModifier ("" if none); `set_cookie` gets its Set-Cookie header, if any.
std::string ApplyFilters(const Cluster::State& state, const Object& route,
                         const YAML::Node& filters, double share, const std::string& ctx,
                         Outcome* out, std::string* set_cookie = nullptr) {
  std::string app_version;
  if (!filters) return app_version;
  for (const auto& f : filters) {
    const std::string type = Str(f, "type");
    if (type == "RequestMirror") {
      CheckKeys(f, {"type", "requestMirror"}, ctx);
      const YAML::Node m = f["requestMirror"];
      CheckKeys(m, {"backendRef", "percent", "fraction"}, ctx + ".requestMirror");
      const std::string v = BackendVersion(state, route, m["backendRef"], ctx + " mirror");
      out->mirrors[v] += share * MirrorPercent(m) / 100.0;
    } else if (type == "ResponseHeaderModifier") {
      const YAML::Node mod = f["responseHeaderModifier"];
      for (const char* op : {"set", "add"}) {
        if (!Has(mod, op)) continue;
        for (const auto& h : mod[op]) {
          if (Lower(Str(h, "name")) == "app-version") app_version = Str(h, "value");
          if (set_cookie && Lower(Str(h, "name")) == "set-cookie") *set_cookie = Str(h, "value");
        }
      }
    } else if (type == "RequestHeaderModifier") {
      // Changes what the backend sees, not where the request goes.
    } else {
      throw NotModeled(ctx + " filter " + type);
    }
  }
  return app_version;
}

Outcome ApplyRule(const Cluster::State& state, const Object& route, const YAML::Node& rule,
                  const std::string& ctx) {
  CheckKeys(rule, {"name", "matches", "filters", "backendRefs", "timeouts", "retry"}, ctx);
  Outcome out;
  out.kind = Outcome::Kind::kRouted;
  out.detail = ctx;
  std::string rule_cookie;
  const std::string rule_app_version =
      ApplyFilters(state, route, rule["filters"], 100, ctx, &out, &rule_cookie);
  if (!Has(rule, "backendRefs") || rule["backendRefs"].size() == 0) {
    throw Broken(ctx + ": rule has no backendRefs (500)");
  }
  double total = 0;
  for (const auto& b : rule["backendRefs"]) total += Number(b, "weight", 1);
  if (total <= 0) throw Broken(ctx + ": every backendRef has weight 0 (500)");
  for (size_t i = 0; i < rule["backendRefs"].size(); ++i) {
    const YAML::Node b = rule["backendRefs"][i];
    const std::string bctx = ctx + ".backendRefs[" + std::to_string(i) + "]";
    CheckKeys(b, {"group", "kind", "name", "namespace", "port", "weight", "filters"}, bctx);
    const double share = 100.0 * Number(b, "weight", 1) / total;
    if (share <= 0) continue;  // receives nothing, so it cannot fail a request either
    const std::string v = BackendVersion(state, route, b, bctx);
    out.versions[v] += share;
    std::string cookie;
    std::string app_version = ApplyFilters(state, route, b["filters"], share, bctx, &out, &cookie);
    out.app_version[v] = app_version.empty() ? rule_app_version : app_version;
    out.set_cookie[v] = cookie.empty() ? rule_cookie : cookie;
  }
  return out;
}

struct Candidate {
  const Object* route;
  size_t rule;
  Rank rank;
};

Outcome RouteUnder(const Cluster::State& state, const Request& request, const Reading& reading) {
  std::vector<const Object*> routes = state.Find(kGroup, "HTTPRoute");
  for (const Object* g : state.Find(kGroup, "GRPCRoute")) routes.push_back(g);
  std::sort(routes.begin(), routes.end(), [](const Object* a, const Object* b) {
    return std::tie(a->ns, a->name) < std::tie(b->ns, b->name);
  });
  std::vector<const Object*> attached;
  const Service* target = nullptr;
  std::string gw_ns, gw_name;
  if (request.via == "mesh") {
    target = &MeshTarget(state, request);
  } else {
    const auto slash = request.gateway.find('/');
    if (slash == std::string::npos)
      throw Broken("gateway must be namespace/name: " + request.gateway);
    gw_ns = request.gateway.substr(0, slash);
    gw_name = request.gateway.substr(slash + 1);
  }
  for (const Object* r : routes) {
    CheckKeys(At(r->node, "spec"), {"parentRefs", "hostnames", "rules"}, r->Ref() + ".spec");
    for (const auto& ref : At(At(r->node, "spec"), "parentRefs")) {
      CheckKeys(ref, {"group", "kind", "namespace", "name", "sectionName", "port"},
                r->Ref() + ".parentRefs[]");
      if (target && ParentIs(ref, r->ns, "", "Service", target->ns, target->name)) {
        if (r->ns != target->ns) throw NotModeled(r->Ref() + ": consumer route (other namespace)");
        if (Has(ref, "sectionName")) throw NotModeled(r->Ref() + ": Service parentRef sectionName");
        if (Has(ref, "port") && Int(ref, "port", 0) != RequestPort(*target)) continue;
        attached.push_back(r);
        break;
      }
      if (!target && ParentIs(ref, r->ns, kGroup, "Gateway", gw_ns, gw_name)) {
        attached.push_back(r);
        break;
      }
    }
  }
  // A gRPC call is matched by the GRPCRoutes when any is attached (GRPCRoute and HTTPRoute are
  // never merged), other requests by the HTTPRoutes only.
  bool any_grpc = std::any_of(attached.begin(), attached.end(),
                              [](const Object* r) { return r->kind == "GRPCRoute"; });
  const std::string kind = request.grpc && any_grpc ? "GRPCRoute" : "HTTPRoute";
  const bool other_kind_attached = std::any_of(attached.begin(), attached.end(),
                                               [&](const Object* r) { return r->kind != kind; });
  attached.erase(std::remove_if(attached.begin(), attached.end(),
                                [&](const Object* r) { return r->kind != kind; }),
                 attached.end());
  if (attached.empty() && other_kind_attached) {
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "only routes of another kind than " + kind + " are attached";
    return out;
  }
  if (attached.empty()) {
    if (target) return PlainServiceRouting(state, *target, "no HTTPRoute attached to the Service");
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "no HTTPRoute attached to Gateway " + request.gateway;
    return out;
  }
  if (!target) {
    // Hostnames select the routes through a Gateway; the most specific matching hostname wins
    // (characters of a non-wildcard match, then of any match). GAMMA ignores hostnames (GEP-1294).
    const std::string host = HostWithoutPort(request.host);
    std::vector<std::pair<std::pair<long, long>, const Object*>> scored;
    for (const Object* r : attached) {
      const YAML::Node names = At(At(r->node, "spec"), "hostnames");
      if (!names || names.size() == 0) {
        scored.push_back({{-1, -1}, r});
        continue;
      }
      std::pair<long, long> best{-2, -2};
      for (const auto& n : names) {
        const std::string pattern = Lower(n.as<std::string>());
        if (!HostMatches(pattern, host)) continue;
        const bool wildcard = pattern.rfind("*.", 0) == 0;
        best = std::max(best, {wildcard ? 0L : static_cast<long>(pattern.size()),
                               static_cast<long>(pattern.size())});
      }
      if (best.first > -2) scored.push_back({best, r});
    }
    if (scored.empty()) {
      Outcome out;
      out.kind = Outcome::Kind::kUnrouted;
      out.detail = "no HTTPRoute on Gateway " + request.gateway + " has hostname " + host;
      return out;
    }
    auto top = std::max_element(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
                 return a.first < b.first;
               })->first;
    attached.clear();
    for (const auto& [score, r] : scored) {
      if (score == top) attached.push_back(r);
    }
  }
  // Every match of every rule of every applicable route competes by precedence.
  std::vector<Candidate> holding;
  for (const Object* r : attached) {
    const YAML::Node rules = At(At(r->node, "spec"), "rules");
    if (!rules) continue;
    for (size_t i = 0; i < rules.size(); ++i) {
      const std::string ctx = r->Ref() + " rules[" + std::to_string(i) + "]";
      const YAML::Node matches = rules[i]["matches"];
      auto holds = [&](const YAML::Node& match, const std::string& mctx, Rank* rank) {
        return kind == "GRPCRoute" ? GrpcMatchHolds(match, request, reading, mctx, rank)
                                   : MatchHolds(match, request, reading, mctx, rank);
      };
      if (!matches || matches.size() == 0) {
        Rank rank;
        if (holds(YAML::Node(YAML::NodeType::Map), ctx, &rank)) holding.push_back({r, i, rank});
        continue;
      }
      for (size_t j = 0; j < matches.size(); ++j) {
        Rank rank;
        if (holds(matches[j], ctx + ".matches[" + std::to_string(j) + "]", &rank)) {
          holding.push_back({r, i, rank});
        }
      }
    }
  }
  if (holding.empty()) {
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "no rule matches (404)";
    return out;
  }
  Rank best = holding[0].rank;
  for (const auto& c : holding) best = std::max(best, c.rank);
  // Ties: the oldest Route (unknown here), then "{namespace}/{name}", then the first rule.
  const Candidate* winner = nullptr;
  std::vector<const Object*> tied_routes;
  for (const auto& c : holding) {
    if (!(c.rank == best)) continue;
    if (!winner) winner = &c;
    if (std::find(tied_routes.begin(), tied_routes.end(), c.route) == tied_routes.end()) {
      tied_routes.push_back(c.route);
    }
  }
  if (tied_routes.size() > 1) {
    // Creation timestamps decide between Routes; the manifests do not carry them.
    std::vector<std::pair<std::string, Outcome>> readings;
    for (const Object* r : tied_routes) {
      for (const auto& c : holding) {
        if (c.route == r && c.rank == best) {
          readings.push_back({r->Ref() + " is oldest",
                              ApplyRule(state, *r, At(At(r->node, "spec"), "rules")[c.rule],
                                        r->Ref() + " rules[" + std::to_string(c.rule) + "]")});
          break;
        }
      }
    }
    return Combine(readings);
  }
  Outcome out =
      ApplyRule(state, *winner->route, At(At(winner->route->node, "spec"), "rules")[winner->rule],
                winner->route->Ref() + " rules[" + std::to_string(winner->rule) + "]");
  Finish(&out);
  return out;
}

}  // namespace

// Hostname match of HTTPRoute.spec.hostnames: exact, or "*.suffix" matching one or more labels.
bool HostMatches(const std::string& pattern, const std::string& host) {
  if (pattern.rfind("*.", 0) == 0) {
    const std::string suffix = pattern.substr(1);  // ".example.com"
    return host.size() > suffix.size() &&
           host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return pattern == host;
}

Outcome RouteGatewayApi(const Cluster::State& state, const Request& request) {
  std::vector<std::pair<std::string, Outcome>> readings;
  for (bool above : {true, false}) {
    for (Anchor anchor : {Anchor::kFull, Anchor::kSearch}) {
      Reading reading{above, anchor};
      Outcome o = RouteUnder(state, request, reading);
      Finish(&o);
      readings.push_back({reading.Name(), o});
    }
  }
  return Combine(readings);
}

}  // namespace routing
