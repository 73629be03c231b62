// The spec's own answer for a request: the first route of the routemap (release-spec.md §3,
// first-match order) whose matches hold. `meshc explain` uses it to name the spec text behind
// the rule an evaluated target took, and to check that the target's objects mean the same.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/evaluate/evaluate.h"
#include "compiler/ir/routemap.h"

namespace meshc {

struct SpecRoute {
  const Route* route = nullptr;  // null: no route holds (cannot happen: the last catches all)
  size_t index = 0;              // in Routemap::routes
  int match = -1;                // the match of the route that held; -1 = the catch-all
  Location loc;                  // that match, else the route (the strategy for the catch-all)
  std::string field_path;
  std::map<std::string, int> versions;  // version name -> percent (the route's weights)
  std::map<std::string, double> exact;  // version name -> percent of the relative weights
  std::map<std::string, int> mirrors;   // version name -> percent copied
  // The spec fields that set the route's weights and copies, in route order: a version's own
  // weight, or the step's when a schedule step set it (shares the strategy derives, such as
  // the primary's rest, are not cited).
  struct Cited {
    std::string version;
    int percent = 0;
    bool mirror = false;
    Location loc;
    std::string field_path;
  };
  std::vector<Cited> weights;
  std::string describe(const Routemap& rm) const;  // "the canary segment of api-1", ...
};

// `any_value`: a repeated header or query parameter matches when any of its values does (how
// Linkerd reads them), instead of a header's values joined by ',' (Envoy) and a query
// parameter's first value.
SpecRoute spec_route(const Routemap& rm, const EvalRequest& request, bool any_value = false);

// "" when `result` (a target's objects, evaluated) means what the spec's route `spec` does: the
// same versions with the route's integer weights, or with its exact relative weights within
// 0.1 (smi@v1alpha1's 1000m), and the same mirrors; else what differs (a meshc bug).
std::string spec_disagreement(const EvalResult& result, const SpecRoute& spec);

}  // namespace meshc
