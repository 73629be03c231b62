// "Did you mean": the closest of a list of known words to a misspelt one.
#pragma once

#include <string>
#include <vector>

namespace meshc {

// The closest candidate to `word` by edit distance (case-insensitive), or "" when none is
// close (at most a third of the word's length apart, and at least 2 edits allowed).
std::string closest_word(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace meshc
