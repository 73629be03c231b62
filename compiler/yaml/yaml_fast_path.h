// A fast path for the loader: the block-style YAML that release specs and Helm's toYaml are
// written in, parsed without yaml-cpp into the very events yaml-cpp would produce.
//
// yaml-cpp spends about 1,500 instructions per byte of input (a regular-expression scanner
// over a character queue), which made loading most of the cost of compiling a spec. The fast
// path accepts only a subset of YAML and declines everything else before any event reaches the
// loader, which then runs yaml-cpp as before: for an accepted input the events (kinds, tags,
// values, marks) are those of yaml-cpp, so trees, locations and every diagnostic are unchanged
// (tests/unit/yaml_fast_path_test.cpp compares the two on the golden inputs, the examples and
// mutations of them).
//
// The subset: documents separated by "---" lines, each a block mapping or block sequence at
// column 0; block mappings of plain keys; block sequences ("- " entries, also at their key's
// column); values that are single-line plain or quoted scalars (double quotes without escapes),
// or single-line flow collections of those; comments and blank lines. Declined: tabs, CR, a
// BOM, directives, "...", anchors, aliases, tags, block scalars, multi-line scalars, empty
// values, complex keys, and anything else it is not sure of.
#pragma once

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/yaml/limits.h"
#include "compiler/yaml/yaml_loader.h"

namespace meshc {

struct FastYamlEvent {
  enum class Kind : uint8_t {
    kDocumentStart,  // at the "---" line, else at the document's first token
    kScalar,
    kNull,  // a plain ~, null, Null or NULL (yaml-cpp reports these as nulls)
    kMapStart,
    kMapEnd,
    kSeqStart,
    kSeqEnd,
    kDocumentEnd,
  };
  Kind kind = Kind::kScalar;
  bool quoted = false;  // kScalar: yaml-cpp's tag "!" (quoted), else "?" (plain)
  bool flow = false;    // kMapStart, kSeqStart: written {...} or [...]
  YAML::Mark mark;      // 0-based line and column (bytes) and offset, as yaml-cpp's
  std::string value;    // kScalar: the text after unquoting
};

// Parses `text` into `events` (each document's kDocumentStart, events, kDocumentEnd) when the whole
// text lies in the subset above and nests no deeper than `max_depth` collections. Returns false
// otherwise; `events` is then unspecified. `text` must have passed find_invalid_text
// (yaml_loader.h): UTF-8 without control characters.
bool parse_yaml_fast(std::string_view text, uint32_t max_depth, std::vector<FastYamlEvent>* events);

// Parses `text` (bytes of `file` from 0-based line `base_line` on) straight into the loader's
// documents, the very trees the loader builds from parse_yaml_fast's events. Returns false
// when the text leaves the subset, or when the loader would report an error (a duplicate key,
// more than Limits::max_nodes nodes or max_documents documents); `docs` is then empty and the
// loader takes its usual path, which reports it. `text` must have passed find_invalid_text.
bool load_yaml_fast(std::string_view text, const SourceFile& file, uint32_t base_line,
                    const Limits& limits, std::vector<YamlDocument>* docs);

// Feeds parsed events to a yaml-cpp event handler one document at a time, as
// YAML::Parser::HandleNextDocument does.
class FastYamlReplay {
 public:
  explicit FastYamlReplay(const std::vector<FastYamlEvent>& events) : events_(events) {}
  // Replays the next document; false when there is none.
  bool HandleNextDocument(YAML::EventHandler& handler);

 private:
  const std::vector<FastYamlEvent>& events_;
  size_t next_ = 0;
};

}  // namespace meshc
