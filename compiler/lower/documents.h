// Which documents are releases, and which environments meshc compiles: the gate in front of
// the schema, so that a user sees one clear message ("KServe environments are not supported")
// instead of the schema's cascade.
#pragma once

#include <optional>
#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/yaml_tree.h"

namespace meshc {

// One release found in an input: the document and where its values are.
struct ReleaseInput {
  const YNode* document = nullptr;  // the whole YAML document
  const YNode* values = nullptr;    // the values mapping (the document, or its `spec`)
  SpecForm form = SpecForm::kValues;
  std::string path_prefix;  // "" or "spec": what field paths of the values start with
};

// Recognises a document as a release: a mapping without kind and apiVersion (the values form)
// or a kind: Release document. Reports an error for anything else and returns nullopt; a null
// (empty) document returns nullopt without an error.
std::optional<ReleaseInput> classify_document(const YNode& doc, DiagnosticSink& sink);

// For a document found by walking a directory: "" when it is, or may be, a release (then
// classify_document checks it strictly), else why it is clearly not one: a resource of
// another kind or API group, or something without the values' top-level keys (environment,
// application). A null document is not a release.
std::string why_not_a_release(const YNode& doc);

// Reports KServe environments ("not supported"), which the schema would report as unknown.
// True when the environment may be compiled (other mistakes are left to the schema).
bool check_environment(const ReleaseInput& in, DiagnosticSink& sink);

// Reports every integer written with a leading zero that YAML 1.1 reads as another number
// (`010`: octal 8 to Helm and kubectl, 10 to meshc's YAML 1.2); true when there is none.
bool check_leading_zero_integers(const ReleaseInput& in, DiagnosticSink& sink);

}  // namespace meshc
