// The routemap: meshc's mesh-neutral intermediate form of one release.
//
// It says which versions exist and, for every request, which version answers it, in
// first-match route order, with integer weights already normalised (each route's weights
// sum to 100). It holds no vocabulary of any mesh API; targets translate it. Every node
// keeps the location and the field path of the spec text it came from ("loc", "field_path":
// the path in the document, "spec." included for Release documents), so that every later stage
// reports at that text with the path that names it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/source.h"

namespace meshc {

enum class Strategy { kNone, kCanary, kBlueGreen, kMirror };
const char* strategy_name(Strategy s);

// What the application speaks. A gRPC call is an HTTP/2 POST to /<service>/<method>.
enum class Protocol { kHttp, kGrpc };
const char* protocol_name(Protocol p);

using StringMap = std::map<std::string, std::string>;  // sorted: output order is fixed

// How a header, query parameter or path value is compared.
enum class MatchType {
  kExact,       // the whole value
  kPrefix,      // a case-sensitive literal prefix of the value (plain string prefix)
  kPathPrefix,  // path only: prefix at a '/' boundary ("/api" matches "/api/x", not "/apix")
  kRegex,       // RE2 expression that must match the whole value
};
const char* match_type_name(MatchType t);

// The path a kPathPrefix condition is anchored at, without trailing slashes ("" for "/"):
// it matches that path and every path below it.
std::string path_prefix_base(const std::string& prefix);

struct ValueMatch {
  std::string name;  // header / query parameter / cookie name; empty for the path
  MatchType type = MatchType::kExact;
  std::string value;
  Location loc;                  // the condition ("- name: x" item; the path's value)
  std::string field_path;        // "application.versions[1].matches[0].headers[0]"
  Location value_loc;            // its value, which the regex and path checks are about
  std::string value_field_path;  // "application.versions[1].matches[0].headers[0].value"
  Location name_loc;             // its name (the "name:" value; the Istio form's map key)
};

// gRPC: which calls, by the service and method of their path /<service>/<method>.
struct GrpcMethodMatch {
  std::string service;  // "" = any service
  std::string method;   // "" = any method
  bool regex = false;   // service and method are RE2 expressions matching the whole name
  Location loc;
  std::string field_path;
};

// One request match: every condition must hold (AND). No condition at all matches everything.
struct RequestMatch {
  std::optional<GrpcMethodMatch> grpc;  // gRPC releases only (then no path, query or method)
  std::optional<ValueMatch> path;
  std::vector<ValueMatch> headers;
  std::vector<ValueMatch> query_params;
  std::vector<ValueMatch> cookies;  // exact name=value among the Cookie header's pairs
  std::string method;               // "" = any
  bool is_default = false;          // Iter8's default candidate match (header traffic: test)
  Location loc;
  std::string field_path;
  bool empty() const {
    return !grpc && !path && headers.empty() && query_params.empty() && cookies.empty() &&
           method.empty();
  }
};

struct Destination {
  size_t version = 0;  // index into Routemap::versions
  int weight = 0;      // percent; the weights of one route sum to 100
  uint64_t share = 0;  // the relative weight `weight` was normalised from (for targets whose
                       // API counts in other units, e.g. SMI v1alpha1's 1000m)
  // Sticky sessions: the version's responses on this route set the cookie
  // Routemap::sticky_cookie=<version name> (a weighted route's destinations).
  bool set_cookie = false;
  // The spec field that set `weight`: the version's weight (unmatchedWeight for a candidate
  // with matches on the catch-all), in a schedule's step the step's. No location when the
  // strategy derives the share (the primary's rest, a default weight).
  Location loc{};
  std::string field_path{};
};

struct Mirror {
  size_t version = 0;
  int percent = 100;  // share of the route's requests copied to the version
  Location loc;
  std::string field_path;
};

// A route: requests matching any of `matches` (OR; empty = every request) go to
// `destinations` by weight, and copies go to `mirrors`.
struct Route {
  std::string name;  // stable: "<version>" for a segment, "default" for catch-all
  std::vector<RequestMatch> matches;
  std::vector<Destination> destinations;
  std::vector<Mirror> mirrors;
  std::optional<size_t> segment_of;  // canary: the candidate whose matches these are
  // Sticky sessions: the route takes the requests of the next weighted route that carry the
  // cookie naming this version, all to it. Its segment_of is that route's (or, before the
  // catch-all, this version), so that order checks treat it as a segment in its place.
  std::optional<size_t> sticky_version;
  std::string sticky_of;  // the name of that weighted route
  Location loc;
  std::string field_path;
};

// A port a version's pods declare (deploymentSpecification containers[].ports[]): its name
// ("" = unnamed) and number, and where it is written.
struct ContainerPort {
  std::string name;
  int64_t number = 0;
  Location loc;
  std::string field_path;
};

struct Version {
  size_t index = 0;
  std::string name;
  std::string namespace_;
  StringMap labels;       // the version's own labels (application labels not included)
  StringMap annotations;  // the version's own annotations
  std::map<std::string, Location> label_locs;  // where each of `labels` is written
  // The value of the `version` label the version's pods carry and are selected by (Deployment
  // selector, version Service, Istio subset, Consul subset filter): the one the spec gives
  // (versions[].metadata.labels or the deploymentSpecification), "" = the version's name.
  std::string version_label;
  Location version_label_loc;  // where it is given
  std::string version_label_field_path;
  const std::string& pod_version() const { return version_label.empty() ? name : version_label; }
  int port = 80;                           // service port
  std::string image;                       // "" when deploymentSpecification is given
  nlohmann::ordered_json deployment_spec;  // {metadata, spec} or null
  nlohmann::ordered_json service_spec;     // {metadata, spec} or null
  Location loc;
  std::string field_path;  // "application.versions[1]"; the locations below are of its fields
  Location deployment_spec_loc;
  Location service_spec_loc;
  // Where each value of the specs' label and selector mappings is written, by field path
  // ("application.versions[1].deploymentSpecification.spec.selector.matchLabels.app").
  std::map<std::string, Location> spec_value_locs;
  Location namespace_loc;
  Location port_loc;
  std::string port_field_path;  // where the port comes from: port_loc (the version's own
                                // location when no field sets it)
  // The ports the deploymentSpecification's containers declare (empty: none declared, or no
  // deploymentSpecification), and the one of them the version's Service targets (resolved in
  // lowering when there are any).
  std::vector<ContainerPort> container_ports;
  ContainerPort target_port;
  Location container_ports_loc;  // the first containers[].ports list
  std::string container_ports_field_path;
};

// A choice made by a spec field or a command-line option: the value, and where it was made.
struct Setting {
  std::string value;   // "" = not given
  Location loc;        // the field's value; for an option, the release document
  std::string origin;  // the field path ("spec.implementation") or the option ("--implementation")
  bool given() const { return !value.empty(); }
};

struct Routemap {
  std::string name;  // application name: names the root Service and routing objects
  std::string namespace_;
  StringMap labels;  // put on every generated object
  StringMap annotations;
  std::map<std::string, Location> label_locs;  // where each of `labels` is written
  std::string environment;                     // as written; the driver picks the target it names
  Strategy strategy = Strategy::kNone;
  int port = 80;  // root Service port
  std::vector<std::string> hosts;
  std::string gateway;  // "" or "name" or "namespace/name"
  std::vector<Version> versions;
  std::vector<Route> routes;  // first-match order; the last route matches every request
  Protocol protocol = Protocol::kHttp;
  // The implementation of the target's API that serves the routes (its name as written), and
  // the one serving the route attached to `gateway` (when not given: `implementation`).
  Setting implementation;
  Setting gateway_implementation;
  // Whether every response carries the header app-version: <version that answered>. "" = as
  // the target decides (on where it can); "true" / "false" = asked for.
  Setting app_version_header;
  // Sticky sessions (application.sticky): "" = none; else the cookie that pins a client to the
  // version that answered it first ("meshc-<app>"), and where sticky is given.
  std::string sticky_cookie;
  Location sticky_loc;
  Location loc;
  std::string path_prefix;  // "" or "spec": what the field paths of the values start with
  // The field path of a field of the values ("application.hosts"), with path_prefix.
  std::string field_path(const std::string& path) const;
  Location protocol_loc;
  Location environment_loc;
  Location hosts_loc;
  Location gateway_loc;
  Location strategy_loc;
  Location application_loc;  // the `application` field's value
};

// The names the root Service answers to inside the cluster: <app>, <app>.<ns>, <app>.<ns>.svc,
// <app>.<ns>.svc.cluster.local.
std::vector<std::string> in_cluster_hosts(const Routemap& rm);
// "<app>.<ns>.svc.cluster.local" of a Service.
std::string service_fqdn(const std::string& name, const std::string& namespace_);

// The Set-Cookie header value a destination with set_cookie answers with: the sticky cookie
// naming version `v`, "meshc-<app>=<version>; Path=/; HttpOnly" (a session cookie: no Max-Age).
std::string sticky_set_cookie(const Routemap& rm, const Version& v);

// Largest-remainder rounding of relative `weights` to integers summing to `total`; ties go to
// the earlier entry. All weights zero (or empty) gives all zero.
std::vector<int> normalise_weights(const std::vector<uint64_t>& weights, int total);

}  // namespace meshc
