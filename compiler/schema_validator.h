// Schema validation of release specs against schemas/release.schema.json (draft-07).
//
// valijson decides whether a document is valid and at which nodes it fails; for each failing
// node, the explainer re-reads the node's own constraints from the schema and phrases one
// message ("expected X, got Y") at the offending key or value. Nodes that failed only because
// a child failed (valijson's cascade) produce nothing, so one mistake gives one error.
#pragma once

#include <memory>
#include <string>

#include "compiler/diagnostics.h"
#include "compiler/yaml_tree.h"

namespace meshc {

enum class SpecForm { kValues, kReleaseDocument };

class SchemaValidator {
 public:
  // The process-wide validator; the schema is parsed and compiled on first use only.
  static const SchemaValidator& get();

  // Validates `root` as `form`. Reports every violation to `sink`; true when valid.
  // `path_prefix` is prepended to field paths in messages (e.g. "spec").
  bool validate(const YNode& root, SpecForm form, DiagnosticSink& sink) const;

  // The schema text as shipped (schemas/release.schema.json).
  static const std::string& schema_text();

  ~SchemaValidator();
  struct Impl;

 private:
  SchemaValidator();
  std::unique_ptr<Impl> impl_;
};

// "application.versions[1].weight" style rendering of a path of keys and indices.
std::string append_path(const std::string& base, const std::string& key);
std::string append_index(const std::string& base, size_t index);

// The closest candidate to `word` by edit distance, or "" when none is close.
std::string closest_word(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace meshc
