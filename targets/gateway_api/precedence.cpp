// Gateway API does not try rules in list order: among the rules whose matches fit a request,
// the most specific match wins. The spec's canary candidates, however, are tried in list order.
// So a later candidate whose match outranks an earlier candidate's overlapping match would take
// requests the spec gives to the earlier one: that is an error. Three rankings:
//
// - HTTPRoute, as its text has it ("matches" precedence): 1. an Exact path match, 2. the
//   PathPrefix with the most characters, 3. a method match, 4. the most header matches, 5. the
//   most query parameter matches; only ties fall back to list order. RegularExpression paths
//   have implementation-specific precedence, even against the primary's catch-all rule
//   (PathPrefix "/"), so no candidate may use one.
// - GRPCRoute, as its text has it: the most characters of a matching service, then of a
//   matching method, then the most header matches; ties to list order. A RegularExpression
//   method match ranks as the implementation decides, so it may not overlap another candidate.
// - Linkerd's proxy, on HTTPRoutes (profiles/README.md caveat 8; linkerd2-proxy
//   linkerd/http/route/src/http/match.rs and match/path.rs): the length of the path match,
//   whatever its type (Exact: the value's length; PathPrefix: without a trailing '/', "/"
//   counting 1; no path: 1; RegularExpression: the request path's length), then the number of
//   header matches, then of query parameter matches, then a method match; ties to list order.
//   Its GRPCRoute ranking (grpc/match.rs) is GRPCRoute's text. It tests each value of a
//   repeated header or query parameter on its own, so different values do not make two
//   matches exclusive.
#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_rank.h"
#include "targets/gateway_api/objects.h"

namespace meshc::gateway_api {

namespace {

using C = RankCriterion;

// True when the emitted HTTPRouteMatch has a RegularExpression path (Istio-form plain
// prefixes are written as one).
bool regex_path(const RequestMatch& m) {
  return m.path && (m.path->type == MatchType::kRegex || m.path->type == MatchType::kPrefix);
}

// Under Gateway API's own ranking, no candidate may use a RegularExpression path; true when
// one does (each reported).
bool reject_regex_paths(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  bool regex_paths = false;
  for (const Route& r : rm.routes) {
    if (!r.segment_of) continue;
    for (const RequestMatch& m : r.matches) {
      if (!regex_path(m)) continue;
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
                     "the istio target" +
                     (m.path->type == MatchType::kPrefix && m.path->value.size() > 1 &&
                              m.path->value.back() == '/'
                          ? " (a prefix ending in '/' is written exactly when no other "
                            "candidate's match can match the path without the '/', " +
                                quote(m.path->value.substr(0, m.path->value.size() - 1)) +
                                ", and routes are ranked as Gateway API's text ranks them)"
                          : std::string()))
          .with_rule("reordered-by-precedence");
    }
  }
  return regex_paths;
}

}  // namespace

void check_precedence(const Routemap& rm, const std::string& target, Ranking ranking,
                      DiagnosticSink& sink) {
  bool grpc = rm.protocol == Protocol::kGrpc;
  if (!grpc && ranking == Ranking::kGatewayApi && reject_regex_paths(rm, target, sink)) return;
  // GRPCRoute's text and Linkerd's proxy rank gRPC matches alike (grpc/match.rs).
  static const std::vector<C> kHttpRoute = {C::kExactPath, C::kPrefixLength, C::kMethod,
                                            C::kHeaders, C::kQueryParams};
  static const std::vector<C> kLinkerd = {C::kPathLength, C::kHeaders, C::kQueryParams, C::kMethod};
  static const std::vector<C> kGrpcRoute = {C::kGrpcService, C::kGrpcMethod, C::kHeaders};
  const std::vector<C>& order = grpc                           ? kGrpcRoute
                                : ranking == Ranking::kLinkerd ? kLinkerd
                                                               : kHttpRoute;
  const RepeatedValues repeated =
      ranking == Ranking::kLinkerd ? RepeatedValues::kEach : RepeatedValues::kOne;
  std::string why;
  auto outranks = [&](const RequestMatch& l, const RequestMatch& e) {
    if (!may_outrank(l, e, order, &why)) return false;
    if (ranking == Ranking::kLinkerd) {
      why = std::string("Linkerd ranks ") +
            (grpc ? "gRPC matches by service, method, then headers"
                  : "matches by path length (whatever the type), headers, query parameters, "
                    "then method") +
            " (profiles/README.md caveat 8), and " + why;
    }
    return true;
  };
  for_each_segment_overlap(
      rm, [&](const SegmentOverlap& p) { return outranks(p.later, p.earlier); },
      [&](const SegmentOverlap& p) {
        const std::string& owner = rm.versions[*p.earlier_route.segment_of].name;
        if (p.later_route.sticky_version) {
          // A sticky route ahead of a weighted route: the match plus the cookie can outrank a
          // candidate listed before it.
          const std::string& pinned = rm.versions[*p.later_route.sticky_version].name;
          sink.error(p.later.loc, p.later.field_path,
                     target +
                         " cannot keep sticky sessions behind the candidates' list order: a "
                         "request carrying the cookie " +
                         quote(rm.sticky_cookie + "=" + pinned) + " (to " + quote(pinned) +
                         ") and matching the earlier match of " + quote(owner) + " must go to " +
                         quote(owner) + ", but " + why +
                         "; make the matches exclusive, or use the istio target")
              .note(p.earlier.loc, "the earlier match of " + quote(owner) + " is here");
          return;
        }
        sink.error(p.later.loc, p.later.field_path,
                   target +
                       " cannot keep the candidates' list order: a request matching both "
                       "this match of " +
                       quote(rm.versions[*p.later_route.segment_of].name) +
                       " and the earlier match of " + quote(owner) + " must go to " + quote(owner) +
                       ", but " + why + overlap_advice(p, repeated))
            .note(p.earlier.loc, "the earlier match of " + quote(owner) + " is here")
            .with_rule("reordered-by-precedence");
      },
      repeated);
}

}  // namespace meshc::gateway_api
