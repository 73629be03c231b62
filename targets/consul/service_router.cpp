// ServiceRouter <app>: Consul tries the routes in order and the first that matches takes the
// request, the routemap's own order; requests no route matches go on to <app>'s splitter (the
// catch-all route). A Consul route has one set of ANDed conditions, so each match of a
// segment becomes a route of its own (ORed by order), and a segment-aware path prefix two:
// an exact path and a prefix ending in '/' (Consul's pathPrefix is a plain string prefix,
// which would also take "/apix" for "/api"). Conditions Consul cannot state directly are
// regular expressions that mean the same (Envoy matches them against the whole value).
#include <cctype>

#include "compiler/ir/match_regex.h"
#include "targets/consul/objects.h"

namespace meshc::consul {

namespace {

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

// A header condition: exact (Consul treats an empty exact value as unset), prefix (an empty
// prefix holds for every value: the header is present), or regex.
Object header_condition(const std::string& name, const ValueMatch& m) {
  Object o = Object{{"name", name}};
  switch (m.type) {
    case MatchType::kExact:
      if (m.value.empty()) {
        o["regex"] = "^$";
      } else {
        o["exact"] = m.value;
      }
      break;
    case MatchType::kPrefix:
      if (m.value.empty()) {
        o["present"] = true;
      } else {
        o["prefix"] = m.value;
      }
      break;
    case MatchType::kPathPrefix:  // not a header type
    case MatchType::kRegex:
      o["regex"] = condition_regex(m);
      break;
  }
  return o;
}

// A query parameter condition: exact or regex (Consul has no prefix match for them).
Object query_condition(const ValueMatch& m) {
  Object o = Object{{"name", m.name}};
  if (m.type == MatchType::kExact && !m.value.empty()) {
    o["exact"] = m.value;
  } else {
    o["regex"] = condition_regex(m);
  }
  return o;
}

// The path conditions one path condition becomes (alternatives: any may hold), as
// {field, value} pairs of match.http.
std::vector<std::pair<const char*, std::string>> path_conditions(const ValueMatch& p) {
  switch (p.type) {
    case MatchType::kExact:
      return {{"pathExact", p.value}};
    case MatchType::kPrefix:
      return {{"pathPrefix", p.value}};
    case MatchType::kRegex:
      return {{"pathRegex", p.value}};
    case MatchType::kPathPrefix: {
      std::string base = path_prefix_base(p.value);
      if (base.empty()) return {{"pathPrefix", "/"}};
      return {{"pathExact", base}, {"pathPrefix", base + "/"}};
    }
  }
  return {};
}

Object destination(const Routemap& rm, const Route& r) {
  if (is_weighted_segment(r)) return Object{{"service", segment_service(rm, r)}};
  const Version& v = rm.versions[r.destinations.front().version];
  Object out{{"service", rm.name}, {"serviceSubset", v.name}};
  if (rm.app_version_header.value != "false") out["responseHeaders"] = response_headers(v);
  return out;
}

// The Consul routes of one routemap match, appended to `out`.
void add_routes(const Routemap& rm, const Route& r, const RequestMatch& m, Object& out) {
  Object http = Object::object();
  Object headers = Object::array();
  for (const ValueMatch& h : m.headers) headers.push_back(header_condition(to_lower(h.name), h));
  if (!m.cookies.empty()) {
    headers.push_back(
        Object{{"name", cookie_header_name()}, {"regex", cookie_header_regex(m.cookies)}});
  }
  if (!headers.empty()) http["header"] = std::move(headers);
  Object query = Object::array();
  for (const ValueMatch& q : m.query_params) query.push_back(query_condition(q));
  if (!query.empty()) http["queryParam"] = std::move(query);
  if (!m.method.empty()) http["methods"] = Object::array({m.method});
  std::vector<std::pair<const char*, std::string>> paths;
  if (m.path) paths = path_conditions(*m.path);
  if (paths.empty() && http.empty()) paths.push_back({"pathPrefix", "/"});  // matches everything
  if (paths.empty()) paths.push_back({nullptr, ""});
  for (const auto& [field, value] : paths) {
    Object one = Object::object();
    if (field) one[field] = value;
    for (auto it = http.begin(); it != http.end(); ++it) one[it.key()] = *it;
    out.push_back(
        Object{{"match", Object{{"http", std::move(one)}}}, {"destination", destination(rm, r)}});
  }
}

}  // namespace

void check_regex_sizes(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  auto check = [&](const std::string& re, const Location& at, const std::string& path) {
    int size = regex_program_size(re);
    if (size <= kEnvoyDefaultMaxProgramSize) return;
    sink.warning(at, path,
                 target + " route carries the regular expression " + quote(re) +
                     " of RE2 program size " + std::to_string(size) +
                     "; Envoy rejects sizes above " + std::to_string(kEnvoyDefaultMaxProgramSize) +
                     " unless its runtime raises re2.max_program_size.error_level, which "
                     "Consul's Envoy bootstrap does not");
  };
  for (const Route& r : rm.routes) {
    for (const RequestMatch& m : r.matches) {
      if (m.path && m.path->type == MatchType::kRegex)
        check(m.path->value, m.path->loc, m.path->field_path);
      for (const ValueMatch& h : m.headers) {
        if (h.type == MatchType::kRegex || (h.type == MatchType::kExact && h.value.empty())) {
          check(condition_regex(h), h.loc, h.field_path);
        }
      }
      for (const ValueMatch& q : m.query_params) {
        if (q.type != MatchType::kExact || q.value.empty())
          check(condition_regex(q), q.loc, q.field_path);
      }
      if (!m.cookies.empty())
        check(cookie_header_regex(m.cookies), m.cookies.front().loc, m.cookies.front().field_path);
    }
  }
}

Object service_router(const Routemap& rm) {
  Object o = k8s_object(kApiVersion, "ServiceRouter", rm.name, rm.namespace_, rm);
  Object routes = Object::array();
  for (const Route& r : rm.routes) {
    for (const RequestMatch& m : r.matches) add_routes(rm, r, m, routes);
  }
  o["spec"] = Object{{"routes", routes}};
  return o;
}

}  // namespace meshc::consul
