// The objects of the smi target, one builder per kind (internal to this folder).
#pragma once

#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc::smi {

// TrafficSplit API versions whose splits may carry HTTPRouteGroup matches.
bool has_matches(const std::string& api_version);

// SMI applies a split with matches to the requests its route groups select and gives no
// order between splits: candidates' matches must not overlap. Reports each overlapping pair
// at the later match.
void check_segments_exclusive(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

// Backends must serve the root Service's port (SMI matches ports between them).
void check_ports(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

// The TrafficSplit of one route: the catch-all one is named <app> and has no matches; a
// segment's is named after its version and references the HTTPRouteGroup of that name.
Object traffic_split(const Routemap& rm, const Route& r, const std::string& api_version);

// The HTTPRouteGroup of a segment route (v1alpha3/v1alpha4 only).
Object http_route_group(const Routemap& rm, const Route& r, const std::string& api_version);

// The name of a segment's split and route group: the version's name (unique in the namespace,
// never the application's).
std::string segment_name(const Routemap& rm, const Route& r);

}  // namespace meshc::smi
