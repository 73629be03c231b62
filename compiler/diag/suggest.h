// "Did you mean": the closest of a list of known words to a misspelt one.
#pragma once

#include <string>
#include <vector>

namespace meshc {

// The closest candidate to `word`, or "" when none is close. In order: a candidate that
// differs only in case and separators ("gatewayapi", "Gateway_API" -> "gateway-api"); the one
// nearest by edit distance, ignoring case (at most a third of the word's length apart, and at
// least 2 edits allowed); the one candidate the word abbreviates, letters in order from the
// same first letter ("regex" -> "RegularExpression").
std::string closest_word(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace meshc
