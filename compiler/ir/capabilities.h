// Features a routemap may use and a target may or may not express, and the check between
// them. The check runs in the driver, before a target's emit, so no target needs stubs.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"

namespace meshc {

struct Capabilities {
  bool header_match = false;
  bool path_match = false;
  bool query_match = false;
  bool method_match = false;
  bool cookie_match = false;
  bool regex_match = false;
  bool prefix_match = false;       // literal header prefix / plain string path prefix
  bool weighted_segments = false;  // a segment split between versions by weight
  bool mirror = false;
  bool hosts = false;             // application.hosts
  bool gateway = false;           // attach to an ingress gateway
  bool cross_namespace = false;   // versions in another namespace than the application
  bool per_version_port = false;  // versions serving different ports
  bool grpc = false;              // gRPC routes (application.protocol: grpc)
  bool response_headers = false;  // the app-version response header
  // application.sticky: a cookie match per version ahead of each weighted route, and a
  // Set-Cookie response header added by each of its weighted backends.
  bool sticky = false;
  // Not a feature of the spec (no column in the tables): the routes are the target's own
  // ingress proxy's (Traefik, Contour), matched by the Host header, as routes on a gateway are.
  bool ingress = false;
};

// Every capability with a name for tables (`meshc targets --format markdown`), in a fixed
// order.
struct CapabilityField {
  const char* name;
  bool Capabilities::*member;
};
const std::vector<CapabilityField>& capability_fields();

// Another API version of the same target and what it can express: named in messages when it
// has what the chosen version lacks ("smi@v1alpha4 can").
struct CapabilityAlternative {
  std::string target;  // "smi@v1alpha4"
  Capabilities caps;
};

// Reports, at its location, every feature of `rm` that `caps` lacks, naming `target`
// ("smi@v1alpha2"), the feature, and the `alternatives` that have it. True when everything
// is expressible. Warns, too, when routes that match the Host header (on `gateway`, or on the
// target's ingress proxy) get only the in-cluster names because application.hosts is empty.
bool check_capabilities(const Routemap& rm, const Capabilities& caps, const std::string& target,
                        const std::vector<CapabilityAlternative>& alternatives,
                        DiagnosticSink& sink);

}  // namespace meshc
