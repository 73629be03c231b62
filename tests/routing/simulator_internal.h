// Shared pieces of the routing simulator: parsed Kubernetes objects, YAML helpers, regex
// matching, backend resolution. Only the simulator's .cpp files include this.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/routing/simulator.h"

namespace routing {

// The objects are broken for this request (Outcome::Kind::kError).
class Broken : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The objects use something the simulator does not model; reported as an error rather than
// guessed, so the oracle never silently misreads an object.
class NotModeled : public Broken {
 public:
  explicit NotModeled(const std::string& what) : Broken("not modeled: " + what) {}
};

struct Object {
  std::string api_version, group, version, kind, name, ns;
  YAML::Node node;
  std::string Ref() const { return kind + " " + ns + "/" + name; }
};

struct ServicePort {
  std::string name;
  int port = 0;
  int target_number = 0;    // 0 when the target port is named
  std::string target_name;  // "" when the target port is a number
};

struct Service {
  std::string name, ns;
  std::map<std::string, std::string> labels;
  bool has_selector = false;
  std::map<std::string, std::string> selector;
  std::vector<ServicePort> ports;
  const ServicePort* Port(int number) const;
};

// A Deployment: a version's pods.
struct Workload {
  std::string name, ns;
  std::map<std::string, std::string> pod_labels;
  std::map<std::string, std::string> pod_annotations;
  std::vector<std::pair<std::string, int>> ports;  // container port name, number
};

struct Cluster::State {
  std::vector<Object> objects;
  std::vector<Service> services;
  std::vector<Workload> workloads;

  const Service* FindService(const std::string& ns, const std::string& name) const;
  // The Deployments whose pods `svc`'s selector selects (none without a selector).
  std::vector<const Workload*> SelectedBy(const Service& svc) const;
  std::vector<const Object*> Find(const std::string& group, const std::string& kind) const;
};

// ---- YAML helpers (throw Broken/NotModeled) ----

// Fails unless every key of the mapping `node` is in `known` (context names the object).
void CheckKeys(const YAML::Node& node, std::initializer_list<const char*> known,
               const std::string& context);
std::string Str(const YAML::Node& node, const char* key, const std::string& fallback = "");
bool Has(const YAML::Node& node, const char* key);
// node[key], or an empty node when node is not a mapping or has no such key (never throws).
YAML::Node At(const YAML::Node& node, const char* key);
int Int(const YAML::Node& node, const char* key, int fallback);
double Number(const YAML::Node& node, const char* key, double fallback);
std::string Lower(std::string s);
std::string JoinStrings(const std::vector<std::string>& items, const std::string& sep);

// ---- regular expressions (RE2, compiled once) ----

enum class Anchor {
  kFull,    // the whole text must match (Envoy safe_regex)
  kStart,   // a match anchored at the start of the text (SMI's "anchored (^) to the beginning")
  kSearch,  // a match anywhere in the text (PCRE/POSIX-style search, e.g. nginx)
};
bool RegexMatch(const std::string& pattern, const std::string& text, Anchor anchor);

// ---- resolution of backends to versions ----

// The request's target Service for a mesh request (from request.host, else request.service).
const Service& MeshTarget(const Cluster::State& state, const Request& request);
// The port a mesh request uses: the target Service's first port.
int RequestPort(const Service& target);

// The version behind Service ns/name: Deployments whose pod labels hold the Service selector and
// `extra_labels` (an Istio subset). With port != 0, the port must be one of the Service's and its
// target port must exist on the pods. Throws Broken unless exactly one version is selected.
std::string ResolveVersion(const Cluster::State& state, const std::string& ns,
                           const std::string& name,
                           const std::map<std::string, std::string>& extra_labels, int port,
                           const std::string& context);

// Versions the Service's own selector reaches (no routing object applies).
Outcome PlainServiceRouting(const Cluster::State& state, const Service& target,
                            const std::string& why);

// Several readings of an underspecified API: one answer if they agree, else kAmbiguous naming
// each reading's answer. An error in any reading wins.
Outcome Combine(const std::vector<std::pair<std::string, Outcome>>& readings);

// Adds share to map[key] (drops nothing; zero shares are removed by Finish()).
void Finish(Outcome* outcome);

Outcome RouteGatewayApi(const Cluster::State& state, const Request& request);
Outcome RouteIstio(const Cluster::State& state, const Request& request);
Outcome RouteSmi(const Cluster::State& state, const Request& request);
Outcome RouteLinkerd(const Cluster::State& state, const Request& request);

// The service and method of a gRPC call's path "/<service>/<method>"; false when the path has
// another form.
bool GrpcCall(const Request& request, std::string* service, std::string* method);

// Hostname match of route hostnames: exact, or "*.suffix" matching one or more labels.
bool HostMatches(const std::string& pattern, const std::string& host);

Outcome RouteConsul(const Cluster::State& state, const Request& request);
Outcome RouteTraefik(const Cluster::State& state, const Request& request);
Outcome RouteContour(const Cluster::State& state, const Request& request);

// Ingress APIs (Traefik, Contour) see only requests sent to the ingress proxy. A mesh request of
// a table is sent there with its Host: the request's host, or else the FQDN of its Service.
// Returns the Host header without the port, lower-cased, and the Host as sent in `raw`.
std::string IngressHost(const Cluster::State& state, const Request& request, std::string* raw);

}  // namespace routing
