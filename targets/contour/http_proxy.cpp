// The HTTPProxies: <app> holds a route per condition set of the routemap (Contour ANDs the
// conditions of a route; a segment's matches are ORed as routes of their own, and a
// segment-aware path prefix is an exact path plus a prefix ending in '/', because Contour's
// prefix is a plain string prefix), weighted services with the app-version response header,
// and the route's mirror. Each answered host gets a root HTTPProxy that includes <app>.
#include <algorithm>
#include <cctype>
#include <set>

#include "compiler/ir/match_regex.h"
#include "targets/contour/objects.h"

namespace meshc::contour {

namespace {

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

// A header condition. Contour ignores an empty `exact` (the condition would vanish), so the
// empty value is the regex of the empty string; Contour has no header prefix: a regex.
Condition header_condition(const std::string& name, const ValueMatch& m) {
  if (m.type == MatchType::kExact && !m.value.empty()) {
    return {name, Condition::Kind::kExact, m.value};
  }
  return {name, Condition::Kind::kRegex, condition_regex(m)};
}

Condition query_condition(const ValueMatch& m) {
  switch (m.type) {
    case MatchType::kExact:
      if (!m.value.empty()) return {m.name, Condition::Kind::kExact, m.value};
      break;
    case MatchType::kPrefix:
      if (m.value.empty()) return {m.name, Condition::Kind::kPresent, ""};
      return {m.name, Condition::Kind::kPrefix, m.value};
    case MatchType::kPathPrefix:
    case MatchType::kRegex:
      break;
  }
  return {m.name, Condition::Kind::kRegex, condition_regex(m)};
}

// The path alternatives of a match: {kind, value, the condition it tests in routemap terms}.
struct PathAlternative {
  ProxyRoute::PathKind kind;
  std::string value;
  std::optional<ValueMatch> view;
};

std::vector<PathAlternative> path_alternatives(const RequestMatch& m) {
  using K = ProxyRoute::PathKind;
  if (!m.path) return {{K::kPrefix, "/", std::nullopt}};
  const ValueMatch& p = *m.path;
  auto view = [&](MatchType t, const std::string& v) {
    ValueMatch x = p;
    x.type = t;
    x.value = v;
    return std::optional<ValueMatch>(x);
  };
  switch (p.type) {
    case MatchType::kExact:
      return {{K::kExact, p.value, p}};
    case MatchType::kPrefix:
      return {{K::kPrefix, p.value, p}};
    case MatchType::kRegex:
      return {{K::kRegex, p.value, p}};
    case MatchType::kPathPrefix: {
      std::string base = path_prefix_base(p.value);
      if (base.empty()) return {{K::kPrefix, "/", std::nullopt}};
      return {{K::kExact, base, view(MatchType::kExact, base)},
              {K::kPrefix, base + "/", view(MatchType::kPrefix, base + "/")}};
    }
  }
  return {};
}

Object condition_object(const Condition& c) {
  Object o = Object{{"name", c.name}};
  switch (c.kind) {
    case Condition::Kind::kExact:
      o["exact"] = c.value;
      break;
    case Condition::Kind::kRegex:
      o["regex"] = c.value;
      break;
    case Condition::Kind::kPrefix:
      o["prefix"] = c.value;
      break;
    case Condition::Kind::kPresent:
      o["present"] = true;
      break;
  }
  return o;
}

Object route_object(const Routemap& rm, const ProxyRoute& pr) {
  Object conditions = Object::array();
  if (pr.path_kind != ProxyRoute::PathKind::kPrefix || pr.path != "/") {
    const char* field = pr.path_kind == ProxyRoute::PathKind::kExact   ? "exact"
                        : pr.path_kind == ProxyRoute::PathKind::kRegex ? "regex"
                                                                       : "prefix";
    conditions.push_back(Object{{field, pr.path}});
  }
  for (const Condition& h : pr.headers) {
    conditions.push_back(Object{{"header", condition_object(h)}});
  }
  for (const Condition& q : pr.query) {
    conditions.push_back(Object{{"queryParameter", condition_object(q)}});
  }
  Object services = Object::array();
  for (const Destination& d : pr.route->destinations) {
    const Version& v = rm.versions[d.version];
    Object service{{"name", v.name}, {"port", v.port}, {"weight", d.weight}};
    if (rm.app_version_header.value != "false") {
      Object set = Object::array({Object{{"name", "app-version"}, {"value", v.name}}});
      service["responseHeadersPolicy"] = Object{{"set", set}};
    }
    services.push_back(std::move(service));
  }
  for (const Mirror& m : pr.route->mirrors) {
    // A mirror weight of 0 means 100 % to Contour: a 0 % mirror is left out instead.
    if (m.percent == 0) continue;
    const Version& v = rm.versions[m.version];
    services.push_back(
        Object{{"name", v.name}, {"port", v.port}, {"mirror", true}, {"weight", m.percent}});
  }
  Object o = Object::object();
  if (!conditions.empty()) o["conditions"] = std::move(conditions);
  o["services"] = std::move(services);
  return o;
}

}  // namespace

std::vector<ProxyRoute> proxy_routes(const Routemap& rm) {
  std::vector<ProxyRoute> out;
  for (const Route& r : rm.routes) {
    if (r.matches.empty()) {
      ProxyRoute pr;
      pr.route = &r;
      out.push_back(std::move(pr));
      continue;
    }
    for (const RequestMatch& m : r.matches) {
      ProxyRoute base;
      base.route = &r;
      base.source = &m;
      base.view = m;
      for (const ValueMatch& h : m.headers) {
        base.headers.push_back(header_condition(to_lower(h.name), h));
      }
      if (!m.cookies.empty()) {
        base.headers.push_back(
            {cookie_header_name(), Condition::Kind::kRegex, cookie_header_regex(m.cookies)});
      }
      if (!m.method.empty()) base.headers.push_back({":method", Condition::Kind::kExact, m.method});
      for (const ValueMatch& q : m.query_params) base.query.push_back(query_condition(q));
      for (const PathAlternative& alt : path_alternatives(m)) {
        ProxyRoute pr = base;
        pr.path_kind = alt.kind;
        pr.path = alt.value;
        pr.view.path = alt.view;
        out.push_back(std::move(pr));
      }
    }
  }
  return out;
}

std::vector<std::string> answered_hosts(const Routemap& rm) {
  std::vector<std::string> hosts = in_cluster_hosts(rm);
  for (const std::string& h : rm.hosts) {
    if (std::find(hosts.begin(), hosts.end(), h) == hosts.end()) hosts.push_back(h);
  }
  return hosts;
}

std::string root_name(const Routemap& rm, const std::string& host) {
  return rm.name + "-" + host;
}

namespace {

// Hosts Contour cannot serve as the spec means them, or whose root HTTPProxy name is too long.
void check_hosts(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  for (const std::string& h : rm.hosts) {
    if (h.rfind("*.", 0) == 0) {
      sink.error(rm.hosts_loc, rm.field_path("application.hosts"),
                 target + " cannot express the wildcard host " + quote(h) +
                     ": Contour's wildcard fqdn matches exactly one DNS label, where the "
                     "spec's (Gateway API's and Istio's) matches one or more; list the hosts");
    }
  }
  for (const std::string& h : answered_hosts(rm)) {
    std::string name = root_name(rm, h);
    if (name.size() > 253) {
      sink.error(rm.hosts_loc.valid() ? rm.hosts_loc : rm.loc,
                 rm.hosts_loc.valid() ? rm.field_path("application.hosts")
                                      : rm.field_path("application.metadata.name"),
                 target + " names the root HTTPProxy of host " + quote(h) + " " + quote(name) +
                     ", longer than the 253 characters of a Kubernetes name");
    }
  }
}

// Matches Contour rejects or reads otherwise; one error per match.
void check_matches(const std::vector<ProxyRoute>& routes, const std::string& target,
                   DiagnosticSink& sink) {
  std::set<const RequestMatch*> reported;
  for (const ProxyRoute& pr : routes) {
    if (!pr.source || reported.count(pr.source)) continue;
    const RequestMatch& m = *pr.source;
    if (m.path && m.path->type == MatchType::kRegex && m.path->value.rfind('/', 0) != 0) {
      sink.error(m.path->loc, m.path->field_path,
                 target +
                     " cannot express a RegularExpression path that does not start with "
                     "'/' (Contour requires it); write it as /... (it matches the whole "
                     "path, which starts with '/')");
      reported.insert(pr.source);
      continue;
    }
    std::set<std::string> exact;
    for (const ValueMatch& h : m.headers) {
      if (h.type != MatchType::kExact || h.value.empty()) continue;
      if (!exact.insert(to_lower(h.name)).second) {
        sink.error(h.loc, h.field_path,
                   target + " cannot express two exact conditions on the header " + quote(h.name) +
                       " in one match (Contour rejects the route)");
        reported.insert(pr.source);
        break;
      }
    }
  }
}

// Contour takes one mirror service per route.
void check_mirrors(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  for (const Route& r : rm.routes) {
    const Mirror* first = nullptr;
    for (const Mirror& m : r.mirrors) {
      if (m.percent == 0) continue;
      if (!first) {
        first = &m;
        continue;
      }
      sink.error(m.loc, m.field_path,
                 target +
                     " cannot mirror a route to more than one version (Contour takes one "
                     "mirror service per route): " +
                     quote(rm.versions[first->version].name) + " and " +
                     quote(rm.versions[m.version].name));
    }
  }
}

}  // namespace

void check_expressible(const Routemap& rm, const std::vector<ProxyRoute>& routes,
                       const std::string& target, DiagnosticSink& sink) {
  check_hosts(rm, target, sink);
  check_matches(routes, target, sink);
  check_mirrors(rm, target, sink);
}

Object routes_proxy(const Routemap& rm, const std::vector<ProxyRoute>& routes) {
  Object o = k8s_object(kApiVersion, "HTTPProxy", rm.name, rm.namespace_, rm);
  Object list = Object::array();
  for (const ProxyRoute& pr : routes) list.push_back(route_object(rm, pr));
  o["spec"] = Object{{"routes", list}};
  return o;
}

Object root_proxy(const Routemap& rm, const std::string& host) {
  Object o = k8s_object(kApiVersion, "HTTPProxy", root_name(rm, host), rm.namespace_, rm);
  o["spec"] = Object{{"virtualhost", Object{{"fqdn", host}}},
                     {"includes", Object::array({Object{{"name", rm.name}}})}};
  return o;
}

}  // namespace meshc::contour
