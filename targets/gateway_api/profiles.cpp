#include "targets/gateway_api/profiles.h"

#include <cctype>
#include <cstring>

namespace meshc::gateway_api {

namespace {

bool same_ignoring_case(const std::string& a, const char* b) {
  size_t n = std::strlen(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

const ConformanceProfile* ImplementationProfile::profile(const std::string& wanted) const {
  for (size_t i = 0; i < profile_count; ++i) {
    if (wanted == profiles[i].name) return &profiles[i];
  }
  return nullptr;
}

const ImplementationProfile* find_implementation_profile(const std::string& name) {
  for (size_t i = 0; i < kImplementationProfileCount; ++i) {
    const ImplementationProfile& p = kImplementationProfiles[i];
    if (same_ignoring_case(name, p.name) || name == p.alias) return &p;
  }
  return nullptr;
}

bool listed(const char* const* list, const std::string& word) {
  for (; list && *list; ++list) {
    if (word == *list) return true;
  }
  return false;
}

}  // namespace meshc::gateway_api
