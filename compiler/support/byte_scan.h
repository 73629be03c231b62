// Byte searches over large texts: post-render and the source index go over 50 MB Helm streams
// whose lines average a few dozen bytes, where a call per line (memchr) or a stop at every
// first byte of a needle (string_view::find) dominates the run. These look at 16 bytes per
// step with SSE2 (every x86-64 CPU has it) and fall back to plain loops elsewhere; the results
// are the same either way. Pure functions of their arguments.
#pragma once

#include <cstddef>
#include <string_view>

namespace meshc {

// How many bytes of `s` equal `c`.
size_t count_byte(std::string_view s, char c);

// The offset of the first occurrence of `needle` in `s` at or after `from`, or npos (an empty
// needle is found at `from` when from <= s.size()).
size_t find_bytes(std::string_view s, std::string_view needle, size_t from = 0);

// The first offset p >= from that starts a line (p == 0 or s[p - 1] == '\n') and holds `a` or
// `b` (s[p] == a || s[p] == b), or npos.
size_t find_line_start_with(std::string_view s, size_t from, char a, char b);
// The same, also adding to `newlines` how many '\n' lie in [from, the answer), or in
// [from, s.size()) when there is none: the line number of the answer, counted in the same pass.
size_t find_line_start_with(std::string_view s, size_t from, char a, char b, size_t* newlines);
// The same (`newlines` required), also setting *found to whether `needle` (2 bytes or more, no
// '\n' in it) occurs in s at an offset q with from <= q < the answer (or s.size() without
// one), in the same pass: the stream splitter looks for "meshc.dev/" while it looks for
// document markers, so that the 50 MB of a Helm stream are read once, not twice.
size_t find_line_start_noting(std::string_view s, size_t from, char a, char b, size_t* newlines,
                              std::string_view needle, bool* found);

}  // namespace meshc
