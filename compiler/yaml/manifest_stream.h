// Cutting a YAML stream (Helm's rendered manifests) into documents without parsing it, and
// telling cheaply whether a document may be a meshc Release.
//
// Documents are separated by lines that start a document ("---" at column 0, alone or followed
// by a space or tab and anything, e.g. "--- # comment") and by document-end lines ("..." at
// column 0, likewise). In a valid stream such a line cannot be inside a block scalar: block
// scalar content is indented. Line ends may be LF or CRLF; the last line may lack one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace meshc {

// One document's bytes [begin, end) in the stream. Segments tile the stream: the first begins
// at 0, each next one where the previous ended, the last ends at the stream's size, so
// concatenating them gives the stream back byte for byte. A segment starts at a "---" line or
// at the start of the stream or after a "..." line, and includes a "..." line that ends it.
struct StreamSegment {
  size_t begin = 0;
  size_t end = 0;
  uint32_t begin_line = 0;            // the 0-based line `begin` starts (counted in the same pass)
  bool starts_with_marker = false;    // its first line is a "---" line
  bool ends_with_end_marker = false;  // its last line is a "..." line
  // It contains "meshc.dev/" (found in one pass over the stream): only then can it be a
  // Release, and scan_for_release() can say more.
  bool mentions_meshc_group = false;
};

// Splits `text` into segments as described above. Never fails; an empty text has none.
std::vector<StreamSegment> split_yaml_stream(std::string_view text);

// What a cheap scan of a document's top-level keys says about it being a meshc Release
// (kind: Release, apiVersion: meshc.dev/...).
enum class ReleaseScan {
  kNo,     // certainly not: no "meshc.dev/", or top-level kind/apiVersion say otherwise
  kYes,    // block mapping at column 0 with kind: Release and apiVersion: meshc.dev/...
  kMaybe,  // mentions meshc.dev/ but is not a plain block mapping at column 0: parse to know
};

// Scans `doc` (one segment). Looks only at lines starting at column 0.
ReleaseScan scan_for_release(std::string_view doc);

}  // namespace meshc
