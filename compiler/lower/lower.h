// Lowering: one schema-valid release spec -> its routemap, with the semantic checks that a
// schema cannot express (unique names, weight sums, regexes, derived name lengths ...).
// Every routemap node gets the location and the field path of the spec text it came from.
#pragma once

#include <optional>
#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/lower/documents.h"

namespace meshc {

// Routing options from the command line (or a KRM ConfigMap); each, when given, overrides
// the spec field of the same meaning, as --target overrides the environment.
struct RoutingOverrides {
  std::string implementation;          // --implementation
  std::string gateway_implementation;  // --gateway-implementation
  std::string app_version_header;      // --app-version-header: "", "true" or "false"
};

// Defaults from the command line (Helm's release name and namespace in a post-renderer).
struct ReleaseDefaults {
  std::string name;
  std::string namespace_;
  RoutingOverrides routing = {};
  // --step N|NAME (KRM: step, Argo CD: the step parameter): the schedule's step to compile
  // instead of application.schedule.current; "" = current.
  std::string step = {};
};

// Lowers a release the schema accepted. Returns nullopt after reporting errors.
std::optional<Routemap> lower_release(const ReleaseInput& in, const ReleaseDefaults& defaults,
                                      DiagnosticSink& sink);

}  // namespace meshc
