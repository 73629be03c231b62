// Targeted edits of YAML text: where a node written by the loader begins and ends in its file,
// and edits (replace a span, remove an entry's lines, insert lines) applied to the original
// bytes, so that everything not edited (comments, key order, quoting, line endings, other
// documents) stays byte for byte. No YAML is re-written: this is the opposite of a round trip.
//
// The tree (yaml_tree.h) gives where each node starts (line, column). Where it ends is read
// from the text here: a quoted or plain scalar on its line, a flow collection up to its closing
// bracket, a block entry (mapping key or "- " item) over the lines indented deeper than it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/yaml/yaml_tree.h"

namespace meshc {

constexpr size_t kNoSpan = static_cast<size_t>(-1);

// Byte offset of `loc` in its file.
size_t offset_of(const Location& loc);
// Offset of the start of the line holding `offset`, and of the start of the next line (or
// the text's size).
size_t line_start_of(std::string_view text, size_t offset);
size_t next_line_start(std::string_view text, size_t offset);
// The line terminator the text uses: that of the line holding `offset`, else the text's first,
// else "\n".
std::string line_ending_at(std::string_view text, size_t offset);

// Whether the node is a flow collection ({...} or [...]) by its first byte.
bool is_flow_collection(std::string_view text, const YNode& n);
// The end offset (exclusive) of a node written on one span starting at its location: a
// quoted scalar (closing quote), a flow collection (closing bracket), a plain scalar (up to a
// comment, the end of the line, or in flow context a ',', ']' or '}'; a plain scalar that
// continues on the next line is kNoSpan). Block collections and block scalars are kNoSpan.
size_t span_end(std::string_view text, const YNode& n, bool in_flow);

// A block entry that starts at offset `start` (its key, or the "-" of a list item) in column
// `col`: the offset where the lines that belong to it end (the start of the line after its
// last one). Its lines are the first and every following one indented deeper than `col`
// (with `compact_list`, also "- " lines at `col`: a key whose value is a list written at the
// key's own indentation). Blank lines and comments indented no deeper than `col` at the end
// do not belong to it.
size_t block_entry_end(std::string_view text, size_t start, uint32_t col, bool compact_list);

// `s` with every line after the first shifted right by `delta` spaces (left when negative,
// removing at most that many leading spaces). Blank lines stay as they are.
std::string reindent(std::string_view s, int delta);

struct TextEdit {
  size_t begin = 0;  // replaces bytes [begin, end) by `text`; begin == end inserts
  size_t end = 0;
  std::string text;
};
// Applies edits that do not overlap (two inserts at one offset apply in the order given).
// False when two overlap.
bool apply_edits(std::string_view text, std::vector<TextEdit> edits, std::string* out);

}  // namespace meshc
