// The policy.linkerd.io HTTPRoute: attached to the root Service (parentRefs group core, kind
// Service: Linkerd's outbound policy for clients of that Service), one rule per candidate
// segment in the routemap's order, then the catch-all rule, explicit weights on every
// backendRef, and the app-version response header per backend. The CRD allows only
// RequestHeaderModifier and RequestRedirect filters on rules: no mirroring (the capability
// check reports it before emit).
#include <re2/re2.h>

#include <algorithm>

#include "compiler/ir/match_regex.h"
#include "compiler/k8s/workloads.h"
#include "targets/linkerd/objects.h"

namespace meshc::linkerd {

namespace {

// The RegularExpression a condition is written as, or "" when it is written as Exact or
// PathPrefix: the CRD has no literal prefix, and wants non-empty values.
std::string emitted_regex(const ValueMatch& m, bool is_path) {
  switch (m.type) {
    case MatchType::kExact:
      return !is_path && m.value.empty() ? condition_regex(m) : "";
    case MatchType::kPathPrefix:
      return "";
    case MatchType::kPrefix:
      return literal_prefix_regex(m.value);
    case MatchType::kRegex:
      return anchored_regex(m.value);
  }
  return "";
}

Object named_condition(const ValueMatch& m, const std::string& name) {
  std::string regex = emitted_regex(m, false);
  Object o = Object::object();
  o["name"] = name;
  o["type"] = regex.empty() ? "Exact" : "RegularExpression";
  o["value"] = regex.empty() ? m.value : regex;
  return o;
}

Object match_object(const RequestMatch& m) {
  Object o = Object::object();
  if (m.path) {
    std::string regex = emitted_regex(*m.path, true);
    o["path"] = regex.empty()
                    ? Object{{"type", m.path->type == MatchType::kExact ? "Exact" : "PathPrefix"},
                             {"value", m.path->value}}
                    : Object{{"type", "RegularExpression"}, {"value", regex}};
  }
  Object headers = Object::array();
  for (const ValueMatch& h : m.headers) headers.push_back(named_condition(h, h.name));
  if (!m.cookies.empty()) {
    headers.push_back(Object{{"name", cookie_header_name()},
                             {"type", "RegularExpression"},
                             {"value", cookie_header_regex(m.cookies)}});
  }
  if (!headers.empty()) o["headers"] = std::move(headers);
  Object query = Object::array();
  for (const ValueMatch& q : m.query_params) query.push_back(named_condition(q, q.name));
  if (!query.empty()) o["queryParams"] = std::move(query);
  if (!m.method.empty()) o["method"] = m.method;
  return o;
}

Object backend_ref(const Routemap& rm, const Destination& d) {
  const Version& v = rm.versions[d.version];
  Object o = Object::object();
  o["group"] = "";
  o["kind"] = "Service";
  o["name"] = v.name;
  if (v.namespace_ != rm.namespace_) o["namespace"] = v.namespace_;
  o["port"] = v.port;
  o["weight"] = d.weight;
  if (rm.app_version_header.value != "false") {
    Object header = Object{{"name", "app-version"}, {"value", v.name}};
    o["filters"] = Object::array(
        {Object{{"type", "ResponseHeaderModifier"},
                {"responseHeaderModifier", Object{{"set", Object::array({header})}}}}});
  }
  return o;
}

}  // namespace

void check_route_limits(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  using L = RouteLimits;
  // At the node and under the field path of what is too much, as every other diagnostic.
  auto no = [&](const Location& at, const std::string& path, const std::string& what) {
    sink.error(at, path, target + " cannot express " + what);
  };
  if (rm.routes.size() > L::kRules) {
    no(rm.routes[L::kRules - 1].loc, rm.routes[L::kRules - 1].field_path,
       "more than " + std::to_string(L::kRules - 1) +
           " candidate segments (an HTTPRoute holds at most " + std::to_string(L::kRules) +
           " rules, one of them the catch-all)");
  }
  for (const Route& r : rm.routes) {
    if (r.matches.size() > L::kMatchesPerRule) {
      no(r.matches[L::kMatchesPerRule].loc, r.matches[L::kMatchesPerRule].field_path,
         "more than " + std::to_string(L::kMatchesPerRule) +
             " matches for one candidate (the policy.linkerd.io "
             "HTTPRoute limit)");
    }
    for (const RequestMatch& m : r.matches) {
      if (m.headers.size() + (m.cookies.empty() ? 0 : 1) > L::kHeadersPerMatch) {
        no(m.loc, m.field_path,
           "more than " + std::to_string(L::kHeadersPerMatch) +
               " header conditions in one match (cookie conditions count as one)");
      }
      if (m.path && emitted_regex(*m.path, true).size() > 1024) {
        no(m.path->loc, m.path->field_path,
           "this path: as a regular expression it is longer than 1024 characters");
      }
      for (const ValueMatch& h : m.headers) {
        if (emitted_regex(h, false).size() > 4096) {
          no(h.loc, h.field_path,
             "this condition: as a regular expression it is longer than 4096 characters");
        }
      }
      for (const ValueMatch& q : m.query_params) {
        if (emitted_regex(q, false).size() > 1024) {
          no(q.loc, q.field_path,
             "this condition: as a regular expression it is longer than 1024 characters");
        }
      }
    }
    if (r.destinations.size() > L::kBackendRefs) {
      no(rm.versions[r.destinations[L::kBackendRefs].version].loc,
         rm.versions[r.destinations[L::kBackendRefs].version].field_path,
         "more than " + std::to_string(L::kBackendRefs) + " versions sharing one route");
    }
  }
  std::vector<std::string> names = in_cluster_hosts(rm);
  size_t extra = 0;
  for (const std::string& h : rm.hosts) {
    extra += std::find(names.begin(), names.end(), h) == names.end();
  }
  if (!rm.hosts.empty() && names.size() + extra > L::kHostnames) {
    no(rm.hosts_loc, rm.field_path("application.hosts"),
       "more than " + std::to_string(L::kHostnames - names.size()) +
           " application.hosts (an HTTPRoute holds " + std::to_string(L::kHostnames) +
           " hostnames, " + std::to_string(names.size()) + " of them the in-cluster names)");
  }
}

Object http_route(const Routemap& rm, const std::string& api_version) {
  Object route =
      k8s_object("policy.linkerd.io/" + api_version, "HTTPRoute", rm.name, rm.namespace_, rm);
  Object spec = Object::object();
  spec["parentRefs"] =
      Object::array({Object{{"group", "core"}, {"kind", "Service"}, {"name", rm.name}}});
  // Linkerd matches hostnames against the request's authority: when hosts are given, the
  // in-cluster names are listed too, so that clients calling the Service still match.
  if (!rm.hosts.empty()) {
    std::vector<std::string> hostnames = in_cluster_hosts(rm);
    for (const std::string& h : rm.hosts) {
      if (std::find(hostnames.begin(), hostnames.end(), h) == hostnames.end()) {
        hostnames.push_back(h);
      }
    }
    spec["hostnames"] = hostnames;
  }
  Object rules = Object::array();
  for (const Route& r : rm.routes) {
    Object rule = Object::object();
    if (!r.matches.empty()) {
      Object matches = Object::array();
      for (const RequestMatch& m : r.matches) matches.push_back(match_object(m));
      rule["matches"] = std::move(matches);
    }
    Object backends = Object::array();
    for (const Destination& d : r.destinations) backends.push_back(backend_ref(rm, d));
    rule["backendRefs"] = std::move(backends);
    rules.push_back(std::move(rule));
  }
  spec["rules"] = std::move(rules);
  route["spec"] = std::move(spec);
  return route;
}

}  // namespace meshc::linkerd
