// Gateway API HTTPRoute / GRPCRoute (and Linkerd's policy.linkerd.io HTTPRoute, the same
// shape): the routes attached to the request's Service (GAMMA) or gateway, then the match with
// the highest precedence across all their rules (HTTPRoute rules[] field documentation).
#include <algorithm>
#include <map>
#include <tuple>

#include "compiler/evaluate/evaluate_internal.h"

namespace meshc::eval {

namespace {

bool is_route(const Obj& o) {
  if (o.group == "gateway.networking.k8s.io")
    return o.ref.kind == "HTTPRoute" || o.ref.kind == "GRPCRoute";
  return o.group == "policy.linkerd.io" && o.ref.kind == "HTTPRoute";
}

// How well hostname pattern `h` covers `host`: -2 not at all; else the number of non-wildcard
// characters (more is more specific).
int hostname_score(const std::string& pattern, const std::string& host) {
  std::string h = lower(pattern);
  if (h.rfind("*.", 0) == 0) {
    std::string suffix = h.substr(1);  // ".example.com"
    if (host.size() > suffix.size() &&
        host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0)
      return static_cast<int>(suffix.size());
    return -2;
  }
  return h == host ? static_cast<int>(h.size()) + 1000 : -2;
}

// The best score of the route's hostnames for the request (-1: the route has none, so it
// takes any host), -2 when none matches.
int route_host_score(const Obj& r, const std::string& host) {
  const auto& hs = items(at(r.spec, "hostnames"));
  if (hs.empty()) return -1;
  int best = -2;
  for (const auto& h : hs) best = std::max(best, hostname_score(h->value, host));
  return best;
}

// Whether one of the route's parentRefs is the request's Service (mesh) or gateway.
bool attached(const Context& ctx, const Obj& r) {
  const EvalRequest& req = ctx.req;
  for (const auto& pp : items(at(r.spec, "parentRefs"))) {
    const YNode* p = pp.get();
    std::string kind = text(at(p, "kind"));
    std::string group = text(at(p, "group"));
    bool group_given = at(p, "group") != nullptr;
    std::string ns = text(at(p, "namespace"));
    if (ns.empty()) ns = r.ref.namespace_;
    std::string name = text(at(p, "name"));
    if (req.via == EvalRequest::Via::kMesh) {
      if (kind != "Service" || !group_given || (group != "" && group != "core")) continue;
      auto port = integer(at(p, "port"));
      if (port && ctx.target.port && *port != ctx.target.port) continue;
      if (!ctx.target.svc_name.empty()) {
        if (ns == ctx.target.svc_ns && name == ctx.target.svc_name) return true;
      } else if (route_host_score(r, ctx.target.host) >= 0) {
        return true;  // an application host the route lists, on a Service
      }
    } else {
      if (!(kind.empty() || kind == "Gateway")) continue;
      if (!(group.empty() || group == "gateway.networking.k8s.io")) continue;
      if (!req.gateway.empty()) {
        size_t slash = req.gateway.find('/');
        if (slash != std::string::npos) {
          if (req.gateway.substr(0, slash) != ns || req.gateway.substr(slash + 1) != name) continue;
        } else if (req.gateway != name) {
          continue;
        }
      }
      return true;
    }
  }
  return false;
}

struct Candidate {
  const Obj* route = nullptr;
  int rule = 0;
  int match = -1;  // -1: a rule without matches
  const YNode* rule_node = nullptr;
  const YNode* match_node = nullptr;
  // precedence (bigger first)
  int path_rank = 1;  // 3 Exact, 2 RegularExpression, 1 PathPrefix
  int path_len = 1;
  int method = 0;
  int headers = 0;
  int queries = 0;
  int linkerd_path = 1;  // Linkerd's path length (a regex: the request path's)
  int grpc_service = 0;
  int grpc_method = 0;
  std::string age;  // creationTimestamp ("" sorts as unknown, first)
  std::string ns_name;
};

// Linkerd's proxy ranks by path length whatever the type, then headers, query parameters
// and method (linkerd2-proxy linkerd/http/route); the first rule wins a tie.
bool higher_linkerd(const Candidate& a, const Candidate& b) {
  auto ka = std::make_tuple(a.grpc_service, a.grpc_method, a.linkerd_path, a.headers, a.queries,
                            a.method);
  auto kb = std::make_tuple(b.grpc_service, b.grpc_method, b.linkerd_path, b.headers, b.queries,
                            b.method);
  if (ka != kb) return ka > kb;
  if (a.ns_name != b.ns_name) return a.ns_name < b.ns_name;
  if (a.rule != b.rule) return a.rule < b.rule;
  return a.match < b.match;
}

bool higher(const Candidate& a, const Candidate& b) {
  auto ka = std::make_tuple(a.grpc_service, a.grpc_method, a.path_rank, a.path_len, a.method,
                            a.headers, a.queries);
  auto kb = std::make_tuple(b.grpc_service, b.grpc_method, b.path_rank, b.path_len, b.method,
                            b.headers, b.queries);
  if (ka != kb) return ka > kb;
  if (a.age != b.age) return a.age < b.age;
  if (a.ns_name != b.ns_name) return a.ns_name < b.ns_name;
  if (a.rule != b.rule) return a.rule < b.rule;
  return a.match < b.match;
}

std::string path_base(const std::string& v) {
  std::string s = v;
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// Whether one of `values` (the first only, unless the reading takes any) satisfies a Gateway API
// string match; `why` says why not.
bool string_match(Context& ctx, const YNode* m, const std::string& what,
                  const std::vector<std::string>& values, const char* default_type,
                  std::string* why) {
  std::string type = text(at(m, "type"));
  if (type.empty()) type = default_type;
  std::string want = text(at(m, "value"));
  if (values.empty()) {
    *why = what + " is absent";
    return false;
  }
  for (const std::string& value : values) {
    if (type == "Exact") {
      if (value == want) return true;
      *why = what + " is " + quote(value) + ", not " + quote(want);
    } else if (type == "RegularExpression") {
      std::string err;
      if (ctx.regexes.full_match(want, value, &err)) return true;
      if (!err.empty()) {
        ctx.unsupported(m->loc, err, true);
        *why = err;
        return false;
      }
      *why = what + " " + quote(value) + " does not match " + quote(want);
    } else {
      ctx.unsupported(m->loc, what + ": match type " + quote(type) + " is not understood", true);
      *why = what + ": match type " + quote(type) + " is not understood";
      return false;
    }
  }
  return false;
}

std::vector<std::string> first_or_all(std::vector<std::string> v, bool any) {
  if (!any && v.size() > 1) v.resize(1);
  return v;
}

// The match's header conditions (HTTPRoute and GRPCRoute write them alike): all must hold.
bool headers_hold(Context& ctx, const YNode* m, bool any_value, std::string* why) {
  for (const auto& h : items(at(m, "headers"))) {
    std::string name = text(at(h.get(), "name"));
    if (!string_match(ctx, h.get(), "header " + name, ctx.req.header_values_read(name, any_value),
                      "Exact", why))
      return false;
  }
  return true;
}
bool http_match_holds(Context& ctx, const YNode* m, bool any_value, std::string* why) {
  const EvalRequest& req = ctx.req;
  if (!m) return true;
  if (const YNode* p = at(m, "path")) {
    std::string type = text(at(p, "type"));
    if (type.empty()) type = "PathPrefix";
    std::string v = at(p, "value") ? text(at(p, "value")) : "/";
    std::string path = req.path_only();
    if (type == "Exact") {
      if (path != v) {
        *why = "path " + quote(path) + " is not " + quote(v);
        return false;
      }
    } else if (type == "PathPrefix") {
      std::string base = path_base(v);
      bool ok = base.empty() || path == base ||
                (path.size() > base.size() && path.compare(0, base.size(), base) == 0 &&
                 path[base.size()] == '/');
      if (!ok) {
        *why = "path " + quote(path) + " is not under " + quote(v);
        return false;
      }
    } else if (type == "RegularExpression") {
      std::string err;
      if (!ctx.regexes.full_match(v, path, &err)) {
        if (!err.empty()) ctx.unsupported(p->loc, err, true);
        *why = err.empty() ? "path " + quote(path) + " does not match " + quote(v) : err;
        return false;
      }
    } else {
      ctx.unsupported(p->loc, "path match type " + quote(type) + " is not understood", true);
      *why = "path match type " + quote(type) + " is not understood";
      return false;
    }
  }
  if (const YNode* mm = at(m, "method")) {
    if (req.method != mm->value) {
      *why = "method " + req.method + " is not " + mm->value;
      return false;
    }
  }
  if (!headers_hold(ctx, m, any_value, why)) return false;
  for (const auto& q : items(at(m, "queryParams"))) {
    std::string name = text(at(q.get(), "name"));
    if (!string_match(ctx, q.get(), "query parameter " + name,
                      first_or_all(req.query_values(name), any_value), "Exact", why))
      return false;
  }
  return true;
}

bool grpc_match_holds(Context& ctx, const YNode* m, bool any_value, std::string* why) {
  const EvalRequest& req = ctx.req;
  if (!m) return true;
  std::string path = req.path_only();
  std::string svc, meth;
  if (path.size() > 1 && path[0] == '/') {
    size_t slash = path.find('/', 1);
    if (slash != std::string::npos) {
      svc = path.substr(1, slash - 1);
      meth = path.substr(slash + 1);
    }
  }
  if (const YNode* gm = at(m, "method")) {
    std::string type = text(at(gm, "type"));
    if (type.empty()) type = "Exact";
    for (const char* part : {"service", "method"}) {
      if (!at(gm, part)) continue;
      std::string want = text(at(gm, part));
      const std::string& got = std::string(part) == "service" ? svc : meth;
      if (type == "Exact") {
        if (got != want) {
          *why = std::string("gRPC ") + part + " " + quote(got) + " is not " + quote(want);
          return false;
        }
      } else if (type == "RegularExpression") {
        std::string err;
        if (!ctx.regexes.full_match(want, got, &err)) {
          if (!err.empty()) ctx.unsupported(gm->loc, err, true);
          *why = err.empty() ? std::string("gRPC ") + part + " " + quote(got) + " does not match " +
                                   quote(want)
                             : err;
          return false;
        }
      } else {
        ctx.unsupported(gm->loc, "gRPC method match type " + quote(type) + " is not understood",
                        true);
        *why = "gRPC method match type " + quote(type) + " is not understood";
        return false;
      }
    }
  }
  if (!headers_hold(ctx, m, any_value, why)) return false;
  return true;
}

EvalBackend backend_of(Context& ctx, const Obj& route, const YNode* ref, bool* ok) {
  EvalBackend b;
  if (!ref || !ref->is_mapping()) {
    b.namespace_ = route.ref.namespace_;
    b.problem = "a backend reference that is not a mapping";
    ctx.unsupported(ref ? ref->loc : route.ref.loc, "a backend reference that is not a mapping",
                    true);
    return b;
  }
  b.loc = ref->loc;
  std::string kind = text(at(ref, "kind"));
  std::string group = text(at(ref, "group"));
  if ((!kind.empty() && kind != "Service") || (!group.empty() && group != "core")) {
    ctx.unsupported(
        ref->loc,
        "backend of kind " + (group.empty() ? "" : group + "/") + kind + " is not understood",
        true);
    *ok = false;
  }
  b.service = text(at(ref, "name"));
  b.namespace_ = text(at(ref, "namespace"));
  if (b.namespace_.empty()) b.namespace_ = route.ref.namespace_;
  b.port = integer(at(ref, "port")).value_or(0);
  ctx.resolve_version(b, nullptr);
  if (b.namespace_ != route.ref.namespace_ && route.group == "gateway.networking.k8s.io") {
    bool granted = false;
    for (const Obj* g : ctx.set.of_kind("gateway.networking.k8s.io", "ReferenceGrant")) {
      if (g->ref.namespace_ != b.namespace_) continue;
      bool from = false, to = false;
      for (const auto& f : items(at(g->spec, "from")))
        from = from || (text(at(f.get(), "kind")) == route.ref.kind &&
                        text(at(f.get(), "namespace")) == route.ref.namespace_ &&
                        text(at(f.get(), "group")) == route.group);
      for (const auto& t : items(at(g->spec, "to")))
        to = to || (text(at(t.get(), "kind")) == "Service" && text(at(t.get(), "group")).empty() &&
                    (!at(t.get(), "name") || text(at(t.get(), "name")) == b.service));
      granted = granted || (from && to);
    }
    if (!granted)
      b.problem = "no ReferenceGrant in " + b.namespace_ + " lets " + route.ref.kind + "s of " +
                  route.ref.namespace_ + " reach Service " + b.service +
                  " (the backend is refused)";
  }
  return b;
}

// Reads a RequestMirror filter into `mirrors`; false for a filter that is not understood.
void read_filters(Context& ctx, const Obj& route, const YNode* filters,
                  std::vector<EvalBackend>& mirrors) {
  for (const auto& f : items(filters)) {
    std::string type = text(at(f.get(), "type"));
    if (type == "RequestMirror") {
      const YNode* rm = at(f.get(), "requestMirror");
      bool ok = true;
      EvalBackend b = backend_of(ctx, route, at(rm, "backendRef"), &ok);
      double pct = 100;
      if (auto p = integer(at(rm, "percent"))) {
        pct = static_cast<double>(*p);
      } else if (const YNode* fr = at(rm, "fraction")) {
        double num = static_cast<double>(integer(at(fr, "numerator")).value_or(0));
        double den = static_cast<double>(integer(at(fr, "denominator")).value_or(100));
        pct = den > 0 ? 100.0 * num / den : 0;
      }
      b.percent = pct;
      b.weight = 0;
      b.total = 0;
      mirrors.push_back(std::move(b));
    } else if (type == "ResponseHeaderModifier" || type == "RequestHeaderModifier") {
      // changes headers, not where the request goes
    } else {
      ctx.unsupported(f->loc, "filter " + quote(type) + " is not understood", true);
    }
  }
}

// The routes for the request's protocol: gRPC calls go to the GRPCRoutes when there are any,
// other requests to HTTPRoutes only. Returns whether those are GRPCRoutes.
bool keep_protocol_routes(const Context& ctx, std::vector<const Obj*>& routes) {
  bool grpc = false;
  if (ctx.req.is_grpc())
    for (const Obj* r : routes) grpc = grpc || r->ref.kind == "GRPCRoute";
  routes.erase(std::remove_if(routes.begin(), routes.end(),
                              [&](const Obj* r) { return (r->ref.kind == "GRPCRoute") != grpc; }),
               routes.end());
  return grpc;
}

// Through a gateway (and for a mesh request to an application host): the routes with the most
// specific hostname that covers the Host. False after setting the outcome when none does.
bool keep_most_specific_host(Context& ctx, std::vector<const Obj*>& routes) {
  int best = -2;
  for (const Obj* r : routes) best = std::max(best, route_host_score(*r, ctx.target.host));
  routes.erase(
      std::remove_if(routes.begin(), routes.end(),
                     [&](const Obj* r) { return route_host_score(*r, ctx.target.host) != best; }),
      routes.end());
  if (best == -2) {
    ctx.result->outcome = EvalResult::Outcome::kUnrouted;
    ctx.result->message =
        "no route attached to the gateway lists the host " + quote(ctx.target.host);
    return false;
  }
  return true;
}

// Match `m` (null: a rule without matches) of rule `ri` of route `r`, with what ranks it.
Candidate candidate_of(const Context& ctx, const Obj* r, int ri, const YNode* rule, const YNode* m,
                       int mi, bool grpc) {
  Candidate c;
  c.route = r;
  c.rule = ri;
  c.match = mi;
  c.rule_node = rule;
  c.match_node = m;
  c.age = text(at(at(r->root, "metadata"), "creationTimestamp"));
  c.ns_name = r->ref.namespace_ + "/" + r->ref.name;
  if (grpc) {
    const YNode* gm = at(m, "method");
    std::string type = text(at(gm, "type"));
    if (type.empty() || type == "Exact") {
      c.grpc_service = static_cast<int>(text(at(gm, "service")).size());
      c.grpc_method = static_cast<int>(text(at(gm, "method")).size());
    }
  } else if (const YNode* p = at(m, "path")) {
    std::string type = text(at(p, "type"));
    std::string v = at(p, "value") ? text(at(p, "value")) : "/";
    c.path_rank = type == "Exact" ? 3 : type == "RegularExpression" ? 2 : 1;
    c.path_len =
        static_cast<int>(c.path_rank == 1 ? std::max<size_t>(path_base(v).size(), 1) : v.size());
    c.linkerd_path = c.path_rank == 2 ? static_cast<int>(ctx.req.path_only().size()) : c.path_len;
  }
  c.method = at(m, "method") && !grpc ? 1 : 0;
  c.headers = static_cast<int>(items(at(m, "headers")).size());
  c.queries = static_cast<int>(items(at(m, "queryParams")).size());
  return c;
}

// Every match of every rule of the routes, in the order they are written.
std::vector<Candidate> candidates_of(const Context& ctx, const std::vector<const Obj*>& routes,
                                     bool grpc) {
  std::vector<Candidate> cands;
  for (const Obj* r : routes) {
    int ri = 0;
    for (const auto& rule : items(at(r->spec, "rules"))) {
      const auto& ms = items(at(rule.get(), "matches"));
      if (ms.empty()) {
        cands.push_back(candidate_of(ctx, r, ri, rule.get(), nullptr, -1, grpc));
      } else {
        for (size_t mi = 0; mi < ms.size(); ++mi)
          cands.push_back(
              candidate_of(ctx, r, ri, rule.get(), ms[mi].get(), static_cast<int>(mi), grpc));
      }
      ++ri;
    }
  }
  return cands;
}

// The first candidate whose match holds; the ones before it go to out.before with why not.
const Candidate* first_holding(Context& ctx, const std::vector<Candidate>& cands, bool grpc,
                               bool linkerd) {
  for (const Candidate& c : cands) {
    std::string why;
    bool holds = grpc ? grpc_match_holds(ctx, c.match_node, linkerd, &why)
                      : http_match_holds(ctx, c.match_node, linkerd, &why);
    if (holds) return &c;
    ctx.result->before.push_back(
        {c.route->ref, c.rule, c.match, why, c.match_node ? c.match_node->loc : c.rule_node->loc});
  }
  return nullptr;
}

// The outcome of the rule `win` takes the request to: its backends and mirrors.
void take_rule(Context& ctx, const Candidate& win) {
  EvalResult& out = *ctx.result;
  out.object = win.route->ref;
  out.rule = win.rule;
  out.match = win.match;
  out.rule_loc = win.rule_node->loc;
  out.match_loc = win.match_node ? win.match_node->loc : win.rule_node->loc;
  out.rule_name = text(at(win.rule_node, "name"));
  bool ok = true;
  read_filters(ctx, *win.route, at(win.rule_node, "filters"), out.mirrors);
  for (const auto& ref : items(at(win.rule_node, "backendRefs"))) {
    EvalBackend b = backend_of(ctx, *win.route, ref.get(), &ok);
    b.weight = at(ref.get(), "weight")
                   ? static_cast<uint64_t>(integer(at(ref.get(), "weight")).value_or(0))
                   : 1;
    read_filters(ctx, *win.route, at(ref.get(), "filters"), out.mirrors);
    out.backends.push_back(std::move(b));
  }
  fill_shares(out.backends);
  if (out.backends.empty() || out.backends.front().total == 0) {
    out.outcome = EvalResult::Outcome::kUnrouted;
    out.message = out.backends.empty() ? "the rule that takes the request has no backendRefs (500)"
                                       : "every backend of the rule has weight 0 (500)";
    return;
  }
  out.outcome = EvalResult::Outcome::kRouted;
}

}  // namespace

bool evaluate_gateway_api(Context& ctx) {
  EvalResult& out = *ctx.result;
  const EvalRequest& req = ctx.req;
  std::vector<const Obj*> routes;
  for (const auto& o : ctx.set.objects)
    if (is_route(o) && attached(ctx, o)) routes.push_back(&o);
  if (routes.empty()) return false;
  bool grpc = keep_protocol_routes(ctx, routes);
  if (routes.empty()) return false;
  if (req.via == EvalRequest::Via::kGateway || ctx.target.svc_name.empty())
    if (!keep_most_specific_host(ctx, routes)) return true;

  std::vector<Candidate> cands = candidates_of(ctx, routes, grpc);
  // Routes of policy.linkerd.io are served by Linkerd, which ranks its own way.
  bool linkerd = req.via == EvalRequest::Via::kMesh &&
                 lower(ctx.options.mesh_implementation).find("linkerd") != std::string::npos;
  for (const Obj* r : routes) linkerd = linkerd || r->group == "policy.linkerd.io";
  std::stable_sort(cands.begin(), cands.end(), linkerd ? higher_linkerd : higher);
  out.order = linkerd ? "Linkerd's route order" : "Gateway API precedence";

  const Candidate* win = first_holding(ctx, cands, grpc, linkerd);
  if (!win) {
    out.outcome = EvalResult::Outcome::kUnrouted;
    out.object = routes.front()->ref;
    out.message = "the routes apply to the request but no rule matches it (404)";
    return true;
  }
  take_rule(ctx, *win);
  return true;
}

// ---------------------------------------------------------------------------------------------
// The static reading (segments.h): every parent's rules as request segments.

namespace {

std::string join_words(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// A Gateway parent: "gateway ns/name", its listener, and the route's hostnames.
std::string gateway_id(const Obj& r, const YNode* p, const std::string& ns) {
  std::string id = "gateway " + ns + "/" + text(at(p, "name"));
  if (at(p, "sectionName")) id += " listener " + text(at(p, "sectionName"));
  std::vector<std::string> hosts;
  for (const auto& h : items(at(r.spec, "hostnames"))) hosts.push_back(lower(h->value));
  std::sort(hosts.begin(), hosts.end());
  if (!hosts.empty()) id += " hosts " + join_words(hosts, ", ");
  return id;
}

// What the route attaches to, as RoutedService ids: "ns/name" of a Service (GAMMA), a
// Gateway's gateway_id; " port N" when the parentRef names one.
std::vector<std::string> parent_ids(Context& ctx, const Obj& r) {
  std::vector<std::string> out;
  for (const auto& pp : items(at(r.spec, "parentRefs"))) {
    const YNode* p = pp.get();
    std::string kind = text(at(p, "kind")), group = text(at(p, "group"));
    std::string ns = at(p, "namespace") ? text(at(p, "namespace")) : r.ref.namespace_;
    std::string id;
    if (kind == "Service" && at(p, "group") && (group.empty() || group == "core")) {
      id = ns + "/" + text(at(p, "name"));
    } else if ((kind.empty() || kind == "Gateway") &&
               (group.empty() || group == "gateway.networking.k8s.io")) {
      id = gateway_id(r, p, ns);
    } else {
      ctx.unsupported(p->loc, "parentRef of kind " + quote(kind) + " is not understood", true);
      continue;
    }
    if (at(p, "port")) id += " port " + text(at(p, "port"));
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

// A Gateway API string match as a condition; false (reported) for a type not understood.
bool value_condition(Context& ctx, const YNode* m, std::vector<ValueMatch>& out) {
  std::string type = at(m, "type") ? text(at(m, "type")) : "Exact";
  if (type != "Exact" && type != "RegularExpression") {
    ctx.unsupported(m->loc, "match type " + quote(type) + " is not understood", true);
    return false;
  }
  out.push_back(value_match(text(at(m, "name")),
                            type == "Exact" ? MatchType::kExact : MatchType::kRegex,
                            text(at(m, "value"))));
  return true;
}

void path_condition(Context& ctx, const YNode* p, RequestMatch& out) {
  std::string type = at(p, "type") ? text(at(p, "type")) : "PathPrefix";
  std::string v = at(p, "value") ? text(at(p, "value")) : "/";
  if (type == "PathPrefix") {
    if (!path_base(v).empty()) out.path = value_match("", MatchType::kPathPrefix, v);
  } else if (type == "Exact" || type == "RegularExpression") {
    out.path = value_match("", type == "Exact" ? MatchType::kExact : MatchType::kRegex, v);
  } else {
    ctx.unsupported(p->loc, "path match type " + quote(type) + " is not understood", true);
  }
}

// The conditions of match `m` (null: a rule without matches) of an HTTPRoute or GRPCRoute.
RequestMatch conditions_of(Context& ctx, const YNode* m, bool grpc) {
  RequestMatch out;
  if (grpc) {
    GrpcMethodMatch g;
    const YNode* gm = at(m, "method");
    std::string type = at(gm, "type") ? text(at(gm, "type")) : "Exact";
    if (type != "Exact" && type != "RegularExpression")
      ctx.unsupported(gm->loc, "gRPC method match type " + quote(type) + " is not understood",
                      true);
    g.regex = type == "RegularExpression";
    g.service = text(at(gm, "service"));
    g.method = text(at(gm, "method"));
    out.grpc = g;
  } else {
    if (const YNode* p = at(m, "path")) path_condition(ctx, p, out);
    if (at(m, "method")) out.method = text(at(m, "method"));
    for (const auto& q : items(at(m, "queryParams")))
      value_condition(ctx, q.get(), out.query_params);
  }
  for (const auto& h : items(at(m, "headers"))) value_condition(ctx, h.get(), out.headers);
  return out;
}

// The shares and mirrors of a rule.
void rule_shares(Context& ctx, const Obj& route, const YNode* rule, RoutedSegment& seg) {
  std::vector<EvalBackend> backends, mirrors;
  bool ok = true;
  read_filters(ctx, route, at(rule, "filters"), mirrors);
  for (const auto& ref : items(at(rule, "backendRefs"))) {
    EvalBackend b = backend_of(ctx, route, ref.get(), &ok);
    b.weight = at(ref.get(), "weight")
                   ? static_cast<uint64_t>(integer(at(ref.get(), "weight")).value_or(0))
                   : 1;
    read_filters(ctx, route, at(ref.get(), "filters"), mirrors);
    backends.push_back(std::move(b));
  }
  fill_shares(backends);
  add_shares(backends, seg.shares);
  add_shares(mirrors, seg.mirrors);
}

// The segments of `routes` (all HTTPRoutes or all GRPCRoutes of one parent): one per rule at
// the place of its highest-ranked match, a rule's unconditional match a catch-all of its own
// (a GRPCRoute rule without matches too when `grpc_only`: the parent has no HTTPRoute);
// nothing after the first catch-all (no request reaches it).
void rule_segments(Context& ctx, const std::vector<const Obj*>& routes, bool grpc, bool linkerd,
                   bool grpc_only, std::vector<RoutedSegment>& out) {
  std::vector<Candidate> cands = candidates_of(ctx, routes, grpc);
  std::stable_sort(cands.begin(), cands.end(), linkerd ? higher_linkerd : higher);
  std::map<std::tuple<const Obj*, int, bool>, size_t> segment_of;
  for (const Candidate& c : cands) {
    RequestMatch m = conditions_of(ctx, c.match_node, grpc);
    bool any = m.empty() || (grpc_only && !c.match_node);
    auto key = std::make_tuple(c.route, c.rule, any);
    auto it = segment_of.find(key);
    if (it == segment_of.end()) {
      if (!out.empty() && out.back().catch_all) break;
      RoutedSegment seg;
      seg.catch_all = any;
      rule_shares(ctx, *c.route, c.rule_node, seg);
      out.push_back(std::move(seg));
      it = segment_of.emplace(key, out.size() - 1).first;
    }
    if (!any) out[it->second].matches.push_back(std::move(m));
  }
}

// The service of parent `id` from its routes.
RoutedService parent_service(Context& ctx, const std::string& id,
                             const std::vector<const Obj*>& routes) {
  RoutedService s;
  s.id = id;
  bool linkerd = id.rfind("gateway ", 0) != 0 &&
                 lower(ctx.options.mesh_implementation).find("linkerd") != std::string::npos;
  for (const Obj* r : routes) linkerd = linkerd || r->group == "policy.linkerd.io";
  s.api = linkerd ? "linkerd" : "gateway-api";
  bool http = false;
  for (const Obj* r : routes) http = http || r->ref.kind != "GRPCRoute";
  for (bool grpc : {true, false}) {
    std::vector<const Obj*> kept;
    for (const Obj* r : routes)
      if ((r->ref.kind == "GRPCRoute") == grpc) kept.push_back(r);
    if (!kept.empty()) rule_segments(ctx, kept, grpc, linkerd, !http, s.segments);
  }
  // Requests no rule matches get a 404: a catch-all with no version says so.
  if (http && (s.segments.empty() || !s.segments.back().catch_all)) {
    RoutedSegment none;
    none.catch_all = true;
    s.segments.push_back(std::move(none));
  }
  for (const Obj* r : routes) s.objects.push_back(r->root);
  return s;
}

}  // namespace

void routing_gateway_api(Context& ctx, std::vector<RoutedService>& out) {
  std::map<std::string, std::vector<const Obj*>> by_parent;
  for (const auto& o : ctx.set.objects) {
    if (!is_route(o)) continue;
    for (const std::string& id : parent_ids(ctx, o)) by_parent[id].push_back(&o);
  }
  for (const auto& [id, routes] : by_parent) out.push_back(parent_service(ctx, id, routes));
}

}  // namespace meshc::eval
