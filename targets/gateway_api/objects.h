// The objects of the gateway-api target, one builder per kind (internal to this folder).
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc::gateway_api {

// Where an HTTPRoute attaches: the root Service (GAMMA, mesh traffic) or the ingress gateway.
enum class Parent { kMesh, kGateway };

// Limits of the HTTPRoute CRD (gateway.networking.k8s.io v1.x) that a spec can exceed.
struct RouteLimits {
  static constexpr size_t kRules = 16;
  static constexpr size_t kMatchesPerRule = 64;
  static constexpr size_t kMatchesPerRoute = 128;
  static constexpr size_t kBackendRefs = 16;
  static constexpr size_t kFilters = 16;
  static constexpr size_t kHeadersPerMatch = 16;
  static constexpr size_t kHostnames = 16;
  static constexpr size_t kHeaderValueLength = 4096;
};

// Reports, at their locations, the parts of `rm` the HTTPRoute CRD cannot hold (its list
// limits and the CEL rules on path values). `target` names the target in messages.
void check_http_route_limits(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

// Reports pairs of candidate matches whose list order Gateway API's rule precedence would
// reverse (or cannot promise), at the later match.
void check_precedence(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

// The HTTPRoute of `rm` for one parent. `api_version` is "v1" or "v1beta1".
Object http_route(const Routemap& rm, const std::string& api_version, Parent parent);

// ReferenceGrants letting the HTTPRoute reach versions in other namespaces: one per such
// namespace, listing the Services it may reach there. Empty when all versions share the
// application's namespace.
std::vector<Object> reference_grants(const Routemap& rm);

}  // namespace meshc::gateway_api
