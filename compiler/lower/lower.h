// Lowering: one schema-valid release spec -> its routemap, with the semantic checks that a
// schema cannot express (unique names, weight sums, regexes, derived name lengths ...).
#pragma once

#include <optional>
#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/yaml_tree.h"

namespace meshc {

// One release found in an input: the document and where its values are.
struct ReleaseInput {
  const YNode* document = nullptr;  // the whole YAML document
  const YNode* values = nullptr;    // the values mapping (the document, or its `spec`)
  SpecForm form = SpecForm::kValues;
  std::string path_prefix;  // "" or "spec"
};

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
};

// Recognises a document as a release (either form). Reports an error for anything else and
// returns nullopt; a null (empty) document returns nullopt without an error.
std::optional<ReleaseInput> classify_document(const YNode& doc, DiagnosticSink& sink);

// Reports KServe environments ("not supported") and unknown environments before the schema
// runs, so the user sees one clear message. True when the environment can be compiled.
bool check_environment(const ReleaseInput& in, DiagnosticSink& sink);

// Lowers a schema-valid release. Returns nullopt after reporting errors.
std::optional<Routemap> lower_release(const ReleaseInput& in, const ReleaseDefaults& defaults,
                                      DiagnosticSink& sink);

}  // namespace meshc
