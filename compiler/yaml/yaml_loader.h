// Loading: bytes -> YAML documents of YNodes with source locations.
//
// The loader rejects, with a located error: text that is not UTF-8 or holds control
// characters, YAML syntax errors, duplicate mapping keys, non-scalar keys, unknown tags,
// nesting deeper than Limits::max_depth, and aliases that would expand a document beyond
// Limits::max_alias_expansion nodes or Limits::max_alias_expansion_bytes of scalar text
// (checked without expanding, in time linear in the input).
#pragma once

#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/diag/source.h"
#include "compiler/yaml/limits.h"
#include "compiler/yaml/yaml_tree.h"

namespace meshc {

struct YamlDocument {
  YNodePtr root;  // never null: an empty document is a kNull node
  Location start;
};

// Parses every document of `file`. On any error, reports it to `sink` and returns the
// documents read before it (callers check sink.has_errors()).
std::vector<YamlDocument> load_yaml(const SourceFile& file, const Limits& limits,
                                    DiagnosticSink& sink);

// The same for bytes [begin, end) of `file` only; `begin` must be the start of a line (or
// the end of the text). Locations are those in the whole file, so a document cut out of a
// larger stream (post-render, krm) is reported at its real line.
std::vector<YamlDocument> load_yaml_range(const SourceFile& file, size_t begin, size_t end,
                                          const Limits& limits, DiagnosticSink& sink);

// Checks that `text` is UTF-8 without control characters other than tab, LF and CR, without
// C1 controls, U+FFFE/U+FFFF, the YAML 1.1 line breaks NEL, LS and PS, and without a BOM
// after offset 0.
// Returns the byte offset of the first offending byte, or npos.
size_t find_invalid_text(std::string_view text, std::string* why);

}  // namespace meshc
