#include "compiler/ir/match_rank.h"

#include <algorithm>

namespace meshc {

namespace {

std::string n(size_t x) {
  return std::to_string(x);
}

// Which orders of one criterion a request satisfying both matches can give: the later match
// above (gt), level (eq) or below (lt) the earlier one.
struct Outcomes {
  bool gt = false, eq = false, lt = false;
  std::string why;  // when gt: in words
};

Outcomes compare(size_t later, size_t earlier, std::string why) {
  return Outcomes{later > earlier, later == earlier, later < earlier, std::move(why)};
}

Outcomes any(std::string why) {
  return Outcomes{true, true, true, std::move(why)};
}

bool regex_path(const RequestMatch& m) {
  return m.path && (m.path->type == MatchType::kRegex || m.path->type == MatchType::kPrefix);
}

bool exact_path(const RequestMatch& m) {
  return m.path && m.path->type == MatchType::kExact;
}

// kPathLength: a fixed length, or none for a RegularExpression (the request path's length).
std::optional<size_t> path_length(const RequestMatch& m) {
  if (!m.path) return 1;
  if (regex_path(m)) return std::nullopt;
  if (m.path->value == "/") return 1;
  if (m.path->type == MatchType::kExact) return m.path->value.size();
  return path_prefix_base(m.path->value).size();
}

size_t headers(const RequestMatch& m) {
  return m.headers.size() + (m.cookies.empty() ? 0 : 1);
}

Outcomes prefix_length(const RequestMatch& l, const RequestMatch& e) {
  if (regex_path(l) || regex_path(e)) {
    return any("the precedence of a RegularExpression path is implementation-specific");
  }
  if (exact_path(l) || exact_path(e)) return Outcomes{false, true, false, ""};
  // "The largest number of characters": of the value as written, or of the prefix without the
  // trailing '/' that PathPrefix ignores ("/a/" is "/a"), as implementations that normalise it
  // count. Both readings are kept: an order either of them reverses is not kept.
  auto written = [](const RequestMatch& m) { return m.path ? m.path->value.size() : 1; };
  auto base = [](const RequestMatch& m) {
    return m.path ? std::max<size_t>(path_prefix_base(m.path->value).size(), 1) : 1;
  };
  size_t lp = written(l), ep = written(e), lb = base(l), eb = base(e);
  Outcomes o = compare(
      lp, ep,
      "a longer path prefix outranks a shorter one (" + n(lp) + " vs " + n(ep) + " characters)");
  Outcomes b = compare(lb, eb,
                       "a longer path prefix outranks a shorter one (" + n(lb) + " vs " + n(eb) +
                           " characters without the trailing '/')");
  if (b.gt && !o.gt) o.why = b.why;
  o.gt = o.gt || b.gt;
  o.eq = o.eq || b.eq;
  o.lt = o.lt || b.lt;
  return o;
}

Outcomes path_length(const RequestMatch& l, const RequestMatch& e) {
  std::optional<size_t> ll = path_length(l), el = path_length(e);
  if (ll && el) {
    return compare(*ll, *el,
                   "a longer path match outranks a shorter one, whatever its type (" + n(*ll) +
                       " vs " + n(*el) + " characters)");
  }
  if (!ll && !el) return Outcomes{false, true, false, ""};
  // A RegularExpression counts the request path, which also satisfies the other, fixed
  // condition: as long as an Exact value, at least as long as a prefix.
  const RequestMatch& fixed = ll ? l : e;
  bool longer_possible = !exact_path(fixed);
  Outcomes o;
  o.eq = true;
  if (ll) o.lt = longer_possible;
  if (!ll) o.gt = longer_possible;
  o.why =
      "a RegularExpression path ranks by the request path's length, which can exceed "
      "the other path match's";
  return o;
}

Outcomes grpc_name_length(bool service, const RequestMatch& l, const RequestMatch& e) {
  if ((l.grpc && l.grpc->regex) || (e.grpc && e.grpc->regex)) {
    return any("the precedence of a RegularExpression gRPC match is implementation-specific");
  }
  auto len = [&](const RequestMatch& m) {
    return !m.grpc ? 0 : service ? m.grpc->service.size() : m.grpc->method.size();
  };
  return compare(len(l), len(e),
                 std::string("a longer ") + (service ? "service" : "method") +
                     " match outranks a shorter one (" + n(len(l)) + " vs " + n(len(e)) +
                     " characters)");
}

Outcomes criterion(RankCriterion c, const RequestMatch& l, const RequestMatch& e) {
  switch (c) {
    case RankCriterion::kExactPath:
      if (regex_path(l) || regex_path(e)) {
        return any("the precedence of a RegularExpression path is implementation-specific");
      }
      return compare(exact_path(l), exact_path(e), "an Exact path match outranks a path prefix");
    case RankCriterion::kPrefixLength:
      return prefix_length(l, e);
    case RankCriterion::kPathLength:
      return path_length(l, e);
    case RankCriterion::kMethod:
      return compare(!l.method.empty(), !e.method.empty(), "a method match outranks none");
    case RankCriterion::kHeaders:
      return compare(headers(l), headers(e),
                     "more header matches outrank fewer (" + n(headers(l)) + " vs " +
                         n(headers(e)) + ", cookies counting as one)");
    case RankCriterion::kQueryParams:
      return compare(l.query_params.size(), e.query_params.size(),
                     "more query parameter matches outrank fewer (" + n(l.query_params.size()) +
                         " vs " + n(e.query_params.size()) + ")");
    case RankCriterion::kGrpcService:
      return grpc_name_length(true, l, e);
    case RankCriterion::kGrpcMethod:
      return grpc_name_length(false, l, e);
  }
  return Outcomes{false, true, false, ""};
}

}  // namespace

bool may_outrank(const RequestMatch& later, const RequestMatch& earlier,
                 const std::vector<RankCriterion>& order, std::string* why) {
  for (RankCriterion c : order) {
    Outcomes o = criterion(c, later, earlier);
    if (o.gt) {
      *why = o.why;
      return true;
    }
    if (!o.eq) return false;  // the earlier match ranks above for every such request
  }
  return false;  // level on every criterion: list order decides
}

}  // namespace meshc
