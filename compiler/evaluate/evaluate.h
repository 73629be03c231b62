// The manifest evaluator: which backends a stream of Kubernetes objects sends one request to,
// and why, under each routing API's own rules.
//
// Input: objects as the project's loader reads them (YNodes with source locations), from any
// stream (meshc's output, Helm/Iter8 output, hand-written objects). Understood:
//   - Gateway API HTTPRoute and GRPCRoute (gateway.networking.k8s.io v1, v1beta1, v1alpha2) and
//     Linkerd's policy.linkerd.io HTTPRoute (the same shape), with the Gateway API precedence
//     across the rules of every applicable route;
//   - Istio VirtualService + DestinationRule (networking.istio.io v1, v1beta1, v1alpha3), first
//     match in order;
//   - SMI TrafficSplit + HTTPRouteGroup (split.smi-spec.io / specs.smi-spec.io, every version),
//     split selection;
//   - Deployments and Services, to turn a backend into the version (Deployment) it reaches.
// Anything else that may route (Consul, Traefik, Contour objects, unknown filters or fields of a
// route) is reported in EvalResult::unsupported, never guessed.
//
// This stage shares no code with the routing oracle in tests/routing (an independent
// implementation that the tests compare it with).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_tree.h"

namespace meshc {

// One HTTP request (or gRPC call: a POST with content-type application/grpc to
// /<service>/<method>).
struct EvalRequest {
  enum class Via { kMesh, kGateway };
  std::string method = "GET";
  std::string path = "/";  // with the query string
  // The Host / authority, as written (a port allowed). "" = the default Service of the
  // manifests (the only Service routes attach to, or the one given to evaluate()).
  std::string host;
  std::vector<std::pair<std::string, std::string>> headers;  // in order; names as written
  Via via = Via::kMesh;
  std::string gateway;  // via gateway: "name" or "namespace/name"; "" = any gateway

  // The first value of header `name` (case-insensitive), or nullptr.
  const std::string* header(const std::string& name) const;
  // Every value of header `name`, in order.
  std::vector<std::string> header_values(const std::string& name) const;
  // Header `name` as Envoy's header matchers see it: every value in order, joined by ',' (a
  // Cookie header's by "; ", as the codec joins split cookies); false when absent.
  bool header_joined(const std::string& name, std::string* value) const;
  // Header `name` as an implementation reads it: each value on its own (`each`, Linkerd), or
  // the one value header_joined() gives (Envoy); empty when absent.
  std::vector<std::string> header_values_read(const std::string& name, bool each) const;
  std::string path_only() const;  // without "?query"
  // The first value of query parameter `name` (percent-decoding not applied), or nullptr-like.
  bool query(const std::string& name, std::string* value) const;
  // Every value of query parameter `name`, in order.
  std::vector<std::string> query_values(const std::string& name) const;
  // The value of cookie `name` among the Cookie headers' `;`-separated pairs.
  bool cookie(const std::string& name, std::string* value) const;
  // Whether the pair name=value is among the Cookie headers' pairs (any of them).
  bool has_cookie(const std::string& name, const std::string& value) const;
  bool is_grpc() const;
};

// A routing object of the stream: kind, name and where it is.
struct ObjectRef {
  std::string api_version;
  std::string kind;
  std::string namespace_;
  std::string name;
  Location loc;
  std::string str() const;  // "HTTPRoute web/api"
};

// A backend the request goes to (or is copied to), and the version it reaches.
struct EvalBackend {
  std::string service;     // the Service (Istio: the destination host as written)
  std::string namespace_;  // the Service's namespace
  std::string subset;      // Istio only
  int64_t port = 0;        // 0 = not given
  // The Deployment the backend's pods belong to (the version, as meshc names it), or "" when
  // the manifests do not say (no Service / Deployment for it).
  std::string version;
  // The share: weight / total (exact), and as a percentage.
  uint64_t weight = 0;
  uint64_t total = 0;
  double percent = 0;
  Location loc;  // the backendRef / destination / backend
  // What the stream leaves open about it ("no Service ...", "several Deployments ...").
  std::string problem;
  std::string label() const;  // the version, else the backend ("api-1", "svc api-1/subset")
};

// A rule evaluated before the one that took the request (in the API's order), and why it did
// not take it.
struct EvalSkipped {
  ObjectRef object;
  int rule = -1;   // index into the object's rules / http routes / -1 for an SMI split
  int match = -1;  // the match (Gateway API orders matches, not rules), -1 = the whole rule
  std::string reason;
  Location loc;
};

// Something in the stream the evaluator does not understand, where it is.
struct EvalUnsupported {
  Location loc;
  std::string what;
  // Whether the answer depends on it (it applies to the request or could have taken it).
  bool affects = false;
};

struct EvalResult {
  enum class Outcome {
    kRouted,     // a rule took it: backends (and mirrors)
    kUnrouted,   // routing applies but nothing takes the request (404)
    kUnsplit,    // no routing object applies: the Service alone balances over its endpoints
    kAmbiguous,  // the API leaves the answer open (message says why)
    kUnknown,    // the answer depends on what the evaluator does not understand
  };
  Outcome outcome = Outcome::kUnknown;
  std::string service;  // the Service the request is addressed to ("ns/name"), if any
  ObjectRef object;     // the object that took it
  int rule = -1;        // its rule / http route index; -1 = an SMI split (no rules)
  int match = -1;       // the match that held, -1 = none (a rule without matches)
  Location rule_loc;
  Location match_loc;
  std::string rule_name;  // Istio http[].name, SMI split name, Gateway API rules[].name
  std::vector<EvalBackend> backends;
  std::vector<EvalBackend> mirrors;  // percent = the share of requests copied
  std::vector<EvalSkipped> before;   // in the API's evaluation order
  // That order: "Gateway API precedence", "Linkerd's route order", "Istio's first-match
  // order", "SMI split selection".
  std::string order;
  std::vector<EvalUnsupported> unsupported;
  std::string message;  // for kAmbiguous / kUnknown / kUnsplit / kUnrouted: why
};
const char* outcome_name(EvalResult::Outcome o);

// The objects of one stream, indexed. Documents that are not mappings with apiVersion and
// kind are reported by add() (returned message), never dropped silently.
class ManifestSet {
 public:
  ManifestSet();
  ~ManifestSet();
  ManifestSet(ManifestSet&&) noexcept;
  ManifestSet& operator=(ManifestSet&&) noexcept;

  // Adds every document (null documents are skipped: an empty "---" part). Documents of kind
  // List are expanded. Returns the problems found (a document without kind), located.
  std::vector<EvalUnsupported> add(const std::vector<YamlDocument>& docs);
  // The Service a request without a host goes to: the Service the routing objects name (a
  // parentRef, a VirtualService host, a TrafficSplit's service) when there is exactly one,
  // "namespace/name"; else "".
  std::string default_service() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// How to read what the objects leave to the implementation.
struct EvalOptions {
  // Gateway API routes (gateway.networking.k8s.io) in the mesh: "" = as the Gateway API text
  // ranks them; "linkerd" = as Linkerd's proxy does (path length whatever its type, then
  // headers, query parameters, method; any value of a repeated header or parameter may match),
  // which is how policy.linkerd.io routes are always read.
  std::string mesh_implementation;
};

// Evaluates `request` against `objects`. `default_service` ("namespace/name"; "" = the
// manifests' own default_service()) is the Service a request without host is addressed to,
// and the namespace short hosts are in.
EvalResult evaluate(const ManifestSet& objects, const EvalRequest& request,
                    const std::string& default_service = "", const EvalOptions& options = {});

// Percent as text, exact to 4 decimals without trailing zeros: "100", "33.3333", "12.5".
std::string format_percent(double percent);

}  // namespace meshc
