// meshc diff --manifests: the static reading of a stream (compiler/evaluate/segments.h) as the
// releases the diff compares (compiler/analysis/manifest_traffic.h).
#include <gtest/gtest.h>

#include "compiler/analysis/manifest_traffic.h"
#include "compiler/evaluate/evaluate.h"
#include "tests/unit/support.h"

namespace meshc {
namespace {

struct Read {
  std::unique_ptr<test::Loaded> loaded;
  ManifestSet set;
  StreamRouting routing;
  std::vector<ReleaseSide> sides;
};

std::unique_ptr<Read> read(const std::string& text, const std::string& implementation = "") {
  auto r = std::make_unique<Read>();
  r->loaded = test::load(text);
  EXPECT_FALSE(r->loaded->sink.has_errors()) << test::first_error(r->loaded->sink);
  r->set.add(r->loaded->docs);
  EvalOptions o;
  o.mesh_implementation = implementation;
  r->routing = stream_routing(r->set, o);
  r->sides = manifest_sides(r->routing);
  return r;
}

// "description: version percent, ...; ..." of a release's segments.
std::string segments(const ReleaseSide& s) {
  std::string out;
  for (const TrafficSegment& t : s.traffic.segments) {
    out += (out.empty() ? "" : "; ") + t.description + ":";
    for (const auto& [v, p] : t.shares) out += " " + v + " " + format_percent(p);
    for (const auto& [v, p] : t.mirrors) out += " copy " + v + " " + format_percent(p);
  }
  return out;
}

std::string unsupported(const StreamRouting& r) {
  std::string out;
  for (const EvalUnsupported& u : r.unsupported) out += (out.empty() ? "" : "\n") + u.what;
  return out;
}

const char* const kRoutes = R"(
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: web}
spec:
  parentRefs: [{group: "", kind: Service, name: api}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api-v1, weight: 1}, {name: api-v2, weight: 2}]
  - matches: [{path: {type: Exact, value: /api/v2}}, {headers: [{name: x-v, value: "2"}]}]
    backendRefs: [{name: api-v2}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: b, namespace: web}
spec:
  parentRefs: [{group: "", kind: Service, name: api}]
  rules:
  - backendRefs: [{name: api-v1}]
    filters:
    - type: RequestMirror
      requestMirror: {backendRef: {name: api-v3}, percent: 5}
  - matches: [{method: GET}]
    backendRefs: [{name: api-v3}]
)";

TEST(StreamRouting, GatewayApiRulesInPrecedenceOrderAcrossTheRoutesOfOneParent) {
  auto r = read(kRoutes);
  EXPECT_EQ(unsupported(r->routing), "");
  ASSERT_EQ(r->sides.size(), 1u);
  EXPECT_EQ(r->sides[0].traffic.id, "web/api");
  EXPECT_EQ(r->sides[0].target, "gateway-api");
  // Exact path first (rule 1, with its header match), then the prefix, then the method-only
  // match of route b, then b's rule without matches, the catch-all.
  EXPECT_EQ(segments(r->sides[0]),
            "requests with path /api/v2, or header x-v=2: api-v2 100; "
            "requests with path under /api: api-v1 33.3333 api-v2 66.6667; "
            "requests with method GET: api-v3 100; "
            "all other requests: api-v1 100 copy api-v3 5");
  EXPECT_EQ(r->sides[0].objects.size(), 2u);
}

const char* const kExactAndLongerPrefix = R"(
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: web}
spec:
  parentRefs: [{group: "", kind: Service, name: api}]
  rules:
  - matches: [{path: {type: Exact, value: /a}}]
    backendRefs: [{name: api-v2}]
  - matches: [{path: {type: PathPrefix, value: /longer}}]
    backendRefs: [{name: api-v3}]
)";

TEST(StreamRouting, LinkerdRanksByPathLengthWhateverItsType) {
  // The Gateway API ranks an exact path before any prefix; Linkerd the longer path first.
  auto g = read(kExactAndLongerPrefix);
  ASSERT_EQ(g->sides.size(), 1u);
  EXPECT_EQ(segments(g->sides[0]),
            "requests with path /a: api-v2 100; requests with path under /longer: api-v3 100; "
            "all other requests:");
  auto l = read(kExactAndLongerPrefix, "linkerd");
  ASSERT_EQ(l->sides.size(), 1u);
  EXPECT_EQ(l->sides[0].target, "linkerd");
  EXPECT_EQ(segments(l->sides[0]),
            "requests with path under /longer: api-v3 100; requests with path /a: api-v2 100; "
            "all other requests:");
}

TEST(StreamRouting, WithoutACatchAllTheRestHasNoVersion) {
  auto r = read(R"(
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: web}
spec:
  parentRefs: [{group: "", kind: Service, name: api, port: 8080}]
  rules:
  - matches: [{path: {value: /v2}}]
    backendRefs: [{name: api-v2, weight: 0}, {name: api-v1, weight: 0}]
)");
  ASSERT_EQ(r->sides.size(), 1u);
  EXPECT_EQ(r->sides[0].traffic.id, "web/api port 8080");
  EXPECT_EQ(segments(r->sides[0]),
            "requests with path under /v2: api-v2 0 api-v1 0; all other requests:");
}

TEST(StreamRouting, IstioFirstMatchUpToTheFirstCatchAll) {
  auto r = read(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: web}
spec:
  hosts: [api, api.web.svc.cluster.local]
  http:
  - match: [{headers: {x-beta: {}}}, {uri: {prefix: /beta}}]
    route: [{destination: {host: api-v2}}]
  - route: [{destination: {host: api-v1}, weight: 75}, {destination: {host: api-v2}, weight: 25}]
  - match: [{method: {exact: GET}}]
    route: [{destination: {host: api-v3}}]
)");
  EXPECT_EQ(unsupported(r->routing), "");
  ASSERT_EQ(r->sides.size(), 1u);
  EXPECT_EQ(r->sides[0].traffic.id, "web/api");
  EXPECT_EQ(segments(r->sides[0]),
            "requests with header x-beta matching /.*/, or path starting with /beta: api-v2 100; "
            "all other requests: api-v1 75 api-v2 25");
}

TEST(StreamRouting, WhatASegmentCannotSayIsReported) {
  auto r = read(R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: web}
spec:
  hosts: [api]
  http:
  - match: [{authority: {exact: api.example.com}}]
    route: [{destination: {host: api-v2}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: web}
spec:
  parentRefs: [{group: "", kind: Service, name: api}]
  rules:
  - backendRefs: [{name: api-v1}]
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: one, namespace: web}
spec: {service: cart, backends: [{service: cart-v1, weight: 1}]}
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: two, namespace: web}
spec: {service: cart, backends: [{service: cart-v2, weight: 1}]}
)");
  EXPECT_EQ(unsupported(r->routing),
            "objects of two APIs (gateway-api, istio) route web/api: which one answers depends "
            "on the mesh installed\n"
            "match field \"authority\" is not understood in a request segment\n"
            "two TrafficSplits without matches (TrafficSplit web/one, TrafficSplit web/two) "
            "route web/cart and SMI defines no order");
}

TEST(StreamRouting, SmiSplitsWithMatchesBeforeTheCatchAll) {
  auto r = read(R"(
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: all, namespace: web}
spec: {service: cart.web, backends: [{service: cart-v1, weight: 900m}, {service: cart-v2, weight: 100m}]}
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: beta, namespace: web}
spec:
  service: cart
  matches: [{kind: HTTPRouteGroup, name: beta}]
  backends: [{service: cart-v2, weight: 1}]
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: beta, namespace: web}
spec:
  matches:
  - {name: b, methods: [GET, PUT], headers: [{x-beta: "on"}]}
)");
  EXPECT_EQ(unsupported(r->routing), "");
  ASSERT_EQ(r->sides.size(), 1u);
  EXPECT_EQ(r->sides[0].traffic.id, "web/cart");
  EXPECT_EQ(segments(r->sides[0]),
            "requests with method GET and header x-beta matching /on/, or method PUT and header "
            "x-beta matching /on/: cart-v2 100; all other requests: cart-v1 90 cart-v2 10");
  EXPECT_EQ(r->sides[0].objects.size(), 3u);
}

}  // namespace
}  // namespace meshc
