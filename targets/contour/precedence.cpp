// Contour does not keep the order of an HTTPProxy's routes: it sorts every virtual host's
// routes by specificity before handing them to Envoy, which takes the first that matches
// (Contour's internal/sorter, "Match Condition Precedence" in its request-routing docs):
//   1. the path: exact before regex before prefix; longer regexes and prefixes first, equal
//      lengths in reverse byte order;
//   2. a method condition (the ":method" header) first;
//   3. more header conditions first, then more query parameter conditions;
//   4. then the conditions one by one (sorted by name, then exact, regex, ... by value):
//      a route whose condition sorts first goes first.
// Routes it cannot tell apart are in no defined order (Contour collects them in a map). The
// spec's candidates are tried in list order, so every pair of routes of different candidates
// that one request may match must sort in list order, and every candidate route must sort
// before the catch-all route; otherwise the spec's order cannot be kept and it is an error.
#include <algorithm>
#include <set>

#include "compiler/ir/match_overlap.h"
#include "targets/contour/objects.h"

namespace meshc::contour {

namespace {

using Kind = Condition::Kind;

// Contour's order of condition types: for headers exact, regex, (contains), present; for query
// parameters exact, regex, prefix, (suffix, contains), present.
int type_rank(Kind k) {
  switch (k) {
    case Kind::kExact:
      return 0;
    case Kind::kRegex:
      return 1;
    case Kind::kPrefix:
      return 2;
    case Kind::kPresent:
      return 5;
  }
  return 6;
}

// Contour's condition sorter: by name, then type, then value (non-inverted, case-sensitive
// first: meshc writes neither inverted nor case-insensitive conditions).
bool condition_less(const Condition& a, const Condition& b) {
  if (a.name != b.name) return a.name < b.name;
  if (a.kind != b.kind) return type_rank(a.kind) < type_rank(b.kind);
  if (a.kind == Kind::kPresent) return false;
  return a.value < b.value;
}

std::vector<Condition> sorted_headers(const ProxyRoute& r, bool* method) {
  std::vector<Condition> out;
  *method = false;
  for (const Condition& c : r.headers) {
    if (c.name == ":method") {
      *method = true;
    } else {
      out.push_back(c);
    }
  }
  std::stable_sort(out.begin(), out.end(), condition_less);
  return out;
}

// Contour's comparison of two routes whose paths tie: true when `a` sorts before `b`.
bool conditions_before(const ProxyRoute& a, const ProxyRoute& b, std::string* why) {
  bool am = false, bm = false;
  std::vector<Condition> ah = sorted_headers(a, &am), bh = sorted_headers(b, &bm);
  if (am != bm) {
    *why = "a method condition ranks first";
    return am;
  }
  if (ah.size() != bh.size()) {
    *why = "more header conditions rank first (" + std::to_string(ah.size()) + " vs " +
           std::to_string(bh.size()) + ", cookies counting as one)";
    return ah.size() > bh.size();
  }
  if (a.query.size() != b.query.size()) {
    *why = "more query parameter conditions rank first (" + std::to_string(a.query.size()) +
           " vs " + std::to_string(b.query.size()) + ")";
    return a.query.size() > b.query.size();
  }
  *why =
      "equally specific routes are ordered by their conditions' names and values, not by list "
      "order";
  for (size_t i = 0; i < ah.size(); ++i) {
    if (condition_less(ah[i], bh[i])) return true;
  }
  std::vector<Condition> aq = a.query, bq = b.query;
  std::stable_sort(aq.begin(), aq.end(), condition_less);
  std::stable_sort(bq.begin(), bq.end(), condition_less);
  for (size_t i = 0; i < aq.size(); ++i) {
    if (condition_less(aq[i], bq[i])) return true;
  }
  return false;
}

// Contour's route sorter: true when `a` sorts before `b`; `why` names the deciding rule.
bool sorts_before(const ProxyRoute& a, const ProxyRoute& b, std::string* why) {
  using P = ProxyRoute::PathKind;
  auto rank = [](P k) { return k == P::kExact ? 2 : k == P::kRegex ? 1 : 0; };
  if (a.path_kind != b.path_kind) {
    *why = "an exact path ranks above a regular expression, and that above a prefix";
    return rank(a.path_kind) > rank(b.path_kind);
  }
  if (a.path_kind != P::kExact && a.path.size() != b.path.size()) {
    *why = std::string("a longer path ") + (a.path_kind == P::kRegex ? "expression" : "prefix") +
           " ranks first (" + std::to_string(a.path.size()) + " vs " +
           std::to_string(b.path.size()) + " characters)";
    return a.path.size() > b.path.size();
  }
  if (a.path != b.path) {
    *why = "paths of equal length are ordered by their bytes, not by list order";
    return a.path > b.path;
  }
  return conditions_before(a, b, why);
}

// Whether `a` certainly sorts before `b`; otherwise `why` says what decides against it.
bool strictly_before(const ProxyRoute& a, const ProxyRoute& b, std::string* why) {
  std::string why_ab, why_ba;
  bool ab = sorts_before(a, b, &why_ab);
  bool ba = sorts_before(b, a, &why_ba);
  if (ab && !ba) return true;
  *why =
      ba ? why_ba : "the two routes are equally specific, and Contour keeps no order between them";
  return false;
}

}  // namespace

void check_precedence(const Routemap& rm, const std::vector<ProxyRoute>& routes,
                      const std::string& target, DiagnosticSink& sink) {
  const ProxyRoute* catch_all = nullptr;
  for (const ProxyRoute& r : routes) {
    if (!r.source) catch_all = &r;
  }
  std::set<const RequestMatch*> reported;
  for (size_t j = 0; j < routes.size(); ++j) {
    const ProxyRoute& later = routes[j];
    if (!later.source || reported.count(later.source)) continue;
    auto owner_of = [&](const Route& r) {
      return r.segment_of ? rm.versions[*r.segment_of].name : r.name;
    };
    const std::string name = owner_of(*later.route);
    std::string why;
    if (catch_all && !strictly_before(later, *catch_all, &why)) {
      sink.error(later.source->loc, later.source->field_path,
                 target + " cannot tell this match of " + quote(name) +
                     " from the catch-all route (the path prefix / without conditions): " + why +
                     "; give the match a condition")
          .with_rule("reordered-by-precedence");
      reported.insert(later.source);
      continue;
    }
    for (size_t i = 0; i < j; ++i) {
      const ProxyRoute& earlier = routes[i];
      if (!earlier.source || earlier.route == later.route) continue;
      if (!may_overlap(earlier.view, later.view)) continue;
      if (strictly_before(earlier, later, &why)) continue;
      const std::string owner = owner_of(*earlier.route);
      sink.error(later.source->loc, later.source->field_path,
                 target +
                     " cannot keep the candidates' list order: a request matching both this "
                     "match of " +
                     quote(name) + " and the earlier match of " + quote(owner) + " must go to " +
                     quote(owner) + ", but Contour sorts routes by specificity and " + why +
                     "; make the matches exclusive or list the more specific candidate first")
          .note(earlier.source->loc, "the earlier match of " + quote(owner) + " is here")
          .with_rule("reordered-by-precedence");
      reported.insert(later.source);
      break;
    }
  }
}

}  // namespace meshc::contour
