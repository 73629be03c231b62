// The static reading of a manifest stream (meshc diff --manifests): per routed service, the
// request segments its routing objects make, in the API's precedence order, and the share of
// each segment's requests every version gets. The same readers as evaluate() (evaluate.h),
// without a request: a segment is a rule (an Istio http route, an SMI TrafficSplit) with the
// matches that select it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/evaluate/evaluate.h"
#include "compiler/ir/routemap.h"

namespace meshc {

struct RoutedSegment {
  std::vector<RequestMatch> matches;  // any of them selects the requests
  bool catch_all = false;             // every request no earlier segment took
  // version (else backend) -> percent: weight * 100 / total of the rule's weights
  std::vector<std::pair<std::string, double>> shares;
  std::vector<std::pair<std::string, double>> mirrors;  // version -> percent copied
};

// One routed service: what identifies "the same release" across two streams.
struct RoutedService {
  // "namespace/name" of the Service the routes attach to (GAMMA parentRef, VirtualService host,
  // TrafficSplit service); "gateway namespace/name" (+ " hosts a, b") for Gateway API routes
  // attached to a Gateway; "host via gateways" for a VirtualService bound to gateways only.
  std::string id;
  std::string api;  // "gateway-api", "linkerd", "istio", "smi"
  std::vector<RoutedSegment> segments;
  std::vector<const YNode*> objects;  // the routing objects that make it, in stream order
};

struct StreamRouting {
  std::vector<RoutedService> services;      // sorted by id
  std::vector<const YNode*> other_objects;  // objects of no routed service, in stream order
  // What the readers cannot read (affects = the segments depend on it), located.
  std::vector<EvalUnsupported> unsupported;
};

// Reads every routed service of `objects`. `options.mesh_implementation` as for evaluate().
StreamRouting stream_routing(const ManifestSet& objects, const EvalOptions& options = {});

}  // namespace meshc
