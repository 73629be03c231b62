// Release rendering: the workloads of a routemap (per-version Deployment and Service, and the
// root Service), built from the skeletons in templates/ as trees.
#pragma once

#include <vector>

#include "compiler/diagnostics.h"
#include "compiler/routemap.h"
#include "compiler/yaml_writer.h"

namespace meshc {

// The labels meshc selects a version's pods by: {app: <app>, version: <version>}. The root
// Service selects {app: <app>}, i.e. every version's pods.
StringMap selector_labels(const Routemap& rm, const Version& v);

// Labels of a version's objects: application labels, then the version's (which win), then
// the selector labels (which must not be contradicted).
StringMap version_labels(const Routemap& rm, const Version& v);

// Appends the root Service, then each version's Deployment and Service. Reports conflicts
// between user-given specifications and the labels meshc routes by.
void render_workloads(const Routemap& rm, DiagnosticSink& sink, std::vector<Object>& out);

// Adds labels/annotations of the application to an object's metadata (for routing objects).
void add_application_metadata(const Routemap& rm, Object& metadata);

// The head of a generated routing object: apiVersion, kind, and metadata with `name`,
// `namespace_` and the application's labels and annotations; callers add the rest.
Object k8s_object(const std::string& api_version, const std::string& kind, const std::string& name,
                  const std::string& namespace_, const Routemap& rm);

}  // namespace meshc
