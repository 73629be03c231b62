// The objects of the contour target (internal to this folder).
//
// Contour is an ingress controller: it routes the requests that reach its Envoy, by virtual
// host. A root HTTPProxy serves exactly one host (virtualhost.fqdn), so the routes live in one
// HTTPProxy <app> without a virtual host, and a root HTTPProxy <app>-<host> per answered host
// (the root Service's in-cluster names and application.hosts) includes it. Contour does not
// keep the order of routes: it sorts them by specificity (exact path, regex, longest prefix,
// then method, header and query conditions), so the candidates' list order is checked against
// that sort.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc::contour {

constexpr const char* kApiVersion = "projectcontour.io/v1";

// One condition of an emitted route, as Contour's route sorter sees it.
struct Condition {
  enum class Kind { kExact, kRegex, kPrefix, kPresent };
  std::string name;  // header (lower case) or query parameter name
  Kind kind = Kind::kExact;
  std::string value;
};

// A route of the HTTPProxy <app>: its path condition, header conditions (with the method as
// the ":method" header) and query conditions, the routemap route it serves and the match it
// came from (with the path this route tests, for overlap checks).
struct ProxyRoute {
  enum class PathKind { kExact, kRegex, kPrefix };
  PathKind path_kind = PathKind::kPrefix;
  std::string path = "/";
  std::vector<Condition> headers;
  std::vector<Condition> query;
  const Route* route = nullptr;
  const RequestMatch* source = nullptr;  // null for the catch-all route
  RequestMatch view;                     // what the route tests, in routemap terms
};

// The routes of the HTTPProxy, in routemap order (Contour reorders them itself).
std::vector<ProxyRoute> proxy_routes(const Routemap& rm);

// The host names the root HTTPProxies serve: the in-cluster names, then application.hosts.
std::vector<std::string> answered_hosts(const Routemap& rm);

// Reports what Contour cannot express for `rm`: a wildcard host (Contour's matches one DNS
// label), a regex path that does not start with '/', two exact conditions on one header, more
// than one mirror per route, a root name over 253 characters.
void check_expressible(const Routemap& rm, const std::vector<ProxyRoute>& routes,
                       const std::string& target, DiagnosticSink& sink);

// Reports pairs of candidate matches whose list order Contour's route sort would reverse or
// leave open, at the later match, and candidate matches the catch-all route would shadow.
void check_precedence(const Routemap& rm, const std::vector<ProxyRoute>& routes,
                      const std::string& target, DiagnosticSink& sink);

// The HTTPProxy <app> holding the routes.
Object routes_proxy(const Routemap& rm, const std::vector<ProxyRoute>& routes);

// The root HTTPProxy of one host, including <app>.
Object root_proxy(const Routemap& rm, const std::string& host);

// The name of the root HTTPProxy of `host`: <app>-<host>.
std::string root_name(const Routemap& rm, const std::string& host);

}  // namespace meshc::contour
