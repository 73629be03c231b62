// The HTTPRoute: one rule per candidate segment, in the routemap's order, then the catch-all
// rule (a GAMMA route answers only the requests some rule matches), explicit weights on
// every backendRef, RequestMirror filters, and (unless the route's options leave it out) the
// app-version response header per backend. The pieces GRPCRoute shares live here too.
#include <re2/re2.h>

#include <algorithm>

#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_regex.h"
#include "compiler/k8s/workloads.h"
#include "targets/gateway_api/objects.h"

namespace meshc::gateway_api {

namespace {

constexpr const char* kGroup = "gateway.networking.k8s.io";

// The RegularExpression a condition is emitted as, or "" when it is emitted as Exact or
// PathPrefix. Gateway API has no literal prefix (it becomes an anchored regex), and an empty
// exact value (the CRD wants at least one character) becomes the regex of the empty string.
std::string emitted_regex(const ValueMatch& m, bool is_path) {
  switch (m.type) {
    case MatchType::kExact:
      return !is_path && m.value.empty() ? condition_regex(m) : "";
    case MatchType::kPathPrefix:
      return "";
    case MatchType::kPrefix:
      return literal_prefix_regex(m.value);
    case MatchType::kRegex:
      return anchored_regex(m.value);  // whatever the dialect's reading
  }
  return "";
}

// {type, value} or {name, type, value}: a condition as the route writes it.
Object condition(const std::string* name, const char* type, std::string value) {
  Object o = new_mapping(name ? 3 : 2);
  if (name) append_entry(o, "name", *name);
  append_entry(o, "type", type);
  append_entry(o, "value", std::move(value));
  return o;
}

Object path_condition(const ValueMatch& p) {
  std::string regex = emitted_regex(p, true);
  if (!regex.empty()) return condition(nullptr, "RegularExpression", std::move(regex));
  return condition(nullptr, p.type == MatchType::kExact ? "Exact" : "PathPrefix", p.value);
}

Object match_object(const RequestMatch& m) {
  Object o = new_mapping(!!m.path + !(m.headers.empty() && m.cookies.empty()) +
                         !m.query_params.empty() + !m.method.empty());
  if (m.path) append_entry(o, "path", path_condition(*m.path));
  if (!m.headers.empty() || !m.cookies.empty()) {
    Object& headers = append_entry(o, "headers", new_list(m.headers.size() + !m.cookies.empty()));
    for (const ValueMatch& h : m.headers) append_item(headers, named_condition(h, h.name));
    if (!m.cookies.empty()) {
      const std::string name = cookie_header_name();
      append_item(headers, condition(&name, "RegularExpression", cookie_header_regex(m.cookies)));
    }
  }
  if (!m.query_params.empty()) {
    Object& query = append_entry(o, "queryParams", new_list(m.query_params.size()));
    for (const ValueMatch& q : m.query_params) append_item(query, named_condition(q, q.name));
  }
  if (!m.method.empty()) append_entry(o, "method", m.method);
  return o;
}

Object rule_object(const Routemap& rm, const Route& r, const RouteOptions& options) {
  Object rule = new_mapping(!r.matches.empty() + !r.mirrors.empty() + 1);
  if (!r.matches.empty()) {
    Object& matches = append_entry(rule, "matches", new_list(r.matches.size()));
    for (const RequestMatch& m : r.matches) append_item(matches, match_object(m));
  }
  if (!r.mirrors.empty()) {
    Object& filters = append_entry(rule, "filters", new_list(r.mirrors.size()));
    for (const Mirror& m : r.mirrors) append_item(filters, mirror_filter(rm, m, options));
  }
  Object& backends = append_entry(rule, "backendRefs", new_list(r.destinations.size()));
  for (const Destination& d : r.destinations) append_item(backends, backend_ref(rm, d, options));
  return rule;
}

// The CEL rules of the HTTPRoute CRD on Exact and PathPrefix values; "" when `value` passes.
std::string path_value_problem(const std::string& value) {
  static const RE2* kChars = new RE2("(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+");
  if (value.empty() || value[0] != '/') return "it must start with '/'";
  if (!RE2::FullMatch(value, *kChars)) {
    return "it may hold only letters, digits, '/' and -._~!$&'()*+,;=:@ or %XX escapes";
  }
  for (const char* bad : {"//", "/./", "/../", "%2f", "%2F", "#"}) {
    if (value.find(bad) != std::string::npos) return std::string("it must not contain ") + bad;
  }
  auto ends = [&](const std::string& s) {
    return value.size() >= s.size() && value.compare(value.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("/..") || ends("/.")) return "it must not end with /. or /..";
  return "";
}

}  // namespace

Object named_condition(const ValueMatch& m, const std::string& name) {
  std::string regex = emitted_regex(m, false);
  if (regex.empty()) return condition(&name, "Exact", m.value);
  return condition(&name, "RegularExpression", std::move(regex));
}

Object service_ref(const Routemap& rm, const Version& v) {
  Object o = new_mapping(7);  // and backend_ref's weight and filters
  append_entry(o, "group", "");
  append_entry(o, "kind", "Service");
  append_entry(o, "name", v.name);
  if (v.namespace_ != rm.namespace_) append_entry(o, "namespace", v.namespace_);
  append_entry(o, "port", v.port);
  return o;
}

namespace {

// {name, value}: one header of a ResponseHeaderModifier's set or add.
Object header(const char* name, std::string value) {
  Object o = new_mapping(2);
  append_entry(o, "name", name);
  append_entry(o, "value", std::move(value));
  return o;
}

}  // namespace

Object backend_ref(const Routemap& rm, const Destination& d, const RouteOptions& options) {
  const Version& v = rm.versions[d.version];
  Object o = service_ref(rm, v);
  append_entry(o, "weight", d.weight);
  // One ResponseHeaderModifier for both headers (a backendRef takes one filter of a type).
  if (!options.app_version && !d.set_cookie) return o;
  Object modifier = new_mapping(options.app_version + d.set_cookie);
  if (options.app_version) {
    append_item(append_entry(modifier, "set", new_list(1)), header("app-version", v.name));
  }
  if (d.set_cookie) {
    // add, not set: the application's own Set-Cookie headers stay.
    append_item(append_entry(modifier, "add", new_list(1)),
                header("Set-Cookie", sticky_set_cookie(rm, v)));
  }
  Object filter = new_mapping(2);
  append_entry(filter, "type", "ResponseHeaderModifier");
  append_entry(filter, "responseHeaderModifier", std::move(modifier));
  append_item(append_entry(o, "filters", new_list(1)), std::move(filter));
  return o;
}

Object mirror_filter(const Routemap& rm, const Mirror& m, const RouteOptions& options) {
  Object mirror = new_mapping(2);
  append_entry(mirror, "backendRef", service_ref(rm, rm.versions[m.version]));
  if (options.mirror_percent_always || m.percent != 100) append_entry(mirror, "percent", m.percent);
  Object filter = new_mapping(2);
  append_entry(filter, "type", "RequestMirror");
  append_entry(filter, "requestMirror", std::move(mirror));
  return filter;
}

Object parent_ref(const Routemap& rm, Parent parent) {
  Object ref = new_mapping(4);
  if (parent == Parent::kMesh) {
    append_entry(ref, "group", "");
    append_entry(ref, "kind", "Service");
    append_entry(ref, "name", rm.name);
    return ref;
  }
  size_t slash = rm.gateway.find('/');
  append_entry(ref, "group", kGroup);
  append_entry(ref, "kind", "Gateway");
  append_entry(ref, "name", slash == std::string::npos ? rm.gateway : rm.gateway.substr(slash + 1));
  if (slash != std::string::npos) append_entry(ref, "namespace", rm.gateway.substr(0, slash));
  return ref;
}

std::vector<std::string> route_hostnames(const Routemap& rm, Parent parent) {
  // Mesh traffic reaches the route through the Service, whatever the host; when hosts are
  // given they are listed with the in-cluster names, so a mesh that honours hostnames still
  // answers both. Through the gateway: the hosts, else the in-cluster names.
  bool mesh = parent == Parent::kMesh;
  std::vector<std::string> hostnames;
  if (mesh && !rm.hosts.empty()) hostnames = in_cluster_hosts(rm);
  if (!mesh && rm.hosts.empty()) hostnames = in_cluster_hosts(rm);
  for (const std::string& h : rm.hosts) {
    if (std::find(hostnames.begin(), hostnames.end(), h) == hostnames.end()) hostnames.push_back(h);
  }
  return hostnames;
}

namespace {

// The HTTPRoute CRD's limits (RouteLimits) and Envoy's regex cost, checked against one
// routemap: every finding is an error "<target> cannot express ...", but the regex cost, a
// warning.
class RouteLimitCheck {
 public:
  using L = RouteLimits;

  RouteLimitCheck(const Routemap& rm, const std::string& target, DiagnosticSink& sink)
      : rm_(rm), target_(target), sink_(sink) {}

  void run() {
    if (rm_.routes.size() > L::kRules) {
      const Route& r = rm_.routes[L::kRules - 1];
      no(r.loc, r.field_path,
         "more than " + std::to_string(L::kRules - 1) +
             " candidate segments (an HTTPRoute holds at most " + std::to_string(L::kRules) +
             " rules, one of them the catch-all)");
    }
    for (const Route& r : rm_.routes) check_route(r);
    check_hostnames();
  }

 private:
  void no(const Location& at, const std::string& path, const std::string& what) {
    sink_.error(at, path, target_ + " cannot express " + what);
  }

  void check_route(const Route& r) {
    if (r.matches.size() > L::kMatchesPerRule) {
      no(r.matches[L::kMatchesPerRule].loc, r.matches[L::kMatchesPerRule].field_path,
         "more than " + std::to_string(L::kMatchesPerRule) + " matches for one candidate");
    }
    for (const RequestMatch& m : r.matches) check_match(m);
    if (r.destinations.size() > L::kBackendRefs) {
      const Version& v = rm_.versions[r.destinations[L::kBackendRefs].version];
      no(v.loc, v.field_path,
         "more than " + std::to_string(L::kBackendRefs) + " versions sharing one route");
    }
    if (r.mirrors.size() > L::kFilters) {
      no(r.mirrors[L::kFilters].loc, r.mirrors[L::kFilters].field_path,
         "more than " + std::to_string(L::kFilters) + " mirrored candidates");
    }
  }

  void check_match(const RequestMatch& m) {
    if (++matches_ == L::kMatchesPerRoute + 1) {
      no(m.loc, m.field_path,
         "more than " + std::to_string(L::kMatchesPerRoute) +
             " matches in all (the HTTPRoute limit, counting the catch-all rule)");
    }
    size_t headers = m.headers.size() + (m.cookies.empty() ? 0 : 1);
    if (headers > L::kHeadersPerMatch) {
      no(m.loc, m.field_path,
         "more than " + std::to_string(L::kHeadersPerMatch) +
             " header conditions in one match (cookie conditions count as one)");
    }
    if (m.path && (m.path->type == MatchType::kExact || m.path->type == MatchType::kPathPrefix)) {
      std::string why = path_value_problem(m.path->value);
      if (!why.empty()) {
        no(m.path->value_loc, m.path->value_field_path,
           "the path " + quote(m.path->value) + ": " + why);
      }
    }
    if (m.path) check_regex(emitted_regex(*m.path, true), *m.path, 1024);
    for (const ValueMatch& h : m.headers) {
      check_regex(emitted_regex(h, false), h, L::kHeaderValueLength);
    }
    for (const ValueMatch& q : m.query_params) check_regex(emitted_regex(q, false), q, 1024);
    if (!m.cookies.empty()) {
      check_regex(cookie_header_regex(m.cookies), m.cookies.front(), L::kHeaderValueLength);
    }
  }

  // Every regex the route will carry: its length against the CRD, its cost against Envoy's
  // default limit (a warning: implementations may raise it; Istio does).
  void check_regex(const std::string& re, const ValueMatch& c, size_t max_length) {
    if (re.empty()) return;
    const Location& at = c.loc;
    if (re.size() > max_length) {
      no(at, c.field_path,
         "this condition: as a regular expression it is longer than " + std::to_string(max_length) +
             " characters");
      return;
    }
    int size = regex_program_size(re);
    if (size > kEnvoyDefaultMaxProgramSize) {
      sink_.warning(at, c.field_path,
                    target_ + " route carries the regular expression " + quote(re) +
                        " of RE2 program size " + std::to_string(size) +
                        "; Envoy-based implementations reject sizes above " +
                        std::to_string(kEnvoyDefaultMaxProgramSize) +
                        " unless their runtime raises re2.max_program_size.error_level");
    }
  }

  void check_hostnames() {
    std::vector<std::string> in_cluster_names = in_cluster_hosts(rm_);
    size_t in_cluster = in_cluster_names.size(), extra = 0;
    for (const std::string& h : rm_.hosts) {
      extra +=
          std::find(in_cluster_names.begin(), in_cluster_names.end(), h) == in_cluster_names.end();
    }
    if (extra + in_cluster > L::kHostnames) {
      no(rm_.hosts_loc, rm_.field_path("application.hosts"),
         "more than " + std::to_string(L::kHostnames - in_cluster) +
             " application.hosts (an HTTPRoute holds " + std::to_string(L::kHostnames) +
             " hostnames, " + std::to_string(in_cluster) + " of them the in-cluster names)");
    }
  }

  const Routemap& rm_;
  const std::string& target_;
  DiagnosticSink& sink_;
  size_t matches_ = 1;  // the catch-all rule's default match counts too
};

}  // namespace

void check_http_route_limits(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  RouteLimitCheck(rm, target, sink).run();
}

Object route_object(const Routemap& rm, std::string api_version, const char* kind, Parent parent,
                    const RouteOptions& options, RuleMaker rule) {
  bool mesh = parent == Parent::kMesh;
  Object route = k8s_object(std::move(api_version), kind, mesh ? rm.name : rm.name + "-gateway",
                            rm.namespace_, rm);
  std::vector<std::string> hostnames = route_hostnames(rm, parent);
  Object spec = new_mapping(2 + !hostnames.empty());
  append_item(append_entry(spec, "parentRefs", new_list(1)), parent_ref(rm, parent));
  if (!hostnames.empty()) {
    Object& names = append_entry(spec, "hostnames", new_list(hostnames.size()));
    for (std::string& h : hostnames) append_item(names, std::move(h));
  }
  Object& rules = append_entry(spec, "rules", new_list(rm.routes.size()));
  for (const Route& r : rm.routes) append_item(rules, rule(rm, r, options));
  append_entry(route, "spec", std::move(spec));
  return route;
}

Object http_route(const Routemap& rm, const std::string& api_version, Parent parent,
                  const RouteOptions& options) {
  return route_object(rm, std::string(kGroup) + "/" + api_version, "HTTPRoute", parent, options,
                      rule_object);
}

}  // namespace meshc::gateway_api
