// Gateway API does not try rules in list order: among the rules whose matches fit a request,
// the most specific match wins (HTTPRoute spec, "matches" precedence):
//   1. an Exact path match, 2. the PathPrefix with the most characters, 3. a method match,
//   4. the most header matches, 5. the most query parameter matches;
// only ties fall back to list order. The spec's canary candidates, however, are tried in list
// order. So a later candidate whose match is more specific than an earlier candidate's
// overlapping match would take requests the spec gives to the earlier one: that is an error.
// RegularExpression paths have implementation-specific precedence, even against the
// primary's catch-all rule (PathPrefix "/"), so no candidate may use one.
#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_regex.h"
#include "targets/gateway_api/objects.h"

namespace meshc::gateway_api {

namespace {

struct Rank {
  bool regex_path = false;
  bool exact_path = false;
  size_t prefix_chars = 1;  // no path condition is PathPrefix "/"
  bool method = false;
  size_t headers = 0;
  size_t query_params = 0;
};

// The rank of `m` as the emitted HTTPRouteMatch has it (cookies are one header match;
// Istio-form plain prefixes are RegularExpression paths).
Rank rank_of(const RequestMatch& m) {
  Rank r;
  if (m.path) {
    switch (m.path->type) {
      case MatchType::kExact:
        r.exact_path = true;
        break;
      case MatchType::kPathPrefix:
        r.prefix_chars = m.path->value.size();
        break;
      case MatchType::kPrefix:
      case MatchType::kRegex:
        r.regex_path = true;
        break;
    }
  }
  r.method = !m.method.empty();
  r.headers = m.headers.size() + (m.cookies.empty() ? 0 : 1);
  r.query_params = m.query_params.size();
  return r;
}

// Whether `later` outranks `earlier` (so list order is lost); `why` says by which criterion.
bool outranks(const Rank& later, const Rank& earlier, std::string* why) {
  auto n = [](size_t x) { return std::to_string(x); };
  if (later.exact_path != earlier.exact_path) {
    *why = "an Exact path match outranks a path prefix";
    return later.exact_path;
  }
  if (!later.exact_path && later.prefix_chars != earlier.prefix_chars) {
    *why = "a longer path prefix outranks a shorter one (" + n(later.prefix_chars) + " vs " +
           n(earlier.prefix_chars) + " characters)";
    return later.prefix_chars > earlier.prefix_chars;
  }
  if (later.method != earlier.method) {
    *why = "a method match outranks none";
    return later.method;
  }
  if (later.headers != earlier.headers) {
    *why = "more header matches outrank fewer (" + n(later.headers) + " vs " + n(earlier.headers) +
           ", cookies counting as one)";
    return later.headers > earlier.headers;
  }
  if (later.query_params != earlier.query_params) {
    *why = "more query parameter matches outrank fewer (" + n(later.query_params) + " vs " +
           n(earlier.query_params) + ")";
    return later.query_params > earlier.query_params;
  }
  return false;
}

}  // namespace

void check_precedence(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  bool regex_paths = false;
  for (const Route& r : rm.routes) {
    if (!r.segment_of) continue;
    for (const RequestMatch& m : r.matches) {
      if (!m.path || !rank_of(m).regex_path) continue;
      regex_paths = true;
      sink.error(m.path->loc, m.path->field_path,
                 target + " cannot express a " +
                     (m.path->type == MatchType::kPrefix
                          ? std::string("plain string path prefix (Iter8's uri prefix, a "
                                        "RegularExpression path here)")
                          : std::string("RegularExpression path")) +
                     " for a candidate: Gateway API leaves the precedence of such paths, even "
                     "against the primary's catch-all rule, to the implementation, which may "
                     "send these requests to the primary; use an Exact or PathPrefix path, or "
                     "the istio target");
    }
  }
  if (regex_paths) return;
  std::string why;
  for_each_segment_overlap(
      rm,
      [&](const SegmentOverlap& p) { return outranks(rank_of(p.later), rank_of(p.earlier), &why); },
      [&](const SegmentOverlap& p) {
        const std::string& owner = rm.versions[*p.earlier_route.segment_of].name;
        sink.error(p.later.loc, p.later.field_path,
                   target +
                       " cannot keep the candidates' list order: a request matching both "
                       "this match of " +
                       quote(rm.versions[*p.later_route.segment_of].name) +
                       " and the earlier match of " + quote(owner) + " must go to " + quote(owner) +
                       ", but " + why +
                       "; make the matches exclusive or list the more specific candidate first")
            .note(p.earlier.loc, "the earlier match of " + quote(owner) + " is here");
      });
}

}  // namespace meshc::gateway_api
