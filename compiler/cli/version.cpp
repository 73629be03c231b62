#include "compiler/cli/version.h"

namespace meshc {

std::string version_string() {
  return std::string("meshc ") + MESHC_VERSION + " (commit " + kBuildCommit + ", " + kBuildType +
         ")";
}

}  // namespace meshc
