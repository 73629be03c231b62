// What meshc --version and meshc version print.
#pragma once

#include <string>

namespace meshc {

// The commit and build type the executable was configured from (generated at configure time
// from cmake/build_info.cpp.in; "unknown" when the source was not a git checkout). Defined
// in the meshc executable only, not in meshc_cli: what links the library without main.cpp
// must not call version_string().
extern const char* const kBuildCommit;
extern const char* const kBuildType;

// "meshc 0.1.0 (commit abc1234, RelWithDebInfo)".
std::string version_string();

}  // namespace meshc
