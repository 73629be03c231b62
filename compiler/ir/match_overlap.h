// Which requests a match selects, reasoned about without a request: whether a path satisfies
// a path condition, and whether two matches can select the same request (needed wherever an
// API does not try matches in list order, to keep the spec's first-match meaning).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "compiler/ir/routemap.h"

namespace meshc {

// How an API reads a header or query parameter that a request repeats.
enum class RepeatedValues {
  kOne,   // as one value (the first, or all joined by ','): Envoy, the Gateway API text
  kEach,  // each value on its own, the condition holding when any value satisfies it (Linkerd)
};

// False only when no request can satisfy both `a` and `b` (e.g. the same header with two
// different exact values, two different methods, disjoint paths). True when unsure. Under
// RepeatedValues::kEach conditions on headers and query parameters never exclude each other: a
// request may repeat the name with a value for each ("x: 1", "x: 2"; "?q=1&q=2").
bool may_overlap(const RequestMatch& a, const RequestMatch& b,
                 RepeatedValues repeated = RepeatedValues::kOne);

// A match of a canary segment and a match of an earlier segment that one request may satisfy
// both, which the earlier segment's candidate must then receive.
struct SegmentOverlap {
  const Route& later_route;
  const RequestMatch& later;
  const Route& earlier_route;
  const RequestMatch& earlier;
};

// Calls `report` for every match of every canary segment with the first match of an earlier
// segment that may overlap it and that `conflicts` (given the pair) accepts; at most once per
// later match, in route order. For targets whose API does not try matches in list order;
// `repeated` is how that API reads repeated headers and query parameters (see may_overlap).
void for_each_segment_overlap(const Routemap& rm,
                              const std::function<bool(const SegmentOverlap&)>& conflicts,
                              const std::function<void(const SegmentOverlap&)>& report,
                              RepeatedValues repeated = RepeatedValues::kOne);

// The advice that ends an error about an overlapping pair found by for_each_segment_overlap
// under `repeated`: where only RepeatedValues::kEach made the pair overlap (the matches differ
// in a header's or query parameter's value), it says what makes matches exclusive there.
std::string overlap_advice(const SegmentOverlap& pair, RepeatedValues repeated);

// True only when every request that satisfies `later` also satisfies `earlier` (so, tried
// after it in first-match order, `later` never selects a request). False when unsure.
bool covers(const RequestMatch& earlier, const RequestMatch& later);

// True when the path `path` satisfies the path condition `m`.
bool path_matches(const ValueMatch& m, const std::string& path);

}  // namespace meshc
