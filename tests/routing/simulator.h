// An independent routing oracle: reads emitted Kubernetes manifests back and says where a request
// goes, under the published semantics of each routing API. Written from the API texts (Gateway API
// HTTPRoute field docs and GEP-1294, Istio VirtualService/DestinationRule docs and Envoy's matching
// rules, the SMI TrafficSplit / HTTPRouteGroup specs), not from meshc's target code.
// tests/routing/README.md lists every semantic decision.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace routing {

// One HTTP request, as a client in the mesh or an ingress gateway would send it.
struct Request {
  std::string via = "mesh";  // "mesh" (sidecar / GAMMA), "gateway", "ingress" (sent to an
                             // ingress proxy, Traefik or Contour, with `host`), or "bypass" (a
                             // client outside the mesh: the Service's selector alone decides)
  std::string service;       // target root Service for mesh requests without a host
  std::string ns;            // namespace of the target Service and of the client
  std::string gateway;       // "namespace/name" of the gateway for via: gateway
  std::string host;          // Host / :authority; optional for mesh requests
  std::string method = "GET";
  std::string path = "/";                                    // without the query string
  std::vector<std::pair<std::string, std::string>> query;    // in request order
  std::vector<std::pair<std::string, std::string>> headers;  // name as sent, value
  bool grpc = false;  // a gRPC call: POST to /<service>/<method>, content-type application/grpc

  // All values of a header (names compared case-insensitively), joined the way Envoy presents
  // a repeated header to its matchers: ',' in general, "; " for cookie.
  std::optional<std::string> Header(const std::string& name) const;
  // Every value of a header, one per header line as sent (names compared case-insensitively).
  std::vector<std::string> HeaderValues(const std::string& name) const;
  // The first value of a query parameter (names compared exactly).
  std::optional<std::string> Query(const std::string& name) const;
  // Every value of a query parameter, in request order.
  std::vector<std::string> QueryValues(const std::string& name) const;
  // path?query as sent (Envoy's :path).
  std::string FullPath() const;
};

// Where a request goes.
struct Outcome {
  enum class Kind {
    kRouted,     // versions holds the distribution (percent, summing to 100)
    kUnrouted,   // a route applies to the request's target but nothing matches: 404
    kUnsplit,    // no routing object applies; the plain Service balances over several versions
    kAmbiguous,  // the API leaves the answer open (no order between objects, implementation-
                 // specific precedence or regex dialect): detail names the readings
    kError,      // the objects are broken for this request (missing backend, no grant, ...)
  };
  Kind kind = Kind::kError;
  std::map<std::string, double> versions;  // version (Deployment name) -> percent of requests
  std::map<std::string, double> mirrors;   // version -> percent of requests copied to it
  // The app-version response header each reached version's responses carry ("" if none).
  std::map<std::string, std::string> app_version;
  // The Set-Cookie header each reached version's responses add or set ("" if none).
  std::map<std::string, std::string> set_cookie;
  std::string detail;  // which object/rule decided, or why there is no single answer

  bool SameRouting(const Outcome& other) const;  // kind, versions and mirrors (not detail)
  std::string Summary() const;                   // one line, for messages
};

const char* KindName(Outcome::Kind kind);

// Shares (version -> percent) equal up to 1e-6, and their one-line form "{a: 90, b: 10}".
bool SameShares(const std::map<std::string, double>& a, const std::map<std::string, double>& b);
std::string FormatShares(const std::map<std::string, double>& shares);

// The routing APIs whose objects the simulator reads. kLinkerd: policy.linkerd.io HTTPRoute
// (and Gateway API routes) as Linkerd's policy controller and proxy read them.
enum class Api { kGatewayApi, kIstio, kSmi, kLinkerd, kConsul, kTraefik, kContour };
std::optional<Api> ApiFromTargetName(const std::string& target);  // "gateway-api@v1beta1" -> ...
// Traefik and Contour: ingress proxies, which see only the requests sent to them.
bool IsIngressApi(Api api);

// Implementations whose reading of Gateway API routes differs from the API's text and is
// modelled: "linkerd" (also "Linkerd/Linkerd", "Buoyant/Buoyant Enterprise for Linkerd"):
// mesh requests are routed as Linkerd does (linkerd.cpp). "" = the text.
bool IsLinkerd(const std::string& implementation);

class Cluster {
 public:
  // Parses a multi-document YAML stream of manifests. Throws std::runtime_error on a document
  // the simulator cannot read (a routing kind it does not model is reported per request instead).
  static Cluster FromYaml(const std::string& text);
  static Cluster FromFile(const std::string& path);

  // Routes `request` through the objects of `api`; on kGatewayApi, mesh requests are routed
  // as `implementation` reads the routes (see IsLinkerd), gateway requests by the text.
  Outcome Route(const Request& request, Api api, const std::string& implementation = "") const;

  struct State;  // parsed objects; defined in simulator_internal.h

 private:
  std::shared_ptr<const State> state_;
};

}  // namespace routing
