// The objects of the linkerd target (internal to this folder).
#pragma once

#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc::linkerd {

// Limits of the policy.linkerd.io HTTPRoute CRD (v1beta3) that a spec can exceed.
struct RouteLimits {
  static constexpr size_t kRules = 16;
  static constexpr size_t kMatchesPerRule = 8;
  static constexpr size_t kBackendRefs = 16;
  static constexpr size_t kHeadersPerMatch = 16;
  static constexpr size_t kQueryParamsPerMatch = 16;
  static constexpr size_t kHostnames = 16;
};

// Reports, at their locations, the parts of `rm` the HTTPRoute CRD cannot hold.
void check_route_limits(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

// Reports pairs of candidate matches whose list order Linkerd's ranking of matching rules
// would reverse, at the later match.
void check_precedence(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

// The HTTPRoute of `rm` (policy.linkerd.io/<api_version>), attached to the root Service.
Object http_route(const Routemap& rm, const std::string& api_version);

}  // namespace meshc::linkerd
