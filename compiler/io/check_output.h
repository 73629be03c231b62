// `meshc compile --check`: compare what compile would write with the files already there
// (committed generated manifests) instead of writing them.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace meshc {

// Compares each (path, text) with the file at `path`. True when every file exists with exactly
// that text. Otherwise appends, for each file that differs or is missing, a unified diff from
// the file as it is ("/dev/null" when missing) to what compile writes, to `diff`.
bool files_up_to_date(const std::vector<std::pair<std::string, std::string>>& files,
                      std::string* diff);

}  // namespace meshc
