// The routemap read as release-spec.md §3 defines it: routes in order, the first whose match
// (any of its matches; a match: every condition) holds.
#include "compiler/evaluate/spec_route.h"

#include <re2/re2.h>

#include <cmath>

namespace meshc {

namespace {

bool full(const std::string& re, const std::string& v) {
  RE2::Options o;
  o.set_log_errors(false);
  RE2 r(re, o);
  return r.ok() && RE2::FullMatch(v, r);
}

bool value_holds(const ValueMatch& m, const std::string* v) {
  if (!v) return false;
  switch (m.type) {
    case MatchType::kExact:
      return *v == m.value;
    case MatchType::kPrefix:
      return v->compare(0, m.value.size(), m.value) == 0 && v->size() >= m.value.size();
    case MatchType::kPathPrefix: {
      std::string base = path_prefix_base(m.value);
      return base.empty() || *v == base ||
             (v->size() > base.size() && v->compare(0, base.size(), base) == 0 &&
              (*v)[base.size()] == '/');
    }
    case MatchType::kRegex:
      return full(m.value, *v);
  }
  return false;
}

bool any_holds(const ValueMatch& m, std::vector<std::string> values, bool any_value) {
  if (!any_value && values.size() > 1) values.resize(1);
  for (const auto& v : values)
    if (value_holds(m, &v)) return true;
  return false;
}

bool match_holds(const RequestMatch& m, const EvalRequest& req, bool any_value) {
  std::string path = req.path_only();
  if (m.grpc) {
    std::string svc, meth;
    size_t slash = path.find('/', 1);
    if (path.size() > 1 && slash != std::string::npos) {
      svc = path.substr(1, slash - 1);
      meth = path.substr(slash + 1);
    }
    if (!req.is_grpc() || req.method != "POST") return false;
    auto one = [&](const std::string& want, const std::string& got) {
      return want.empty() || (m.grpc->regex ? full(want, got) : want == got);
    };
    if (!one(m.grpc->service, svc) || !one(m.grpc->method, meth)) return false;
  }
  if (m.path && !value_holds(*m.path, &path)) return false;
  if (!m.method.empty() && m.method != req.method) return false;
  for (const auto& h : m.headers)
    if (!any_holds(h, req.header_values_read(h.name, any_value), any_value)) return false;
  for (const auto& q : m.query_params)
    if (!any_holds(q, req.query_values(q.name), any_value)) return false;
  for (const auto& c : m.cookies)
    if (!req.has_cookie(c.name, c.value)) return false;
  return true;
}

// version -> percent of the backends, zero shares left out, duplicates added.
std::map<std::string, double> shares_of(const std::vector<EvalBackend>& bs) {
  std::map<std::string, double> m;
  for (const auto& b : bs)
    if (b.percent > 0) m[b.label()] += b.percent;
  return m;
}

std::string listed(const std::map<std::string, double>& m) {
  std::string s;
  for (const auto& [v, p] : m) s += (s.empty() ? "" : ", ") + v + " " + format_percent(p) + "%";
  return s;
}

std::vector<SpecRoute::Cited> cited_weights(const Routemap& rm, const Route& r) {
  std::vector<SpecRoute::Cited> out;
  for (const auto& d : r.destinations) {
    if (d.loc.valid())
      out.push_back({rm.versions[d.version].name, d.weight, false, d.loc, d.field_path});
  }
  for (const auto& m : r.mirrors) {
    if (m.loc.valid())
      out.push_back({rm.versions[m.version].name, m.percent, true, m.loc, m.field_path});
  }
  return out;
}

}  // namespace

std::string SpecRoute::describe(const Routemap& rm) const {
  if (!route) return "";
  if (route->segment_of) {
    const Version& v = rm.versions[*route->segment_of];
    std::string s = "the canary segment of " + v.name;
    if (match >= 0 && route->matches[static_cast<size_t>(match)].is_default)
      s += " (Iter8's default match, header traffic: test)";
    return s;
  }
  return std::string("the ") + strategy_name(rm.strategy) +
         " strategy's route for every other request";
}

SpecRoute spec_route(const Routemap& rm, const EvalRequest& request, bool any_value) {
  SpecRoute out;
  for (size_t i = 0; i < rm.routes.size(); ++i) {
    const Route& r = rm.routes[i];
    int hit = r.matches.empty() ? -1 : -2;
    for (size_t m = 0; m < r.matches.size() && hit == -2; ++m)
      if (match_holds(r.matches[m], request, any_value)) hit = static_cast<int>(m);
    if (hit == -2) continue;
    out.route = &r;
    out.index = i;
    out.match = hit;
    if (hit >= 0) {
      out.loc = r.matches[static_cast<size_t>(hit)].loc;
      out.field_path = r.matches[static_cast<size_t>(hit)].field_path;
    } else {
      out.loc = r.loc;
      out.field_path = r.field_path;
    }
    uint64_t sum = 0;
    for (const auto& d : r.destinations) sum += d.share;
    for (const auto& d : r.destinations) {
      const std::string& name = rm.versions[d.version].name;
      out.versions[name] += d.weight;
      out.exact[name] +=
          sum ? 100.0 * static_cast<double>(d.share) / static_cast<double>(sum) : 0.0;
    }
    for (const auto& m : r.mirrors) out.mirrors[rm.versions[m.version].name] += m.percent;
    out.weights = cited_weights(rm, r);
    break;
  }
  return out;
}

std::string spec_disagreement(const EvalResult& r, const SpecRoute& s) {
  if (!s.route) return "";
  if (r.outcome != EvalResult::Outcome::kRouted)
    return std::string("the spec routes the request (") + s.field_path + ") but the objects say " +
           outcome_name(r.outcome);
  auto got = shares_of(r.backends);
  std::map<std::string, double> want;
  for (const auto& [v, p] : s.versions)
    if (p > 0) want[v] = p;
  bool same = got.size() == want.size() || got.size() == s.exact.size();
  for (const auto& [v, p] : got) {
    auto w = want.find(v);
    auto e = s.exact.find(v);
    bool ok = (w != want.end() && std::abs(w->second - p) < 0.001) ||
              (e != s.exact.end() && std::abs(e->second - p) <= 0.1);
    same = same && ok;
  }
  for (const auto& [v, p] : want) same = same && got.count(v);
  std::map<std::string, double> mirrors;
  for (const auto& m : r.mirrors)
    if (m.percent > 0) mirrors[m.label()] += m.percent;
  std::map<std::string, double> want_m;
  for (const auto& [v, p] : s.mirrors)
    if (p > 0) want_m[v] = p;
  bool same_m = mirrors.size() == want_m.size();
  for (const auto& [v, p] : want_m)
    same_m = same_m && mirrors.count(v) && std::abs(mirrors[v] - p) < 0.001;
  if (same && same_m) return "";
  std::string w;
  for (const auto& [v, p] : want) w += (w.empty() ? "" : ", ") + v + " " + format_percent(p) + "%";
  for (const auto& [v, p] : want_m) w += ", mirror " + v + " " + format_percent(p) + "%";
  return "the spec sends it to " + w + " (" + s.field_path + "), the objects to " + listed(got);
}

}  // namespace meshc
