// Iter8's Istio-form `uri: {prefix: /api/}` is a plain string prefix. Gateway API has none: it
// is emitted as an anchored RegularExpression, whose precedence the API leaves to the
// implementation, so check_precedence refuses it for a candidate. A plain prefix that ends in
// '/' is expressible exactly, though: PathPrefix "/api/" matches, element-wise, what the
// plain prefix matches ("/api/", "/api/x") plus "/api" itself; and a rule with the Exact path
// "/api" — which outranks every PathPrefix in HTTPRoute's precedence — sends "/api" where the
// spec sends it. That is the catch-all's destinations whenever no other candidate match can
// match the path "/api", the only case rewritten here.
#include <re2/re2.h>

#include "targets/gateway_api/objects.h"

namespace meshc::gateway_api {

namespace {

// The path a PathPrefix value stands for element-wise: without its trailing '/', "/" as is.
std::string element_prefix(const std::string& v) {
  return v.size() > 1 && v.back() == '/' ? v.substr(0, v.size() - 1) : v;
}

// Whether a request whose path is `path` can satisfy `m` (its other conditions aside).
bool may_match_path(const RequestMatch& m, const std::string& path) {
  if (m.grpc) return true;
  if (!m.path) return true;
  const ValueMatch& p = *m.path;
  switch (p.type) {
    case MatchType::kExact:
      return p.value == path;
    case MatchType::kPathPrefix: {
      std::string e = element_prefix(p.value);
      return e == "/" || path == e || path.rfind(e + "/", 0) == 0;
    }
    case MatchType::kPrefix:
      return path.rfind(p.value, 0) == 0;
    case MatchType::kRegex:
      return true;  // as the dialect reads it; assume it may
  }
  return true;
}

bool slash_prefix(const RequestMatch& m) {
  return m.path && m.path->type == MatchType::kPrefix && m.path->value.size() > 1 &&
         m.path->value.back() == '/' && m.path->value.front() == '/';
}

}  // namespace

std::optional<Routemap> exact_slash_prefixes(const Routemap& rm) {
  if (rm.protocol == Protocol::kGrpc || rm.routes.empty()) return std::nullopt;
  // Most routemaps have no such prefix: they are not copied to find that out.
  bool any = false;
  for (const Route& r : rm.routes) {
    if (!r.segment_of) continue;
    for (const RequestMatch& m : r.matches) any = any || slash_prefix(m);
  }
  if (!any) return std::nullopt;
  Routemap out = rm;
  std::vector<Route> guards;
  for (size_t ri = 0; ri < out.routes.size(); ++ri) {
    Route& r = out.routes[ri];
    if (!r.segment_of) continue;
    for (size_t mi = 0; mi < r.matches.size(); ++mi) {
      RequestMatch& m = r.matches[mi];
      if (!slash_prefix(m)) continue;
      const std::string bare = element_prefix(m.path->value);
      bool alone = true;
      for (size_t rj = 0; rj < rm.routes.size() && alone; ++rj) {
        if (!rm.routes[rj].segment_of) continue;
        for (size_t mj = 0; mj < rm.routes[rj].matches.size() && alone; ++mj) {
          if (rj == ri && mj == mi) continue;
          alone = !may_match_path(rm.routes[rj].matches[mj], bare);
        }
      }
      if (!alone) continue;
      m.path->type = MatchType::kPathPrefix;
      bool known = false;
      for (const Route& g : guards) known = known || g.matches.front().path->value == bare;
      if (known) continue;
      // "/api" goes where the catch-all sends it.
      Route guard = rm.routes.back();
      guard.name = "default";
      guard.segment_of.reset();
      RequestMatch exact;
      exact.loc = m.loc;
      exact.field_path = m.field_path;
      ValueMatch path = *m.path;
      path.type = MatchType::kExact;
      path.value = bare;
      exact.path = path;
      guard.matches = {exact};
      guard.loc = m.path->loc;
      guard.field_path = m.path->field_path;
      guards.push_back(std::move(guard));
    }
  }
  if (guards.empty()) return std::nullopt;
  // Before the catch-all; rule order does not matter to HTTPRoute's precedence here (an Exact
  // path outranks every other rule that can match it).
  out.routes.insert(out.routes.end() - 1, guards.begin(), guards.end());
  return out;
}

}  // namespace meshc::gateway_api
