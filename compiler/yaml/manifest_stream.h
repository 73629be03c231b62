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

// The same segments one at a time, each as soon as the scan has passed its end: a caller that
// looks at a segment right away finds its bytes still in the cache. The text may also arrive
// in parts (post-render reading a pipe): extend() says how much of it is there, and next()
// hands out only the segments that the bytes to come cannot change, the last one once the
// text is complete.
class StreamSplitter {
 public:
  // The whole of `text`, complete.
  explicit StreamSplitter(std::string_view text);
  // A text that starts at `data` and arrives later: nothing of it is there yet.
  explicit StreamSplitter(const char* data) : data_(data) {}
  // Now the first `available` bytes at `data` are there (never fewer than before), and
  // `complete` says that no more will come.
  void extend(size_t available, bool complete);
  // The next segment into *out; false when there are no more (for now, when the text is not
  // complete).
  bool next(StreamSegment* out);

 private:
  static constexpr std::string_view kGroup = "meshc.dev/";
  void note_group(size_t end);
  size_t scan_lines(size_t* line_no);
  // Ends the current segment at `end` and starts the next there (at line `end_line`); true
  // when the ended segment is not empty (then it is in *out).
  bool close_at(size_t end, size_t end_line, StreamSegment* out);
  const char* data_;
  size_t size_ = 0;
  bool complete_ = false;
  StreamSegment cur_;
  size_t scan_ = 0;             // where the search for the next line holding '-' or '.' resumes
  size_t line_no_ = 0;          // the line of byte scan_
  size_t group_from_ = 0;       // "meshc.dev/" was looked for at the offsets before this one
  bool done_ = false;           // no line is left to look at
  bool pending_final_ = false;  // the segment after the last line is still to be closed
};

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
