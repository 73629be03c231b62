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

// Appends the root Service, then each version's Deployment and Service. Reports conflicts
// between user-given specifications and the labels meshc routes by.
// `pod_annotations[i]` (when given, one entry per version) are annotations the chosen target
// selects version i's pods by; they go on the pod template, and a deploymentSpecification
// that sets one of them to another value is an error.
void render_workloads(const Routemap& rm, DiagnosticSink& sink, std::vector<Object>& out,
                      const std::vector<StringMap>& pod_annotations = {});

}  // namespace meshc
