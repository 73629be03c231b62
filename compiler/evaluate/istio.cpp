// Istio VirtualService + DestinationRule: the VirtualService bound to the mesh (or the gateway)
// whose hosts cover the request's, then its http routes in order, the first that matches.
#include <algorithm>
#include <map>
#include <set>

#include "compiler/evaluate/evaluate_internal.h"

namespace meshc::eval {

namespace {

const char* const kIstio = "networking.istio.io";

// A host of an Istio object as an FQDN when it is a short Service name ("api" ->
// "api.<ns>.svc.cluster.local", "api.web" -> "api.web.svc.cluster.local").
std::string complete_host(const std::string& host, const std::string& ns) {
  std::string h = lower(host);
  if (h.find('*') != std::string::npos) return h;
  size_t dots = static_cast<size_t>(std::count(h.begin(), h.end(), '.'));
  if (dots == 0) return h + "." + ns + ".svc.cluster.local";
  if (dots == 1) return h + ".svc.cluster.local";
  if (h.size() > 4 && h.compare(h.size() - 4, 4, ".svc") == 0) return h + ".cluster.local";
  return h;
}

// How specifically pattern `p` (completed) covers host `h`: -1 not at all, else its length
// (exact beats any wildcard).
int host_score(const std::string& p, const std::string& h) {
  if (p == "*") return 0;
  if (p.rfind("*.", 0) == 0) {
    std::string suffix = p.substr(1);
    return h.size() > suffix.size() &&
                   h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0
               ? static_cast<int>(p.size())
               : -1;
  }
  return p == h ? static_cast<int>(p.size()) + 1000 : -1;
}

bool bound(const Context& ctx, const Obj& vs, const YNode* gateways) {
  const auto& gs = items(gateways);
  if (ctx.req.via == EvalRequest::Via::kMesh) {
    if (gs.empty()) return true;
    for (const auto& g : gs)
      if (g->value == "mesh") return true;
    return false;
  }
  for (const auto& g : gs) {
    std::string v = g->value;
    if (v == "mesh") continue;
    if (ctx.req.gateway.empty()) return true;
    std::string full = v.find('/') == std::string::npos ? vs.ref.namespace_ + "/" + v : v;
    std::string want =
        ctx.req.gateway.find('/') == std::string::npos ? full.substr(full.find('/') + 1) : full;
    if (want == ctx.req.gateway) return true;
  }
  return false;
}

// An Istio StringMatch {exact | prefix | regex}; an empty one means "present".
bool string_match(Context& ctx, const YNode* m, const std::string& what, const std::string* value,
                  std::string* why) {
  if (!value) {
    *why = what + " is absent";
    return false;
  }
  if (!m || !m->is_mapping() || m->entries.empty()) return true;
  const auto& e = m->entries.front();
  std::string op = e.first->value;
  std::string want = text(e.second.get());
  if (op == "exact") {
    if (*value == want) return true;
    *why = what + " is " + quote(*value) + ", not " + quote(want);
    return false;
  }
  if (op == "prefix") {
    if (value->compare(0, want.size(), want) == 0 && value->size() >= want.size()) return true;
    *why = what + " " + quote(*value) + " does not start with " + quote(want);
    return false;
  }
  if (op == "regex") {
    std::string err;
    if (ctx.regexes.full_match(want, *value, &err)) return true;
    if (!err.empty()) ctx.unsupported(m->loc, err, true);
    *why = err.empty() ? what + " " + quote(*value) + " does not match " + quote(want) : err;
    return false;
  }
  ctx.unsupported(m->loc, what + ": string match " + quote(op) + " is not understood", true);
  *why = what + ": string match " + quote(op) + " is not understood";
  return false;
}

// False, with why, when the match has a field this evaluation does not model.
bool match_fields_known(Context& ctx, const YNode* m, std::string* why) {
  static const std::set<std::string> kKnown = {
      "name",        "uri",      "method",        "authority", "headers",
      "queryParams", "gateways", "ignoreUriCase", "scheme",    "port"};
  for (const auto& e : m->entries) {
    if (!kKnown.count(e.first->value)) {
      ctx.unsupported(e.first->loc,
                      "match field " + quote(e.first->value) +
                          " is not understood (it depends on the client or is not modelled)",
                      true);
      *why = "match field " + e.first->value + " is not understood";
      return false;
    }
  }
  return true;
}

// Whether the match's uri (if any) holds for the request's path, with ignoreUriCase.
bool uri_holds(Context& ctx, const YNode* m, std::string* why) {
  const EvalRequest& req = ctx.req;
  bool ignore_case = text(at(m, "ignoreUriCase")) == "true";
  const YNode* u = at(m, "uri");
  if (!u) return true;
  std::string op = u->is_mapping() && !u->entries.empty() ? u->entries.front().first->value : "";
  // exact and regex read the path without query; prefix the whole :path.
  std::string v = op == "prefix" ? req.path : req.path_only();
  if (ignore_case && op != "regex") {
    v = lower(v);
    // compare against a lower-cased pattern
    std::string want = lower(text(u->entries.front().second.get()));
    bool ok = op == "exact" ? v == want : v.compare(0, want.size(), want) == 0;
    if (!ok) {
      *why = "path " + quote(v) + (op == "exact" ? " is not " : " does not start with ") +
             quote(want) + " (ignoring case)";
      return false;
    }
    return true;
  }
  return string_match(ctx, u, "path", &v, why);
}

// Whether every header and query parameter the match names holds for the request.
bool headers_and_queries_hold(Context& ctx, const YNode* m, std::string* why) {
  const EvalRequest& req = ctx.req;
  if (const YNode* hs = at(m, "headers")) {
    for (const auto& e : hs->entries) {
      std::string v;  // Envoy matches a repeated header's values joined by ','
      bool has = req.header_joined(e.first->value, &v);
      if (!string_match(ctx, e.second.get(), "header " + e.first->value, has ? &v : nullptr, why))
        return false;
    }
  }
  if (const YNode* qs = at(m, "queryParams")) {
    for (const auto& e : qs->entries) {
      std::string v;
      bool has = req.query(e.first->value, &v);
      if (!string_match(ctx, e.second.get(), "query parameter " + e.first->value,
                        has ? &v : nullptr, why))
        return false;
    }
  }
  return true;
}

bool match_holds(Context& ctx, const Obj& vs, const YNode* m, std::string* why) {
  const EvalRequest& req = ctx.req;
  if (!match_fields_known(ctx, m, why)) return false;
  if (const YNode* gws = at(m, "gateways")) {
    if (!bound(ctx, vs, gws)) {
      *why = "the match is bound to other gateways";
      return false;
    }
  }
  if (!uri_holds(ctx, m, why)) return false;
  if (const YNode* s = at(m, "scheme")) {
    std::string scheme = "http";
    if (!string_match(ctx, s, "scheme", &scheme, why)) return false;
  }
  if (const YNode* mm = at(m, "method")) {
    if (!string_match(ctx, mm, "method", &req.method, why)) return false;
  }
  if (const YNode* a = at(m, "authority")) {
    std::string host = req.host.empty() ? ctx.target.svc_name : req.host;
    if (!string_match(ctx, a, "authority", &host, why)) return false;
  }
  return headers_and_queries_hold(ctx, m, why);
}

// A destination {host, subset, port}: its Service and, through the DestinationRule, its pods.
EvalBackend destination(Context& ctx, const Obj& vs, const YNode* d) {
  EvalBackend b;
  if (!d || !d->is_mapping()) {
    b.namespace_ = vs.ref.namespace_;
    b.problem = "a route entry without a destination";
    ctx.unsupported(d ? d->loc : vs.ref.loc, "a route entry without a destination mapping", true);
    return b;
  }
  b.loc = d->loc;
  std::string host = text(at(d, "host"));
  b.subset = text(at(d, "subset"));
  b.port = integer(at(at(d, "port"), "number")).value_or(0);
  std::string fqdn = complete_host(host, vs.ref.namespace_);
  const std::string suffix = ".svc.cluster.local";
  if (fqdn.size() > suffix.size() &&
      fqdn.compare(fqdn.size() - suffix.size(), suffix.size(), suffix) == 0) {
    std::string head = fqdn.substr(0, fqdn.size() - suffix.size());
    size_t dot = head.find('.');
    b.service = head.substr(0, dot);
    b.namespace_ = dot == std::string::npos ? vs.ref.namespace_ : head.substr(dot + 1);
  } else {
    b.service = host;
    b.namespace_ = vs.ref.namespace_;
    b.problem = "host " + quote(host) + " is no in-cluster Service";
    return b;
  }
  std::map<std::string, std::string> labels;
  if (!b.subset.empty()) {
    bool found = false;
    for (const Obj* dr : ctx.set.of_kind(kIstio, "DestinationRule")) {
      if (complete_host(text(at(dr->spec, "host")), dr->ref.namespace_) != fqdn) continue;
      for (const auto& s : items(at(dr->spec, "subsets"))) {
        if (text(at(s.get(), "name")) != b.subset) continue;
        found = true;
        if (const YNode* l = at(s.get(), "labels"))
          for (const auto& e : l->entries) labels[e.first->value] = text(e.second.get());
      }
    }
    if (!found) {
      b.problem =
          "no DestinationRule for " + fqdn + " defines the subset " + quote(b.subset) + " (503)";
      return b;
    }
  }
  ctx.resolve_version(b, b.subset.empty() ? nullptr : &labels);
  b.service = host;
  return b;
}

// How well VirtualService `vs` covers `host` (-1: not at all).
int virtual_service_score(const Context& ctx, const Obj& vs, const std::string& host) {
  const EvalRequest& req = ctx.req;
  int score = -1;
  for (const auto& h : items(at(vs.spec, "hosts"))) {
    std::string p = complete_host(h->value, vs.ref.namespace_);
    score = std::max(score, host_score(p, host));
    // A Service's FQDN also answers, through a gateway, to the Host forms Istio generates as
    // its aliases: name.ns.svc and name.ns, and name alone from the Service's own namespace.
    const std::string suffix = ".svc.cluster.local";
    if (req.via == EvalRequest::Via::kGateway && p.size() > suffix.size() &&
        p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::string name_ns = p.substr(0, p.size() - suffix.size());
      size_t dot = name_ns.find('.');
      std::string gw_ns = req.gateway.substr(0, req.gateway.find('/'));
      if (host == name_ns + ".svc" || host == name_ns ||
          (dot != std::string::npos && req.gateway.find('/') != std::string::npos &&
           gw_ns == name_ns.substr(dot + 1) && host == name_ns.substr(0, dot)))
        score = std::max(score, static_cast<int>(p.size()) + 1000);
    }
  }
  return score;
}

// The bound VirtualServices that cover the request's host best.
std::vector<const Obj*> best_virtual_services(Context& ctx) {
  const EvalRequest& req = ctx.req;
  // The host the request is for, and each VirtualService's best cover of it.
  // Through a gateway, the Host header as sent; in the mesh, the FQDN of the Service the host
  // names (or the host itself when it names none).
  std::string host = req.via == EvalRequest::Via::kGateway || ctx.target.svc_name.empty()
                         ? ctx.target.host
                         : ctx.target.svc_name + "." + ctx.target.svc_ns + ".svc.cluster.local";
  int best = -1;
  std::vector<std::pair<int, const Obj*>> scored;
  for (const Obj* vs : ctx.set.of_kind(kIstio, "VirtualService")) {
    if (!bound(ctx, *vs, at(vs->spec, "gateways"))) continue;
    int score = virtual_service_score(ctx, *vs, host);
    if (score < 0) continue;
    scored.push_back({score, vs});
    best = std::max(best, score);
  }
  std::vector<const Obj*> vss;
  for (const auto& s : scored)
    if (s.first == best) vss.push_back(s.second);
  return vss;
}

// The index of the first match of http route `r` that holds (-1: it has none, so it takes
// every request; -2: none holds, with the reasons).
int holding_match(Context& ctx, const Obj& vs, const YNode* r, std::string* reasons) {
  const auto& ms = items(at(r, "match"));
  int hit = ms.empty() ? -1 : -2;
  for (size_t i = 0; i < ms.size() && hit == -2; ++i) {
    std::string why;
    if (match_holds(ctx, vs, ms[i].get(), &why)) {
      hit = static_cast<int>(i);
    } else {
      *reasons += (reasons->empty() ? "" : "; ") +
                  (ms.size() > 1 ? "match " + std::to_string(i) + ": " : std::string()) + why;
    }
  }
  return hit;
}

// The outcome of http route `r` (number `index`, match `hit`) taking the request.
void take_http_route(Context& ctx, const Obj& vs, const YNode* r, int index, int hit) {
  EvalResult& out = *ctx.result;
  static const std::set<std::string> kRouteKnown = {
      "name",    "match",   "route",   "mirror",     "mirrorPercentage", "mirrors",
      "headers", "timeout", "retries", "corsPolicy", "mirror_percent",   "rewrite"};
  const auto& ms = items(at(r, "match"));
  out.rule = index;
  out.match = hit;
  out.rule_loc = r->loc;
  out.match_loc = hit >= 0 ? ms[hit]->loc : r->loc;
  out.rule_name = text(at(r, "name"));
  for (const auto& e : r->entries)
    if (!kRouteKnown.count(e.first->value))
      ctx.unsupported(e.first->loc,
                      "http route field " + quote(e.first->value) + " is not understood", true);
  const auto& dests = items(at(r, "route"));
  for (const auto& d : dests) {
    EvalBackend b = destination(ctx, vs, at(d.get(), "destination"));
    auto w = integer(at(d.get(), "weight"));
    b.weight = w ? static_cast<uint64_t>(*w) : (dests.size() == 1 ? 100 : 0);
    out.backends.push_back(std::move(b));
  }
  fill_shares(out.backends);
  if (const YNode* m = at(r, "mirror"); m && !m->is_null()) {
    EvalBackend b = destination(ctx, vs, m);
    b.percent = number(at(at(r, "mirrorPercentage"), "value")).value_or(100);
    out.mirrors.push_back(std::move(b));
  }
  for (const auto& m : items(at(r, "mirrors"))) {
    EvalBackend b = destination(ctx, vs, at(m.get(), "destination"));
    b.percent = number(at(at(m.get(), "percentage"), "value")).value_or(100);
    out.mirrors.push_back(std::move(b));
  }
  if (out.backends.empty() || out.backends.front().total == 0) {
    out.outcome = EvalResult::Outcome::kUnrouted;
    out.message = out.backends.empty() ? "the http route that takes the request has no route"
                                       : "every destination has weight 0";
    return;
  }
  out.outcome = EvalResult::Outcome::kRouted;
}

}  // namespace

bool evaluate_istio(Context& ctx) {
  EvalResult& out = *ctx.result;
  std::vector<const Obj*> vss = best_virtual_services(ctx);
  if (vss.empty()) return false;
  if (vss.size() > 1) {
    out.outcome = EvalResult::Outcome::kAmbiguous;
    out.object = vss[0]->ref;
    out.message = "several VirtualServices cover the host (" + vss[0]->ref.str() + ", " +
                  vss[1]->ref.str() + "): Istio merges them in creation order, unknown here";
    return true;
  }
  const Obj& vs = *vss[0];
  out.order = "Istio's first-match order";
  out.object = vs.ref;
  int index = 0;
  for (const auto& http : items(at(vs.spec, "http"))) {
    const YNode* r = http.get();
    std::string reasons;
    int hit = holding_match(ctx, vs, r, &reasons);
    if (hit == -2) {
      out.before.push_back({vs.ref, index, -1, reasons, r->loc});
      ++index;
      continue;
    }
    take_http_route(ctx, vs, r, index, hit);
    return true;
  }
  out.outcome = EvalResult::Outcome::kUnrouted;
  out.message = "no http route of " + vs.ref.str() + " matches the request (404)";
  return true;
}

// ---------------------------------------------------------------------------------------------
// The static reading (segments.h): each VirtualService's http routes as request segments.

namespace {

// The ids a VirtualService routes: "ns/name" of the Services its hosts name, else the host;
// bound to gateways only, "host via gw1, gw2".
std::vector<std::string> virtual_service_ids(const Obj& vs) {
  std::string via;
  bool mesh = items(at(vs.spec, "gateways")).empty();
  for (const auto& g : items(at(vs.spec, "gateways"))) {
    mesh = mesh || g->value == "mesh";
    if (g->value != "mesh") via += (via.empty() ? "" : ", ") + g->value;
  }
  const std::string suffix = ".svc.cluster.local";
  std::vector<std::string> out;
  for (const auto& h : items(at(vs.spec, "hosts"))) {
    std::string fqdn = complete_host(h->value, vs.ref.namespace_);
    std::string id = lower(h->value);
    if (fqdn.size() > suffix.size() &&
        fqdn.compare(fqdn.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::string head = fqdn.substr(0, fqdn.size() - suffix.size());
      size_t dot = head.find('.');
      id = head.substr(dot + 1) + "/" + head.substr(0, dot);
    }
    if (!mesh) id += " via " + via;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

// An Istio StringMatch as a condition: exact, prefix, regex; {} (present) as regex ".*".
bool istio_condition(Context& ctx, const std::string& name, const YNode* m, ValueMatch* out) {
  if (!m || !m->is_mapping() || m->entries.empty()) {
    *out = value_match(name, MatchType::kRegex, ".*");
    return true;
  }
  std::string op = m->entries.front().first->value;
  std::string v = text(m->entries.front().second.get());
  if (op == "exact" || op == "prefix" || op == "regex") {
    *out = value_match(name,
                       op == "exact"    ? MatchType::kExact
                       : op == "prefix" ? MatchType::kPrefix
                                        : MatchType::kRegex,
                       v);
    return true;
  }
  ctx.unsupported(m->loc, "string match " + quote(op) + " is not understood", true);
  return false;
}

void named_conditions(Context& ctx, const YNode* map, std::vector<ValueMatch>& out) {
  if (!map || !map->is_mapping()) return;
  for (const auto& e : map->entries) {
    ValueMatch v;
    if (istio_condition(ctx, e.first->value, e.second.get(), &v)) out.push_back(std::move(v));
  }
}

// The conditions of one match of an http route; fields a segment cannot say are reported.
RequestMatch istio_conditions(Context& ctx, const YNode* m) {
  RequestMatch out;
  for (const auto& e : m->entries) {
    const std::string& f = e.first->value;
    const YNode* v = e.second.get();
    ValueMatch c;
    if (f == "name") continue;
    if (f == "uri" && istio_condition(ctx, "", v, &c)) {
      out.path = c;
    } else if (f == "method" && istio_condition(ctx, "", v, &c)) {
      if (c.type == MatchType::kExact)
        out.method = c.value;
      else
        ctx.unsupported(v->loc, "a method match other than exact is not understood", true);
    } else if (f == "headers") {
      named_conditions(ctx, v, out.headers);
    } else if (f == "queryParams") {
      named_conditions(ctx, v, out.query_params);
    } else if (f != "uri" && f != "method") {
      ctx.unsupported(e.first->loc,
                      "match field " + quote(f) + " is not understood in a request segment", true);
    }
  }
  return out;
}

// The shares and mirrors of http route `r`.
void http_route_shares(Context& ctx, const Obj& vs, const YNode* r, RoutedSegment& seg) {
  EvalResult result;
  EvalResult* saved = ctx.result;
  ctx.result = &result;
  take_http_route(ctx, vs, r, 0, -1);
  ctx.result = saved;
  ctx.result->unsupported.insert(ctx.result->unsupported.end(), result.unsupported.begin(),
                                 result.unsupported.end());
  add_shares(result.backends, seg.shares);
  add_shares(result.mirrors, seg.mirrors);
}

// The segments of VirtualService `vs`: its http routes in order, up to the first catch-all.
std::vector<RoutedSegment> virtual_service_segments(Context& ctx, const Obj& vs) {
  std::vector<RoutedSegment> out;
  for (const auto& http : items(at(vs.spec, "http"))) {
    RoutedSegment seg;
    for (const auto& m : items(at(http.get(), "match"))) {
      RequestMatch c = istio_conditions(ctx, m.get());
      if (c.empty()) seg.catch_all = true;
      seg.matches.push_back(std::move(c));
    }
    if (seg.matches.empty()) seg.catch_all = true;
    if (seg.catch_all) seg.matches.clear();
    http_route_shares(ctx, vs, http.get(), seg);
    out.push_back(std::move(seg));
    if (out.back().catch_all) return out;
  }
  RoutedSegment none;  // requests no route matches get a 404
  none.catch_all = true;
  out.push_back(std::move(none));
  return out;
}

// The DestinationRules of the hosts VirtualService `vs` sends to (or copies to).
std::vector<const Obj*> destination_rules(Context& ctx, const Obj& vs) {
  std::set<std::string> hosts;
  auto add = [&](const YNode* d) {
    if (at(d, "host")) hosts.insert(complete_host(text(at(d, "host")), vs.ref.namespace_));
  };
  for (const auto& http : items(at(vs.spec, "http"))) {
    for (const auto& r : items(at(http.get(), "route"))) add(at(r.get(), "destination"));
    add(at(http.get(), "mirror"));
    for (const auto& m : items(at(http.get(), "mirrors"))) add(at(m.get(), "destination"));
  }
  std::vector<const Obj*> out;
  for (const Obj* dr : ctx.set.of_kind(kIstio, "DestinationRule"))
    if (hosts.count(complete_host(text(at(dr->spec, "host")), dr->ref.namespace_)))
      out.push_back(dr);
  return out;
}

}  // namespace

void routing_istio(Context& ctx, std::vector<RoutedService>& out) {
  std::map<std::string, const Obj*> seen;
  for (const Obj* vs : ctx.set.of_kind(kIstio, "VirtualService")) {
    if (items(at(vs->spec, "http")).empty()) continue;  // tcp / tls routes: no HTTP segments
    std::vector<RoutedSegment> segments = virtual_service_segments(ctx, *vs);
    for (const std::string& id : virtual_service_ids(*vs)) {
      auto [it, fresh] = seen.emplace(id, vs);
      if (!fresh) {
        ctx.unsupported(vs->ref.loc,
                        "several VirtualServices route " + id + " (" + it->second->ref.str() +
                            ", " + vs->ref.str() + "): Istio merges them in creation order",
                        true);
        continue;
      }
      RoutedService s{id, "istio", segments, {vs->root}};
      for (const Obj* dr : destination_rules(ctx, *vs)) s.objects.push_back(dr->root);
      out.push_back(std::move(s));
    }
  }
}

}  // namespace meshc::eval
