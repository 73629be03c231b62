// Request tables (tests/golden/<case>/requests.yaml): requests written by hand from a case's
// input.yaml and the contract (release-spec.md §3), each with the distribution the spec demands.
// Format: tests/routing/README.md.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/routing/simulator.h"

namespace routing {

struct Expectation {
  bool unrouted = false;                   // expect: unrouted (404)
  bool unsplit = false;                    // expect: unsplit (the Service alone, several versions)
  std::map<std::string, double> versions;  // expect: {version: percent}
  std::map<std::string, double> mirrors;   // mirror: {version: percent}; absent = no copies
};

struct TableRequest {
  std::string name;
  Request request;
  Expectation expect;
  // Per-target expectation where the contract itself gives targets different numbers
  // (SMI v1alpha1 normalises to 1000m instead of 100): "smi@v1alpha1" -> expectation; a key
  // without "@" ("istio") holds for every API version of that target not named exactly.
  std::map<std::string, Expectation> expect_for;
  // Whether responses must carry app-version (the contract on gateway-api, istio and linkerd);
  // false where the spec turns it off or the implementation cannot set it.
  bool app_version = true;
};

struct Table {
  std::vector<TableRequest> requests;
  // The implementation the spec names (gateway-api outputs are then routed as it reads them,
  // see Cluster::Route), or "".
  std::string implementation;
  // application.sticky's cookie ("meshc-<app>"), or "" when the release is not sticky: then a
  // response split between versions must add Set-Cookie: <cookie>=<version>; ..., and no
  // other response sets a cookie.
  std::string sticky_cookie;
};

// Throws std::runtime_error with the file and the problem.
Table LoadTable(const std::string& path);

// Routes every request of `table` through `cluster` under `target`'s API ("istio@v1alpha3").
// Returns one message per mismatch (empty when all agree). The app-version response header is
// checked too on gateway-api and istio (the contract: every response names its version).
std::vector<std::string> CheckTable(const Table& table, const Cluster& cluster,
                                    const std::string& target, bool verbose,
                                    std::vector<std::string>* log);

}  // namespace routing
