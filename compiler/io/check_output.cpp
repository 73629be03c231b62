#include "compiler/io/check_output.h"

#include <filesystem>

#include "compiler/io/output.h"
#include "compiler/io/text_diff.h"

namespace meshc {

bool files_up_to_date(const std::vector<std::pair<std::string, std::string>>& files,
                      std::string* diff) {
  bool ok = true;
  for (const auto& [path, text] : files) {
    std::string current;
    std::error_code ec;
    bool exists = std::filesystem::is_regular_file(path, ec) && read_file(path, &current);
    if (exists && current == text) continue;
    ok = false;
    *diff += unified_diff(current, text, exists ? path : "/dev/null", path);
  }
  return ok;
}

}  // namespace meshc
