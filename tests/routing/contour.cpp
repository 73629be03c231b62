// Contour HTTPProxy (projectcontour.io/v1), from Contour's HTTPProxy reference ("Request
// Routing", "Conditions", "Match Condition Precedence", "Inclusion", "Traffic mirroring"):
// - Contour sees only requests sent to its Envoy: a table's mesh request is sent there with its
//   Host (IngressHost). A root HTTPProxy (with virtualhost.fqdn) serves that host (compared
//   without port, case-insensitively; "*.x" covers exactly one more DNS label); two roots with
//   one fqdn are both invalid. No root for the host: 404.
// - The host's routes are the root's and those of the HTTPProxies it includes (recursively; an
//   include names a proxy, in the root's namespace unless given). Includes with conditions are
//   not modeled.
// - A route's conditions are ANDed: at most one path condition (prefix: a plain string prefix
//   of the whole :path; exact: the path without query; regex: a full RE2 match of it; none:
//   prefix /), header conditions (exact, notexact, contains, notcontains, present, notpresent,
//   regex; the name ":method" is the method), query parameter conditions (exact, prefix,
//   suffix, contains, regex, present; the first value). An empty string value is no condition
//   (Contour ignores it).
// - Contour sorts the routes by specificity and Envoy takes the first that holds: exact path,
//   then regex, then prefix; longer regexes and prefixes first, equal lengths in reverse byte
//   order; then a method condition; more header conditions; more query conditions; then the
//   conditions one by one (sorted by name, type, value), the route whose condition sorts first
//   going first. Matching routes that no rule orders are ambiguous unless they agree.
// - services: weights relative (all zero or unset: equal shares); a `mirror: true` service
//   (one per route) receives a copy of `weight` % of the requests, 100 % when the weight is 0
//   or unset. responseHeadersPolicy.set names the version (app-version).
#include <algorithm>

#include "tests/routing/simulator_internal.h"

namespace routing {
namespace {

const char* const kGroup = "projectcontour.io";

struct Cond {
  std::string name;
  int type = 0;  // sort rank: 0 exact, 1 regex, 2 prefix, 3 suffix, 4 contains, 5 present
  std::string value;
  bool invert = false;
  bool header = true;
};

struct ProxyRouteModel {
  int path_rank = 0;  // 2 exact, 1 regex, 0 prefix
  std::string path = "/";
  bool method = false;
  std::vector<Cond> headers;  // without :method, sorted
  std::vector<Cond> query;    // sorted
  const Object* proxy = nullptr;
  YAML::Node node;
  std::string ctx;
};

bool CondLess(const Cond& a, const Cond& b) {
  if (a.name != b.name) return a.name < b.name;
  if (a.type != b.type) return a.type < b.type;
  if (a.value != b.value) return a.value < b.value;
  return !a.invert && b.invert;
}

// Contour's route order: true when `a` goes before `b`.
bool Before(const ProxyRouteModel& a, const ProxyRouteModel& b) {
  if (a.path_rank != b.path_rank) return a.path_rank > b.path_rank;
  if (a.path_rank != 2 && a.path.size() != b.path.size()) return a.path.size() > b.path.size();
  if (a.path != b.path) return a.path > b.path;
  if (a.method != b.method) return a.method;
  if (a.headers.size() != b.headers.size()) return a.headers.size() > b.headers.size();
  if (a.query.size() != b.query.size()) return a.query.size() > b.query.size();
  for (size_t i = 0; i < a.headers.size(); ++i) {
    if (CondLess(a.headers[i], b.headers[i])) return true;
  }
  for (size_t i = 0; i < a.query.size(); ++i) {
    if (CondLess(a.query[i], b.query[i])) return true;
  }
  return false;
}

bool CondHolds(const Cond& c, const Request& r) {
  std::optional<std::string> got;
  if (c.header) {
    got = c.name == ":method" ? std::optional<std::string>(r.method) : r.Header(c.name);
  } else {
    got = r.Query(c.name);
  }
  bool ok = false;
  switch (c.type) {
    case 0:
      ok = got && *got == c.value;
      break;
    case 1:
      ok = got && RegexMatch(c.value, *got, Anchor::kFull);
      break;
    case 2:
      ok = got && got->rfind(c.value, 0) == 0;
      break;
    case 3:
      ok = got && got->size() >= c.value.size() &&
           got->compare(got->size() - c.value.size(), c.value.size(), c.value) == 0;
      break;
    case 4:
      ok = got && got->find(c.value) != std::string::npos;
      break;
    case 5:
      ok = got.has_value();
      break;
  }
  return c.invert ? !ok : ok;
}

ProxyRouteModel ReadRoute(const Object* proxy, const YAML::Node& route, const std::string& ctx) {
  CheckKeys(route, {"conditions", "services", "responseHeadersPolicy", "requestHeadersPolicy"},
            ctx);
  ProxyRouteModel m;
  m.proxy = proxy;
  m.node = route;
  m.ctx = ctx;
  int paths = 0;
  for (const auto& c : At(route, "conditions")) {
    CheckKeys(c, {"prefix", "exact", "regex", "header", "queryParameter"}, ctx + ".conditions[]");
    for (const auto& [field, rank] :
         {std::pair<const char*, int>{"exact", 2}, {"regex", 1}, {"prefix", 0}}) {
      const std::string v = Str(c, field);
      if (v.empty()) continue;
      if (v[0] != '/') throw Broken(ctx + ": " + field + " condition must start with /");
      m.path_rank = rank;
      m.path = v;
      ++paths;
    }
    if (Has(c, "header")) {
      const YAML::Node h = c["header"];
      CheckKeys(h,
                {"name", "exact", "notexact", "contains", "notcontains", "present", "notpresent",
                 "regex"},
                ctx + ".header");
      Cond cond;
      cond.name = Lower(Str(h, "name"));
      bool set = true;
      if (Has(h, "present") && h["present"].as<bool>()) {
        cond.type = 5;
      } else if (Has(h, "notpresent") && h["notpresent"].as<bool>()) {
        cond.type = 5, cond.invert = true;
      } else if (!Str(h, "contains").empty()) {
        cond.type = 4, cond.value = Str(h, "contains");
      } else if (!Str(h, "notcontains").empty()) {
        cond.type = 4, cond.value = Str(h, "notcontains"), cond.invert = true;
      } else if (!Str(h, "exact").empty()) {
        cond.type = 0, cond.value = Str(h, "exact");
      } else if (!Str(h, "notexact").empty()) {
        cond.type = 0, cond.value = Str(h, "notexact"), cond.invert = true;
      } else if (!Str(h, "regex").empty()) {
        cond.type = 1, cond.value = Str(h, "regex");
      } else {
        set = false;  // Contour drops a condition without a (non-empty) operator
      }
      if (!set) continue;
      if (cond.name == ":method") {
        if (cond.type != 0 || cond.invert) throw NotModeled(ctx + ": :method other than exact");
        m.method = true;
      }
      m.headers.push_back(cond);
    }
    if (Has(c, "queryParameter")) {
      const YAML::Node q = c["queryParameter"];
      CheckKeys(q, {"name", "exact", "prefix", "suffix", "contains", "regex", "present"},
                ctx + ".queryParameter");
      Cond cond;
      cond.header = false;
      cond.name = Str(q, "name");
      if (!Str(q, "exact").empty()) {
        cond.type = 0, cond.value = Str(q, "exact");
      } else if (!Str(q, "regex").empty()) {
        cond.type = 1, cond.value = Str(q, "regex");
      } else if (!Str(q, "prefix").empty()) {
        cond.type = 2, cond.value = Str(q, "prefix");
      } else if (!Str(q, "suffix").empty()) {
        cond.type = 3, cond.value = Str(q, "suffix");
      } else if (!Str(q, "contains").empty()) {
        cond.type = 4, cond.value = Str(q, "contains");
      } else if (Has(q, "present") && q["present"].as<bool>()) {
        cond.type = 5;
      } else {
        continue;
      }
      m.query.push_back(cond);
    }
  }
  if (paths > 1) throw Broken(ctx + ": more than one path condition (Contour rejects the route)");
  std::stable_sort(m.headers.begin(), m.headers.end(), CondLess);
  std::stable_sort(m.query.begin(), m.query.end(), CondLess);
  return m;
}

bool RouteHolds(const ProxyRouteModel& m, const Request& r) {
  switch (m.path_rank) {
    case 2:
      if (r.path != m.path) return false;
      break;
    case 1:
      if (!RegexMatch(m.path, r.path, Anchor::kFull)) return false;
      break;
    default:
      if (r.FullPath().rfind(m.path, 0) != 0) return false;
  }
  for (const Cond& c : m.headers) {
    if (!CondHolds(c, r)) return false;
  }
  for (const Cond& c : m.query) {
    if (!CondHolds(c, r)) return false;
  }
  return true;
}

std::string AppVersion(const YAML::Node& policy) {
  for (const auto& h : At(policy, "set")) {
    if (Lower(Str(h, "name")) == "app-version") return Str(h, "value");
  }
  return "";
}

Outcome Apply(const Cluster::State& state, const ProxyRouteModel& m) {
  Outcome out;
  out.kind = Outcome::Kind::kRouted;
  out.detail = m.ctx;
  const YAML::Node services = At(m.node, "services");
  std::vector<YAML::Node> live, mirrors;
  for (const auto& s : services) {
    CheckKeys(s,
              {"name", "port", "weight", "mirror", "responseHeadersPolicy", "requestHeadersPolicy"},
              m.ctx + ".services[]");
    (Has(s, "mirror") && s["mirror"].as<bool>() ? mirrors : live).push_back(s);
  }
  if (mirrors.size() > 1)
    throw Broken(m.ctx + ": more than one mirror (Contour rejects the route)");
  if (live.empty()) throw Broken(m.ctx + ": no service (503)");
  double total = 0;
  for (const auto& s : live) total += Number(s, "weight", 0);
  for (const auto& s : live) {
    const double share = total > 0 ? 100 * Number(s, "weight", 0) / total : 100.0 / live.size();
    if (share <= 0) continue;
    const std::string v =
        ResolveVersion(state, m.proxy->ns, Str(s, "name"), {}, Int(s, "port", 0), m.ctx);
    out.versions[v] += share;
    out.app_version[v] = AppVersion(At(s, "responseHeadersPolicy"));
  }
  for (const auto& s : mirrors) {
    int w = Int(s, "weight", 0);
    if (w == 0) w = 100;  // Contour: an omitted or zero mirror weight mirrors everything
    const std::string v =
        ResolveVersion(state, m.proxy->ns, Str(s, "name"), {}, Int(s, "port", 0), m.ctx);
    out.mirrors[v] += w;
  }
  return out;
}

bool FqdnMatches(const std::string& fqdn, const std::string& host) {
  if (fqdn.rfind("*.", 0) == 0) {
    const std::string suffix = fqdn.substr(1);
    if (host.size() <= suffix.size()) return false;
    if (host.compare(host.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
    return host.substr(0, host.size() - suffix.size()).find('.') == std::string::npos;
  }
  return fqdn == host;
}

void Collect(const Cluster::State& state, const Object* proxy, int depth,
             std::vector<ProxyRouteModel>* out) {
  if (depth > 8) throw Broken(proxy->Ref() + ": includes form a cycle");
  const YAML::Node spec = At(proxy->node, "spec");
  CheckKeys(spec, {"virtualhost", "routes", "includes"}, proxy->Ref() + ".spec");
  const YAML::Node routes = At(spec, "routes");
  for (size_t i = 0; i < routes.size(); ++i) {
    out->push_back(
        ReadRoute(proxy, routes[i], proxy->Ref() + " routes[" + std::to_string(i) + "]"));
  }
  for (const auto& inc : At(spec, "includes")) {
    CheckKeys(inc, {"name", "namespace"}, proxy->Ref() + ".includes[]");
    const std::string ns = Str(inc, "namespace", proxy->ns);
    const Object* child = nullptr;
    for (const Object* o : state.Find(kGroup, "HTTPProxy")) {
      if (o->ns == ns && o->name == Str(inc, "name")) child = o;
    }
    if (!child)
      throw Broken(proxy->Ref() + ": includes missing HTTPProxy " + ns + "/" + Str(inc, "name"));
    if (Has(At(child->node, "spec"), "virtualhost")) {
      throw Broken(proxy->Ref() + ": includes root HTTPProxy " + child->Ref());
    }
    Collect(state, child, depth + 1, out);
  }
}

}  // namespace

Outcome RouteContour(const Cluster::State& state, const Request& request) {
  const std::string host = IngressHost(state, request, nullptr);
  std::vector<const Object*> roots;
  for (const Object* p : state.Find(kGroup, "HTTPProxy")) {
    const YAML::Node vh = At(At(p->node, "spec"), "virtualhost");
    if (!vh) continue;
    CheckKeys(vh, {"fqdn"}, p->Ref() + ".virtualhost");
    if (FqdnMatches(Lower(Str(vh, "fqdn")), host)) roots.push_back(p);
  }
  if (roots.empty()) {
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "no root HTTPProxy for host " + host + " (404)";
    return out;
  }
  if (roots.size() > 1) {
    throw Broken("several root HTTPProxies claim host " + host + " (Contour marks them invalid)");
  }
  std::vector<ProxyRouteModel> routes;
  Collect(state, roots[0], 0, &routes);
  std::vector<const ProxyRouteModel*> holding;
  for (const auto& m : routes) {
    if (RouteHolds(m, request)) holding.push_back(&m);
  }
  if (holding.empty()) {
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "no route of " + roots[0]->Ref() + " matches (404)";
    return out;
  }
  // The first route in Contour's order; routes no rule orders against it compete.
  std::vector<std::pair<std::string, Outcome>> readings;
  for (const ProxyRouteModel* m : holding) {
    bool first = true;
    for (const ProxyRouteModel* other : holding) {
      if (other != m && Before(*other, *m) && !Before(*m, *other)) first = false;
    }
    if (!first) continue;
    Outcome o = Apply(state, *m);
    Finish(&o);
    readings.push_back({m->ctx + " first", o});
  }
  if (readings.empty()) throw Broken("Contour's route order has no first route for this request");
  return Combine(readings);
}

}  // namespace routing
