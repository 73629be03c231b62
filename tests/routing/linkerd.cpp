// Linkerd's reading of the routes attached to a Service: policy.linkerd.io HTTPRoute (any
// version) and gateway.networking.k8s.io HTTPRoute / GRPCRoute, as Linkerd's policy controller
// accepts them and its proxy matches them (mesh requests only). Semantics from the sources (the
// versions the gateway-api profiles' caveats name):
// - linkerd/linkerd2 version-2.20, policy-controller/k8s/index/src/outbound/index.rs
//   (is_parent_service: group "core" or "", kind Service), outbound/index/http.rs and grpc.rs
//   (a rule-level RequestMirror, URLRewrite or ExtensionRef filter fails the conversion and the
//   whole route is skipped; such a backend filter makes the backend invalid), routes/grpc.rs (a
//   RegularExpression GRPCRoute method match fails the route); no ReferenceGrant is read.
// - linkerd/linkerd2-proxy, linkerd/http/route/src/lib.rs (routes by host match, then the best
//   rule; the best match of a rule's matches; the first wins a tie; a rule without matches is the
//   default match), http/match.rs (order: path match length, headers, query parameters, method),
//   http/match/path.rs (Exact: the value's length; PathPrefix: the request path and the prefix
//   without trailing '/', segment-wise, "/" counting 1; RegularExpression: the request path's
//   length, the match found must span the whole path), header.rs and query_param.rs (any value
//   of the name may match; a regex must span the whole value), grpc/match.rs (POST only; service
//   and method compared exactly; order: service characters, method characters, headers);
//   app/outbound/src/http/logical/policy/route/filters.rs (a backend's ResponseHeaderModifier is
//   applied to HTTP responses, to none of gRPC).
// No rule matching: the proxy fails the request (NoRoute), reported as unrouted.
#include <re2/re2.h>

#include <algorithm>
#include <tuple>

#include "tests/routing/simulator_internal.h"

namespace routing {
namespace {

const char* const kGateway = "gateway.networking.k8s.io";
const char* const kPolicy = "policy.linkerd.io";

// Rust regex semantics as the proxy uses them: the leftmost-first match found anywhere must
// span the whole value.
bool WholeValueMatch(const std::string& pattern, const std::string& value) {
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  if (!re.ok()) throw Broken("invalid regular expression \"" + pattern + "\"");
  re2::StringPiece found;
  if (!re.Match(value, 0, value.size(), RE2::UNANCHORED, &found, 1)) return false;
  return found.data() == value.data() && found.size() == value.size();
}

std::string TrimTrailingSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// The summary a match yields for a request (http/match.rs RequestMatch; grpc/match.rs).
struct Summary {
  size_t path = 1;  // PathPrefix "/" by default
  size_t headers = 0;
  size_t query = 0;
  bool method = false;
  size_t grpc_service = 0;
  size_t grpc_method = 0;
  auto Tuple() const {
    return std::make_tuple(grpc_service, grpc_method, path, headers, query, method);
  }
  bool operator<(const Summary& o) const { return Tuple() < o.Tuple(); }
  bool operator==(const Summary& o) const { return Tuple() == o.Tuple(); }
};

bool HeaderHolds(const YAML::Node& h, const Request& request, const std::string& ctx) {
  CheckKeys(h, {"name", "type", "value"}, ctx);
  const std::string name = Lower(Str(h, "name"));
  const std::string type = Str(h, "type", "Exact");
  const std::string want = Str(h, "value");
  for (const auto& [n, v] : request.headers) {
    if (Lower(n) != name) continue;
    if (type == "Exact" && v == want) return true;
    if (type == "RegularExpression" && WholeValueMatch(want, v)) return true;
    if (type != "Exact" && type != "RegularExpression") throw NotModeled(ctx + ".type " + type);
  }
  return false;
}

bool QueryHolds(const YAML::Node& q, const Request& request, const std::string& ctx) {
  CheckKeys(q, {"name", "type", "value"}, ctx);
  const std::string name = Str(q, "name"), type = Str(q, "type", "Exact"), want = Str(q, "value");
  for (const auto& [n, v] : request.query) {
    if (n != name) continue;
    if (type == "Exact" && v == want) return true;
    if (type == "RegularExpression" && WholeValueMatch(want, v)) return true;
    if (type != "Exact" && type != "RegularExpression") throw NotModeled(ctx + ".type " + type);
  }
  return false;
}

bool HttpMatchHolds(const YAML::Node& match, const Request& request, const std::string& ctx,
                    Summary* s) {
  CheckKeys(match, {"path", "headers", "queryParams", "method"}, ctx);
  if (Has(match, "method")) {
    if (request.method != Str(match, "method")) return false;
    s->method = true;
  }
  if (Has(match, "path")) {
    const YAML::Node p = match["path"];
    CheckKeys(p, {"type", "value"}, ctx + ".path");
    const std::string type = Str(p, "type", "PathPrefix"), value = Str(p, "value", "/");
    if (type == "Exact") {
      if (request.path != value) return false;
      s->path = value.size();
    } else if (type == "PathPrefix") {
      if (value == "/") {
        s->path = 1;
      } else {
        const std::string prefix = TrimTrailingSlashes(value);
        const std::string path = TrimTrailingSlashes(request.path);
        if (path.compare(0, prefix.size(), prefix) != 0) return false;
        const std::string rest = path.substr(prefix.size());
        if (!rest.empty() && rest[0] != '/') return false;
        s->path = prefix.size();
      }
    } else if (type == "RegularExpression") {
      if (!WholeValueMatch(value, request.path)) return false;
      s->path = request.path.size();
    } else {
      throw NotModeled(ctx + ".path.type " + type);
    }
  }
  size_t headers = 0;
  if (Has(match, "headers")) {
    for (const auto& h : match["headers"]) {
      if (!HeaderHolds(h, request, ctx + ".headers[]")) return false;
      ++headers;
    }
  }
  s->headers = headers;
  size_t query = 0;
  if (Has(match, "queryParams")) {
    for (const auto& q : match["queryParams"]) {
      if (!QueryHolds(q, request, ctx + ".queryParams[]")) return false;
      ++query;
    }
  }
  s->query = query;
  return true;
}

bool GrpcMatchHolds(const YAML::Node& match, const Request& request, const std::string& ctx,
                    Summary* s) {
  CheckKeys(match, {"method", "headers"}, ctx);
  std::string service, method;
  if (!GrpcCall(request, &service, &method)) return false;
  if (Has(match, "method")) {
    const YAML::Node m = match["method"];
    CheckKeys(m, {"type", "service", "method"}, ctx + ".method");
    const std::string want_service = Str(m, "service"), want_method = Str(m, "method");
    if (!want_service.empty()) {
      if (want_service != service) return false;
      s->grpc_service = want_service.size();
    }
    if (!want_method.empty()) {
      if (want_method != method) return false;
      s->grpc_method = want_method.size();
    }
  }
  size_t headers = 0;
  if (Has(match, "headers")) {
    for (const auto& h : match["headers"]) {
      if (!HeaderHolds(h, request, ctx + ".headers[]")) return false;
      ++headers;
    }
  }
  s->headers = headers;
  s->path = 0;
  return true;
}

bool IsServiceParent(const YAML::Node& ref, const std::string& route_ns, const Service& target,
                     const std::string& route_group) {
  // The CRDs default an absent group to their own group and kind to Gateway.
  const std::string group = Str(ref, "group", route_group);
  const std::string kind = Str(ref, "kind", "Gateway");
  return (Lower(group) == "core" || group.empty()) && Lower(kind) == "service" &&
         Str(ref, "namespace", route_ns) == target.ns && Str(ref, "name") == target.name;
}

// Why the policy controller refuses a route (the whole route is skipped), or "".
std::string Refused(const Object& route) {
  const YAML::Node rules = At(At(route.node, "spec"), "rules");
  for (const auto& rule : rules) {
    for (const auto& f : At(rule, "filters")) {
      const std::string type = Str(f, "type");
      if (type == "RequestMirror" || type == "URLRewrite" || type == "ExtensionRef") {
        return route.Ref() + " has a " + type + " filter, which Linkerd's policy controller " +
               "does not support: it skips the route";
      }
    }
    if (route.kind == "GRPCRoute") {
      for (const auto& m : At(rule, "matches")) {
        if (Str(At(m, "method"), "type", "Exact") == "RegularExpression") {
          return route.Ref() + " has a RegularExpression method match, which Linkerd's " +
                 "policy controller rejects: it skips the route";
        }
      }
    }
  }
  return "";
}

Outcome ApplyLinkerdRule(const Cluster::State& state, const Object& route, const YAML::Node& rule,
                         const std::string& ctx) {
  CheckKeys(rule, {"name", "matches", "filters", "backendRefs", "timeouts", "retry"}, ctx);
  for (const auto& f : At(rule, "filters")) {
    const std::string type = Str(f, "type");
    if (type != "RequestHeaderModifier" && type != "ResponseHeaderModifier") {
      throw NotModeled(ctx + " filter " + type);
    }
  }
  Outcome out;
  out.kind = Outcome::Kind::kRouted;
  out.detail = ctx;
  const YAML::Node backends = At(rule, "backendRefs");
  if (!backends || backends.size() == 0) throw Broken(ctx + ": rule has no backendRefs");
  double total = 0;
  for (const auto& b : backends) total += Number(b, "weight", 1);
  if (total <= 0) throw Broken(ctx + ": every backendRef has weight 0");
  for (size_t i = 0; i < backends.size(); ++i) {
    const YAML::Node b = backends[i];
    const std::string bctx = ctx + ".backendRefs[" + std::to_string(i) + "]";
    CheckKeys(b, {"group", "kind", "name", "namespace", "port", "weight", "filters"}, bctx);
    const double share = 100.0 * Number(b, "weight", 1) / total;
    if (share <= 0) continue;
    std::string group = Str(b, "group", "");
    if (!group.empty() && Lower(group) != "core") throw NotModeled(bctx + " group " + group);
    if (Str(b, "kind", "Service") != "Service") throw NotModeled(bctx + " kind");
    if (!Has(b, "port")) throw Broken(bctx + ": missing port for backend Service (invalid)");
    std::string app_version, set_cookie;
    for (const auto& f : At(b, "filters")) {
      const std::string type = Str(f, "type");
      if (type == "RequestMirror" || type == "URLRewrite" || type == "ExtensionRef") {
        throw Broken(bctx + ": unsupported backend filter " + type + " (invalid backend)");
      }
      if (type == "ResponseHeaderModifier" && route.kind != "GRPCRoute") {
        const YAML::Node mod = f["responseHeaderModifier"];
        for (const char* op : {"set", "add"}) {
          for (const auto& h : At(mod, op)) {
            if (Lower(Str(h, "name")) == "app-version") app_version = Str(h, "value");
            if (Lower(Str(h, "name")) == "set-cookie") set_cookie = Str(h, "value");
          }
        }
      } else if (type != "ResponseHeaderModifier" && type != "RequestHeaderModifier") {
        throw NotModeled(bctx + " filter " + type);
      }
    }
    const std::string v = ResolveVersion(state, Str(b, "namespace", route.ns), Str(b, "name"), {},
                                         Int(b, "port", 0), bctx);
    out.versions[v] += share;
    out.app_version[v] = app_version;
    out.set_cookie[v] = set_cookie;
  }
  return out;
}

}  // namespace

Outcome RouteLinkerd(const Cluster::State& state, const Request& request) {
  if (request.via != "mesh") throw NotModeled("Linkerd routes mesh requests only");
  const Service& target = MeshTarget(state, request);
  const std::string host = Lower(
      (request.host.empty() ? target.name + "." + target.ns + ".svc.cluster.local" : request.host)
          .substr(0, request.host.find(':')));
  std::vector<const Object*> routes;
  for (const char* group : {kPolicy, kGateway}) {
    for (const Object* r : state.Find(group, "HTTPRoute")) routes.push_back(r);
  }
  for (const Object* r : state.Find(kGateway, "GRPCRoute")) routes.push_back(r);
  std::vector<const Object*> attached;
  std::vector<std::string> refused;
  for (const Object* r : routes) {
    const YAML::Node spec = At(r->node, "spec");
    CheckKeys(spec, {"parentRefs", "hostnames", "rules"}, r->Ref() + ".spec");
    bool mine = false;
    for (const auto& ref : At(spec, "parentRefs")) {
      CheckKeys(ref, {"group", "kind", "namespace", "name", "sectionName", "port"},
                r->Ref() + ".parentRefs[]");
      if (!IsServiceParent(ref, r->ns, target, r->group)) continue;
      if (Has(ref, "port") && Int(ref, "port", 0) != RequestPort(target)) continue;
      if (r->ns != target.ns) throw NotModeled(r->Ref() + ": consumer route (other namespace)");
      mine = true;
    }
    if (!mine) continue;
    const std::string why = Refused(*r);
    if (!why.empty()) {
      refused.push_back(why);
      continue;
    }
    attached.push_back(r);
  }
  // The Service's outbound policy serves gRPC calls from its GRPCRoutes when it has any.
  const bool any_grpc = std::any_of(attached.begin(), attached.end(),
                                    [](const Object* r) { return r->kind == "GRPCRoute"; });
  const std::string kind = request.grpc && any_grpc ? "GRPCRoute" : "HTTPRoute";
  attached.erase(std::remove_if(attached.begin(), attached.end(),
                                [&](const Object* r) { return r->kind != kind; }),
                 attached.end());
  if (attached.empty()) {
    return PlainServiceRouting(state, target,
                               refused.empty() ? "no route Linkerd reads is attached to the Service"
                                               : JoinStrings(refused, "; "));
  }
  // Per route: the host match, then its best rule; the first of equal ones wins.
  struct Best {
    const Object* route;
    size_t rule;
    int host;  // 0: the route has no hostnames; 1 + characters of the matching hostname
    Summary summary;
  };
  std::vector<Best> best;
  for (const Object* r : attached) {
    const YAML::Node spec = At(r->node, "spec");
    int host_rank = 0;
    if (Has(spec, "hostnames") && spec["hostnames"].size() > 0) {
      host_rank = -1;
      for (const auto& h : spec["hostnames"]) {
        const std::string pattern = Lower(h.as<std::string>());
        if (HostMatches(pattern, host)) {
          host_rank = std::max(host_rank, 1 + static_cast<int>(pattern.size()));
        }
      }
      if (host_rank < 0) continue;  // no hostname matches: the route does not apply
    }
    const YAML::Node rules = At(spec, "rules");
    std::optional<Best> top;
    for (size_t i = 0; i < rules.size(); ++i) {
      const std::string ctx = r->Ref() + " rules[" + std::to_string(i) + "]";
      const YAML::Node matches = At(rules[i], "matches");
      std::optional<Summary> rule_best;
      if (!matches || matches.size() == 0) {
        rule_best = Summary{};
        if (kind == "GRPCRoute") rule_best->path = 0;
      } else {
        for (size_t j = 0; j < matches.size(); ++j) {
          Summary s;
          const std::string mctx = ctx + ".matches[" + std::to_string(j) + "]";
          bool holds = kind == "GRPCRoute" ? GrpcMatchHolds(matches[j], request, mctx, &s)
                                           : HttpMatchHolds(matches[j], request, mctx, &s);
          if (holds && (!rule_best || *rule_best < s)) rule_best = s;
        }
      }
      if (!rule_best) continue;
      if (!top || top->summary < *rule_best) top = Best{r, i, host_rank, *rule_best};
    }
    if (top) best.push_back(*top);
  }
  if (best.empty()) {
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "no rule of the Service's routes matches (Linkerd fails the request: NoRoute)";
    return out;
  }
  auto key = [](const Best& b) { return std::make_tuple(b.host, b.summary.Tuple()); };
  auto winner = std::max_element(best.begin(), best.end(),
                                 [&](const Best& a, const Best& b) { return key(a) < key(b); });
  std::vector<std::pair<std::string, Outcome>> readings;
  for (const Best& b : best) {
    if (key(b) != key(*winner)) continue;
    const std::string ctx = b.route->Ref() + " rules[" + std::to_string(b.rule) + "]";
    readings.push_back(
        {b.route->Ref() + " is oldest",
         ApplyLinkerdRule(state, *b.route, At(At(b.route->node, "spec"), "rules")[b.rule], ctx)});
  }
  return Combine(readings);  // creation time orders equal routes; the manifests lack it
}

}  // namespace routing
