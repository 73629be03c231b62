// The objects of the consul target, one builder per kind (internal to this folder).
//
// Consul routes by service name, not by Kubernetes Service: the root Service <app> is the one
// Consul service of the release (every version's pods register under it, see
// pod_annotations), and each version is a ServiceResolver subset of it, selected by the
// service metadata its pods register. The discovery chain of <app> is router -> splitter ->
// resolver: the ServiceRouter tries its routes in order (the first match wins) and sends the
// rest to <app>, whose ServiceSplitter splits it between subsets. A segment split between
// versions by weight is a route to a helper service <app>-<version> that has only a splitter.
#pragma once

#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc::consul {

constexpr const char* kApiVersion = "consul.hashicorp.com/v1alpha1";

// The pod annotations consul-k8s reads when it registers a version's pods: register them only
// under the root Service <app> (a pod selected by several Kubernetes Services must name the one
// to register, or consul-k8s registers one Consul service per Service and the pod never
// starts), with the metadata version=<version> the subset filters select on.
StringMap pod_annotations(const Routemap& rm, const Version& v);

// Whether a route is a segment split between several versions by weight, which needs a
// splitter of its own (a ServiceRouter destination names one service or subset).
bool is_weighted_segment(const Route& r);

// The helper service whose splitter splits a weighted segment: <app>-<version>.
std::string segment_service(const Routemap& rm, const Route& r);

// The app-version response header naming version `v`, as ServiceSplitter splits and
// ServiceRouter destinations take it.
Object response_headers(const Version& v);

// ServiceDefaults `name` with protocol http: Consul refuses routers and splitters, and the
// L7 matching behind them, for a service whose protocol is tcp (the default).
Object service_defaults(const Routemap& rm, const std::string& name);

// ServiceResolver <app>: a subset per version, selected by its pods' service metadata; the
// primary is the default subset.
Object service_resolver(const Routemap& rm);

// ServiceSplitter `name` splitting route `r`'s requests between the versions' subsets of
// <app> (weights summing to exactly 100).
Object service_splitter(const Routemap& rm, const Route& r, const std::string& name);

// ServiceRouter <app>: a route per condition set of the candidate segments, in order.
Object service_router(const Routemap& rm);

// Warns about every regular expression the router will carry whose RE2 program size is above
// Envoy's default limit: Envoy rejects the route configuration then, and Consul's Envoy
// bootstrap does not raise re2.max_program_size.
void check_regex_sizes(const Routemap& rm, const std::string& target, DiagnosticSink& sink);

}  // namespace meshc::consul
