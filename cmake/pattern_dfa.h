// Build-time: a schema `pattern` as a deterministic automaton over bytes, so that the fast
// validator (compiler/schema/fast_schema.h) matches it with a table walk instead of compiling
// RE2 at run time. Used by cmake/gen_fast_schema.cpp and by the differential test
// (tests/unit/pattern_dfa_test.cpp), which holds every answer equal to RE2::PartialMatch.
//
// The answer is RE2's (default options: UTF-8, Perl classes) for the subset parsed here:
//   - literals: printable ASCII other than \^$.|?*+()[]{}, and \ before any ASCII punctuation;
//     \t \n \r \f \v;
//   - . (any character but \n), classes [...] / [^...] of ASCII characters, ranges and the
//     escapes above, \d \D \s \S \w \W (RE2's \s is [\t\n\f\r ], without \v), in and out of
//     classes;
//   - groups (...) and (?:...), alternation |, and the quantifiers * + ? (lazy forms too: they
//     match the same strings);
//   - ^ as the pattern's first character and $ as its last, when the top level has no |.
// A pattern is searched for anywhere in the string (RE2::PartialMatch) unless anchored.
// Characters outside ASCII are RE2's UTF-8 sequences; a class or . that holds every non-ASCII
// character accepts what RE2 compiles 80-10FFFF to: [C2-DF][80-BF], [E0-EF][80-BF]{2} and
// [F0-F4][80-BF]{3} (RE2 admits overlong E0/F0 forms and F4 forms past 10FFFF there).
// Anything else (counted repetition, flags, \b, \p, POSIX classes, non-ASCII in the pattern,
// ...) throws PatternError, which the generator turns into a failed build.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace meshc::pattern_dfa {

struct PatternError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// State 0 is the dead state (no match possible whatever follows); next[s * classes + c] is the
// state after a byte of class c in state s.
struct Dfa {
  std::array<uint8_t, 256> byte_class{};
  uint32_t classes = 0;
  uint32_t start = 0;
  std::vector<uint32_t> next;
  std::vector<uint8_t> accept;  // one per state
};

// Throws PatternError naming the construct it does not support.
Dfa compile(const std::string& pattern);

// Whether `s` holds a match (RE2::PartialMatch with the pattern `dfa` was compiled from).
bool matches(const Dfa& dfa, std::string_view s);

}  // namespace meshc::pattern_dfa
