// The objects of the gateway-api target, one builder per kind (internal to this folder).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"
#include "targets/gateway_api/profiles.h"

namespace meshc::gateway_api {

// Where a route attaches: the root Service (GAMMA, mesh traffic) or the ingress gateway.
enum class Parent { kMesh, kGateway };

// What a route carries beyond the routemap, decided by the implementation that serves it.
struct RouteOptions {
  bool app_version = true;  // a backendRef-level ResponseHeaderModifier setting app-version
  // Mirror filters always say `percent` (false: not at 100, so that a full copy needs only
  // HTTPRouteRequestMirror, not HTTPRouteRequestPercentageMirror).
  bool mirror_percent_always = true;
};

// The implementations serving the two routes (null = none named) and what they imply.
struct RoutePlan {
  const ImplementationProfile* mesh = nullptr;
  const ImplementationProfile* gateway = nullptr;
  RouteOptions mesh_options, gateway_options;
};

// Checks every feature of `rm`'s routes against the implementation serving each route (the
// mesh route against its MESH profile, the gateway route against its GATEWAY profile) and the
// caveats, reporting at the spec position what it lacks (errors) or cannot be shown to have
// (warnings), and decides the routes' options. Without a named implementation: the options
// of today, no report.
RoutePlan plan_routes(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

// The table of what each implementation can express as these checks judge it (meshc targets
// --format markdown): the column names, and one implementation's cells,
// each "<mesh route> / <gateway route>" with yes, no, warn (accepted with a warning) or "-"
// (no such profile in its report).
std::vector<std::string> implementation_columns();
std::vector<std::string> implementation_cells(const ImplementationProfile& p);

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

// `rm` with every candidate's plain string path prefix that ends in '/' ("/api/", Iter8's
// Istio-form uri prefix) made exact for HTTPRoute's precedence: a PathPrefix, and before the
// catch-all a rule for the Exact path without the '/' ("/api") with the catch-all's
// destinations — when no other candidate match can match that path. nullopt when nothing
// applies (gRPC, no such prefix). Valid only for HTTPRoute's text ranking, not Linkerd's.
std::optional<Routemap> exact_slash_prefixes(const Routemap& rm);

// Reports, at their locations, the parts of `rm` the HTTPRoute CRD cannot hold (its list
// limits and the CEL rules on path values). `target` names the target in messages.
void check_http_route_limits(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

// Reports pairs of candidate matches whose list order the rule precedence would reverse (or
// cannot promise), at the later match: HTTPRoute's or GRPCRoute's text, or Linkerd's ranking.
void check_precedence(const Routemap& rm, const std::string& target, Ranking ranking,
                      DiagnosticSink& sink);

// The HTTPRoute of `rm` for one parent. `api_version` is "v1" or "v1beta1".
Object http_route(const Routemap& rm, const std::string& api_version, Parent parent,
                  const RouteOptions& options);

// The GRPCRoute (v1) of a gRPC release for one parent.
Object grpc_route(const Routemap& rm, Parent parent, const RouteOptions& options);

// Pieces both route kinds share (http_route.cpp).
// A route object of `kind` for one parent: its name, parentRefs, hostnames and one rule per
// route of `rm`, made by `rule`.
using RuleMaker = Object (*)(const Routemap& rm, const Route& r, const RouteOptions& options);
Object route_object(const Routemap& rm, std::string api_version, const char* kind, Parent parent,
                    const RouteOptions& options, RuleMaker rule);
Object parent_ref(const Routemap& rm, Parent parent);
std::vector<std::string> route_hostnames(const Routemap& rm, Parent parent);
Object service_ref(const Routemap& rm, const Version& v);
Object backend_ref(const Routemap& rm, const Destination& d, const RouteOptions& options);
Object mirror_filter(const Routemap& rm, const Mirror& m, const RouteOptions& options);
// The header condition of a match as the route writes it (Exact or RegularExpression).
Object named_condition(const ValueMatch& m, const std::string& name);

// ReferenceGrants letting the HTTPRoute reach versions in other namespaces: one per such
// namespace, listing the Services it may reach there. Empty when all versions share the
// application's namespace.
std::vector<Object> reference_grants(const Routemap& rm);

}  // namespace meshc::gateway_api
