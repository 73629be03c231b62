// The routes of each strategy (release-spec.md §3), built from what every version asked for.
// Routes are in first-match order and end with the catch-all "default" route.
#include "compiler/ir/match_overlap.h"
#include "compiler/lower/lowerer.h"

namespace meshc::lowering {

namespace {

const char* const kVersions = "application.versions";

}  // namespace

void Lowerer::build_routes(Routemap& rm) {
  Route fallback;
  fallback.name = "default";
  fallback.loc = rm.strategy_loc;
  fallback.field_path = full("application.strategy");
  check_unmatched_weights(rm);
  switch (rm.strategy) {
    case Strategy::kNone:
      route_none(rm, fallback);
      break;
    case Strategy::kCanary:
      route_canary(rm, fallback);
      break;
    case Strategy::kBlueGreen:
      route_blue_green(rm, fallback);
      break;
    case Strategy::kMirror:
      route_mirror(rm, fallback);
      break;
  }
  rm.routes.push_back(std::move(fallback));
}

// A warning for a weight or matches the strategy does not use.
void Lowerer::warn_unused(size_t i, bool weight, bool matches, const char* why) {
  const VersionRouting& r = routing_[i];
  if (weight && r.weight_node) {
    warning(r.weight_node->loc, append_index(kVersions, i) + ".weight",
            std::string("weight is not used ") + why);
  }
  if (matches && r.matches_node) {
    std::string key = r.matches_key;
    warning(r.matches_node->loc, append_index(kVersions, i) + "." + key,
            key + (key == "matches" ? " are" : " is") + " not used " + why);
  }
}

// unmatchedWeight belongs to a canary candidate with matches: the share of the unmatched
// traffic it takes besides its own segment. Anywhere else it is an error (a candidate without
// matches says the same with weight).
void Lowerer::check_unmatched_weights(const Routemap& rm) {
  for (size_t i = 0; i < routing_.size(); ++i) {
    const VersionRouting& r = routing_[i];
    if (!r.unmatched_weight_node) continue;
    std::string p = append_index(kVersions, i) + ".unmatchedWeight";
    const Location& at = r.unmatched_weight_node->loc;
    if (rm.strategy != Strategy::kCanary) {
      error(at, p,
            std::string("expected unmatchedWeight only in the canary strategy, got strategy ") +
                strategy_name(rm.strategy) +
                " (it is a candidate's share of the requests no candidate's matches took)");
    } else if (i == 0) {
      error(at, p,
            "expected unmatchedWeight on a candidate, got it on the primary (the primary receives "
            "the rest of the requests no candidate's matches took)");
    } else if (!r.matches_node) {
      error(at, p,
            "expected unmatchedWeight only on a candidate with matches (a share of the unmatched "
            "requests besides its own segment), got a candidate without matches; use weight for "
            "its share of the requests no candidate's matches took");
    }
  }
}

// `d` with the location of the field that set its weight: version `i`'s weight, or its
// unmatchedWeight (`unmatched`); unchanged when the version does not write it.
Destination Lowerer::cited(Destination d, size_t i, bool unmatched) const {
  const VersionRouting& r = routing_[i];
  const YNode* node = unmatched ? r.unmatched_weight_node : r.weight_node;
  if (!node) return d;
  d.loc = node->loc;
  d.field_path = full(append_index(kVersions, i) + (unmatched ? ".unmatchedWeight" : ".weight"));
  return d;
}

// none: every request to the primary.
void Lowerer::route_none(Routemap& rm, Route& fallback) {
  for (size_t i = 0; i < rm.versions.size(); ++i)
    warn_unused(i, true, true, "by the none strategy (all traffic goes to the primary)");
  fallback.destinations.push_back({0, 100, 100});
}

// The segment of canary candidate `i`: its matches (or Iter8's default match, header
// traffic: test), to the candidate, or split with the primary by the candidate's weight.
Route Lowerer::candidate_segment(const Routemap& rm, size_t i) {
  VersionRouting& r = routing_[i];
  Route seg;
  seg.name = rm.versions[i].name;
  seg.segment_of = i;
  if (r.matches_node) {
    seg.matches = std::move(r.matches);  // read nowhere else: a candidate has one segment
    seg.loc = r.matches_node->loc;
    seg.field_path = full(append_index(kVersions, i) + "." + r.matches_key);
  } else {
    RequestMatch dm;
    dm.is_default = true;
    dm.loc = rm.versions[i].loc;
    dm.field_path = rm.versions[i].field_path;
    ValueMatch traffic{"traffic", MatchType::kExact, "test", dm.loc, dm.field_path,
                       dm.loc,    dm.field_path,     dm.loc};
    dm.headers.push_back(std::move(traffic));
    seg.loc = dm.loc;
    seg.field_path = dm.field_path;
    seg.matches.push_back(std::move(dm));
  }
  int w = r.weight ? static_cast<int>(*r.weight) : 100;
  if (w < 100) seg.destinations.push_back({0, 100 - w, static_cast<uint64_t>(100 - w)});
  seg.destinations.push_back(cited({i, w, static_cast<uint64_t>(w)}, i, false));
  return seg;
}

// canary: a segment per candidate with matches (or neither matches nor weight), in list
// order; candidates with only a weight share the rest with the primary.
void Lowerer::route_canary(Routemap& rm, Route& fallback) {
  const size_t n = rm.versions.size();
  warn_unused(0, true, true, "for the primary in the canary strategy (it receives the rest)");
  std::vector<uint64_t> split(n, 0);
  uint64_t taken = 0;
  bool unmatched = false;  // an unmatchedWeight counted in `taken`
  for (size_t i = 1; i < n; ++i) {
    VersionRouting& r = routing_[i];
    std::string p = append_index(kVersions, i) + ".weight";
    if (r.weight && *r.weight > 100) {
      error(r.weight_node->loc, p,
            "expected a percentage from 0 to 100 in the canary strategy, got " +
                r.weight_node->value);
      continue;
    }
    if (!r.matches_node && r.weight) {
      // A share of the requests that no candidate's matches took.
      taken += *r.weight;
      split[i] = *r.weight;
      if (taken > 100) {
        error(r.weight_node->loc, p,
              std::string("expected the weights of candidates without matches") +
                  (unmatched ? " and the unmatchedWeights" : "") + " to sum to at most 100, got " +
                  std::to_string(taken));
      }
      continue;
    }
    rm.routes.push_back(candidate_segment(rm, i));
    if (r.unmatched_weight && r.matches_node) {
      // Its segment, and besides a share of the requests that no candidate's matches took.
      unmatched = true;
      taken += *r.unmatched_weight;
      split[i] = *r.unmatched_weight;
      if (taken > 100) {
        error(r.unmatched_weight_node->loc, append_index(kVersions, i) + ".unmatchedWeight",
              "expected the weights of candidates without matches and the unmatchedWeights to "
              "sum to at most 100, got " +
                  std::to_string(taken));
      }
    }
  }
  warn_shadowed_segments(rm);
  split[0] = taken <= 100 ? 100 - taken : 0;
  for (size_t i = 0; i < n; ++i) {
    const VersionRouting& r = routing_[i];
    if (i == 0 || split[i] > 0 || (r.weight && !r.matches_node) ||
        (r.unmatched_weight && r.matches_node)) {
      Destination d{i, static_cast<int>(split[i]), split[i]};
      fallback.destinations.push_back(i == 0 ? d : cited(d, i, r.matches_node != nullptr));
    }
  }
}

// A candidate whose every match is covered by a match of an earlier candidate never receives
// a request: candidates are tried in list order (release-spec.md §3), and every target keeps
// that order, by writing its rules in it or by refusing a later match that would outrank an
// earlier overlapping one. So the statement holds on every target, and is made here, once.
void Lowerer::warn_shadowed_segments(const Routemap& rm) {
  for (size_t j = 0; j < rm.routes.size(); ++j) {
    const Route& later = rm.routes[j];
    if (!later.segment_of || later.matches.empty()) continue;
    // The first earlier match covering each of its matches; stops at one that none covers.
    std::vector<std::pair<const Route*, const RequestMatch*>> by;
    bool all = true;
    for (const RequestMatch& b : later.matches) {
      std::pair<const Route*, const RequestMatch*> cover{nullptr, nullptr};
      for (size_t i = 0; i < j && !cover.second; ++i) {
        if (!rm.routes[i].segment_of) continue;
        for (const RequestMatch& a : rm.routes[i].matches) {
          if (covers(a, b)) {
            cover = {&rm.routes[i], &a};
            break;
          }
        }
      }
      if (!cover.second) {
        all = false;
        break;
      }
      bool seen = false;
      for (const auto& p : by) seen = seen || p.second == cover.second;
      if (!seen) by.push_back(cover);
    }
    if (!all) continue;
    const std::string& name = rm.versions[*later.segment_of].name;
    Diagnostic& d = sink_.warning(
        later.loc, later.field_path,
        quote(name) +
            " never receives traffic: every request its matches select is taken by an earlier "
            "candidate (candidates are tried in list order, on every target); list it before "
            "that candidate, or narrow that candidate's matches");
    d.with_rule("unreachable-candidate");
    for (const auto& p : by) {
      d.note(p.second->loc,
             "taken by this match of " + quote(rm.versions[*p.first->segment_of].name));
    }
  }
}

// blue-green: all traffic split by relative weight (default 50 each).
void Lowerer::route_blue_green(Routemap& rm, Route& fallback) {
  const size_t n = rm.versions.size();
  std::vector<uint64_t> w(n);
  for (size_t i = 0; i < n; ++i) {
    w[i] = routing_[i].weight ? *routing_[i].weight : 50;
    warn_unused(i, false, true, "by the blue-green strategy (it splits all traffic by weight)");
  }
  std::vector<int> pct = normalise_weights(w, 100);
  bool any = false;
  for (int p : pct) any = any || p > 0;
  if (!any) {
    error(rm.strategy_loc, "application.strategy",
          "expected at least one version with a weight above 0 in the blue-green strategy, got "
          "all weights 0");
  }
  for (size_t i = 0; i < n; ++i)
    fallback.destinations.push_back(cited({i, pct[i], w[i]}, i, false));
  if (any) note_default_weights(rm, pct);
}

// A split that mixes written weights with the strategy's default 50 surprises (a candidate
// written with weight 80 alone gets 62%, not 80%): a note at the first weight written says
// which weights defaulted and what the split resolved to.
void Lowerer::note_default_weights(const Routemap& rm, const std::vector<int>& pct) {
  std::vector<size_t> defaulted;
  const VersionRouting* first_written = nullptr;
  size_t first = 0;
  for (size_t i = 0; i < rm.versions.size(); ++i) {
    if (!routing_[i].weight) {
      defaulted.push_back(i);
    } else if (!first_written && routing_[i].weight_node) {
      first_written = &routing_[i];
      first = i;
    }
  }
  if (defaulted.empty() || !first_written) return;
  std::string which;
  for (size_t k = 0; k < defaulted.size(); ++k) {
    if (k > 0) which += k + 1 == defaulted.size() ? " and " : ", ";
    which += full(append_index(kVersions, defaulted[k]) + ".weight");
  }
  std::string split;
  for (size_t i = 0; i < pct.size(); ++i) split += (i > 0 ? "/" : "") + std::to_string(pct[i]);
  sink_.note(first_written->weight_node->loc, full(append_index(kVersions, first) + ".weight"),
             which + (defaulted.size() == 1 ? " defaults" : " default") +
                 " to 50 in blue-green; the split is " + split);
}

// mirror: all traffic to the primary, and to each candidate a copy of `weight` percent.
void Lowerer::route_mirror(Routemap& rm, Route& fallback) {
  warn_unused(0, true, true, "for the primary in the mirror strategy (it receives all traffic)");
  fallback.destinations.push_back({0, 100, 100});
  for (size_t i = 1; i < rm.versions.size(); ++i) {
    warn_unused(i, false, true,
                "by the mirror strategy (candidates receive copies of all traffic)");
    const VersionRouting& r = routing_[i];
    std::string p = append_index(kVersions, i) + ".weight";
    uint64_t w = r.weight ? *r.weight : 100;
    if (w > 100) {
      error(r.weight_node->loc, p,
            "expected a percentage from 0 to 100 in the mirror strategy, got " +
                r.weight_node->value);
      continue;
    }
    Mirror m;
    m.version = i;
    m.percent = static_cast<int>(w);
    m.loc = r.weight_node ? r.weight_node->loc : rm.versions[i].loc;
    m.field_path = r.weight_node ? full(p) : rm.versions[i].field_path;
    fallback.mirrors.push_back(m);
  }
}

}  // namespace meshc::lowering
