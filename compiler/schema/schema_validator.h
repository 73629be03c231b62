// Schema validation of release specs against schemas/release.schema.json (draft-07).
//
// valijson decides whether a document is valid and at which nodes it fails; for each failing
// node, the explainer re-reads the node's own constraints from the schema and phrases one
// message ("expected X, got Y") at the offending key or value. Nodes that failed only because
// a child failed (valijson's cascade) produce nothing, so one mistake gives one error.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/yaml/yaml_tree.h"

namespace valijson {
class Schema;
}

namespace meshc {

enum class SpecForm { kValues, kReleaseDocument };

class SchemaValidator {
 public:
  // The process-wide validator; the schema is parsed and compiled for valijson only when a
  // document is not accepted by the fast validator.
  static const SchemaValidator& get();

  // Validates `root` as `form`. Reports every violation to `sink`; true when valid.
  // `path_prefix` is prepended to field paths in messages (e.g. "spec").
  // The generated tables (fast_schema.h) decide first; only a document they do not accept is
  // validated again with valijson, whose failures give the messages.
  bool validate(const YNode& root, SpecForm form, DiagnosticSink& sink) const;
  // valijson alone (the fast validator's reference in the differential tests).
  bool validate_with_valijson(const YNode& root, SpecForm form, DiagnosticSink& sink) const;

  // The schema text as shipped (schemas/release.schema.json).
  static const std::string& schema_text();
  // The environments the schema accepts, in its order (parses the schema: for messages).
  static std::vector<std::string> environments();

  ~SchemaValidator();
  struct Impl;

 private:
  SchemaValidator();
  // The valijson schema of `form`, compiled on its first use (thread-safe).
  const valijson::Schema& compiled(SpecForm form) const;
  std::unique_ptr<Impl> impl_;
};

// One failure as valijson reports it: the instance path ("<root>", then keys and "[index]")
// and valijson's own description of the failure.
struct SchemaFailure {
  std::vector<std::string> context;
  std::string description;
};

struct ExplainOptions {
  // The instance was written by a user: suggest quoting a plain scalar where a string is
  // expected. Off for generated instances, which have no source text to edit.
  bool quoting_hints = true;
  // Report each failure the explainer cannot phrase (e.g. a `not`) at its node, with
  // valijson's description; otherwise the caller decides what to do when nothing is reported.
  bool report_unexplained = false;
};

// Turns valijson's failures of `instance` against `schema` into one error per mistake,
// reported to `sink` at the offending node with its field path ("spec.rules[0].name").
// `root` is the document that "#/..." $refs in `schema` resolve against (may be `schema`).
// Understands type, enum, string/number/array/object limits, required, additionalProperties,
// propertyNames and one-of-these-fields choices (oneOf/anyOf of `required`); nodes that failed
// only because a child failed report nothing. Returns the number of errors reported.
size_t explain_schema_failures(const nlohmann::json& root, const nlohmann::json& schema,
                               const YNode& instance, const std::vector<SchemaFailure>& failures,
                               const ExplainOptions& options, DiagnosticSink& sink);

}  // namespace meshc
