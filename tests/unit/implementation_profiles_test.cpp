// The implementation profile table generated from targets/gateway_api/profiles/*.yaml at build
// time: what the data says about a few implementations, read back through the table, so a
// generator that dropped or merged the wrong lists fails here.
#include <gtest/gtest.h>

#include "targets/gateway_api/profiles.h"
#include "targets/target.h"

using namespace meshc;
using namespace meshc::gateway_api;

TEST(ImplementationProfiles, NamesAndAliases) {
  EXPECT_EQ(kImplementationProfileCount, 30u);
  const ImplementationProfile* eg = find_implementation_profile("envoy-gateway");
  ASSERT_NE(eg, nullptr);
  EXPECT_EQ(find_implementation_profile("EnvoyProxy/Envoy-Gateway"), eg);
  EXPECT_EQ(find_implementation_profile("envoyproxy/envoy-gateway"), eg);
  EXPECT_EQ(find_implementation_profile("envoy"), nullptr);
  EXPECT_NE(find_implementation_profile("Alibaba Cloud/Alibaba Cloud Service Mesh"), nullptr);
  EXPECT_NE(find_implementation_profile("alibaba-cloud-service-mesh"), nullptr);
  // The target's list for --implementation and `meshc targets --implementations`.
  const Target* gw = find_target("gateway-api");
  ASSERT_NE(gw, nullptr);
  EXPECT_EQ(gw->info().implementations().size(), kImplementationProfileCount);
  EXPECT_NE(gw->info().find_implementation("GKE-GATEWAY"), nullptr);
  std::string err;
  EXPECT_FALSE(check_implementation_option("--implementation", "gke", &err));
  EXPECT_NE(err.find("gke-gateway"), std::string::npos) << err;
}

TEST(ImplementationProfiles, WhatTheReportsSay) {
  const ImplementationProfile* gke = find_implementation_profile("gke-gateway");
  const ConformanceProfile* http = gke->profile("GATEWAY-HTTP");
  ASSERT_NE(http, nullptr);
  EXPECT_TRUE(listed(http->unsupported, "HTTPRouteMethodMatching"));
  EXPECT_TRUE(listed(http->supported, "HTTPRouteRequestPercentageMirror"));
  EXPECT_EQ(gke->profile("MESH-HTTP"), nullptr);
  // Kuma's v1.0.0 report names its profiles MESH and HTTP.
  const ImplementationProfile* kuma = find_implementation_profile("kuma");
  ASSERT_NE(kuma->profile("MESH-HTTP"), nullptr);
  EXPECT_STREQ(kuma->profile("MESH-HTTP")->reported_as, "MESH");
  // Kong's gateway-operator skipped the core test HTTPRouteWeight.
  EXPECT_TRUE(listed(
      find_implementation_profile("gateway-operator")->profile("GATEWAY-HTTP")->core_not_passed,
      "HTTPRouteWeight"));
}

TEST(ImplementationProfiles, SeveralLatestReportsMergeConservatively) {
  // Envoy Gateway's two reports (default and gateway-namespace mode) differ in GATEWAY-HTTP
  // (36 vs 37 supported features): only the features both declare count as supported.
  const ImplementationProfile* eg = find_implementation_profile("envoy-gateway");
  EXPECT_EQ(eg->reports, 2);
  const ConformanceProfile* http = eg->profile("GATEWAY-HTTP");
  size_t supported = 0;
  for (const char* const* f = http->supported; *f; ++f) ++supported;
  EXPECT_EQ(supported, 36u);
  EXPECT_TRUE(listed(http->supported, "HTTPRouteRequestMirror"));
}

TEST(ImplementationProfiles, Caveats) {
  for (const char* name : {"linkerd", "buoyant-enterprise-for-linkerd"}) {
    const ImplementationProfile* l = find_implementation_profile(name);
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->ranking, Ranking::kLinkerd) << name;
    bool mirror = false;
    for (size_t i = 0; i < l->reject_count; ++i) {
      mirror = mirror || l->rejects[i].feature == CaveatFeature::kRequestMirror;
    }
    EXPECT_TRUE(mirror) << name;
    // Its report declares mirroring nonetheless (caveat 1 and 3).
    EXPECT_TRUE(listed(l->profile("MESH-HTTP")->supported, "HTTPRouteRequestMirror"));
  }
  const ImplementationProfile* istio = find_implementation_profile("istio");
  EXPECT_EQ(istio->ranking, Ranking::kGatewayApi);
  EXPECT_EQ(istio->reject_count, 0u);
  EXPECT_EQ(istio->support_count, 0u);
}
