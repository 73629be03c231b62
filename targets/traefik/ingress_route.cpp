// The IngressRoute: Traefik matches a request against its routers in descending priority and
// the first whose rule holds takes it, so the routemap's routes become routes with priorities
// counting down to 1 for the catch-all: the spec's first-match order, whatever the rules' own
// lengths (Traefik's default priority). A rule is a boolean expression of matchers (v3 syntax):
// the hosts, then the route's matches ORed, each an AND of its conditions. Traefik's
// PathPrefix is a plain string prefix and its regular expressions are searches (Go regexp),
// so segment-aware prefixes become Path || PathPrefix with a '/', and every regex is anchored.
#include <algorithm>
#include <cstdio>

#include "compiler/ir/match_regex.h"
#include "targets/traefik/objects.h"

namespace meshc::traefik {

namespace {

// A string literal of the rule language (Go syntax): raw in backticks, or double-quoted with
// escapes when the value holds a backtick.
std::string literal(const std::string& s) {
  if (s.find('`') == std::string::npos) return "`" + s + "`";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string call(const char* fn, const std::string& a) {
  return std::string(fn) + "(" + literal(a) + ")";
}

std::string call(const char* fn, const std::string& a, const std::string& b) {
  return std::string(fn) + "(" + literal(a) + ", " + literal(b) + ")";
}

std::string join(const std::vector<std::string>& terms, const char* op) {
  std::string out;
  for (const std::string& t : terms) out += (out.empty() ? "" : std::string(" ") + op + " ") + t;
  return out;
}

// `terms` joined by `op`, in parentheses when there are several (for use inside another
// expression).
std::string group(const std::vector<std::string>& terms, const char* op) {
  if (terms.size() == 1) return terms.front();
  return "(" + join(terms, op) + ")";
}

// A host: exact (Traefik compares case-insensitively, without the port), or "*.suffix", which
// means one or more labels before the suffix (Gateway API and Istio hostnames).
std::string host_matcher(const std::string& h) {
  if (h.rfind("*.", 0) == 0) return call("HostRegexp", "(?i)^.+" + regex_escape(h.substr(1)) + "$");
  return call("Host", h);
}

std::string path_matcher(const ValueMatch& p) {
  switch (p.type) {
    case MatchType::kExact:
      return call("Path", p.value);
    case MatchType::kPrefix:
      return call("PathPrefix", p.value);
    case MatchType::kRegex:
      return call("PathRegexp", anchored_regex(p.value));
    case MatchType::kPathPrefix: {
      std::string base = path_prefix_base(p.value);
      if (base.empty()) return call("PathPrefix", "/");
      return "(" + call("Path", base) + " || " + call("PathPrefix", base + "/") + ")";
    }
  }
  return "";
}

// Header values: Traefik's Header holds when one of the header's values equals the string (an
// empty one too); the other types are anchored regular expressions.
std::string header_matcher(const ValueMatch& h) {
  if (h.type == MatchType::kExact) return call("Header", h.name, h.value);
  return call("HeaderRegexp", h.name, condition_regex(h));
}

std::string query_matcher(const ValueMatch& q) {
  if (q.type == MatchType::kExact) return call("Query", q.name, q.value);
  return call("QueryRegexp", q.name, condition_regex(q));
}

// The conditions of one match, ANDed; a match without conditions holds for every path.
std::vector<std::string> match_terms(const RequestMatch& m) {
  std::vector<std::string> terms;
  if (m.path) terms.push_back(path_matcher(*m.path));
  for (const ValueMatch& h : m.headers) terms.push_back(header_matcher(h));
  if (!m.cookies.empty()) {
    terms.push_back(call("HeaderRegexp", "Cookie", cookie_header_regex(m.cookies)));
  }
  for (const ValueMatch& q : m.query_params) terms.push_back(query_matcher(q));
  if (!m.method.empty()) terms.push_back(call("Method", m.method));
  if (terms.empty()) terms.push_back(call("PathPrefix", "/"));
  return terms;
}

// The root Service's in-cluster names, then application.hosts not among them.
std::vector<std::string> answered_hosts(const Routemap& rm) {
  std::vector<std::string> hosts = in_cluster_hosts(rm);
  for (const std::string& h : rm.hosts) {
    if (std::find(hosts.begin(), hosts.end(), h) == hosts.end()) hosts.push_back(h);
  }
  return hosts;
}

}  // namespace

std::string route_rule(const Routemap& rm, const Route& r) {
  std::vector<std::string> hosts;
  for (const std::string& h : answered_hosts(rm)) hosts.push_back(host_matcher(h));
  std::vector<std::string> terms = {group(hosts, "||")};
  if (!r.matches.empty()) {
    std::vector<std::string> alternatives;
    for (const RequestMatch& m : r.matches) alternatives.push_back(group(match_terms(m), "&&"));
    terms.push_back(group(alternatives, "||"));
  }
  return join(terms, "&&");
}

Object ingress_route(const Routemap& rm) {
  Object o = k8s_object(kApiVersion, "IngressRoute", rm.name, rm.namespace_, rm);
  Object routes = Object::array();
  int priority = static_cast<int>(rm.routes.size());
  for (const Route& r : rm.routes) {
    Object service;
    if (!active_mirrors(r).empty()) {
      service = Object{{"name", mirroring_name(rm, r)}, {"kind", "TraefikService"}};
    } else if (r.destinations.size() > 1) {
      service = Object{{"name", weighted_name(rm, r)}, {"kind", "TraefikService"}};
    } else {
      const Version& v = rm.versions[r.destinations.front().version];
      service = Object{{"name", v.name}, {"kind", "Service"}, {"port", v.port}};
    }
    routes.push_back(Object{{"kind", "Rule"},
                            {"match", route_rule(rm, r)},
                            {"priority", priority--},
                            {"services", Object::array({service})}});
  }
  o["spec"] = Object{{"routes", routes}};
  return o;
}

}  // namespace meshc::traefik
