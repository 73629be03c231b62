#include "compiler/analysis/traffic.h"

#include <algorithm>

namespace meshc {

namespace {

std::string describe_value(const char* what, const ValueMatch& v) {
  std::string name = v.name.empty() ? "" : " " + v.name;
  switch (v.type) {
    case MatchType::kExact:
      return v.name.empty() ? std::string(what) + " " + v.value
                            : std::string(what) + name + "=" + v.value;
    case MatchType::kPrefix:
      return std::string(what) + name + " starting with " + v.value;
    case MatchType::kPathPrefix:
      return std::string(what) + " under " + v.value;
    case MatchType::kRegex:
      return std::string(what) + name + " matching /" + v.value + "/";
  }
  return what;
}

std::vector<std::string> conditions(const RequestMatch& m) {
  std::vector<std::string> out;
  if (m.grpc) {
    std::string s = "gRPC";
    const char* how = m.grpc->regex ? " matching " : " ";
    if (!m.grpc->service.empty()) s += " service" + std::string(how) + m.grpc->service;
    if (!m.grpc->method.empty()) s += " method" + std::string(how) + m.grpc->method;
    if (m.grpc->service.empty() && m.grpc->method.empty()) s += " any call";
    out.push_back(s);
  }
  if (m.path) out.push_back(describe_value("path", *m.path));
  if (!m.method.empty()) out.push_back("method " + m.method);
  for (const ValueMatch& h : m.headers) out.push_back(describe_value("header", h));
  for (const ValueMatch& q : m.query_params) out.push_back(describe_value("query", q));
  for (const ValueMatch& c : m.cookies) out.push_back(describe_value("cookie", c));
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

}  // namespace

std::string describe_match(const RequestMatch& m) {
  std::vector<std::string> c = conditions(m);
  return c.empty() ? "any request" : join(c, " and ");
}

void name_segment(const std::vector<RequestMatch>& matches, bool catch_all, bool alone,
                  TrafficSegment* s) {
  if (catch_all) {
    s->key = "*";
    s->description = alone ? "all requests" : "all other requests";
    return;
  }
  std::vector<std::string> words, keys;
  for (const RequestMatch& m : matches) {
    words.push_back(describe_match(m));
    std::vector<std::string> c = conditions(m);
    std::sort(c.begin(), c.end());
    keys.push_back(join(c, " & "));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  s->key = join(keys, " | ");
  s->description = "requests with " + join(words, ", or ");
}

ReleaseTraffic traffic_of(const Routemap& rm) {
  ReleaseTraffic out;
  out.id = rm.namespace_ + "/" + rm.name;
  for (const Route& r : rm.routes) {
    TrafficSegment s;
    name_segment(r.matches, !r.segment_of, rm.routes.size() <= 1, &s);
    // Versions in version order, a version named twice counted once.
    std::vector<int> pct(rm.versions.size(), 0);
    std::vector<bool> named(rm.versions.size(), false);
    for (const Destination& d : r.destinations) {
      pct[d.version] += d.weight;
      named[d.version] = true;
    }
    for (size_t v = 0; v < rm.versions.size(); ++v) {
      if (named[v]) s.shares.emplace_back(rm.versions[v].name, static_cast<double>(pct[v]));
    }
    for (const Mirror& m : r.mirrors)
      s.mirrors.emplace_back(rm.versions[m.version].name, m.percent);
    out.segments.push_back(std::move(s));
  }
  return out;
}

}  // namespace meshc
