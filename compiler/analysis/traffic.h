// Traffic shares per request segment: what `meshc diff` compares. A segment is one route of
// the routemap (a canary candidate's matches, or the catch-all), with the percentage of its
// requests each version answers and the versions that get a copy. Every target gives the
// same numbers by contract (release-spec.md §3), so they are computed from the routemap once.
//
// The diff reads traffic only through ReleaseTraffic: the other source of shares, the manifest
// streams of `meshc diff --manifests OLD NEW` (manifest_traffic.h), produces the same structure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/routemap.h"

namespace meshc {

struct TrafficSegment {
  // The segment's conditions in a canonical form (each match's conditions sorted, matches
  // sorted): two sides' segments with equal keys are the same requests. "*" = every request
  // no earlier segment took (the catch-all).
  std::string key;
  std::string description;  // "requests with header traffic=test"
  // version -> percent, in version order: weight * 100 / total, one correctly rounded division
  // (so equal ratios of weights are equal percents); shown to 4 decimals (format_percent).
  std::vector<std::pair<std::string, double>> shares;
  std::vector<std::pair<std::string, double>> mirrors;  // version -> percent copied
};

struct ReleaseTraffic {
  std::string id;                        // "namespace/name"
  std::vector<TrafficSegment> segments;  // first-match order, the catch-all last
};

// The shares of every route of `rm`.
ReleaseTraffic traffic_of(const Routemap& rm);

// Sets s->key and s->description for the requests `matches` select (any of them); with
// `catch_all` (matches ignored) the requests no earlier segment took, "all requests" when
// `alone` (the only segment).
void name_segment(const std::vector<RequestMatch>& matches, bool catch_all, bool alone,
                  TrafficSegment* s);

// "header traffic=test", "path under /api and method GET": one match in words.
std::string describe_match(const RequestMatch& m);

}  // namespace meshc
