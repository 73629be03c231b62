// The CRD check (compiler/verify/crd_check.h) against the vendored upstream CRDs (tests/crds) and
// against small CRDs written here for the conversion rules. The objects are written by hand
// after the upstream documentation, not taken from meshc's output.
#include "compiler/verify/crd_check.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/yaml/yaml_loader.h"

using namespace meshc;
namespace fs = std::filesystem;

namespace {

// tests/crds of this checkout, found from this file's own path.
std::string crds_dir() {
  return (fs::path(__FILE__).parent_path().parent_path() / "crds").string();
}

// The vendored CRDs, loaded once for the whole test binary.
const CrdSet& upstream() {
  static const CrdSet* set = [] {
    DiagnosticSink sink;
    auto s = CrdSet::load(crds_dir(), sink);
    for (const auto& d : sink.all()) ADD_FAILURE() << d.loc.str() << ": " << d.message;
    return s.release();
  }();
  return *set;
}

std::vector<Object> objects_of(const std::string& yaml) {
  SourceFile f("objects.yaml", yaml);
  DiagnosticSink sink;
  Limits limits;
  std::vector<Object> out;
  for (const auto& doc : load_yaml(f, limits, sink)) {
    if (!doc.root->is_null()) out.push_back(to_ordered_json(*doc.root));
  }
  EXPECT_FALSE(sink.has_errors()) << "bad test input";
  return out;
}

struct Result {
  std::vector<std::string> errors, warnings, notes;
  bool ok = false;
};

Result check(const CrdSet& set, const std::string& yaml) {
  SourceFile spec("spec.yaml", "environment: deployment-gtw\n");
  Location at{&spec, 0, 0};
  DiagnosticSink sink;
  Result r;
  r.ok = set.check(objects_of(yaml), at, sink);
  for (const auto& d : sink.all()) {
    EXPECT_EQ(d.loc.str(), "spec.yaml:1:1") << "every diagnostic is at the release";
    auto& list = d.severity == Severity::kError     ? r.errors
                 : d.severity == Severity::kWarning ? r.warnings
                                                    : r.notes;
    list.push_back(d.path.empty() ? d.message : d.path + ": " + d.message);
  }
  EXPECT_EQ(r.ok, r.errors.empty());
  return r;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// True when some message of `list` contains `part` (for errors whose order is not a contract).
bool any_contains(const std::vector<std::string>& list, const std::string& part) {
  for (const auto& s : list) {
    if (contains(s, part)) return true;
  }
  return false;
}

// `yaml` with its one occurrence of `from` replaced by `to`.
std::string edit(std::string yaml, const std::string& from, const std::string& to) {
  size_t at = yaml.find(from);
  EXPECT_NE(at, std::string::npos) << "test input lacks " << from;
  EXPECT_EQ(yaml.find(from, at + 1), std::string::npos) << "test input has two of " << from;
  if (at != std::string::npos) yaml.replace(at, from.size(), to);
  return yaml;
}

// A temporary directory of CRD files, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "meshc-crd-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  void write(const std::string& name, const std::string& text) const {
    fs::create_directories((fs::path(path_) / name).parent_path());
    std::ofstream(fs::path(path_) / name) << text;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Gateway API documentation, "HTTP traffic splitting" (canary with weights), plus a GAMMA
// route attached to a Service with a header match and a response header filter.
const char* kHttpRoute = R"(
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: foo-route
  labels:
    gateway: prod-web-gw
spec:
  parentRefs:
  - name: prod-web
  hostnames:
  - foo.example.com
  rules:
  - matches:
    - headers:
      - type: Exact
        name: traffic
        value: test
      path:
        type: PathPrefix
        value: /
    backendRefs:
    - name: foo-v2
      port: 8080
  - backendRefs:
    - name: foo-v1
      port: 8080
      weight: 90
    - name: foo-v2
      port: 8080
      weight: 10
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
  namespace: bookinfo
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
  - backendRefs:
    - name: reviews-v1
      port: 9080
    filters:
    - type: ResponseHeaderModifier
      responseHeaderModifier:
        set:
        - name: app-version
          value: v1
)";

// Istio documentation: the VirtualService "reviews-route" and its DestinationRule.
const char* kVirtualService = R"(
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews-route
spec:
  hosts:
  - reviews.prod.svc.cluster.local
  http:
  - name: reviews-v2-routes
    match:
    - uri:
        prefix: /wpcatalog
    - uri:
        prefix: /consumercatalog
    rewrite:
      uri: /newcatalog
    route:
    - destination:
        host: reviews.prod.svc.cluster.local
        subset: v2
  - name: reviews-v1-route
    route:
    - destination:
        host: reviews.prod.svc.cluster.local
        subset: v1
      weight: 100
    mirror:
      host: reviews.prod.svc.cluster.local
      subset: v2
    mirrorPercentage:
      value: 50.0
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-destination
spec:
  host: reviews.prod.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
    trafficPolicy:
      loadBalancer:
        simple: ROUND_ROBIN
)";

// SMI specification (v1alpha2 example) and Linkerd's documentation (v1alpha1, quantities).
const char* kTrafficSplit = R"(
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata:
  name: canary
spec:
  service: website
  backends:
  - service: website-v1
    weight: 50
  - service: website-v2
    weight: 50
---
apiVersion: split.smi-spec.io/v1alpha1
kind: TrafficSplit
metadata:
  name: web-svc-ts
  namespace: default
spec:
  service: web-svc
  backends:
  - service: web-svc
    weight: 900m
  - service: web-svc-2
    weight: 100m
)";

}  // namespace

TEST(CrdCheck, LoadsTheUpstreamCrds) {
  // Every version of the 57 CRD documents in tests/crds (counted with another YAML reader).
  EXPECT_EQ(upstream().definition_count(), 111u);
  EXPECT_EQ(upstream().dir(), crds_dir());
}

TEST(CrdCheck, AcceptsCorrectObjectsWrittenFromTheUpstreamDocs) {
  for (const char* yaml : {kHttpRoute, kVirtualService, kTrafficSplit}) {
    Result r = check(upstream(), yaml);
    EXPECT_TRUE(r.ok) << yaml << (r.errors.empty() ? "" : r.errors[0]);
    EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
  }
}

TEST(CrdCheck, UnknownFieldIsOneErrorNamingObjectPathAndEveryCrdFile) {
  std::string yaml = kHttpRoute;
  yaml = edit(yaml, "weight: 90", "wieght: 90");
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 1u) << r.errors[1];
  const std::string& e = r.errors[0];
  EXPECT_EQ(e.rfind("HTTPRoute foo-route: spec.rules[1].backendRefs[0].wieght: unknown field, "
                    "expected one of ",
                    0),
            0u)
      << e;
  EXPECT_TRUE(contains(e, "(did you mean \"weight\"?)")) << e;
  // Both channels define HTTPRoute v1 and both reject it: one error naming both files.
  EXPECT_TRUE(contains(e, " (gateway.networking.k8s.io/v1 HTTPRoute, " + crds_dir() +
                              "/gateway.networking.k8s.io/experimental/"
                              "gateway.networking.k8s.io_httproutes.yaml, " +
                              crds_dir() +
                              "/gateway.networking.k8s.io/standard/"
                              "gateway.networking.k8s.io_httproutes.yaml)"))
      << e;
}

TEST(CrdCheck, WrongType) {
  std::string yaml = kHttpRoute;
  yaml = edit(yaml, "port: 9080\n  rules", "port: \"9080\"\n  rules");
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("HTTPRoute bookinfo/reviews: spec.parentRefs[0].port: expected "
                              "integer, got string \"9080\" (gateway.networking.k8s.io/v1",
                              0),
            0u)
      << r.errors[0];
}

TEST(CrdCheck, MissingRequiredField) {
  std::string yaml = kVirtualService;
  yaml = edit(yaml, "host: reviews.prod.svc.cluster.local\n        subset: v1", "subset: v1");
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(
      r.errors[0].rfind("VirtualService reviews-route: spec.http[1].route[0].destination: "
                        "missing required field \"host\" (networking.istio.io/v1 "
                        "VirtualService, " +
                            crds_dir() + "/networking.istio.io/customresourcedefinitions.gen.yaml)",
                        0),
      0u)
      << r.errors[0];
}

TEST(CrdCheck, EnumViolation) {
  std::string yaml = kHttpRoute;
  yaml = edit(yaml, "type: PathPrefix", "type: Prefix");
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0],
                       "HTTPRoute foo-route: spec.rules[0].matches[0].path.type: "
                       "expected one of Exact, PathPrefix, RegularExpression, got "
                       "string \"Prefix\""))
      << r.errors[0];
}

TEST(CrdCheck, MaxItemsViolation) {
  std::string hosts;
  for (int i = 0; i < 17; ++i) hosts += "  - h" + std::to_string(i) + ".example.com\n";
  std::string yaml = kHttpRoute;
  yaml = edit(yaml, "  - foo.example.com\n", hosts);
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0],
                       "HTTPRoute foo-route: spec.hostnames: expected at most 16 items, got 17"))
      << r.errors[0];
}

TEST(CrdCheck, IntOrStringAcceptsBothAndNothingElse) {
  // v1alpha1 weights are int-or-string (Linkerd reads quantities); v1alpha2's are numbers.
  std::string ints = kTrafficSplit;
  ints = edit(ints, "weight: 900m", "weight: 900");
  EXPECT_TRUE(check(upstream(), ints).ok);
  std::string boolean = kTrafficSplit;
  boolean = edit(boolean, "weight: 900m", "weight: true");
  Result r = check(upstream(), boolean);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0],
                       "TrafficSplit default/web-svc-ts: spec.backends[0].weight: "
                       "expected integer or string, got boolean true"))
      << r.errors[0];
  std::string quantity = kTrafficSplit;
  quantity = edit(quantity, "website-v1\n    weight: 50", "website-v1\n    weight: 500m");
  r = check(upstream(), quantity);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0],
                       "TrafficSplit canary: spec.backends[0].weight: expected "
                       "number, got string \"500m\""))
      << r.errors[0];
}

TEST(CrdCheck, NullableAcceptsNull) {
  std::string yaml = kVirtualService;
  yaml = edit(yaml, "        simple: ROUND_ROBIN",
              "        simple: ROUND_ROBIN\n        localityLbSetting:\n          enabled: null");
  EXPECT_TRUE(check(upstream(), yaml).ok);
  yaml = edit(yaml, "enabled: null", "enabled: \"yes\"");
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0],
                       "localityLbSetting.enabled: expected boolean or null, got "
                       "string \"yes\""))
      << r.errors[0];
}

TEST(CrdCheck, ProtobufOneofIsExplained) {
  std::string yaml = kVirtualService;
  yaml = edit(yaml, "prefix: /wpcatalog", "prefix: /wpcatalog\n        exact: /x");
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0],
                       "VirtualService reviews-route: spec.http[0].match[0].uri: "
                       "expected at most one of exact, prefix, regex, got exact "
                       "and prefix"))
      << r.errors[0];
}

TEST(CrdCheck, MissingCrdIsAnError) {
  std::string yaml = edit(kHttpRoute, "v1\nkind: HTTPRoute\nmetadata:\n  name: foo-route",
                          "v9\nkind: HTTPRoute\nmetadata:\n  name: foo-route");
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "HTTPRoute foo-route: the cluster's CRDs in " + crds_dir() +
                             " define no HTTPRoute in gateway.networking.k8s.io/v9 (they define "
                             "HTTPRoute in gateway.networking.k8s.io versions v1, v1beta1)");

  // A cluster with SMI only lacks Gateway API altogether.
  TempDir dir;
  std::ifstream in(crds_dir() + "/split.smi-spec.io/osm/smi_traffic_split.yaml");
  dir.write("split.yaml", std::string(std::istreambuf_iterator<char>(in), {}));
  DiagnosticSink sink;
  auto smi_only = CrdSet::load(dir.path(), sink);
  ASSERT_FALSE(sink.has_errors());
  r = check(*smi_only, kHttpRoute);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0], "HTTPRoute foo-route: the cluster's CRDs in " + dir.path() +
                             " define no HTTPRoute in gateway.networking.k8s.io/v1");
}

TEST(CrdCheck, CoreKindsAreNotCrds) {
  Result r = check(upstream(), R"(
apiVersion: v1
kind: Service
metadata: {name: Not_Checked_Here}
spec: {anything: goes}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
bogus: true
)");
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.warnings.empty() && r.notes.empty());
}

TEST(CrdCheck, MetadataIsCheckedAsObjectMeta) {
  std::string yaml = kTrafficSplit;
  yaml = edit(yaml, "name: canary",
              "name: Canary_1\n  namespace: -bad-\n  labels: {\"app/x/y\": ok, tier: \"a b\"}\n"
              "  annotations: {big: " +
                  std::string(300 * 1024, 'x') + "}\n  nmae: typo");
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.errors.size(), 6u);
  EXPECT_TRUE(contains(r.errors[0],
                       "TrafficSplit -bad-/Canary_1: metadata.nmae: unknown field, "
                       "expected one of annotations,"));
  EXPECT_TRUE(contains(r.errors[0], "(did you mean \"name\"?)")) << r.errors[0];
  EXPECT_TRUE(contains(r.errors[1], "metadata.name: expected a DNS-1123 subdomain")) << r.errors[1];
  EXPECT_TRUE(contains(r.errors[2], "metadata.namespace: expected a DNS-1123 label"))
      << r.errors[2];
  EXPECT_TRUE(contains(r.errors[3], "metadata.labels[\"app/x/y\"]: expected a qualified name"))
      << r.errors[3];
  EXPECT_TRUE(contains(r.errors[4], "metadata.labels.tier: expected a label value")) << r.errors[4];
  EXPECT_TRUE(contains(r.errors[5],
                       "metadata.annotations: expected annotations of at most "
                       "262144 bytes in total, got 307203"))
      << r.errors[5];

  std::string unnamed = kTrafficSplit;
  unnamed = edit(unnamed, "  name: canary\n", "  labels: {a: b}\n");
  r = check(upstream(), unnamed);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "TrafficSplit (unnamed): metadata: missing required field \"name\"");
}

TEST(CrdCheck, UnservedVersionWarnsAndIsStillValidated) {
  // TrafficSplit v1alpha3: defined by smi-sdk-go and OSM, served by neither.
  const char* yaml = R"(
apiVersion: split.smi-spec.io/v1alpha3
kind: TrafficSplit
metadata: {name: ab}
spec:
  service: web
  backends: [{service: web-v1, weight: 100}]
  matches: [{kind: HTTPRouteGroup, name: ab, extra: 1}]
)";
  Result r = check(upstream(), yaml);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(contains(r.warnings[0],
                       "TrafficSplit ab: split.smi-spec.io/v1alpha3 TrafficSplit "
                       "is not served by this CRD ("))
      << r.warnings[0];
  EXPECT_TRUE(contains(r.warnings[0], "; served versions: v1alpha1, v1alpha2, v1alpha4"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0], "spec.matches[0].extra: unknown field")) << r.errors[0];

  // v1alpha2: smi-sdk-go does not serve it but OSM and linkerd-smi do: no warning.
  EXPECT_TRUE(check(upstream(), kTrafficSplit).warnings.empty());
}

// The conversion rules, on a CRD small enough to read in full.
const char* kWidgetCrd = R"(
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [mode, size]
            x-kubernetes-validations:
            - rule: self.size < 10
              message: never evaluated by meshc
            properties:
              mode: {type: string, default: fast}
              size: {type: integer, format: int32, maximum: 100}
              since: {type: string, format: date-time}
              free: {type: object, x-kubernetes-preserve-unknown-fields: true}
              closed: {type: object}
              tags: {type: array, items: {type: string}, x-kubernetes-list-type: set}
              labels: {type: object, additionalProperties: {type: string}}
              addr:
                type: string
                anyOf: [{format: ipv4}, {format: ipv6}]
              exclusive:
                type: object
                properties:
                  a: {type: string}
                  b: {type: string}
                oneOf:
                - required: [a]
                - required: [b]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-a-crd}
data: {x: y}
)";

TEST(CrdCheck, StructuralSchemaRules) {
  TempDir dir;
  dir.write("sub/widgets.yaml", kWidgetCrd);
  DiagnosticSink sink;
  auto set = CrdSet::load(dir.path(), sink);
  ASSERT_FALSE(sink.has_errors());
  EXPECT_EQ(set->definition_count(), 1u);
  auto widget = [](const std::string& spec) {
    return "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: " + spec + "\n";
  };
  // mode has a default, so it may be left out; CEL, int32 and date-time are not evaluated;
  // preserve-unknown-fields keeps anything; an anyOf of formats accepts any string.
  Result r = check(*set, widget("{size: 50, since: not-a-date, free: {x: {y: 1}}, "
                                "labels: {a: b}, addr: nowhere, exclusive: {a: x}}"));
  EXPECT_TRUE(r.ok) << r.errors[0];
  // An object schema without properties prunes (rejects) every field.
  r = check(*set, widget("{size: 1, closed: {x: 1}}"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0], "Widget w: spec.closed.x: unknown field")) << r.errors[0];
  // A set holds no duplicates; additionalProperties types the values; maximum.
  r = check(*set, widget("{size: 101, tags: [a, a], labels: {a: 1}}"));
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_TRUE(any_contains(r.errors, "Widget w: spec.size: expected an integer <= 100, got 101"));
  EXPECT_TRUE(any_contains(r.errors, "spec.tags[1]: expected unique items"));
  EXPECT_TRUE(any_contains(r.errors, "spec.labels.a: expected string, got integer 1"));
  // oneOf of required fields; a missing required field without a default.
  r = check(*set, widget("{exclusive: {a: x, b: y}}"));
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_TRUE(any_contains(r.errors,
                           "Widget w: spec: missing required field \"size\" "
                           "(example.com/v1 Widget, " +
                               dir.path() + "/sub/widgets.yaml)"));
  EXPECT_TRUE(any_contains(r.errors, "spec.exclusive: expected at most one of a, b, got a and b"));
  // Unknown at the top level, while apiVersion, kind and metadata are always allowed.
  r = check(*set, widget("{size: 1}") + "status: {}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0],
                       "Widget w: status: unknown field, expected one of "
                       "apiVersion, kind, metadata, spec"))
      << r.errors[0];
}

TEST(CrdCheck, LegacyV1beta1CrdsAndVersionsWithoutSchema) {
  TempDir dir;
  dir.write("legacy.yml", R"(
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  versions:
  - {name: v1, served: true, storage: true}
  - {name: v2, served: true, storage: false}
  validation:
    openAPIV3Schema:
      type: object
      properties:
        spec: {type: object, properties: {size: {type: integer}}}
---
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: blobs.example.com}
spec:
  group: example.com
  names: {kind: Blob, plural: blobs}
  version: v1
)");
  DiagnosticSink sink;
  auto set = CrdSet::load(dir.path(), sink);
  ASSERT_FALSE(sink.has_errors());
  Result r = check(*set,
                   "apiVersion: example.com/v2\nkind: Gadget\nmetadata: {name: g}\n"
                   "spec: {size: big}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0], "Gadget g: spec.size: expected integer, got string \"big\""));
  r = check(*set, "apiVersion: example.com/v1\nkind: Blob\nmetadata: {name: b}\nanything: 1\n");
  EXPECT_TRUE(r.ok);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_TRUE(contains(r.notes[0], "has no schema in")) << r.notes[0];
}

TEST(CrdCheck, LoadErrorsAreReported) {
  {
    TempDir dir;
    dir.write("notes.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    DiagnosticSink sink;
    CrdSet::load(dir.path(), sink);
    ASSERT_EQ(sink.error_count(), 1u);
    EXPECT_TRUE(contains(sink.all()[0].message, "no CustomResourceDefinition in the 1 "));
  }
  {
    // A broken CRD file is parsed, and reported, when a check needs a group it mentions.
    TempDir dir;
    dir.write("a.yaml", kWidgetCrd);
    dir.write("b.yaml",
              "kind: CustomResourceDefinition\nspec: {group: example.com, names: {kind: Widget}, "
              "[unclosed\n");
    DiagnosticSink sink;
    auto set = CrdSet::load(dir.path(), sink);
    ASSERT_FALSE(sink.has_errors());
    SourceFile spec("spec.yaml", "x: 1\n");
    EXPECT_TRUE(set->check(objects_of("apiVersion: other.example.org/v1\nkind: Thing\n"
                                      "metadata: {name: t}\n"),
                           Location{&spec, 0, 0}, sink) == false);
    ASSERT_EQ(sink.error_count(), 1u) << "only the missing CRD";
    EXPECT_FALSE(set->check(objects_of("apiVersion: example.com/v1\nkind: Widget\n"
                                       "metadata: {name: w}\nspec: {size: 1}\n"),
                            Location{&spec, 0, 0}, sink));
    ASSERT_EQ(sink.error_count(), 2u);
    // Located in the CRD file, which the set keeps alive.
    EXPECT_EQ(sink.all()[1].loc.file->name(), dir.path() + "/b.yaml");
  }
  {
    DiagnosticSink sink;
    CrdSet::load("/nonexistent/meshc-crds", sink);
    EXPECT_EQ(sink.error_count(), 1u);
  }
}

TEST(CrdCheck, ReadsKubectlListOutput) {
  // `kubectl get crd -o yaml`: one List document whose items are the CRDs.
  std::string crd = kWidgetCrd;
  crd = crd.substr(0, crd.find("---"));
  std::string list = "apiVersion: v1\nkind: List\nitems:\n";
  std::istringstream lines(crd);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    list += (first ? "- " : "  ") + line + "\n";
    first = false;
  }
  TempDir dir;
  dir.write("cluster.yaml", list);
  DiagnosticSink sink;
  auto set = CrdSet::load(dir.path(), sink);
  ASSERT_FALSE(sink.has_errors());
  EXPECT_EQ(set->definition_count(), 1u);
  Result r = check(*set,
                   "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
                   "spec: {size: 1, colour: red}\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(contains(r.errors[0], "Widget w: spec.colour: unknown field")) << r.errors[0];
}

TEST(CrdCheck, AnUnusableSchemaIsReportedInItsCrdFile) {
  TempDir dir;
  dir.write("odd.yaml", R"(
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: odds.example.com}
spec:
  group: example.com
  names: {kind: Odd, plural: odds}
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-int-or-string: "yes"
        properties:
          spec: {type: string, minLength: three}
)");
  DiagnosticSink sink;
  auto set = CrdSet::load(dir.path(), sink);
  ASSERT_FALSE(sink.has_errors());
  SourceFile spec("spec.yaml", "x: 1\n");
  EXPECT_FALSE(set->check(objects_of("apiVersion: example.com/v1\nkind: Odd\n"
                                     "metadata: {name: o}\nspec: abc\n"),
                          Location{&spec, 0, 0}, sink));
  ASSERT_EQ(sink.error_count(), 1u);
  EXPECT_EQ(sink.all()[0].loc.str(), dir.path() + "/odd.yaml:9:5");
  EXPECT_TRUE(contains(sink.all()[0].message, "cannot use the openAPIV3Schema of Odd v1: "))
      << sink.all()[0].message;
}
