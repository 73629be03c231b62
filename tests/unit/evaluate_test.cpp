// The manifest evaluator (compiler/evaluate): each API's own rules on hand-written objects.
#include "compiler/evaluate/evaluate.h"

#include <gtest/gtest.h>

#include "compiler/evaluate/spec_route.h"
#include "tests/unit/support.h"

namespace meshc {
namespace {

struct Stream {
  std::unique_ptr<test::Loaded> loaded;
  ManifestSet set;
};

std::unique_ptr<Stream> stream(const std::string& text) {
  auto s = std::make_unique<Stream>();
  s->loaded = test::load(text);
  EXPECT_FALSE(s->loaded->sink.has_errors()) << test::first_error(s->loaded->sink);
  s->set.add(s->loaded->docs);
  return s;
}

EvalRequest get(const std::string& path, std::vector<std::pair<std::string, std::string>> h = {}) {
  EvalRequest r;
  r.path = path;
  r.headers = std::move(h);
  return r;
}

// "version percent, ..." of a routed result, else the outcome.
std::string shares(const EvalResult& r) {
  if (r.outcome != EvalResult::Outcome::kRouted) return outcome_name(r.outcome);
  std::string s;
  for (const auto& b : r.backends)
    s += (s.empty() ? "" : ", ") + b.label() + " " + format_percent(b.percent);
  for (const auto& m : r.mirrors) s += "; mirror " + m.label() + " " + format_percent(m.percent);
  return s;
}

const char* const kWorkloads = R"(apiVersion: v1
kind: Service
metadata: {name: app, namespace: ns}
spec: {selector: {app: app}}
---
apiVersion: v1
kind: Service
metadata: {name: app-0, namespace: ns}
spec: {selector: {app: app, version: v0}}
---
apiVersion: v1
kind: Service
metadata: {name: app-1, namespace: ns}
spec: {selector: {app: app, version: v1}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-0, namespace: ns}
spec: {template: {metadata: {labels: {app: app, version: v0}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-1, namespace: ns}
spec: {template: {metadata: {labels: {app: app, version: v1}}}}
---
)";

std::string route(const std::string& name, const std::string& rules,
                  const std::string& extra_meta = "") {
  return "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: " + name +
         ", namespace: ns" + extra_meta +
         "}\nspec:\n  parentRefs: [{group: \"\", kind: Service, name: app}]\n  rules:\n" + rules +
         "---\n";
}

const char* const kTo0 = "    backendRefs: [{name: app-0, port: 80}]\n";
const char* const kTo1 = "    backendRefs: [{name: app-1, port: 80}]\n";

TEST(Evaluate, GatewayApiExactPathBeatsLongerPrefix) {
  auto s = stream(
      std::string(kWorkloads) +
      route("r", std::string("  - matches: [{path: {type: PathPrefix, value: /api/v1/long}}]\n") +
                     kTo0 + "  - matches: [{path: {type: Exact, value: /api/v1/long}}]\n" + kTo1));
  EvalResult r = evaluate(s->set, get("/api/v1/long"));
  EXPECT_EQ(shares(r), "app-1 100");
  EXPECT_EQ(r.rule, 1);
  EXPECT_TRUE(r.before.empty());
  EXPECT_EQ(shares(evaluate(s->set, get("/api/v1/long/x"))), "app-0 100");
}

TEST(Evaluate, GatewayApiLongerPrefixThenMethodThenHeadersThenQuery) {
  auto s = stream(
      std::string(kWorkloads) +
      route("r", std::string("  - matches: [{path: {value: /a}, headers: [{name: x, value: '1'}, "
                             "{name: y, value: '1'}], queryParams: [{name: q, value: '1'}]}]\n") +
                     kTo0 + "  - matches: [{path: {value: /a/b}}]\n" + kTo1));
  // /a/b is the longer prefix: it wins although the other match has more conditions.
  EXPECT_EQ(shares(evaluate(s->set, get("/a/b?q=1", {{"x", "1"}, {"y", "1"}}))), "app-1 100");
  auto m = stream(
      std::string(kWorkloads) +
      route("r", std::string(
                     "  - matches: [{headers: [{name: x, value: '1'}, {name: y, value: '1'}]}]\n") +
                     kTo0 + "  - matches: [{method: POST}]\n" + kTo1));
  // A method outranks any number of headers.
  EvalRequest post = get("/", {{"x", "1"}, {"y", "1"}});
  post.method = "POST";
  EXPECT_EQ(shares(evaluate(m->set, post)), "app-1 100");
  EvalResult r = evaluate(m->set, get("/", {{"x", "1"}, {"y", "1"}}));
  EXPECT_EQ(shares(r), "app-0 100");
  ASSERT_EQ(r.before.size(), 1u);
  EXPECT_EQ(r.before[0].reason, "method GET is not POST");
  auto q =
      stream(std::string(kWorkloads) +
             route("r", std::string("  - matches: [{queryParams: [{name: a, value: '1'}]}]\n") +
                            kTo0 + "  - matches: [{headers: [{name: x, value: '1'}]}]\n" + kTo1));
  // Headers outrank query parameters, whatever the rule order.
  EXPECT_EQ(shares(evaluate(q->set, get("/?a=1", {{"X", "1"}}))), "app-1 100");
}

TEST(Evaluate, GatewayApiTiesGoToTheOlderRouteThenTheName) {
  std::string rules = "  - matches: [{headers: [{name: x, value: '1'}]}]\n";
  auto s = stream(std::string(kWorkloads) + route("b", rules + kTo0) + route("a", rules + kTo1));
  EvalResult r = evaluate(s->set, get("/", {{"x", "1"}}));
  EXPECT_EQ(shares(r), "app-1 100");
  EXPECT_EQ(r.object.name, "a");
  auto t = stream(std::string(kWorkloads) +
                  route("b", rules + kTo0, ", creationTimestamp: '2024-01-01T00:00:00Z'") +
                  route("a", rules + kTo1, ", creationTimestamp: '2025-01-01T00:00:00Z'"));
  EXPECT_EQ(evaluate(t->set, get("/", {{"x", "1"}})).object.name, "b");
}

TEST(Evaluate, GatewayApiWeightsMirrorsAndNoMatch) {
  auto s = stream(std::string(kWorkloads) +
                  route("r",
                        "  - matches: [{path: {type: Exact, value: /x}}]\n"
                        "    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: "
                        "app-1, port: 80}, percent: 25}}]\n"
                        "    backendRefs: [{name: app-0, port: 80, weight: 2}, {name: app-1, port: "
                        "80, weight: 1}]\n"));
  EvalResult r = evaluate(s->set, get("/x"));
  EXPECT_EQ(shares(r), "app-0 66.6667, app-1 33.3333; mirror app-1 25");
  EXPECT_EQ(r.backends[0].weight, 2u);
  EXPECT_EQ(r.backends[0].total, 3u);
  EvalResult none = evaluate(s->set, get("/y"));
  EXPECT_EQ(none.outcome, EvalResult::Outcome::kUnrouted);
  ASSERT_EQ(none.before.size(), 1u);
  EXPECT_EQ(none.before[0].reason, "path \"/y\" is not \"/x\"");
}

TEST(Evaluate, GatewayApiRegexMatchesTheWholeValue) {
  auto s = stream(
      std::string(kWorkloads) +
      route(
          "r",
          std::string(
              "  - matches: [{headers: [{name: ua, type: RegularExpression, value: 'Mob.*'}]}]\n") +
              kTo1 + "  - backendRefs: [{name: app-0, port: 80}]\n"));
  EXPECT_EQ(shares(evaluate(s->set, get("/", {{"ua", "Mobile"}}))), "app-1 100");
  EXPECT_EQ(shares(evaluate(s->set, get("/", {{"ua", "A Mobile"}}))), "app-0 100");
}

TEST(Evaluate, GatewayApiUnknownFilterIsReportedNotGuessed) {
  auto s = stream(std::string(kWorkloads) +
                  route("r",
                        "  - filters: [{type: URLRewrite, urlRewrite: {hostname: x}}]\n"
                        "    backendRefs: [{name: app-0, port: 80}]\n"));
  EvalResult r = evaluate(s->set, get("/"));
  EXPECT_EQ(r.outcome, EvalResult::Outcome::kUnknown);
  ASSERT_FALSE(r.unsupported.empty());
  EXPECT_NE(r.unsupported[0].what.find("URLRewrite"), std::string::npos);
}

const char* const kIstio = R"(apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: app, namespace: ns}
spec:
  host: app
  subsets:
  - {name: s0, labels: {version: v0}}
  - {name: s1, labels: {version: v1}}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: app, namespace: ns}
spec:
  hosts: [app]
  http:
  - match: [{headers: {x: {prefix: a}}}, {queryParams: {q: {regex: '[0-9]+'}}}]
    route: [{destination: {host: app, subset: s1}}]
  - match: [{uri: {prefix: /a}, method: {exact: POST}}]
    route: [{destination: {host: app, subset: s1}, weight: 10}, {destination: {host: app, subset: s0}, weight: 90}]
    mirror: {host: app, subset: s1}
    mirrorPercentage: {value: 12.5}
  - match: [{headers: {cookie: {regex: '^(.*; *)?v=2 *(;.*)?$'}}}]
    route: [{destination: {host: app.ns.svc.cluster.local, subset: s1}}]
  - route: [{destination: {host: app, subset: s0}}]
)";

TEST(Evaluate, IstioFirstMatchInOrder) {
  auto s = stream(std::string(kWorkloads) + kIstio);
  EvalRequest post = get("/abc", {{"x", "b"}});
  post.method = "POST";
  EvalResult r = evaluate(s->set, post);
  EXPECT_EQ(shares(r), "app-1 10, app-0 90; mirror app-1 12.5");
  EXPECT_EQ(r.rule, 1);
  ASSERT_EQ(r.before.size(), 1u);
  EXPECT_EQ(
      r.before[0].reason,
      "match 0: header x \"b\" does not start with \"a\"; match 1: query parameter q is absent");
  // The first route takes it although the second holds too.
  post.headers = {{"X", "abc"}};
  EXPECT_EQ(evaluate(s->set, post).rule, 0);
  EXPECT_EQ(shares(evaluate(s->set, get("/?q=12"))), "app-1 100");
  EXPECT_EQ(shares(evaluate(s->set, get("/?q=12a"))), "app-0 100");
}

TEST(Evaluate, IstioCookieAndHosts) {
  auto s = stream(std::string(kWorkloads) + kIstio);
  EXPECT_EQ(shares(evaluate(s->set, get("/", {{"cookie", "a=1; v=2"}}))), "app-1 100");
  EXPECT_EQ(shares(evaluate(s->set, get("/", {{"cookie", "a=1; v=22"}}))), "app-0 100");
  EvalRequest other = get("/", {{"cookie", "v=2"}});
  other.host = "app.ns.svc.cluster.local:80";
  EXPECT_EQ(shares(evaluate(s->set, other)), "app-1 100");
  other.host = "other";
  EXPECT_EQ(evaluate(s->set, other).outcome, EvalResult::Outcome::kUnsplit);
}

const char* const kSmi = R"(apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, namespace: ns}
spec:
  matches:
  - {name: m, pathRegex: '/cart(/.*)?', methods: [POST], headers: [{x-group: beta}]}
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: seg, namespace: ns}
spec:
  service: app
  matches: [{kind: HTTPRouteGroup, name: g}]
  backends: [{service: app-1, weight: 100}]
---
apiVersion: split.smi-spec.io/v1alpha1
kind: TrafficSplit
metadata: {name: app, namespace: ns}
spec:
  service: app.ns.svc.cluster.local
  backends: [{service: app-0, weight: 900m}, {service: app-1, weight: 100m}]
)";

TEST(Evaluate, SmiSplitSelection) {
  auto s = stream(std::string(kWorkloads) + kSmi);
  EvalRequest post = get("/cart/1", {{"x-group", "beta"}});
  post.method = "POST";
  EvalResult r = evaluate(s->set, post);
  EXPECT_EQ(shares(r), "app-1 100");
  EXPECT_EQ(r.object.name, "seg");
  EvalResult rest = evaluate(s->set, get("/cart/1", {{"x-group", "beta"}}));
  EXPECT_EQ(shares(rest), "app-0 90, app-1 10");
  ASSERT_EQ(rest.before.size(), 1u);
  EXPECT_EQ(rest.before[0].reason, "g/m: method GET is not one of POST");
  // Two splits with matches that both apply: SMI gives no order.
  std::string twice = std::string(kSmi) + "---\n" +
                      "apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\n"
                      "metadata: {name: seg2, namespace: ns}\nspec:\n  service: app\n"
                      "  matches: [{kind: HTTPRouteGroup, name: g}]\n"
                      "  backends: [{service: app-0, weight: 1}]\n";
  auto t = stream(std::string(kWorkloads) + twice);
  EXPECT_EQ(evaluate(t->set, post).outcome, EvalResult::Outcome::kAmbiguous);
}

TEST(Evaluate, ObjectsOfOtherMeshesAreUnknownNotGuessed) {
  auto s = stream(std::string(kWorkloads) +
                  "apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceRouter\n"
                  "metadata: {name: app, namespace: ns}\nspec: {}\n");
  EvalResult r = evaluate(s->set, get("/"));
  EXPECT_EQ(r.outcome, EvalResult::Outcome::kUnknown);
  ASSERT_EQ(r.unsupported.size(), 1u);
  EXPECT_EQ(r.unsupported[0].what,
            "ServiceRouter ns/app (consul.hashicorp.com/v1alpha1): a kind the evaluator does not "
            "understand");
  EXPECT_EQ(r.unsupported[0].loc.line, 25u);  // 0-based: the line after the workloads
}

TEST(Evaluate, WorkloadsAloneAreUnsplit) {
  auto s = stream(kWorkloads);
  EvalRequest r = get("/");
  r.host = "app.ns";
  EvalResult out = evaluate(s->set, r);
  EXPECT_EQ(out.outcome, EvalResult::Outcome::kUnsplit);
  EXPECT_EQ(out.service, "ns/app");
}

TEST(Evaluate, RequestParts) {
  EvalRequest r = get("/p?a=1&b=&a=2#f", {{"Cookie", "x=1; y = 2"}, {"cookie", "z=3"}});
  std::string v;
  EXPECT_TRUE(r.query("a", &v));
  EXPECT_EQ(v, "1");
  EXPECT_EQ(r.query_values("a"), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(r.query("b", &v));
  EXPECT_EQ(v, "");
  EXPECT_FALSE(r.query("c", &v));
  EXPECT_TRUE(r.cookie("y", &v));
  EXPECT_EQ(v, "2");
  EXPECT_TRUE(r.has_cookie("z", "3"));
  EXPECT_FALSE(r.has_cookie("x", "2"));
  EXPECT_EQ(r.path_only(), "/p");
  EXPECT_EQ(format_percent(100.0 / 3), "33.3333");
  EXPECT_EQ(format_percent(12.5), "12.5");
  EXPECT_EQ(format_percent(100), "100");
}

TEST(SpecRoute, FirstMatchingRouteOfTheRoutemap) {
  Routemap rm;
  rm.versions.resize(2);
  rm.versions[0].name = "a-0";
  rm.versions[1].name = "a-1";
  Route seg;
  seg.name = "a-1";
  seg.segment_of = 1;
  RequestMatch m;
  m.cookies.push_back({"tier", MatchType::kExact, "gold", {}, "", {}, "", {}});
  seg.matches.push_back(m);
  seg.destinations.push_back({1, 100, 100});
  Route all;
  all.name = "default";
  all.destinations.push_back({0, 100, 100});
  rm.routes = {seg, all};
  SpecRoute hit = spec_route(rm, get("/", {{"cookie", "tier=silver; tier=gold"}}));
  EXPECT_EQ(hit.index, 0u);
  EXPECT_EQ(hit.match, 0);
  EXPECT_EQ(hit.versions.at("a-1"), 100);
  EXPECT_EQ(spec_route(rm, get("/", {{"cookie", "tier=golden"}})).index, 1u);
}

}  // namespace
}  // namespace meshc

namespace meshc {
namespace {

TEST(Evaluate, LinkerdReadingRanksPathLengthAndTakesAnyValue) {
  // A header match on the prefix /a before an Exact /a: the Gateway API text puts the Exact
  // path first, Linkerd's proxy ranks both paths by length (2) and then by headers.
  std::string rules =
      std::string("  - matches: [{path: {value: /a}, headers: [{name: x, value: '1'}]}]\n") + kTo1 +
      "  - matches: [{path: {type: Exact, value: /a}}]\n" + kTo0;
  auto s = stream(std::string(kWorkloads) + route("r", rules));
  EvalRequest r = get("/a", {{"x", "1"}});
  EXPECT_EQ(shares(evaluate(s->set, r)), "app-0 100");
  EvalOptions linkerd{"linkerd"};
  EvalResult l = evaluate(s->set, r, "", linkerd);
  EXPECT_EQ(shares(l), "app-1 100");
  EXPECT_EQ(l.order, "Linkerd's route order");
  // A repeated header: only the first value counts for the Gateway API text, any for Linkerd.
  auto q = stream(std::string(kWorkloads) +
                  route("r", std::string("  - matches: [{headers: [{name: x, value: '2'}]}]\n") +
                                 kTo1 + "  - backendRefs: [{name: app-0, port: 80}]\n"));
  EvalRequest twice = get("/", {{"x", "1"}, {"x", "2"}});
  EXPECT_EQ(shares(evaluate(q->set, twice)), "app-0 100");
  EXPECT_EQ(shares(evaluate(q->set, twice, "", linkerd)), "app-1 100");
}

TEST(Evaluate, GrpcCallsTakeTheGrpcRouteLongestServiceAndMethodFirst) {
  auto s =
      stream(std::string(kWorkloads) +
             "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\n"
             "metadata: {name: g, namespace: ns}\nspec:\n"
             "  parentRefs: [{group: \"\", kind: Service, name: app}]\n  rules:\n"
             "  - matches: [{method: {service: a.B}}]\n" +
             std::string(kTo0) + "  - matches: [{method: {service: a.B, method: C}}]\n" + kTo1 +
             "---\n" + route("h", std::string("  - backendRefs: [{name: app-0, port: 80}]\n")));
  EvalRequest call = get("/a.B/C", {{"content-type", "application/grpc"}});
  call.method = "POST";
  EvalResult r = evaluate(s->set, call);
  EXPECT_EQ(shares(r), "app-1 100");
  EXPECT_EQ(r.object.kind, "GRPCRoute");
  EXPECT_EQ(r.rule, 1);
  call.path = "/a.B/D";
  EXPECT_EQ(evaluate(s->set, call).rule, 0);
  // Not a gRPC call: the HTTPRoute.
  EXPECT_EQ(evaluate(s->set, get("/a.B/C")).object.kind, "HTTPRoute");
}

}  // namespace
}  // namespace meshc

namespace meshc {
namespace {

TEST(SpecRoute, DisagreementBetweenObjectsAndSpecIsNamed) {
  Routemap rm;
  rm.versions.resize(2);
  rm.versions[0].name = "app-0";
  rm.versions[1].name = "app-1";
  Route all;
  all.name = "default";
  all.field_path = "application.strategy";
  all.destinations = {{0, 67, 2}, {1, 33, 1}};
  rm.routes = {all};
  SpecRoute spec = spec_route(rm, get("/"));
  auto s = stream(std::string(kWorkloads) +
                  route("r",
                        "  - backendRefs: [{name: app-0, port: 80, weight: 2}, {name: "
                        "app-1, port: 80, weight: 1}]\n"));
  // 2:1 exactly (66.6667 / 33.3333) is what the spec's relative weights say: no disagreement.
  EXPECT_EQ(spec_disagreement(evaluate(s->set, get("/")), spec), "");
  auto wrong =
      stream(std::string(kWorkloads) + route("r", "  - backendRefs: [{name: app-1, port: 80}]\n"));
  EXPECT_EQ(spec_disagreement(evaluate(wrong->set, get("/")), spec),
            "the spec sends it to app-0 67%, app-1 33% (application.strategy), the objects to "
            "app-1 100%");
  EXPECT_EQ(spec_disagreement(evaluate(stream(kWorkloads)->set, get("/")), spec),
            "the spec routes the request (application.strategy) but the objects say unsplit");
}

}  // namespace
}  // namespace meshc

namespace meshc {
namespace {

// An Iter8 routemap as Iter8's release chart renders it: the routing object is made at run time
// by Iter8's controller from routingTemplates, so the chart's output alone does not route.
const char* const kIter8Routemap = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: app-routemap
  namespace: ns
  labels: {iter8.tools/kind: routemap}
data: {strSpec: "versions: []"}
---
)";

TEST(Evaluate, Iter8RoutemapWithoutItsRoutingObjectIsUnknownNotUnsplit) {
  auto s = stream(std::string(kWorkloads) + kIter8Routemap);
  EvalRequest req = get("/");
  req.host = "app.ns";
  EvalResult r = evaluate(s->set, req);
  EXPECT_EQ(r.outcome, EvalResult::Outcome::kUnknown);
  ASSERT_EQ(r.unsupported.size(), 1u);
  EXPECT_TRUE(r.unsupported[0].affects);
  EXPECT_EQ(r.unsupported[0].loc.line, 25u);  // 0-based: the ConfigMap after the workloads
  EXPECT_NE(r.unsupported[0].what.find("ConfigMap ns/app-routemap is an Iter8 routemap"),
            std::string::npos)
      << r.unsupported[0].what;
  // A route owned by another ConfigMap, or in another namespace, is not the routemap's.
  auto other = stream(std::string(kWorkloads) + kIter8Routemap +
                      route("app", "  -" + std::string(kTo1).substr(3),
                            ", ownerReferences: [{apiVersion: v1, kind: configmap, name: x}]"));
  EXPECT_EQ(evaluate(other->set, req).outcome, EvalResult::Outcome::kUnknown);
}

TEST(Evaluate, Iter8RoutemapWithTheObjectItsControllerMadeIsRead) {
  // Iter8's controller writes the owner's kind as "configmap"; the usual "ConfigMap" counts too.
  for (const char* kind : {"configmap", "ConfigMap"}) {
    auto s = stream(std::string(kWorkloads) + kIter8Routemap +
                    route("app", "  -" + std::string(kTo1).substr(3),
                          ", ownerReferences: [{apiVersion: v1, kind: " + std::string(kind) +
                              ", name: app-routemap}]"));
    EvalResult r = evaluate(s->set, get("/"));
    EXPECT_EQ(shares(r), "app-1 100") << kind;
    EXPECT_TRUE(r.unsupported.empty()) << kind;
  }
}

}  // namespace
}  // namespace meshc
