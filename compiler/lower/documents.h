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

// Reports KServe environments ("not supported"), which the schema would report as unknown.
// True when the environment may be compiled (other mistakes are left to the schema).
bool check_environment(const ReleaseInput& in, DiagnosticSink& sink);

}  // namespace meshc
