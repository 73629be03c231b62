// A version's pods as the spec describes them (issue 11): the `version` label they carry,
// which selects them everywhere, and the ports they declare, which the Services target.
#include <gtest/gtest.h>

#include "compiler/ir/routemap_print.h"
#include "compiler/k8s/workloads.h"
#include "tests/unit/support.h"

namespace meshc {
namespace {

using test::lower_text;

const char* kHead =
    "environment: deployment-istio\n"
    "application:\n"
    "  metadata: {name: app, namespace: ns}\n";

std::vector<std::string> messages(DiagnosticSink& sink) {
  std::vector<std::string> out;
  for (const auto& d : sink.all()) {
    if (d.severity == Severity::kError) out.push_back(d.path + ": " + d.message);
  }
  return out;
}

std::vector<Object> workloads(const Routemap& rm, DiagnosticSink& sink) {
  std::vector<Object> out;
  render_workloads(rm, sink, out);
  return out;
}

TEST(VersionLabel, AGivenLabelSelectsThePodsEverywhere) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  versions:\n"
                      "  - {image: a:1, metadata: {name: app-v1, labels: {version: v1}}}\n"
                      "  - {image: a:2, metadata: {name: app-v2, labels: {version: v2}}, "
                      "weight: 10}\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Routemap& rm = *l.routemap;
  EXPECT_EQ(rm.versions[0].pod_version(), "v1");
  EXPECT_EQ(rm.versions[1].version_label_field_path,
            "application.versions[1].metadata.labels.version");
  DiagnosticSink sink;
  auto objects = workloads(rm, sink);
  ASSERT_FALSE(sink.has_errors()) << test::first_error(sink);
  const Object* d = test::find_object(objects, "Deployment", "app-v1");
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)["spec"]["selector"]["matchLabels"]["version"], "v1");
  EXPECT_EQ((*d)["spec"]["template"]["metadata"]["labels"]["version"], "v1");
  const Object* s = test::find_object(objects, "Service", "app-v2");
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)["spec"]["selector"]["version"], "v2");
  auto out = test::emit("istio", rm);
  ASSERT_FALSE(out->sink.has_errors()) << test::first_error(out->sink);
  const Object* rule = test::find_object(out->objects, "DestinationRule", "app");
  ASSERT_TRUE(rule);
  EXPECT_EQ((*rule)["spec"]["subsets"][1]["name"], "app-v2");
  EXPECT_EQ((*rule)["spec"]["subsets"][1]["labels"]["version"], "v2");
  // The routing is the same as without the labels.
  auto plain = lower_text(std::string(kHead) +
                          "  strategy: canary\n"
                          "  versions:\n"
                          "  - {image: a:1, metadata: {name: app-v1}}\n"
                          "  - {image: a:2, metadata: {name: app-v2}, weight: 10}\n");
  ASSERT_TRUE(plain.routemap);
  auto without = test::emit("istio", *plain.routemap);
  const Object* vs = test::find_object(out->objects, "VirtualService", "app");
  const Object* vs_plain = test::find_object(without->objects, "VirtualService", "app");
  ASSERT_TRUE(vs && vs_plain);
  EXPECT_EQ((*vs)["spec"], (*vs_plain)["spec"]);
}

TEST(VersionLabel, TheDeploymentSpecificationMayGiveItAndMustAgree) {
  auto l = lower_text(std::string(kHead) +
                      "  versions:\n"
                      "  - deploymentSpecification:\n"
                      "      spec:\n"
                      "        selector: {matchLabels: {version: v1}}\n"
                      "        template:\n"
                      "          metadata: {labels: {version: v1}}\n"
                      "          spec: {containers: [{name: c, image: a:1}]}\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  EXPECT_EQ(l.routemap->versions[0].pod_version(), "v1");
  DiagnosticSink sink;
  workloads(*l.routemap, sink);
  EXPECT_FALSE(sink.has_errors()) << test::first_error(sink);

  auto bad = lower_text(std::string(kHead) +
                        "  versions:\n"
                        "  - metadata: {labels: {version: v1}}\n"
                        "    deploymentSpecification:\n"
                        "      spec:\n"
                        "        template:\n"
                        "          metadata: {labels: {version: v2}}\n"
                        "          spec: {containers: [{name: c, image: a:1}]}\n");
  EXPECT_FALSE(bad.routemap);
  auto m = messages(bad.sink());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0],
            "application.versions[0].deploymentSpecification.spec.template.metadata.labels."
            "version: expected the version label \"v1\" given at "
            "application.versions[0].metadata.labels.version, got \"v2\" (the version's pods are "
            "selected by one version label)");
  ASSERT_EQ(bad.sink().all()[0].notes.size(), 1u);
  EXPECT_EQ(bad.sink().all()[0].notes[0].message, "first given here");
}

TEST(VersionLabel, IsUniqueWithANoteAtTheFirstUse) {
  auto l = lower_text(std::string(kHead) +
                      "  versions:\n"
                      "  - {image: a:1, metadata: {name: v2}}\n"
                      "  - {image: a:2, metadata: {name: b, labels: {version: v2}}}\n");
  EXPECT_FALSE(l.routemap);
  auto m = messages(l.sink());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0],
            "application.versions[1].metadata.labels.version: expected a version label unique "
            "among the release's versions in namespace \"ns\", got \"v2\" again (also version 0 "
            "\"v2\"; meshc selects each version's pods by it)");
  const Diagnostic& d = l.sink().all()[0];
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0].message, "first used here");
  EXPECT_EQ(d.notes[0].loc.line, 4u);  // the first version's name (0-based line)
}

TEST(VersionLabel, TheRoutemapPrintsItOnlyWhenItIsNotTheName) {
  auto l = lower_text(std::string(kHead) +
                      "  versions:\n"
                      "  - {image: a:1, metadata: {name: v1, labels: {version: v1}}}\n"
                      "  - {image: a:2, metadata: {name: b, labels: {version: v2}}}\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  Object o = routemap_to_object(*l.routemap, "");
  EXPECT_FALSE(o["versions"][0].contains("versionLabel"));
  EXPECT_EQ(o["versions"][1]["versionLabel"], "v2");
}

std::string deployment_version(const std::string& ports, const std::string& extra = "") {
  return "  - deploymentSpecification:\n"
         "      spec:\n"
         "        template:\n"
         "          spec:\n"
         "            containers:\n"
         "            - {name: c, image: a:1, ports: " +
         ports + "}\n" + extra;
}

TEST(DeclaredPorts, TheOnlyDeclaredPortIsTargetedByName) {
  auto l = lower_text(std::string(kHead) + "  versions:\n" +
                      deployment_version("[{name: web, containerPort: 8080}]"));
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  DiagnosticSink sink;
  auto objects = workloads(*l.routemap, sink);
  ASSERT_FALSE(sink.has_errors()) << test::first_error(sink);
  const Object* s = test::find_object(objects, "Service", "app-0");
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)["spec"]["ports"][0]["port"], 80);
  EXPECT_EQ((*s)["spec"]["ports"][0]["targetPort"], "web");
  const Object* root = test::find_object(objects, "Service", "app");
  ASSERT_TRUE(root);
  EXPECT_EQ((*root)["spec"]["ports"][0]["targetPort"], "web");
}

TEST(DeclaredPorts, AnUnnamedOnlyPortByNumberAndTheServicePortAmongSeveral) {
  auto one = lower_text(std::string(kHead) + "  versions:\n" +
                        deployment_version("[{containerPort: 8080}]"));
  ASSERT_TRUE(one.routemap) << test::first_error(one.sink());
  DiagnosticSink sink;
  auto objects = workloads(*one.routemap, sink);
  EXPECT_EQ((*test::find_object(objects, "Service", "app-0"))["spec"]["ports"][0]["targetPort"],
            8080);
  auto several = lower_text(std::string(kHead) + "  versions:\n" +
                            deployment_version("[{containerPort: 9100}, {containerPort: 80}]"));
  ASSERT_TRUE(several.routemap) << test::first_error(several.sink());
  objects = workloads(*several.routemap, sink);
  EXPECT_EQ((*test::find_object(objects, "Service", "app-0"))["spec"]["ports"][0]["targetPort"],
            80);
  EXPECT_FALSE(sink.has_errors());
}

TEST(DeclaredPorts, SeveralAndNoneTheServicePortIsAnErrorListingThem) {
  auto l = lower_text(std::string(kHead) + "  versions:\n" +
                      deployment_version("[{name: web, containerPort: 8080}, {containerPort: "
                                         "9100}]"));
  EXPECT_FALSE(l.routemap);
  auto m = messages(l.sink());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0],
            "application.versions[0].deploymentSpecification.spec.template.spec.containers[0]."
            "ports: expected the version's pods to declare the Service port 80 or exactly one "
            "port (the version's Service targets it), got \"web\" (8080), 9100; number one of "
            "them 80 or set serviceSpecification.spec.ports[0].targetPort");
}

TEST(DeclaredPorts, AServiceSpecificationTargetPortMustBeDeclared) {
  auto l = lower_text(std::string(kHead) + "  versions:\n" +
                      deployment_version("[{name: web, containerPort: 8080}]",
                                         "    serviceSpecification:\n"
                                         "      spec: {ports: [{port: 80, targetPort: http}]}\n"));
  EXPECT_FALSE(l.routemap);
  auto m = messages(l.sink());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0],
            "application.versions[0].serviceSpecification.spec.ports[0].targetPort: expected a "
            "port the version's pods declare (\"web\" (8080)), got string \"http\"");
  auto ok = lower_text(std::string(kHead) + "  versions:\n" +
                       deployment_version("[{name: web, containerPort: 8080}, {containerPort: "
                                          "9100}]",
                                          "    serviceSpecification:\n"
                                          "      spec: {ports: [{port: 80, targetPort: 8080}]}\n"));
  ASSERT_TRUE(ok.routemap) << test::first_error(ok.sink());
  DiagnosticSink sink;
  auto objects = workloads(*ok.routemap, sink);
  EXPECT_FALSE(sink.has_errors()) << test::first_error(sink);
  EXPECT_EQ((*test::find_object(objects, "Service", "app-0"))["spec"]["ports"][0]["targetPort"],
            8080);  // the user's, as written
  EXPECT_EQ((*test::find_object(objects, "Service", "app"))["spec"]["ports"][0]["targetPort"],
            "web");  // the pods' name for it
}

TEST(DeclaredPorts, TheRootServiceNeedsOnePortNameForDifferentPorts) {
  auto l = lower_text(std::string(kHead) + "  strategy: canary\n  versions:\n" +
                      deployment_version("[{name: web, containerPort: 8080}]") +
                      deployment_version("[{name: api, containerPort: 9090}]", "    weight: 5\n"));
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  DiagnosticSink sink;
  workloads(*l.routemap, sink);
  auto m = messages(sink);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0],
            "application.versions[1].deploymentSpecification.spec.template.spec.containers[0]."
            "ports: expected the pods of \"app-1\" to name their port \"web\" (the versions serve "
            "different ports: \"app-0\" on 8080, \"app-1\" on 9090, so the root Service \"app\" "
            "reaches them all by one port name), got port \"api\"");
}

// Issue 11 item 11: the root Service selects only the version the catch-all route gives the
// largest share (ties to the earlier) where the routes name the versions' own Services, so a
// client bypassing the mesh never reaches a 0% canary; every version otherwise.
TEST(RootService, SelectsTheDefaultRouteLeaderByItsVersionLabel) {
  struct Case {
    std::string versions;
    std::string strategy;
    size_t leader;
  };
  for (const Case& c : std::vector<Case>{
           {"  - {image: a:1}\n  - {image: a:2, weight: 0}\n", "canary", 0},
           {"  - {image: a:1}\n  - {image: a:2, weight: 60}\n", "canary", 1},
           {"  - {image: a:1}\n  - {image: a:2, weight: 50}\n", "canary", 0},  // tie: primary
           {"  - {image: a:1, weight: 30}\n  - {image: a:2, weight: 70}\n", "blue-green", 1},
           {"  - {image: a:1}\n  - {image: a:2, weight: 80}\n", "blue-green", 1},
           {"  - {image: a:1}\n  - {image: a:2}\n", "mirror", 0},
       }) {
    auto l = lower_text(std::string(kHead) + "  strategy: " + c.strategy + "\n  versions:\n" +
                        c.versions);
    ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
    const Routemap& rm = *l.routemap;
    EXPECT_EQ(default_route_leader(rm), c.leader) << c.strategy << c.versions;
    DiagnosticSink sink;
    std::vector<Object> out;
    render_workloads(rm, sink, out, {}, RootSelector::kDefaultRouteLeader);
    const Object* root = test::find_object(out, "Service", "app");
    ASSERT_TRUE(root);
    EXPECT_EQ((*root)["spec"]["selector"]["version"], rm.versions[c.leader].pod_version());
    EXPECT_EQ((*root)["spec"]["selector"]["app"], "app");
    std::vector<Object> every;
    render_workloads(rm, sink, every);
    root = test::find_object(every, "Service", "app");
    ASSERT_TRUE(root);
    EXPECT_FALSE((*root)["spec"]["selector"].contains("version"));
  }
}

TEST(RootService, EachTargetSaysWhetherItsRoutesPickAmongTheRootEndpoints) {
  std::string err;
  for (const char* target : {"gateway-api", "smi", "linkerd", "traefik", "contour"}) {
    auto choice = parse_target(target, &err);
    ASSERT_TRUE(choice && choice->target) << err;
    EXPECT_FALSE(choice->target->routes_among_root_endpoints()) << target;
  }
  for (const char* target : {"istio", "consul"}) {
    auto choice = parse_target(target, &err);
    ASSERT_TRUE(choice && choice->target) << err;
    EXPECT_TRUE(choice->target->routes_among_root_endpoints()) << target;
  }
}

}  // namespace
}  // namespace meshc
