// Linkerd's proxy does not try rules in list order: among the rules whose matches fit a
// request, the best match wins (linkerd/linkerd2-proxy linkerd/http/route/src/http/match.rs,
// RequestMatch::cmp; gateway-api profiles/README.md caveat 8): the longer path match whatever
// its type (Exact: the value's length; PathPrefix without a trailing '/', "/" and no path
// counting 1; RegularExpression: the request path's length), then more header matches, then
// more query parameter matches, then a method match; a tie goes to the first rule (lib.rs,
// `best`). Each value of a repeated header or query parameter is tested on its own (any may
// match), so "x: 1" and "x: 2" do not make two matches exclusive. A later candidate whose match
// ranks above an earlier candidate's overlapping match would take requests the spec gives to the
// earlier one: that is an error.
#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_rank.h"
#include "targets/linkerd/objects.h"

namespace meshc::linkerd {

void check_precedence(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  using C = RankCriterion;
  static const std::vector<C> kOrder = {C::kPathLength, C::kHeaders, C::kQueryParams, C::kMethod};
  std::string why;
  for_each_segment_overlap(
      rm, [&](const SegmentOverlap& p) { return may_outrank(p.later, p.earlier, kOrder, &why); },
      [&](const SegmentOverlap& p) {
        const std::string& owner = rm.versions[*p.earlier_route.segment_of].name;
        sink.error(p.later.loc, p.later.field_path,
                   target +
                       " cannot keep the candidates' list order: a request matching both "
                       "this match of " +
                       quote(rm.versions[*p.later_route.segment_of].name) +
                       " and the earlier match of " + quote(owner) + " must go to " + quote(owner) +
                       ", but Linkerd ranks matches by path length (whatever the type), "
                       "headers, query parameters, then method, and " +
                       why + overlap_advice(p, RepeatedValues::kEach))
            .note(p.earlier.loc, "the earlier match of " + quote(owner) + " is here")
            .with_rule("reordered-by-precedence");
      },
      RepeatedValues::kEach);
}

}  // namespace meshc::linkerd
