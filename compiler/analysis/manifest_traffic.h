// `meshc diff --manifests`: the sides of the diff read from a manifest stream (made by meshc,
// Iter8, Flagger or by hand) instead of compiled from a spec. Each routed service of the
// stream (compiler/evaluate/segments.h) is one release, identified by what the routes attach
// to; its traffic is its segments; its objects the routing objects that make it. The objects
// of no routed service form one more side, kOtherObjects, without traffic.
#pragma once

#include <vector>

#include "compiler/analysis/release_diff.h"
#include "compiler/evaluate/segments.h"

namespace meshc {

// The id of the side that holds the objects of no routed service.
extern const char* const kOtherObjects;

// The releases of `routing` (one per routed service, then kOtherObjects when it has objects).
std::vector<ReleaseSide> manifest_sides(const StreamRouting& routing);

}  // namespace meshc
