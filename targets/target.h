// The target back-end interface and the registry of targets.
//
// A target turns a routemap into the routing objects of one mesh API. What it is — its name,
// the spec environment that selects it, its API versions and what each can express — is data
// (TargetInfo), read by the driver (capability check, environment -> target), the command line
// (--target help, `meshc targets`) and the test scripts (`meshc targets --format names`). Only
// emit() is code. Targets are registered in one place, targets/registry.cpp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/capabilities.h"
#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc {

// One API version of a target and what the routing objects at that version can express.
struct ApiVersion {
  std::string name;  // "v1", "v1alpha2"
  Capabilities caps;
};

// An implementation of a target's API that the spec's `implementation` (or --implementation)
// can name, so that the target checks the routes against what that implementation supports
// (gateway-api: the implementations that file Gateway API conformance reports).
struct ImplementationInfo {
  std::string name;     // "envoyproxy/envoy-gateway"; matched case-insensitively
  std::string alias;    // "envoy-gateway"
  std::string summary;  // one line for `meshc targets --implementations`
  // What it can express, per TargetInfo::implementation_columns: made on demand (only
  // `meshc targets` shows them; judging every feature is a third of a compile's instructions).
  std::function<std::vector<std::string>()> cells = [] { return std::vector<std::string>(); };
};

struct ImplementationTable {
  std::vector<ImplementationInfo> implementations;
  std::vector<std::string> columns;  // what the cells of each say
};

struct TargetInfo {
  std::string name;         // "gateway-api": what --target takes
  std::string description;  // one line, for `meshc targets`
  // The spec environment that selects this target when no --target is given
  // ("deployment-gtw"); every environment of the schema but `deployment` names one target.
  std::string environment;
  std::vector<ApiVersion> api_versions;  // the first is the default
  // The implementations the spec can name, made on first use by a function of the target that
  // keeps them; null: none, the spec cannot name one. Building gateway-api's list took a
  // compile 12% of its instructions, and a compile needs it only when the spec names one.
  const ImplementationTable& (*implementation_table)() = nullptr;

  const std::vector<ImplementationInfo>& implementations() const;
  const std::vector<std::string>& implementation_columns() const;  // what the cells of each say
  // The API version called `name`, or null.
  const ApiVersion* find_version(const std::string& name) const;
  // The implementation `name` designates (its name, case-insensitive, or its alias), or null.
  const ImplementationInfo* find_implementation(const std::string& name) const;
};

class Target {
 public:
  virtual ~Target() = default;
  virtual const TargetInfo& info() const = 0;
  // Appends the routing objects of `rm` at `api_version` (one of info().api_versions) to
  // `out`. Called only when check_capabilities() accepted `rm` for that version. Pure: reports
  // what the API cannot express beyond the declared capabilities to `sink`, at the spec
  // location and field path the routemap node remembers.
  virtual void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
                    std::vector<Object>& out) const = 0;
  // Annotations the routing objects need on the pods of version `v`: data a mesh registers
  // the pods with and selects them by (Consul's service metadata). The driver passes them to
  // render_workloads, which puts them on the version's pod template. None by default.
  virtual StringMap pod_annotations(const Routemap& rm, const Version& v) const {
    (void)rm, (void)v;
    return {};
  }
  // Whether the routing objects pick versions among the root Service's own endpoints (Istio's
  // DestinationRule subsets of the host, Consul's subsets of the service the pods register
  // under), so the root Service must select every version's pods. False (the default): the
  // routes name each version's own Service, and the root Service selects only the version
  // taking the largest share of the catch-all route, which a client bypassing the mesh reaches.
  virtual bool routes_among_root_endpoints() const { return false; }
};

// A target at one API version, as --target names it ("smi@v1alpha4").
struct TargetChoice {
  const Target* target = nullptr;  // null = workloads only
  std::string api_version;         // resolved (the default filled in)
  const std::string& name() const;
  std::string str() const;  // "smi@v1alpha4", or "" for workloads only
  const Capabilities& capabilities() const;
};

// Every target, in the order `meshc targets` lists them (targets/registry.cpp).
const std::vector<const Target*>& all_targets();
// The target called `name`, or null.
const Target* find_target(const std::string& name);
// The target an environment selects, or null (`deployment`, or an environment no target has).
const Target* find_target_for_environment(const std::string& environment);

// Parses "name[@version]". On error returns nullopt and sets `error` to a message that lists
// the valid names or versions and suggests the closest one ("did you mean ...").
std::optional<TargetChoice> parse_target(const std::string& spec, std::string* error);

// "gateway-api[@v1|@v1beta1], istio[@v1|@v1beta1|@v1alpha3], ..." for help texts.
std::string target_synopsis();

// Checks an --implementation value against every target's implementations. On error returns
// false and sets `error` to a message naming the valid aliases and the closest one.
bool check_implementation_option(const std::string& option, const std::string& name,
                                 std::string* error);

// Reports, at their location, an implementation (rm.implementation, rm.gateway_implementation)
// that `choice`'s target does not know, or a target that has no implementations to name.
// True when there is nothing to report.
bool check_implementation_names(const Routemap& rm, const TargetChoice& choice,
                                DiagnosticSink& sink);

// The other API versions of `choice`'s target with what they can express, so that a
// capability error can name the versions that could ("smi@v1alpha4 can").
std::vector<CapabilityAlternative> capability_alternatives(const TargetChoice& choice);

}  // namespace meshc
