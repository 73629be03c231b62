// The Gateway API implementations meshc knows, as data: each implementation's latest
// conformance report(s) reduced to what the gateway-api target checks, plus the caveats that
// reports do not show. The table is generated at build time from
// targets/gateway_api/profiles/{profiles.yaml,caveats.yaml} (cmake/gen_gateway_api_profiles.cpp);
// profiles/README.md says what the fields mean and where they come from.
#pragma once

#include <cstddef>
#include <string>

namespace meshc::gateway_api {

// How an implementation ranks the matching rules of a route.
enum class Ranking {
  kGatewayApi,  // the HTTPRoute / GRPCRoute text
  kLinkerd,     // Linkerd's proxy (profiles/README.md caveat 8)
};

// Features named in caveats.yaml (see its header).
enum class CaveatFeature {
  kRequestMirror,
  kGrpcMethodRegex,
  kBackendResponseHeader,
  kGrpcBackendResponseHeader,
  kRegexMatch,
  kMethodMatch,
  kCrossNamespaceBackend,
};

struct Caveat {
  CaveatFeature feature;
  const char* why;  // the fact and its source, for messages
};

// One conformance profile of the latest report(s). With several latest reports (modes,
// channels) a profile is listed only when every report has it, with the features every report
// declares supported and the core tests any report skipped or failed.
struct ConformanceProfile {
  const char* name;                    // GATEWAY-HTTP, GATEWAY-GRPC, MESH-HTTP, MESH-GRPC, ...
  const char* reported_as;             // the name in the report (reports before v1.1: HTTP, MESH)
  const char* core_result;             // success, partial, failure (the worst of the reports)
  bool extended;                       // the reports list extended features for this profile
  const char* const* supported;        // sorted, null-terminated
  const char* const* unsupported;      // sorted, null-terminated
  const char* const* core_not_passed;  // core tests skipped or failed; null-terminated
};

struct ImplementationProfile {
  const char* name;   // organization/project of the latest report
  const char* alias;  // its project, lower-case, spaces as '-': unique among all
  const char* url;
  const char* version;              // implementation.version of the latest report(s)
  const char* gateway_api_version;  // gatewayAPIVersion of the latest report(s)
  const char* date;                 // the newest report's date
  const char* channels;             // "standard", "experimental", both, or "" (not reported)
  const char* modes;                // the reports' modes, or ""
  int reports;                      // how many latest reports were merged
  const ConformanceProfile* profiles;
  size_t profile_count;
  Ranking ranking;
  const Caveat* rejects;
  size_t reject_count;
  const Caveat* supports;
  size_t support_count;

  // The profile called `name`, or null.
  const ConformanceProfile* profile(const std::string& name) const;
};

extern const ImplementationProfile kImplementationProfiles[];
extern const size_t kImplementationProfileCount;

// The implementation `name` designates: its organization/project (case-insensitive) or its
// alias. Null when none.
const ImplementationProfile* find_implementation_profile(const std::string& name);

// True when the null-terminated `list` holds `word`.
bool listed(const char* const* list, const std::string& word);

}  // namespace meshc::gateway_api
