// The objects of the traefik target, one builder per kind (internal to this folder).
//
// Traefik is an ingress proxy: it routes the requests that reach its entry points, so the
// IngressRoute answers the root Service's in-cluster names and application.hosts at Traefik.
// Traefik tries routers by priority (by default the length of the rule), so every route gets
// an explicit priority that keeps the routemap's first-match order. A route split between
// versions goes to a weighted TraefikService; a mirrored one to a mirroring TraefikService.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc::traefik {

constexpr const char* kApiVersion = "traefik.io/v1alpha1";

// The mirrors of a route that copy any request (a 0 % mirror copies nothing and is left out).
std::vector<Mirror> active_mirrors(const Route& r);

// Names of the TraefikServices of route `r`: the weighted split <app>-<route> and the
// mirroring <app>-<route>-mirror. Distinct: route names are, and only the catch-all route
// ("default") is ever mirrored.
std::string weighted_name(const Routemap& rm, const Route& r);
std::string mirroring_name(const Routemap& rm, const Route& r);

// The TraefikServices a route needs (none, a weighted one, a mirroring one, or both), appended
// to `out` in that order.
void traefik_services(const Routemap& rm, const Route& r, std::vector<Object>& out);

// The IngressRoute <app>: a route per routemap route, with explicit priorities.
Object ingress_route(const Routemap& rm);

// The rule of one route, e.g. "(Host(`a`) || Host(`a.ns`)) && Header(`x`, `1`)" (exposed for
// unit tests).
std::string route_rule(const Routemap& rm, const Route& r);

}  // namespace meshc::traefik
