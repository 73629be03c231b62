// The commands that work on a stream from another tool: `meshc post-render` (Helm) and
// `meshc krm` (kustomize, kpt). Both read stdin whole and write stdout only at the end.
#pragma once

#include <memory>
#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/lower/lower.h"
#include "compiler/yaml/limits.h"

namespace meshc {

class CrdSet;

struct StreamCommandOptions {
  std::string target;      // --target, "" = each Release's environment decides
  std::string name;        // --name: default application name
  std::string namespace_;  // --namespace: default namespace
  bool warnings_as_errors = false;
  Limits limits;
  PrintOptions print;
  std::shared_ptr<const CrdSet> crds;  // --check-against, or null
  RoutingOverrides routing;            // --implementation, ... (lower.h)
};

// Exit status 0 (done), 1 (invalid input: diagnostics on stderr, nothing on stdout) or 2
// (usage: a bad --target, --name or --namespace).
int run_post_render(const StreamCommandOptions& options);

// Exit status 0 or 1, and a ResourceList on stdout either way (see krm.h); 2 for usage errors,
// with nothing on stdout.
int run_krm(const StreamCommandOptions& options);

}  // namespace meshc
