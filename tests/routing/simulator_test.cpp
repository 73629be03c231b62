// The oracle checked: hand-written manifests, mostly the examples of the upstream docs (Gateway API
// field docs and guides, Istio's VirtualService reference and tasks, the SMI spec texts), routed
// by the simulator and compared with what those docs say the example does.
#include "tests/routing/simulator.h"

#include <gtest/gtest.h>

#include <string>

namespace routing {
namespace {

using Kind = Outcome::Kind;
using Shares = std::map<std::string, double>;

// Deployment + Service per version (pods labelled app/version), and a root Service selecting
// `app` alone.
std::string Workloads(const std::string& ns, const std::string& app,
                      const std::vector<std::string>& versions, int port = 80) {
  std::string out;
  const std::string p = std::to_string(port);
  out += "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + app + ", namespace: " + ns +
         "}\nspec:\n  selector: {app: " + app + "}\n  ports: [{name: http, port: " + p +
         ", targetPort: http}]\n";
  for (const auto& v : versions) {
    out += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + v +
           ", namespace: " + ns + "}\nspec:\n  selector: {matchLabels: {app: " + app +
           ", version: " + v + "}}\n  template:\n    metadata: {labels: {app: " + app +
           ", version: " + v + "}}\n    spec:\n      containers:\n      - name: c\n" +
           "        image: x\n        ports: [{name: http, containerPort: 8080}]\n";
    out += "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + v + ", namespace: " + ns +
           "}\nspec:\n  selector: {app: " + app + ", version: " + v + "}\n" +
           "  ports: [{name: http, port: " + p + ", targetPort: http}]\n";
  }
  return out;
}

Request Mesh(const std::string& service, const std::string& ns, const std::string& path = "/") {
  Request r;
  r.service = service;
  r.ns = ns;
  const auto q = path.find('?');
  r.path = path.substr(0, q);
  if (q != std::string::npos) {
    const std::string query = path.substr(q + 1);
    const auto eq = query.find('=');
    r.query.emplace_back(query.substr(0, eq), query.substr(eq + 1));
  }
  return r;
}

Request Via(const std::string& gateway, const std::string& host, const std::string& path = "/") {
  Request r;
  r.via = "gateway";
  r.gateway = gateway;
  r.host = host;
  r.path = path;
  return r;
}

Request With(Request r, const std::string& name, const std::string& value) {
  r.headers.emplace_back(name, value);
  return r;
}

Request Method(Request r, const std::string& method) {
  r.method = method;
  return r;
}

void ExpectRouted(const Outcome& o, const Shares& versions, const Shares& mirrors = {}) {
  EXPECT_EQ(o.kind, Kind::kRouted) << o.Summary();
  EXPECT_EQ(o.versions, versions) << o.Summary();
  EXPECT_EQ(o.mirrors, mirrors) << o.Summary();
}

// ------------------------------------------------------------------ Gateway API

// The example of the rules[].matches field doc: path prefix /foo AND header version: v2, OR
// path prefix /v2/foo.
TEST(GatewayApi, MatchesFieldDocExample) {
  const auto cluster = Cluster::FromYaml(Workloads("store", "foo", {"foo-v1", "foo-v2"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: foo-route, namespace: store}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - matches:
    - path: {value: "/foo"}
      headers: [{name: version, value: v2}]
    - path: {value: "/v2/foo"}
    backendRefs: [{name: foo-v2, port: 80}]
  - backendRefs: [{name: foo-v1, port: 80}]
)");
  ExpectRouted(
      cluster.Route(With(Mesh("foo", "store", "/foo/bar"), "version", "v2"), Api::kGatewayApi),
      {{"foo-v2", 100}});
  ExpectRouted(cluster.Route(Mesh("foo", "store", "/foo/bar"), Api::kGatewayApi),
               {{"foo-v1", 100}});
  ExpectRouted(cluster.Route(Mesh("foo", "store", "/v2/foo"), Api::kGatewayApi), {{"foo-v2", 100}});
  // Header names are case-insensitive; values are not.
  ExpectRouted(cluster.Route(With(Mesh("foo", "store", "/foo"), "Version", "v2"), Api::kGatewayApi),
               {{"foo-v2", 100}});
  ExpectRouted(cluster.Route(With(Mesh("foo", "store", "/foo"), "version", "V2"), Api::kGatewayApi),
               {{"foo-v1", 100}});
  // Path prefixes match whole segments.
  ExpectRouted(
      cluster.Route(With(Mesh("foo", "store", "/foobar"), "version", "v2"), Api::kGatewayApi),
      {{"foo-v1", 100}});
  ExpectRouted(cluster.Route(Mesh("foo", "store", "/v2/foo/"), Api::kGatewayApi),
               {{"foo-v2", 100}});
  ExpectRouted(cluster.Route(Mesh("foo", "store", "/v2/foox"), Api::kGatewayApi),
               {{"foo-v1", 100}});
}

// GEP-1294's example: 90% to the Service's default endpoints, 10% to foo-v2; weights default 1.
TEST(GatewayApi, GammaWeightsAndRoutePresence) {
  std::string manifests = Workloads("store", "foo", {"foo-v1", "foo-v2"});
  const auto without_route = Cluster::FromYaml(manifests);
  EXPECT_EQ(without_route.Route(Mesh("foo", "store"), Api::kGatewayApi).kind, Kind::kUnsplit);
  const auto cluster = Cluster::FromYaml(manifests + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: foo-route, namespace: store}
spec:
  parentRefs: [{kind: Service, group: "", name: foo}]
  rules:
  - matches: [{headers: [{name: x, value: "1"}]}]
    backendRefs: [{name: foo-v1, port: 80}, {name: foo-v2, port: 80}]
  - matches: [{headers: [{name: x, value: "2"}]}]
    backendRefs: [{name: foo-v1, port: 80, weight: 90}, {name: foo-v2, port: 80, weight: 10}]
  - matches: [{headers: [{name: x, value: "3"}]}]
    backendRefs: [{name: foo-v1, port: 80, weight: 0}, {name: foo-v2, port: 80, weight: 3}]
  - matches: [{headers: [{name: x, value: "4"}]}]
    backendRefs: [{name: foo-v1, port: 80, weight: 0}]
)");
  ExpectRouted(cluster.Route(With(Mesh("foo", "store"), "x", "1"), Api::kGatewayApi),
               {{"foo-v1", 50}, {"foo-v2", 50}});
  ExpectRouted(cluster.Route(With(Mesh("foo", "store"), "x", "2"), Api::kGatewayApi),
               {{"foo-v1", 90}, {"foo-v2", 10}});
  ExpectRouted(cluster.Route(With(Mesh("foo", "store"), "x", "3"), Api::kGatewayApi),
               {{"foo-v2", 100}});
  EXPECT_EQ(cluster.Route(With(Mesh("foo", "store"), "x", "4"), Api::kGatewayApi).kind,
            Kind::kError);
  // An attached route that matches nothing: 404, not the Service's default.
  EXPECT_EQ(cluster.Route(Mesh("foo", "store"), Api::kGatewayApi).kind, Kind::kUnrouted);
  // Any in-cluster name of the Service reaches the same route (hostnames play no part in GAMMA).
  Request r = With(Mesh("foo", "store"), "x", "2");
  for (const char* host : {"foo", "foo.store", "foo.store.svc", "foo.store.svc.cluster.local:80"}) {
    r.host = host;
    ExpectRouted(cluster.Route(r, Api::kGatewayApi), {{"foo-v1", 90}, {"foo-v2", 10}});
  }
}

// The traffic-splitting guide: the canary rule listed second still wins for traffic: test,
// because a header match outranks no match.
TEST(GatewayApi, PrecedenceNotListOrder) {
  const auto cluster =
      Cluster::FromYaml(Workloads("default", "foo", {"foo-v1", "foo-v2", "foo-v3"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: foo-route}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - backendRefs: [{name: foo-v1, port: 80}]
  - matches: [{headers: [{name: traffic, value: test}]}]
    backendRefs: [{name: foo-v2, port: 80}]
  - matches:
    - {path: {type: PathPrefix, value: /api}}
    - {path: {type: Exact, value: /exact}}
    - {method: POST}
    backendRefs: [{name: foo-v3, port: 80}]
)");
  const Request base = Mesh("foo", "default");
  ExpectRouted(cluster.Route(With(base, "traffic", "test"), Api::kGatewayApi), {{"foo-v2", 100}});
  ExpectRouted(cluster.Route(base, Api::kGatewayApi), {{"foo-v1", 100}});
  // A longer prefix beats the header match; so does a method match.
  Request api = With(base, "traffic", "test");
  api.path = "/api/x";
  ExpectRouted(cluster.Route(api, Api::kGatewayApi), {{"foo-v3", 100}});
  ExpectRouted(cluster.Route(Method(With(base, "traffic", "test"), "POST"), Api::kGatewayApi),
               {{"foo-v3", 100}});
}

TEST(GatewayApi, PrefixTrailingSlashAndExact) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "foo", {"a", "b", "c"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /abc/}}]
    backendRefs: [{name: b, port: 80}]
  - matches: [{path: {type: Exact, value: /abc/exact}}]
    backendRefs: [{name: c, port: 80}]
  - backendRefs: [{name: a, port: 80}]
)");
  for (const char* path : {"/abc", "/abc/", "/abc/def"}) {
    SCOPED_TRACE(path);
    ExpectRouted(cluster.Route(Mesh("foo", "default", path), Api::kGatewayApi), {{"b", 100}});
  }
  ExpectRouted(cluster.Route(Mesh("foo", "default", "/abcd"), Api::kGatewayApi), {{"a", 100}});
  ExpectRouted(cluster.Route(Mesh("foo", "default", "/abc/exact"), Api::kGatewayApi), {{"c", 100}});
  ExpectRouted(cluster.Route(Mesh("foo", "default", "/abc/exact/"), Api::kGatewayApi),
               {{"b", 100}});
}

// Only the first of several entries for one header name counts ("foo" and "Foo" are equivalent).
TEST(GatewayApi, DuplicateHeaderEntriesAndQueryParams) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "foo", {"a", "b"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - matches:
    - headers: [{name: foo, value: "1"}, {name: Foo, value: "2"}]
    - queryParams: [{name: q, value: "x"}]
    backendRefs: [{name: b, port: 80}]
  - backendRefs: [{name: a, port: 80}]
)");
  ExpectRouted(cluster.Route(With(Mesh("foo", "default"), "FOO", "1"), Api::kGatewayApi),
               {{"b", 100}});
  ExpectRouted(cluster.Route(With(Mesh("foo", "default"), "foo", "2"), Api::kGatewayApi),
               {{"a", 100}});
  ExpectRouted(cluster.Route(Mesh("foo", "default", "/?q=x"), Api::kGatewayApi), {{"b", 100}});
  ExpectRouted(cluster.Route(Mesh("foo", "default", "/?Q=x"), Api::kGatewayApi), {{"a", 100}});
}

// What the field docs leave to implementations is reported, not guessed: the precedence of
// RegularExpression paths and the regex dialect (whole value or search).
TEST(GatewayApi, ImplementationSpecificIsAmbiguous) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "foo", {"a", "b"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - matches:
    - path: {type: RegularExpression, value: "/items/[0-9]+"}
    - headers: [{name: v, type: RegularExpression, value: "2|3"}]
    - headers: [{name: w, type: RegularExpression, value: "^(2|3)$"}]
    backendRefs: [{name: b, port: 80}]
  - backendRefs: [{name: a, port: 80}]
)");
  // A regex path against the catch-all PathPrefix "/": precedence is implementation-specific.
  EXPECT_EQ(cluster.Route(Mesh("foo", "default", "/items/42"), Api::kGatewayApi).kind,
            Kind::kAmbiguous);
  // A header regex holds under both readings, and outranks the catch-all (one header vs none).
  ExpectRouted(cluster.Route(With(Mesh("foo", "default"), "v", "2"), Api::kGatewayApi),
               {{"b", 100}});
  // "23" holds only for a search: the dialect decides.
  EXPECT_EQ(cluster.Route(With(Mesh("foo", "default"), "v", "23"), Api::kGatewayApi).kind,
            Kind::kAmbiguous);
  // An anchored regex means the same under both.
  ExpectRouted(cluster.Route(With(Mesh("foo", "default"), "w", "23"), Api::kGatewayApi),
               {{"a", 100}});
}

// The ReferenceGrant guide's example: routes in foo may reference Services in bar.
TEST(GatewayApi, CrossNamespaceBackendNeedsReferenceGrant) {
  const std::string manifests =
      Workloads("foo", "app", {"app-v1"}) + Workloads("bar", "other", {"bar-v1"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: foo}
spec:
  parentRefs: [{group: "", kind: Service, name: app}]
  rules:
  - backendRefs: [{name: app-v1, port: 80, weight: 1}, {name: bar-v1, namespace: bar, port: 80, weight: 3}]
)";
  const auto denied = Cluster::FromYaml(manifests);
  const Outcome o = denied.Route(Mesh("app", "foo"), Api::kGatewayApi);
  EXPECT_EQ(o.kind, Kind::kError);
  EXPECT_NE(o.detail.find("ReferenceGrant"), std::string::npos) << o.detail;
  const auto granted = Cluster::FromYaml(manifests + R"(
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-ns1-gateways-to-ns2, namespace: bar}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: foo}]
  to: [{group: "", kind: Service}]
)");
  ExpectRouted(granted.Route(Mesh("app", "foo"), Api::kGatewayApi),
               {{"app-v1", 25}, {"bar-v1", 75}});
}

TEST(GatewayApi, RequestMirrorPercentAndFraction) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "foo", {"a", "b", "c"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - filters:
    - type: RequestMirror
      requestMirror: {backendRef: {name: b, port: 80}, percent: 50}
    - type: RequestMirror
      requestMirror: {backendRef: {name: c, port: 80}, fraction: {numerator: 1, denominator: 4}}
    backendRefs:
    - name: a
      port: 80
      filters:
      - type: ResponseHeaderModifier
        responseHeaderModifier: {set: [{name: app-version, value: a}]}
)");
  const Outcome o = cluster.Route(Mesh("foo", "default"), Api::kGatewayApi);
  ExpectRouted(o, {{"a", 100}}, {{"b", 50}, {"c", 25}});
  EXPECT_EQ(o.app_version.at("a"), "a");
}

// A route on a Gateway answers only for its hostnames (port ignored, wildcards as suffixes);
// the route with the most specific matching hostname takes the request.
TEST(GatewayApi, GatewayHostnames) {
  const auto cluster = Cluster::FromYaml(Workloads("web", "app", {"v1", "v2"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wildcard, namespace: web}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  hostnames: ["*.example.com"]
  rules:
  - backendRefs: [{name: v1, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: exact, namespace: web}
spec:
  parentRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw, namespace: infra}]
  hostnames: ["test.example.com"]
  rules:
  - matches: [{path: {value: /only}}]
    backendRefs: [{name: v2, port: 80}]
)");
  ExpectRouted(cluster.Route(Via("infra/gw", "foo.example.com"), Api::kGatewayApi), {{"v1", 100}});
  ExpectRouted(cluster.Route(Via("infra/gw", "a.b.example.com:8443"), Api::kGatewayApi),
               {{"v1", 100}});
  EXPECT_EQ(cluster.Route(Via("infra/gw", "example.com"), Api::kGatewayApi).kind, Kind::kUnrouted);
  ExpectRouted(cluster.Route(Via("infra/gw", "Test.Example.com", "/only/x"), Api::kGatewayApi),
               {{"v2", 100}});
  // The exact hostname's route takes test.example.com whole: no fallback to the wildcard route.
  EXPECT_EQ(cluster.Route(Via("infra/gw", "test.example.com", "/other"), Api::kGatewayApi).kind,
            Kind::kUnrouted);
  EXPECT_EQ(cluster.Route(Via("infra/other", "foo.example.com"), Api::kGatewayApi).kind,
            Kind::kUnrouted);
  // Mesh traffic to the Service is not routed by Gateway routes.
  EXPECT_EQ(cluster.Route(Mesh("app", "web"), Api::kGatewayApi).kind, Kind::kUnsplit);
}

TEST(GatewayApi, UnknownFeaturesAreErrorsNotGuesses) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "foo", {"a"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - filters: [{type: RequestRedirect, requestRedirect: {hostname: x}}]
    backendRefs: [{name: a, port: 80}]
)");
  const Outcome o = cluster.Route(Mesh("foo", "default"), Api::kGatewayApi);
  EXPECT_EQ(o.kind, Kind::kError);
  EXPECT_NE(o.detail.find("not modeled"), std::string::npos) << o.detail;
}

// ------------------------------------------------------------------ Istio

const char* const kReviewsRules = R"(
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-destination, namespace: prod}
spec:
  host: reviews.prod.svc.cluster.local
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
)";

// The VirtualService reference's first example: /wpcatalog and /consumercatalog prefixes to v2,
// everything else to v1.
TEST(Istio, ReferenceExample) {
  const auto cluster =
      Cluster::FromYaml(Workloads("prod", "reviews", {"v1", "v2", "v3"}) + kReviewsRules + R"(
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-route, namespace: prod}
spec:
  hosts: [reviews.prod.svc.cluster.local]
  http:
  - name: "reviews-v2-routes"
    match:
    - uri: {prefix: "/wpcatalog"}
    - uri: {prefix: "/consumercatalog"}
    rewrite: {uri: "/newcatalog"}
    route:
    - destination: {host: reviews.prod.svc.cluster.local, subset: v2}
  - name: "reviews-v1-route"
    route:
    - destination: {host: reviews.prod.svc.cluster.local, subset: v1}
)");
  ExpectRouted(cluster.Route(Mesh("reviews", "prod", "/wpcatalog/x"), Api::kIstio), {{"v2", 100}});
  // Istio's uri prefix is a plain string prefix.
  ExpectRouted(cluster.Route(Mesh("reviews", "prod", "/consumercatalogs"), Api::kIstio),
               {{"v2", 100}});
  ExpectRouted(cluster.Route(Mesh("reviews", "prod", "/other"), Api::kIstio), {{"v1", 100}});
}

// The request-routing task (end-user: jason to v2), traffic shifting (weights) and first-match
// order: an earlier, broader route shadows a later, narrower one.
TEST(Istio, FirstMatchHeadersAndWeights) {
  const auto cluster =
      Cluster::FromYaml(Workloads("prod", "reviews", {"v1", "v2", "v3"}) + kReviewsRules + R"(
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: prod}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - match: [{headers: {user-agent: {regex: "Firefox"}}}]
    route: [{destination: {host: reviews, subset: v3}}]
  - match: [{headers: {cookie: {regex: "^(.*?;)?(user=jason)(;.*)?$"}}}]
    route: [{destination: {host: reviews, subset: v3}}]
  - match: [{uri: {prefix: /}}]
    route:
    - {destination: {host: reviews, subset: v1}, weight: 75}
    - {destination: {host: reviews, subset: v3}, weight: 25}
  - match: [{headers: {x: {exact: "1"}}}]
    route: [{destination: {host: reviews, subset: v2}}]
)");
  const Request base = Mesh("reviews", "prod");
  ExpectRouted(cluster.Route(With(base, "End-User", "jason"), Api::kIstio), {{"v2", 100}});
  ExpectRouted(cluster.Route(With(base, "end-user", "jason2"), Api::kIstio),
               {{"v1", 75}, {"v3", 25}});
  // Envoy regexes match the whole value.
  ExpectRouted(cluster.Route(With(base, "user-agent", "Mozilla Firefox"), Api::kIstio),
               {{"v1", 75}, {"v3", 25}});
  ExpectRouted(cluster.Route(With(base, "user-agent", "Firefox"), Api::kIstio), {{"v3", 100}});
  ExpectRouted(cluster.Route(With(base, "cookie", "a=1;user=jason;b=2"), Api::kIstio),
               {{"v3", 100}});
  // The docs' cookie regex allows no space after ';', which browsers send.
  ExpectRouted(cluster.Route(With(base, "cookie", "a=1; user=jason"), Api::kIstio),
               {{"v1", 75}, {"v3", 25}});
  ExpectRouted(cluster.Route(With(base, "x", "1"), Api::kIstio), {{"v1", 75}, {"v3", 25}});
  // Short, namespaced and full names of the host reach the same VirtualService.
  Request named = With(base, "end-user", "jason");
  for (const char* host : {"reviews", "reviews.prod", "reviews.prod.svc.cluster.local"}) {
    named.host = host;
    ExpectRouted(cluster.Route(named, Api::kIstio), {{"v2", 100}});
  }
}

// The mirroring task: all traffic to v1, a copy of it (mirrorPercentage) to v2; `mirrors`.
TEST(Istio, Mirroring) {
  const auto cluster =
      Cluster::FromYaml(Workloads("prod", "reviews", {"v1", "v2", "v3"}) + kReviewsRules + R"(
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: prod}
spec:
  hosts: [reviews]
  http:
  - match: [{method: {exact: POST}}]
    route: [{destination: {host: reviews, subset: v1}, weight: 100}]
    mirrors:
    - {destination: {host: reviews, subset: v2}}
    - {destination: {host: reviews, subset: v3}, percentage: {value: 10}}
  - route: [{destination: {host: reviews, subset: v1}, weight: 100}]
    mirror: {host: reviews, subset: v2}
    mirrorPercentage: {value: 50.0}
)");
  ExpectRouted(cluster.Route(Mesh("reviews", "prod"), Api::kIstio), {{"v1", 100}}, {{"v2", 50}});
  ExpectRouted(cluster.Route(Method(Mesh("reviews", "prod"), "POST"), Api::kIstio), {{"v1", 100}},
               {{"v2", 100}, {"v3", 10}});
}

// The ingress task's shape: a VirtualService bound to a gateway only; hosts decide.
TEST(Istio, GatewayBinding) {
  const auto cluster =
      Cluster::FromYaml(Workloads("prod", "reviews", {"v1", "v2", "v3"}) + kReviewsRules + R"(
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bookinfo, namespace: prod}
spec:
  hosts: ["*.bookinfo.com", "bookinfo.com"]
  gateways: [bookinfo-gateway]
  http:
  - match: [{uri: {exact: /productpage}}]
    route: [{destination: {host: reviews.prod.svc.cluster.local, subset: v2}}]
)");
  ExpectRouted(
      cluster.Route(Via("prod/bookinfo-gateway", "bookinfo.com", "/productpage"), Api::kIstio),
      {{"v2", 100}});
  ExpectRouted(cluster.Route(Via("prod/bookinfo-gateway", "a.b.bookinfo.com:80", "/productpage"),
                             Api::kIstio),
               {{"v2", 100}});
  EXPECT_EQ(
      cluster.Route(Via("prod/bookinfo-gateway", "bookinfo.com", "/productpage/"), Api::kIstio)
          .kind,
      Kind::kUnrouted);
  EXPECT_EQ(
      cluster.Route(Via("prod/bookinfo-gateway", "evil.com", "/productpage"), Api::kIstio).kind,
      Kind::kUnrouted);
  EXPECT_EQ(
      cluster.Route(Via("other/bookinfo-gateway", "bookinfo.com", "/productpage"), Api::kIstio)
          .kind,
      Kind::kUnrouted);
  // Not bound to the mesh: sidecars use the plain Service.
  EXPECT_EQ(cluster.Route(Mesh("reviews", "prod"), Api::kIstio).kind, Kind::kUnsplit);
}

TEST(Istio, BrokenDestinationsAreErrors) {
  const auto cluster =
      Cluster::FromYaml(Workloads("prod", "reviews", {"v1", "v2", "v3"}) + kReviewsRules + R"(
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: prod}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {x: {exact: "1"}}}]
    route: [{destination: {host: reviews, subset: v9}}]
  - match: [{headers: {x: {exact: "2"}}}]
    route: [{destination: {host: reviews}}]
  - route: [{destination: {host: ratings, subset: v1}}]
)");
  EXPECT_EQ(cluster.Route(With(Mesh("reviews", "prod"), "x", "1"), Api::kIstio).kind, Kind::kError);
  // The root Service selects every version: no single answer.
  EXPECT_EQ(cluster.Route(With(Mesh("reviews", "prod"), "x", "2"), Api::kIstio).kind, Kind::kError);
  EXPECT_EQ(cluster.Route(Mesh("reviews", "prod"), Api::kIstio).kind, Kind::kError);
}

// ------------------------------------------------------------------ SMI

// The traffic-split spec's canary example (90/10) and its workflow's 1000/500 weights.
TEST(Smi, CanaryWeights) {
  const std::string workloads = Workloads("default", "website", {"website-v1", "website-v2"});
  const auto cluster = Cluster::FromYaml(workloads + R"(
---
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: canary}
spec:
  service: website
  backends:
  - {service: website-v1, weight: 90}
  - {service: website-v2, weight: 10}
)");
  ExpectRouted(cluster.Route(Mesh("website", "default"), Api::kSmi),
               {{"website-v1", 90}, {"website-v2", 10}});
  const auto rollout = Cluster::FromYaml(workloads + R"(
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: foobar-rollout}
spec:
  service: website
  backends:
  - {service: website-v1, weight: 1000}
  - {service: website-v2, weight: 500}
)");
  const Outcome o = rollout.Route(Mesh("website", "default"), Api::kSmi);
  ASSERT_EQ(o.kind, Kind::kRouted);
  EXPECT_NEAR(o.versions.at("website-v2"), 100.0 / 3, 1e-9);
  // v1alpha1 quantities, as Linkerd reads them.
  const auto linkerd = Cluster::FromYaml(workloads + R"(
---
apiVersion: split.smi-spec.io/v1alpha1
kind: TrafficSplit
metadata: {name: canary}
spec:
  service: website
  backends:
  - {service: website-v1, weight: 900m}
  - {service: website-v2, weight: 100m}
)");
  ExpectRouted(linkerd.Route(Mesh("website", "default"), Api::kSmi),
               {{"website-v1", 90}, {"website-v2", 10}});
}

// The SMI spec: clients that do not go through a proxy implementing TrafficSplit get the plain
// Kubernetes Service. A bypassing client sees no split, on any API: the root Service's selector
// alone decides (every version here, one version when the selector names it).
TEST(Bypass, TheRootServiceSelectorAloneDecides) {
  const std::string split = R"(
---
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: website, namespace: default}
spec:
  service: website
  backends:
  - {service: website-v1, weight: 100}
  - {service: website-v2, weight: 0}
)";
  const auto every =
      Cluster::FromYaml(Workloads("default", "website", {"website-v1", "website-v2"}) + split);
  ExpectRouted(every.Route(Mesh("website", "default"), Api::kSmi), {{"website-v1", 100}});
  Request bypass = Mesh("website", "default");
  bypass.via = "bypass";
  for (Api api : {Api::kSmi, Api::kIstio, Api::kGatewayApi, Api::kTraefik}) {
    EXPECT_EQ(every.Route(bypass, api).kind, Kind::kUnsplit);
  }
  std::string one = Workloads("default", "website", {"website-v1", "website-v2"});
  const std::string all = "selector: {app: website}";
  one.replace(one.find(all), all.size(), "selector: {app: website, version: website-v1}");
  const auto primary = Cluster::FromYaml(one + split);
  ExpectRouted(primary.Route(bypass, Api::kSmi), {{"website-v1", 100}});
  ExpectRouted(primary.Route(Mesh("website", "default"), Api::kSmi), {{"website-v1", 100}});
}

// The A/B example: Firefox users to website-v2; the others to the root Service (every version)
// unless a split without matches exists.
TEST(Smi, AbTestSplitSelection) {
  const std::string base = Workloads("default", "website", {"website-v1", "website-v2"}) + R"(
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: ab-test}
spec:
  service: website
  matches: [{kind: HTTPRouteGroup, name: ab-test}]
  backends:
  - {service: website-v1, weight: 0}
  - {service: website-v2, weight: 100}
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: ab-test}
spec:
  matches:
  - name: firefox-users
    headers:
    - user-agent: ".*Firefox.*"
)";
  const auto cluster = Cluster::FromYaml(base);
  const Request firefox = With(Mesh("website", "default"), "User-Agent", "Mozilla/5.0 Firefox/120");
  ExpectRouted(cluster.Route(firefox, Api::kSmi), {{"website-v2", 100}});
  EXPECT_EQ(cluster.Route(Mesh("website", "default"), Api::kSmi).kind, Kind::kUnsplit);
  const auto with_default = Cluster::FromYaml(base + R"(
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: default}
spec:
  service: website
  backends: [{service: website-v1, weight: 1}]
)");
  ExpectRouted(with_default.Route(Mesh("website", "default"), Api::kSmi), {{"website-v1", 100}});
  ExpectRouted(with_default.Route(firefox, Api::kSmi), {{"website-v2", 100}});
}

// SMI gives no order between splits and leaves regex anchoring loose: both are reported.
TEST(Smi, AmbiguitiesAreReported) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "web", {"v1", "v2", "v3"}) + R"(
---
apiVersion: split.smi-spec.io/v1alpha3
kind: TrafficSplit
metadata: {name: a}
spec:
  service: web
  matches: [{kind: HTTPRouteGroup, name: a}]
  backends: [{service: v2, weight: 1}]
---
apiVersion: split.smi-spec.io/v1alpha3
kind: TrafficSplit
metadata: {name: b}
spec:
  service: web
  matches: [{kind: HTTPRouteGroup, name: b}]
  backends: [{service: v3, weight: 1}]
---
apiVersion: split.smi-spec.io/v1alpha3
kind: TrafficSplit
metadata: {name: rest}
spec:
  service: web
  backends: [{service: v1, weight: 1}]
---
apiVersion: specs.smi-spec.io/v1alpha3
kind: HTTPRouteGroup
metadata: {name: a}
spec:
  matches:
  - {name: api, pathRegex: "/api", methods: ["*"]}
---
apiVersion: specs.smi-spec.io/v1alpha3
kind: HTTPRouteGroup
metadata: {name: b}
spec:
  matches:
  - {name: beta, headers: [{x-beta: "^1$"}], methods: [GET, HEAD]}
)");
  // "/api" holds for "/api" under both readings; for "/api/x" only when anchored at the start.
  ExpectRouted(cluster.Route(Mesh("web", "default", "/api"), Api::kSmi), {{"v2", 100}});
  EXPECT_EQ(cluster.Route(Mesh("web", "default", "/api/x"), Api::kSmi).kind, Kind::kAmbiguous);
  ExpectRouted(cluster.Route(Mesh("web", "default", "/x/api"), Api::kSmi), {{"v1", 100}});
  ExpectRouted(cluster.Route(With(Mesh("web", "default", "/x"), "X-Beta", "1"), Api::kSmi),
               {{"v3", 100}});
  ExpectRouted(
      cluster.Route(Method(With(Mesh("web", "default", "/x"), "x-beta", "1"), "POST"), Api::kSmi),
      {{"v1", 100}});
  // Both splits with matches apply: no order.
  EXPECT_EQ(cluster.Route(With(Mesh("web", "default", "/api"), "x-beta", "1"), Api::kSmi).kind,
            Kind::kAmbiguous);
}

// The spec's "birds" example: a backend without the root service's port receives nothing.
TEST(Smi, BackendPortMustMatchRoot) {
  const auto cluster = Cluster::FromYaml(R"(
kind: Service
apiVersion: v1
metadata: {name: birds}
spec:
  selector: {app: birds}
  ports: [{name: grpc, port: 8080}]
---
kind: Service
apiVersion: v1
metadata: {name: blue-birds}
spec:
  selector: {app: birds, color: blue}
  ports: [{name: grpc, port: 1024}]
---
kind: Service
apiVersion: v1
metadata: {name: green-birds}
spec:
  selector: {app: birds, color: green}
  ports: [{name: grpc, port: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: blue}
spec:
  template: {metadata: {labels: {app: birds, color: blue}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: green}
spec:
  template: {metadata: {labels: {app: birds, color: green}}}
---
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: birds}
spec:
  service: birds
  backends: [{service: blue-birds, weight: 1}, {service: green-birds, weight: 1}]
)");
  EXPECT_EQ(cluster.Route(Mesh("birds", "default"), Api::kSmi).kind, Kind::kError);
}

// ------------------------------------------------------------------ GRPCRoute

Request Grpc(const std::string& service, const std::string& ns, const std::string& svc,
             const std::string& method) {
  Request r = Mesh(service, ns, "/" + svc + "/" + method);
  r.grpc = true;
  r.method = "POST";
  r.headers.emplace_back("content-type", "application/grpc");
  return r;
}

// The example of the GRPCRoute rules[] field doc: service foo.bar AND header version: 2, OR
// service foo.bar.v2; and its precedence: the longer service match first, then the method.
TEST(GrpcRoute, RulesFieldDocExampleAndPrecedence) {
  const auto cluster =
      Cluster::FromYaml(Workloads("default", "foo", {"foo-v1", "foo-v2", "foo-v3"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: foo-route}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - backendRefs: [{name: foo-v1, port: 80}]
  - matches:
    - method: {service: foo.bar}
      headers: [{name: version, value: "2"}]
    - method: {service: foo.bar.v2}
    backendRefs: [{name: foo-v2, port: 80}]
  - matches:
    - method: {service: foo.bar, method: Get}
    backendRefs: [{name: foo-v3, port: 80}]
)");
  ExpectRouted(cluster.Route(With(Grpc("foo", "default", "foo.bar", "List"), "version", "2"),
                             Api::kGatewayApi),
               {{"foo-v2", 100}});
  ExpectRouted(cluster.Route(Grpc("foo", "default", "foo.bar.v2", "List"), Api::kGatewayApi),
               {{"foo-v2", 100}});
  ExpectRouted(cluster.Route(Grpc("foo", "default", "foo.bar", "List"), Api::kGatewayApi),
               {{"foo-v1", 100}});
  // The same service characters; the method match decides over the header match.
  ExpectRouted(cluster.Route(With(Grpc("foo", "default", "foo.bar", "Get"), "version", "2"),
                             Api::kGatewayApi),
               {{"foo-v3", 100}});
  // Not a gRPC call: a GRPCRoute does not answer it.
  EXPECT_EQ(cluster.Route(Mesh("foo", "default", "/foo.bar/Get"), Api::kGatewayApi).kind,
            Kind::kUnrouted);
}

// RegularExpression method matches rank as the implementation decides: both readings.
TEST(GrpcRoute, RegexPrecedenceIsAmbiguous) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "foo", {"foo-v1", "foo-v2"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: foo-route}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - matches: [{headers: [{name: x, value: "1"}]}]
    backendRefs: [{name: foo-v1, port: 80}]
  - matches: [{method: {type: RegularExpression, service: "foo\\..*"}}]
    backendRefs: [{name: foo-v2, port: 80}]
)");
  EXPECT_EQ(
      cluster.Route(With(Grpc("foo", "default", "foo.bar", "Get"), "x", "1"), Api::kGatewayApi)
          .kind,
      Kind::kAmbiguous);
  ExpectRouted(cluster.Route(Grpc("foo", "default", "foo.bar", "Get"), Api::kGatewayApi),
               {{"foo-v2", 100}});
}

// ------------------------------------------------------------------ Linkerd

// Linkerd's dynamic request routing guide (linkerd.io 2-edge tasks/configuring-dynamic-request-
// routing): a policy.linkerd.io HTTPRoute on the Service sends x-request-id: alternative to
// backend-b, the rest to backend-a.
TEST(Linkerd, DynamicRequestRoutingGuide) {
  const std::string manifests = Workloads("test", "backend", {"backend-a", "backend-b"}, 9898);
  EXPECT_EQ(Cluster::FromYaml(manifests).Route(Mesh("backend", "test"), Api::kLinkerd).kind,
            Kind::kUnsplit);
  const auto cluster = Cluster::FromYaml(manifests + R"(
---
apiVersion: policy.linkerd.io/v1beta2
kind: HTTPRoute
metadata: {name: backend-router, namespace: test}
spec:
  parentRefs: [{name: backend, kind: Service, group: core, port: 9898}]
  rules:
  - matches:
    - headers: [{name: "x-request-id", value: "alternative"}]
    backendRefs: [{name: "backend-b", port: 9898}]
  - backendRefs: [{name: "backend-a", port: 9898}]
)");
  ExpectRouted(
      cluster.Route(With(Mesh("backend", "test"), "x-request-id", "alternative"), Api::kLinkerd),
      {{"backend-b", 100}});
  ExpectRouted(cluster.Route(Mesh("backend", "test"), Api::kLinkerd), {{"backend-a", 100}});
  // Any value of a repeated header may match (header.rs: get_all ... any).
  Request twice =
      With(With(Mesh("backend", "test"), "x-request-id", "a"), "x-request-id", "alternative");
  ExpectRouted(cluster.Route(twice, Api::kLinkerd), {{"backend-b", 100}});
}

// match.rs: path length of any type, then headers, then query, then method. The HTTPRoute text
// ranks a method above headers and an Exact path above a longer prefix; Linkerd does not.
TEST(Linkerd, RankingDiffersFromTheText) {
  const std::string routes = R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - matches: [{method: GET}]
    backendRefs: [{name: foo-v1, port: 80}]
  - matches: [{headers: [{name: x, value: "1"}]}]
    backendRefs: [{name: foo-v2, port: 80}]
  - matches: [{path: {type: Exact, value: /ab}}]
    backendRefs: [{name: foo-v3, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /abc/}}]
    backendRefs: [{name: foo-v4, port: 80}]
)";
  const auto cluster = Cluster::FromYaml(
      Workloads("default", "foo", {"foo-v1", "foo-v2", "foo-v3", "foo-v4"}) + routes);
  const Request get_x = With(Mesh("foo", "default"), "x", "1");
  ExpectRouted(cluster.Route(get_x, Api::kGatewayApi), {{"foo-v1", 100}});
  ExpectRouted(cluster.Route(get_x, Api::kGatewayApi, "linkerd"), {{"foo-v2", 100}});
  ExpectRouted(cluster.Route(get_x, Api::kGatewayApi, "Linkerd/Linkerd"), {{"foo-v2", 100}});
  // Exact /ab (3 characters) against PathPrefix /abc/ (4 without the slash): not both.
  Request abc = Mesh("foo", "default", "/abc/d");
  ExpectRouted(cluster.Route(abc, Api::kGatewayApi, "linkerd"), {{"foo-v4", 100}});
  Request ab = Mesh("foo", "default", "/ab");
  ExpectRouted(cluster.Route(ab, Api::kGatewayApi, "linkerd"), {{"foo-v3", 100}});
  // Gateway requests are the gateway implementation's: the text.
  EXPECT_EQ(cluster.Route(Via("infra/gw", "foo.example.com"), Api::kGatewayApi, "linkerd").kind,
            Kind::kUnrouted);
}

// The policy controller skips a route with a RequestMirror filter (outbound/index/http.rs
// convert_gateway_filter); the Service then balances alone.
TEST(Linkerd, RequestMirrorDropsTheRoute) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "foo", {"foo-v1", "foo-v2"}) + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{group: "", kind: Service, name: foo}]
  rules:
  - filters:
    - type: RequestMirror
      requestMirror: {backendRef: {name: foo-v2, port: 80}}
    backendRefs: [{name: foo-v1, port: 80}]
)");
  ExpectRouted(cluster.Route(Mesh("foo", "default"), Api::kGatewayApi), {{"foo-v1", 100}},
               {{"foo-v2", 100}});
  EXPECT_EQ(cluster.Route(Mesh("foo", "default"), Api::kGatewayApi, "linkerd").kind,
            Kind::kUnsplit);
}

// A parentRef without group is a Gateway of the route's own group (the CRD's defaults), not
// the Service; the backend ResponseHeaderModifier reaches HTTP responses, not gRPC ones.
TEST(Linkerd, ParentGroupAndResponseHeaders) {
  const std::string workloads = Workloads("default", "foo", {"foo-v1"});
  const auto no_group = Cluster::FromYaml(workloads + R"(
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{kind: Service, name: foo}]
  rules:
  - backendRefs: [{name: foo-v1, port: 80}]
)");
  const Outcome plain = no_group.Route(Mesh("foo", "default"), Api::kLinkerd);
  EXPECT_NE(plain.detail.find("no route"), std::string::npos) << plain.Summary();
  const std::string rules = R"(
  rules:
  - backendRefs:
    - name: foo-v1
      port: 80
      filters:
      - type: ResponseHeaderModifier
        responseHeaderModifier: {set: [{name: app-version, value: foo-v1}]}
)";
  const auto http = Cluster::FromYaml(workloads + R"(
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{kind: Service, group: core, name: foo}])" +
                                      rules);
  const Outcome o = http.Route(Mesh("foo", "default"), Api::kLinkerd);
  ExpectRouted(o, {{"foo-v1", 100}});
  EXPECT_EQ(o.app_version.at("foo-v1"), "foo-v1");
  const auto grpc = Cluster::FromYaml(workloads + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{kind: Service, group: "", name: foo}])" +
                                      rules);
  const Outcome g = grpc.Route(Grpc("foo", "default", "a.B", "C"), Api::kLinkerd);
  ExpectRouted(g, {{"foo-v1", 100}});
  EXPECT_EQ(g.app_version.at("foo-v1"), "");
}

// ------------------------------------------------------------------ requests

// ------------------------------------------------------------------ Consul

// Deployments registered the consul-k8s way: pods annotated with the Service to register under
// and the service metadata version=<v> (when `meta`), per-version Services as Workloads makes.
std::string ConsulWorkloads(const std::string& ns, const std::string& app,
                            const std::vector<std::string>& versions, bool register_root = true,
                            bool meta = true) {
  std::string out = Workloads(ns, app, versions);
  for (const auto& v : versions) {
    std::string annotations;
    if (register_root) annotations += "consul.hashicorp.com/kubernetes-service: " + app + ", ";
    if (meta) annotations += "consul.hashicorp.com/service-meta-version: " + v + ", ";
    if (annotations.empty()) continue;
    const std::string from = "    metadata: {labels: {app: " + app + ", version: " + v + "}}\n";
    const std::string to = "    metadata: {labels: {app: " + app + ", version: " + v +
                           "}, annotations: {" + annotations.substr(0, annotations.size() - 2) +
                           "}}\n";
    out.replace(out.find(from), from.size(), to);
  }
  return out;
}

// Consul's docs: a resolver with a subset per version (Service.Meta.version), a splitter 90/10,
// and a router sending a header and a path prefix to v2.
const char* const kConsulBase = R"yaml(
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceDefaults
metadata: {name: web, namespace: shop}
spec: {protocol: http}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceResolver
metadata: {name: web, namespace: shop}
spec:
  defaultSubset: web-v1
  subsets:
    web-v1: {filter: 'Service.Meta.version == web-v1'}
    web-v2: {filter: 'Service.Meta.version == "web-v2"'}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: web, namespace: shop}
spec:
  splits:
  - {weight: 90, serviceSubset: web-v1}
  - {weight: 10, serviceSubset: web-v2}
)yaml";
const std::string kConsulWeb = std::string(kConsulBase) + R"yaml(
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceRouter
metadata: {name: web, namespace: shop}
spec:
  routes:
  - match: {http: {header: [{name: x-debug, exact: "1"}]}}
    destination: {serviceSubset: web-v2}
  - match: {http: {pathPrefix: /admin}}
    destination: {serviceSubset: web-v2}
)yaml";

TEST(Consul, RouterSplitterResolver) {
  const auto cluster =
      Cluster::FromYaml(ConsulWorkloads("shop", "web", {"web-v1", "web-v2"}) + kConsulWeb);
  ExpectRouted(cluster.Route(Mesh("web", "shop"), Api::kConsul), {{"web-v1", 90}, {"web-v2", 10}});
  ExpectRouted(cluster.Route(With(Mesh("web", "shop"), "X-Debug", "1"), Api::kConsul),
               {{"web-v2", 100}});
  // pathPrefix is a plain string prefix of the whole :path.
  ExpectRouted(cluster.Route(Mesh("web", "shop", "/administrator"), Api::kConsul),
               {{"web-v2", 100}});
  ExpectRouted(cluster.Route(Mesh("web", "shop", "/adm?in=1"), Api::kConsul),
               {{"web-v1", 90}, {"web-v2", 10}});
}

TEST(Consul, RoutingNeedsAnHttpProtocol) {
  std::string entries = kConsulWeb;
  entries.replace(entries.find("spec: {protocol: http}"), 22, "spec: {protocol: tcp}");
  const auto cluster =
      Cluster::FromYaml(ConsulWorkloads("shop", "web", {"web-v1", "web-v2"}) + entries);
  const Outcome o = cluster.Route(Mesh("web", "shop"), Api::kConsul);
  EXPECT_EQ(o.kind, Kind::kError) << o.Summary();
  EXPECT_NE(o.detail.find("protocol tcp"), std::string::npos) << o.detail;
}

// Without the kubernetes-service annotation a version's pods are selected by the root Service
// and their own Service: consul-k8s registers two Consul services and the pods never start.
TEST(Consul, PodsRegisterUnderOneService) {
  const auto cluster =
      Cluster::FromYaml(ConsulWorkloads("shop", "web", {"web-v1", "web-v2"}, false) + kConsulWeb);
  const Outcome o = cluster.Route(Mesh("web", "shop"), Api::kConsul);
  EXPECT_EQ(o.kind, Kind::kError) << o.Summary();
  EXPECT_NE(o.detail.find("several Consul services"), std::string::npos) << o.detail;
}

// Subset filters see service metadata, not pod labels: without the annotation they select none.
TEST(Consul, SubsetsSelectServiceMetadata) {
  const auto cluster = Cluster::FromYaml(
      ConsulWorkloads("shop", "web", {"web-v1", "web-v2"}, true, false) + kConsulWeb);
  EXPECT_EQ(cluster.Route(Mesh("web", "shop"), Api::kConsul).kind, Kind::kError);
  const auto plain = Cluster::FromYaml(ConsulWorkloads("shop", "web", {"web-v1", "web-v2"}));
  EXPECT_EQ(plain.Route(Mesh("web", "shop"), Api::kConsul).kind, Kind::kUnsplit);
}

TEST(Consul, SplitWeightsMustSumTo100) {
  std::string entries = kConsulWeb;
  entries.replace(entries.find("weight: 10,"), 11, "weight: 11,");
  const auto cluster =
      Cluster::FromYaml(ConsulWorkloads("shop", "web", {"web-v1", "web-v2"}) + entries);
  EXPECT_EQ(cluster.Route(Mesh("web", "shop"), Api::kConsul).kind, Kind::kError);
}

// A route to another service follows that service's splitter (a split of a matched segment).
TEST(Consul, RouteToAHelperServiceSplitter) {
  const auto cluster =
      Cluster::FromYaml(ConsulWorkloads("shop", "web", {"web-v1", "web-v2"}) + kConsulBase + R"yaml(
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceRouter
metadata: {name: web, namespace: shop}
spec:
  routes:
  - match: {http: {header: [{name: beta, present: true}], methods: [GET]}}
    destination: {service: web-beta}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: web-beta, namespace: shop}
spec:
  splits:
  - {weight: 70, service: web, serviceSubset: web-v1, responseHeaders: {set: {app-version: web-v1}}}
  - {weight: 30, service: web, serviceSubset: web-v2, responseHeaders: {set: {app-version: web-v2}}}
)yaml");
  const Outcome o = cluster.Route(With(Mesh("web", "shop"), "beta", "x"), Api::kConsul);
  ExpectRouted(o, {{"web-v1", 70}, {"web-v2", 30}});
  EXPECT_EQ(o.app_version.at("web-v2"), "web-v2");
  ExpectRouted(cluster.Route(Method(With(Mesh("web", "shop"), "beta", "x"), "POST"), Api::kConsul),
               {{"web-v1", 90}, {"web-v2", 10}});
}

// ------------------------------------------------------------------ Traefik

Request Through(const std::string& host, const std::string& path = "/") {
  Request r;
  r.host = host;
  r.path = path;
  return r;
}

// Traefik's "Rules & priority" docs: by default the longer rule wins; an explicit priority
// overrides it.
TEST(Traefik, PriorityDefaultsToRuleLength) {
  const std::string manifests = Workloads("default", "who", {"who-1", "who-2"});
  const auto by_length = Cluster::FromYaml(manifests + R"yaml(
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: default}
spec:
  routes:
  - match: Host(`snitest.com`)
    kind: Rule
    services: [{name: who-1, port: 80}]
  - match: Host(`snitest.com`) && PathPrefix(`/foo`)
    kind: Rule
    services: [{name: who-2, port: 80}]
)yaml");
  ExpectRouted(by_length.Route(Through("snitest.com", "/foo/bar"), Api::kTraefik),
               {{"who-2", 100}});
  // PathPrefix is a plain string prefix; Host ignores case and port.
  ExpectRouted(by_length.Route(Through("SniTest.com:443", "/foobar"), Api::kTraefik),
               {{"who-2", 100}});
  ExpectRouted(by_length.Route(Through("snitest.com", "/fo"), Api::kTraefik), {{"who-1", 100}});
  EXPECT_EQ(by_length.Route(Through("other.com"), Api::kTraefik).kind, Kind::kUnrouted);
  const auto explicit_priority = Cluster::FromYaml(manifests + R"yaml(
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: default}
spec:
  routes:
  - match: Host(`snitest.com`)
    kind: Rule
    priority: 100
    services: [{name: who-1, port: 80}]
  - match: Host(`snitest.com`) && PathPrefix(`/foo`)
    kind: Rule
    priority: 2
    services: [{name: who-2, port: 80}]
)yaml");
  ExpectRouted(explicit_priority.Route(Through("snitest.com", "/foo"), Api::kTraefik),
               {{"who-1", 100}});
}

TEST(Traefik, EqualPrioritiesAreAmbiguous) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "who", {"who-1", "who-2"}) + R"yaml(
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: default}
spec:
  routes:
  - {match: "Host(`a`) && Header(`x`, `1`)", kind: Rule, services: [{name: who-1, port: 80}]}
  - {match: "Host(`a`) && Header(`y`, `1`)", kind: Rule, services: [{name: who-2, port: 80}]}
)yaml");
  Request both = With(With(Through("a"), "x", "1"), "y", "1");
  EXPECT_EQ(cluster.Route(both, Api::kTraefik).kind, Kind::kAmbiguous);
  ExpectRouted(cluster.Route(With(Through("a"), "y", "1"), Api::kTraefik), {{"who-2", 100}});
}

// Regexp matchers search (Go regexp MatchString): unanchored expressions match inside values.
TEST(Traefik, RegexpMatchersSearch) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "who", {"who-1", "who-2"}) + R"yaml(
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: default}
spec:
  routes:
  - {match: "Host(`a`) && HeaderRegexp(`X-Id`, `[0-9]+`)", kind: Rule, priority: 2,
     services: [{name: who-2, port: 80}]}
  - {match: "Host(`a`)", kind: Rule, priority: 1, services: [{name: who-1, port: 80}]}
)yaml");
  ExpectRouted(cluster.Route(With(Through("a"), "x-id", "abc7"), Api::kTraefik), {{"who-2", 100}});
  ExpectRouted(cluster.Route(With(Through("a"), "x-id", "abc"), Api::kTraefik), {{"who-1", 100}});
}

// The TraefikService docs: weighted round robin (a weight of 0 gets nothing) and mirroring with
// percentages.
TEST(Traefik, WeightedAndMirroringServices) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "who", {"who-1", "who-2", "who-3"}) +
                                         R"yaml(
---
apiVersion: traefik.io/v1alpha1
kind: TraefikService
metadata: {name: wrr, namespace: default}
spec:
  weighted:
    services:
    - {name: who-1, port: 80, weight: 3}
    - {name: who-2, port: 80, weight: 1}
    - {name: who-3, port: 80, weight: 0}
---
apiVersion: traefik.io/v1alpha1
kind: TraefikService
metadata: {name: mirror, namespace: default}
spec:
  mirroring:
    name: wrr
    kind: TraefikService
    mirrors:
    - {name: who-3, port: 80, percent: 20}
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: default}
spec:
  routes:
  - {match: "Host(`a`)", kind: Rule, services: [{name: mirror, kind: TraefikService}]}
)yaml");
  ExpectRouted(cluster.Route(Through("a"), Api::kTraefik), {{"who-1", 75}, {"who-2", 25}},
               {{"who-3", 20}});
}

// A table's mesh request reaches Traefik with its Service's FQDN as Host; gateways are not
// modeled.
TEST(Traefik, MeshRequestsUseTheServiceName) {
  const auto cluster = Cluster::FromYaml(Workloads("shop", "web", {"web-1"}) + R"yaml(
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: r, namespace: shop}
spec:
  routes:
  - {match: "Host(`web.shop.svc.cluster.local`)", kind: Rule, services: [{name: web-1, port: 80}]}
)yaml");
  ExpectRouted(cluster.Route(Mesh("web", "shop"), Api::kTraefik), {{"web-1", 100}});
  EXPECT_EQ(cluster.Route(Via("infra/gw", "a"), Api::kTraefik).kind, Kind::kError);
}

// ------------------------------------------------------------------ Contour

// Contour's request-routing docs: prefix / to s1, prefix /blog and exact /feed to s2; routes are
// sorted by specificity, whatever their order; prefix is a plain string prefix.
TEST(Contour, MultiplePathsExample) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "app", {"s1", "s2"}) + R"yaml(
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: multiple-paths, namespace: default}
spec:
  virtualhost: {fqdn: multi-path.bar.com}
  routes:
  - conditions: [{prefix: /}]
    services: [{name: s1, port: 80}]
  - conditions: [{prefix: /blog}]
    services: [{name: s2, port: 80}]
  - conditions: [{exact: /feed}]
    services: [{name: s2, port: 80}]
)yaml");
  ExpectRouted(cluster.Route(Through("multi-path.bar.com", "/blog/x"), Api::kContour),
               {{"s2", 100}});
  ExpectRouted(cluster.Route(Through("multi-path.bar.com", "/blogx"), Api::kContour),
               {{"s2", 100}});
  ExpectRouted(cluster.Route(Through("Multi-Path.bar.com:80", "/feed"), Api::kContour),
               {{"s2", 100}});
  ExpectRouted(cluster.Route(Through("multi-path.bar.com", "/feed/x"), Api::kContour),
               {{"s1", 100}});
  EXPECT_EQ(cluster.Route(Through("other.com"), Api::kContour).kind, Kind::kUnrouted);
}

// More header conditions first; with equal counts the conditions' names decide, not the order.
TEST(Contour, HeaderConditionsOrderRoutes) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "app", {"s1", "s2", "s3"}) + R"yaml(
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: p, namespace: default}
spec:
  virtualhost: {fqdn: a.com}
  routes:
  - conditions: [{header: {name: x-b, exact: "1"}}]
    services: [{name: s1, port: 80}]
  - conditions: [{header: {name: x-a, exact: "1"}}]
    services: [{name: s2, port: 80}]
  - conditions: [{header: {name: x-a, exact: "1"}}, {header: {name: ":method", exact: POST}}]
    services: [{name: s3, port: 80}]
  - services: [{name: s1, port: 80}]
)yaml");
  Request both = With(With(Through("a.com"), "x-a", "1"), "x-b", "1");
  ExpectRouted(cluster.Route(both, Api::kContour), {{"s2", 100}});
  ExpectRouted(cluster.Route(Method(both, "POST"), Api::kContour), {{"s3", 100}});
}

// "Setting Weight explicitly to 0 will unexpectedly result in 100% traffic mirroring."
TEST(Contour, MirrorWeightZeroMirrorsEverything) {
  const auto cluster = Cluster::FromYaml(Workloads("default", "app", {"s1", "s2"}) + R"yaml(
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: p, namespace: default}
spec:
  virtualhost: {fqdn: a.com}
  routes:
  - conditions: [{prefix: /half}]
    services: [{name: s1, port: 80}, {name: s2, port: 80, mirror: true, weight: 50}]
  - services: [{name: s1, port: 80}, {name: s2, port: 80, mirror: true, weight: 0}]
)yaml");
  ExpectRouted(cluster.Route(Through("a.com", "/half"), Api::kContour), {{"s1", 100}},
               {{"s2", 50}});
  ExpectRouted(cluster.Route(Through("a.com", "/"), Api::kContour), {{"s1", 100}}, {{"s2", 100}});
}

// Inclusion: the root's host serves the routes of the included proxy; an empty exact value is
// no condition at all (Contour drops it); two roots for one fqdn are invalid.
TEST(Contour, InclusionEmptyValuesAndDuplicateRoots) {
  const std::string base = Workloads("default", "app", {"s1", "s2"}) + R"yaml(
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: routes, namespace: default}
spec:
  routes:
  - conditions: [{header: {name: x, exact: ""}}]
    services: [{name: s2, port: 80}]
  - services: [{name: s1, port: 80, weight: 0}, {name: s2, port: 80, weight: 0}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: root, namespace: default}
spec:
  virtualhost: {fqdn: a.com}
  includes: [{name: routes}]
)yaml";
  const auto cluster = Cluster::FromYaml(base);
  // The dropped condition leaves two routes with no conditions: no defined order between them.
  EXPECT_EQ(cluster.Route(Through("a.com"), Api::kContour).kind, Kind::kAmbiguous);
  const auto twice = Cluster::FromYaml(base + R"yaml(
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: root2, namespace: default}
spec:
  virtualhost: {fqdn: a.com}
  includes: [{name: routes}]
)yaml");
  EXPECT_EQ(twice.Route(Through("a.com"), Api::kContour).kind, Kind::kError);
}

TEST(Request, HeadersJoinAndCookies) {
  Request r;
  r.headers = {{"X-A", "1"}, {"x-a", "2"}, {"Cookie", "a=1"}, {"cookie", "b=2"}};
  EXPECT_EQ(r.Header("x-A"), "1,2");
  EXPECT_EQ(r.Header("COOKIE"), "a=1; b=2");
  EXPECT_FALSE(r.Header("x-b").has_value());
  r.query = {{"a", "1"}, {"a", "2"}};
  EXPECT_EQ(r.Query("a"), "1");
  EXPECT_EQ(r.FullPath(), "/?a=1&a=2");
}

}  // namespace
}  // namespace routing
