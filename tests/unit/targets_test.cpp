// Every target on hand-built routemaps: what it emits for a segment split by weight beside a
// weighted catch-all, and what it refuses. The goldens check whole outputs from specs; these
// check each target's own translation, without the front end.
#include <gtest/gtest.h>

#include "tests/unit/support.h"

namespace meshc {
namespace {

using test::catch_all;
using test::emit;
using test::find_object;
using test::header_match;
using test::make_routemap;
using test::path_match;
using test::segment;

// app-0 (primary), app-1 with requests "x: 1" at 30 %, app-2 with 10 % of the rest.
Routemap weighted_canary() {
  Routemap rm = make_routemap("app", "ns", 3);
  rm.strategy = Strategy::kCanary;
  rm.routes.push_back(segment(1, "app-1", {header_match("x", "1")}, 30));
  rm.routes.push_back(catch_all({{0, 90}, {2, 10}}));
  return rm;
}

// The (name, weight) pairs of a list of backends.
std::vector<std::pair<std::string, int>> backends(const Object& list, const char* name_key,
                                                  const char* weight_key) {
  std::vector<std::pair<std::string, int>> out;
  for (const Object& b : list) out.emplace_back(b[name_key], b[weight_key]);
  return out;
}

using Pairs = std::vector<std::pair<std::string, int>>;

TEST(GatewayApiTarget, OneRulePerSegmentThenTheCatchAllWithExplicitWeights) {
  auto out = emit("gateway-api", weighted_canary());
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* route = find_object(out->objects, "HTTPRoute", "app");
  ASSERT_TRUE(route);
  EXPECT_EQ((*route)["apiVersion"], "gateway.networking.k8s.io/v1");
  EXPECT_EQ((*route)["spec"]["parentRefs"][0]["kind"], "Service");
  EXPECT_EQ((*route)["spec"]["parentRefs"][0]["name"], "app");
  const Object& rules = (*route)["spec"]["rules"];
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0]["matches"][0]["headers"][0]["name"], "x");
  EXPECT_EQ(rules[0]["matches"][0]["headers"][0]["value"], "1");
  EXPECT_EQ(backends(rules[0]["backendRefs"], "name", "weight"),
            (Pairs{{"app-0", 70}, {"app-1", 30}}));
  EXPECT_FALSE(rules[1].contains("matches"));
  EXPECT_EQ(backends(rules[1]["backendRefs"], "name", "weight"),
            (Pairs{{"app-0", 90}, {"app-2", 10}}));
}

TEST(GatewayApiTarget, RefusesAnOrderItsPrecedenceWouldReverseWithANoteAtTheEarlierMatch) {
  Routemap rm = make_routemap("app", "ns", 3);
  RequestMatch broad = path_match("/", MatchType::kPathPrefix);
  broad.field_path = "application.versions[1].matches[0]";
  RequestMatch narrow = path_match("/api", MatchType::kPathPrefix);
  narrow.field_path = "application.versions[2].matches[0]";
  rm.routes.push_back(segment(1, "app-1", {broad}));
  rm.routes.push_back(segment(2, "app-2", {narrow}));
  rm.routes.push_back(catch_all({{0, 100}}));
  auto out = emit("gateway-api", rm);
  ASSERT_EQ(out->sink.error_count(), 1u);
  const Diagnostic& d = out->sink.all()[0];
  EXPECT_EQ(d.path, "application.versions[2].matches[0]");
  EXPECT_NE(d.message.find("cannot keep the candidates' list order"), std::string::npos);
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0].message, "the earlier match of \"app-1\" is here");
}

TEST(IstioTarget, SubsetsPerVersionAndRoutesInListOrder) {
  auto out = emit("istio", weighted_canary());
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* rule = find_object(out->objects, "DestinationRule", "app");
  ASSERT_TRUE(rule);
  const Object& subsets = (*rule)["spec"]["subsets"];
  ASSERT_EQ(subsets.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(subsets[i]["name"], "app-" + std::to_string(i));
    EXPECT_EQ(subsets[i]["labels"]["version"], "app-" + std::to_string(i));
  }
  const Object* vs = find_object(out->objects, "VirtualService", "app");
  ASSERT_TRUE(vs);
  const Object& http = (*vs)["spec"]["http"];
  ASSERT_EQ(http.size(), 2u);
  EXPECT_EQ(http[0]["match"][0]["headers"]["x"]["exact"], "1");
  Pairs first, second;
  for (const Object& d : http[0]["route"])
    first.emplace_back(d["destination"]["subset"], d["weight"]);
  for (const Object& d : http[1]["route"])
    second.emplace_back(d["destination"]["subset"], d["weight"]);
  EXPECT_EQ(first, (Pairs{{"app-0", 70}, {"app-1", 30}}));
  EXPECT_EQ(second, (Pairs{{"app-0", 90}, {"app-2", 10}}));
  EXPECT_FALSE(http[1].contains("match"));
  EXPECT_EQ(http[0]["route"][1]["headers"]["response"]["set"]["app-version"], "app-1");
}

TEST(SmiTarget, SplitsByWeightOnV1alpha2AndNamesTheVersionsThatCanMatch) {
  Routemap weighted = make_routemap("app", "ns", 2);
  weighted.routes.push_back(catch_all({{0, 90}, {1, 10}}));
  auto out = emit("smi", weighted);
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* split = find_object(out->objects, "TrafficSplit", "app");
  ASSERT_TRUE(split);
  EXPECT_EQ((*split)["apiVersion"], "split.smi-spec.io/v1alpha2");
  EXPECT_EQ((*split)["spec"]["service"], "app");
  EXPECT_EQ(backends((*split)["spec"]["backends"], "service", "weight"),
            (Pairs{{"app-0", 90}, {"app-1", 10}}));

  Routemap matched = weighted_canary();
  matched.routes[0].matches[0].headers[0].field_path = "application.versions[1].matches[0]";
  auto refused = emit("smi@v1alpha2", matched);
  EXPECT_FALSE(refused->capabilities_ok);
  ASSERT_TRUE(refused->sink.has_errors());
  const Diagnostic& d = refused->sink.all()[0];
  EXPECT_EQ(d.path, "application.versions[1].matches[0]");
  EXPECT_EQ(d.message,
            "smi@v1alpha2 cannot express header matches; smi@v1alpha3, smi@v1alpha4 can");
}

TEST(SmiTarget, RouteGroupsOnV1alpha4AndV1alpha1Quantities) {
  auto out = emit("smi@v1alpha4", weighted_canary());
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* group = find_object(out->objects, "HTTPRouteGroup", "app-1");
  ASSERT_TRUE(group);
  EXPECT_EQ((*group)["spec"]["matches"][0]["headers"][0]["x"], "^1$");
  const Object* split = find_object(out->objects, "TrafficSplit", "app-1");
  ASSERT_TRUE(split);
  EXPECT_EQ((*split)["spec"]["matches"][0]["name"], "app-1");

  Routemap weighted = make_routemap("app", "ns", 2);
  weighted.routes.push_back(catch_all({{0, 90}, {1, 10}}));
  auto v1 = emit("smi@v1alpha1", weighted);
  const Object* quantities = find_object(v1->objects, "TrafficSplit", "app");
  ASSERT_TRUE(quantities);
  EXPECT_EQ((*quantities)["spec"]["backends"][0]["weight"], "900m");
  EXPECT_EQ((*quantities)["spec"]["backends"][1]["weight"], "100m");
}

TEST(LinkerdTarget, PolicyHttpRouteOnTheRootServiceAndNoMirroring) {
  auto out = emit("linkerd", weighted_canary());
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* route = find_object(out->objects, "HTTPRoute", "app");
  ASSERT_TRUE(route);
  EXPECT_EQ((*route)["apiVersion"], "policy.linkerd.io/v1beta3");
  EXPECT_EQ((*route)["spec"]["parentRefs"][0]["name"], "app");
  EXPECT_EQ(backends((*route)["spec"]["rules"][0]["backendRefs"], "name", "weight"),
            (Pairs{{"app-0", 70}, {"app-1", 30}}));

  Routemap mirrored = make_routemap("app", "ns", 2);
  mirrored.routes.push_back(catch_all({{0, 100}}));
  Mirror m;
  m.version = 1;
  m.field_path = "application.versions[1].weight";
  mirrored.routes[0].mirrors.push_back(m);
  auto refused = emit("linkerd", mirrored);
  EXPECT_FALSE(refused->capabilities_ok);
  EXPECT_EQ(refused->sink.all()[0].path, "application.versions[1].weight");
}

TEST(ConsulTarget, ResolverSubsetsSplitterAndRouterWithServiceDefaults) {
  const Routemap rm = weighted_canary();
  auto out = emit("consul", rm);
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* defaults = find_object(out->objects, "ServiceDefaults", "app");
  ASSERT_TRUE(defaults);
  EXPECT_EQ((*defaults)["spec"]["protocol"], "http");
  const Object* resolver = find_object(out->objects, "ServiceResolver", "app");
  ASSERT_TRUE(resolver);
  EXPECT_EQ((*resolver)["spec"]["subsets"]["app-1"]["filter"], "Service.Meta.version == \"app-1\"");
  const Object* splitter = find_object(out->objects, "ServiceSplitter", "app");
  ASSERT_TRUE(splitter);
  EXPECT_EQ(backends((*splitter)["spec"]["splits"], "serviceSubset", "weight"),
            (Pairs{{"app-0", 90}, {"app-2", 10}}));
  EXPECT_TRUE(find_object(out->objects, "ServiceRouter", "app"));
  // The pods register under the root Service with the metadata the subsets filter on.
  StringMap pods = find_target("consul")->pod_annotations(rm, rm.versions[1]);
  EXPECT_EQ(pods["consul.hashicorp.com/service-meta-version"], "app-1");
  EXPECT_EQ(pods["consul.hashicorp.com/kubernetes-service"], "app");
}

TEST(TraefikTarget, PrioritiesFollowTheListOrder) {
  auto out = emit("traefik", weighted_canary());
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* ingress = find_object(out->objects, "IngressRoute", "app");
  ASSERT_TRUE(ingress);
  const Object& routes = (*ingress)["spec"]["routes"];
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_GT(routes[0]["priority"].get<int>(), routes[1]["priority"].get<int>());
  EXPECT_NE(routes[0]["match"].get<std::string>().find("Header(`x`, `1`)"), std::string::npos);
  const Object* split = find_object(out->objects, "TraefikService", "app-app-1");
  ASSERT_TRUE(split);
  EXPECT_EQ(backends((*split)["spec"]["weighted"]["services"], "name", "weight"),
            (Pairs{{"app-0", 70}, {"app-1", 30}}));
}

TEST(ContourTarget, WeightedServicesAndNoZeroPercentMirror) {
  auto out = emit("contour", weighted_canary());
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* proxy = find_object(out->objects, "HTTPProxy", "app");
  ASSERT_TRUE(proxy);
  const Object& routes = (*proxy)["spec"]["routes"];
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0]["conditions"][0]["header"]["name"], "x");
  EXPECT_EQ(backends(routes[0]["services"], "name", "weight"),
            (Pairs{{"app-0", 70}, {"app-1", 30}}));

  // Contour reads a mirror weight of 0 as 100 %: a 0 % mirror is left out.
  Routemap mirrored = make_routemap("app", "ns", 2);
  mirrored.routes.push_back(catch_all({{0, 100}}));
  Mirror m;
  m.version = 1;
  m.percent = 0;
  mirrored.routes[0].mirrors.push_back(m);
  auto zero = emit("contour", mirrored);
  ASSERT_FALSE(zero->sink.has_errors()) << test::first_error(zero->sink);
  const Object* p = find_object(zero->objects, "HTTPProxy", "app");
  ASSERT_TRUE(p);
  for (const Object& s : (*p)["spec"]["routes"][0]["services"]) {
    EXPECT_FALSE(s.contains("mirror")) << s.dump();
  }
}

// Istio completes a short host with the rule's own namespace: the application's Service is
// named by its short name everywhere, so a namespace transformer (kustomize, helm -n) that
// rewrites only metadata.namespace leaves the routing right; a version in another namespace
// keeps its FQDN, which names that namespace on purpose.
TEST(IstioTarget, NamesTheApplicationsServiceByItsShortNameAndOtherNamespacesByFqdn) {
  Routemap rm = weighted_canary();
  rm.versions[2].namespace_ = "other";
  auto out = emit("istio", rm);
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* rule = find_object(out->objects, "DestinationRule", "app");
  ASSERT_TRUE(rule);
  EXPECT_EQ((*rule)["spec"]["host"], "app");
  EXPECT_EQ((*rule)["spec"]["subsets"].size(), 2u);
  const Object* vs = find_object(out->objects, "VirtualService", "app");
  ASSERT_TRUE(vs);
  EXPECT_EQ((*vs)["spec"]["hosts"], Object::array({"app"}));
  const Object& http = (*vs)["spec"]["http"];
  EXPECT_EQ(http[0]["route"][0]["destination"], (Object{{"host", "app"}, {"subset", "app-0"}}));
  EXPECT_EQ(http[1]["route"][1]["destination"],
            (Object{{"host", "app-2.other.svc.cluster.local"}}));
  for (const Object& o : out->objects) {
    EXPECT_EQ(o.dump().find(".ns."), std::string::npos) << o.dump();
  }
}

// The warnings of a routemap on `target` whose message says the in-cluster names only.
std::vector<Diagnostic> in_cluster_only_warnings(const std::string& target, const Routemap& rm) {
  auto out = emit(target, rm);
  std::vector<Diagnostic> found;
  for (const Diagnostic& d : out->sink.all()) {
    if (d.severity == Severity::kWarning &&
        d.message.find("without application.hosts") != std::string::npos) {
      found.push_back(d);
    }
  }
  return found;
}

// A route matched by Host (on a gateway, or on Traefik's and Contour's proxy) without
// application.hosts answers only the in-cluster names: one warning, from the capability check,
// on every such target, at the gateway field (at application on the ingress targets).
TEST(CapabilityCheck, WarnsWhereHostMatchedRoutesGetOnlyTheInClusterNames) {
  Routemap gw = weighted_canary();
  gw.gateway = "infra/public";
  gw.gateway_loc = Location{};
  for (const char* t : {"gateway-api", "istio", "istio@v1alpha3"}) {
    auto found = in_cluster_only_warnings(t, gw);
    ASSERT_EQ(found.size(), 1u) << t;
    EXPECT_EQ(found[0].path, "gateway") << t;
    EXPECT_NE(found[0].message.find("(such as \"app.ns.svc.cluster.local\")"), std::string::npos);
    EXPECT_NE(found[0].message.find("*.example.com"), std::string::npos);
  }
  for (const char* t : {"traefik", "contour"}) {
    auto found = in_cluster_only_warnings(t, weighted_canary());
    ASSERT_EQ(found.size(), 1u) << t;
    EXPECT_EQ(found[0].path, "application") << t;
    EXPECT_NE(found[0].message.find("ingress proxy"), std::string::npos);
  }
  // Mesh-only routing matches no Host: no warning without a gateway, nor with hosts.
  for (const char* t : {"gateway-api", "istio", "smi", "linkerd", "consul"}) {
    EXPECT_TRUE(in_cluster_only_warnings(t, weighted_canary()).empty()) << t;
  }
  Routemap hosted = gw;
  hosted.hosts = {"shop.example.com"};
  for (const char* t : {"gateway-api", "istio", "traefik", "contour"}) {
    Routemap rm = hosted;
    if (std::string(t) == "traefik" || std::string(t) == "contour") rm.gateway.clear();
    EXPECT_TRUE(in_cluster_only_warnings(t, rm).empty()) << t;
  }
  // A spec the target rejects gets its errors alone (contour cannot attach to a gateway).
  auto rejected = emit("contour", gw);
  EXPECT_FALSE(rejected->capabilities_ok);
  EXPECT_TRUE(in_cluster_only_warnings("contour", gw).empty());
}

}  // namespace
}  // namespace meshc
