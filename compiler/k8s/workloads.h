// Release rendering: the workloads of a routemap (per-version Deployment and Service, and the
// root Service), built from the skeletons in templates/ as trees.
#pragma once

#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc {

// The labels meshc selects a version's pods by: {app: <app>, version: <version>}. The root
// Service selects {app: <app>}, i.e. every version's pods.
StringMap selector_labels(const Routemap& rm, const Version& v);

// Labels of a version's objects: application labels, then the version's (which win), then
// the selector labels (which must not be contradicted).
StringMap version_labels(const Routemap& rm, const Version& v);

// Which pods the root Service <app> selects (docs/targets.md, "The root Service").
enum class RootSelector {
  // Every version's (app: <app>): the target routes among subsets of the root Service's own
  // endpoints (Istio DestinationRule subsets, Consul's registration under <app>), and, with
  // no target, nothing routes at all.
  kEveryVersion,
  // Only the version default_route_leader() names: the target routes to the versions' own
  // Services, so the root Service's endpoints serve only clients that bypass the mesh, which
  // then reach the version most traffic goes to, never a 0% candidate.
  kDefaultRouteLeader,
};

// The version taking the largest share of the catch-all route (the last), among the versions
// in the root Service's namespace (a selector reaches no other); ties go to the earlier
// version, so the primary. 0 when there is none.
size_t default_route_leader(const Routemap& rm);

// Appends the root Service, then each version's Deployment and Service. Reports conflicts
// between user-given specifications and the labels meshc routes by.
// `pod_annotations[i]` (when given, one entry per version) are annotations the chosen target
// selects version i's pods by; they go on the pod template, and a deploymentSpecification
// that sets one of them to another value is an error.
void render_workloads(const Routemap& rm, DiagnosticSink& sink, std::vector<Object>& out,
                      const std::vector<StringMap>& pod_annotations = {},
                      RootSelector root_selector = RootSelector::kEveryVersion);

}  // namespace meshc
