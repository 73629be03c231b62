// meshc diff and lint below the command line (compiler/analysis/): segments from a routemap,
// their pairing by conditions, the Mermaid labels, and the lint rules.
#include "compiler/analysis/release_diff.h"

#include <gtest/gtest.h>

#include "compiler/analysis/lint.h"
#include "tests/unit/support.h"

namespace meshc {
namespace {

using test::lower_text;

const char* kHead =
    "environment: deployment-istio\n"
    "application:\n"
    "  metadata: {name: app, namespace: ns}\n"
    "  strategy: canary\n"
    "  versions:\n"
    "  - image: a:1\n";

ReleaseTraffic traffic(const std::string& versions) {
  auto l = lower_text(std::string(kHead) + versions);
  EXPECT_TRUE(l.routemap) << test::first_error(l.sink());
  return l.routemap ? traffic_of(*l.routemap) : ReleaseTraffic{};
}

TEST(Traffic, SegmentsDescribeTheirConditionsAndShares) {
  ReleaseTraffic t = traffic(
      "  - image: a:2\n"
      "    matches: [{headers: [{name: traffic, value: test}], path: {type: PathPrefix, value: "
      "/api}}]\n"
      "    weight: 20\n");
  ASSERT_EQ(t.segments.size(), 2u);
  EXPECT_EQ(t.id, "ns/app");
  EXPECT_EQ(t.segments[0].description, "requests with path under /api and header traffic=test");
  EXPECT_EQ(t.segments[0].shares,
            (std::vector<std::pair<std::string, double>>{{"app-0", 80}, {"app-1", 20}}));
  EXPECT_EQ(t.segments[1].key, "*");
  EXPECT_EQ(t.segments[1].description, "all other requests");
}

TEST(Diff, SegmentsPairByConditionsWhateverTheirOrder) {
  ReleaseTraffic a = traffic(
      "  - image: a:2\n"
      "    matches: [{headers: [{name: x, value: '1'}, {name: y, value: '2'}]}]\n");
  ReleaseTraffic b = traffic(
      "  - image: a:2\n"
      "    matches: [{headers: [{name: y, value: '2'}, {name: x, value: '1'}]}]\n"
      "    weight: 40\n");
  std::vector<ReleaseDiff> d = diff_releases({{a, "istio@v1", {}}}, {{b, "istio@v1", {}}});
  ASSERT_EQ(d.size(), 1u);
  ASSERT_EQ(d[0].segments.size(), 2u);
  const SegmentDiff& s = d[0].segments[0];
  EXPECT_EQ(s.change, Change::kChanged);
  ASSERT_EQ(s.shares.size(), 2u);
  EXPECT_EQ(s.shares[0].version, "app-1");  // the old order: app-1 had it all
  EXPECT_EQ(s.shares[0].before, 100);
  EXPECT_EQ(s.shares[0].after, 40);
  EXPECT_EQ(s.shares[1].version, "app-0");
  EXPECT_EQ(s.shares[1].before, 0);
  EXPECT_EQ(s.shares[1].after, 60);
  EXPECT_EQ(d[0].segments[1].change, Change::kUnchanged);
  EXPECT_TRUE(any_change(d));
  EXPECT_FALSE(any_change(diff_releases({{a, "istio@v1", {}}}, {{a, "istio@v1", {}}})));
}

TEST(Diff, ASegmentOnOneSideIsNewOrRemoved) {
  ReleaseTraffic a = traffic("  - image: a:2\n    matches: [{method: GET}]\n");
  ReleaseTraffic b = traffic("  - image: a:2\n    matches: [{method: POST}]\n");
  std::vector<ReleaseDiff> d = diff_releases({{a, "", {}}}, {{b, "", {}}});
  // New segments in the new side's order; a removed one just before the next segment both
  // sides have.
  ASSERT_EQ(d[0].segments.size(), 3u);
  EXPECT_EQ(d[0].segments[0].change, Change::kAdded);
  EXPECT_EQ(d[0].segments[0].description, "requests with method POST");
  EXPECT_FALSE(d[0].segments[0].shares[0].before.has_value());
  EXPECT_EQ(d[0].segments[1].change, Change::kRemoved);
  EXPECT_EQ(d[0].segments[1].description, "requests with method GET");
  EXPECT_FALSE(d[0].segments[1].shares[0].after.has_value());
  EXPECT_EQ(d[0].segments[2].change, Change::kUnchanged);
}

TEST(Diff, MermaidLabelsWriteSyntaxCharactersAsEntityCodes) {
  EXPECT_EQ(mermaid_label("a\"b<c>d|e#f&g`h\ni"), "\"a#quot;b#lt;c#gt;d#124;e#35;f#amp;g#96;h i\"");
  EXPECT_EQ(mermaid_label("90 -> 70 %"), "\"90 -#gt; 70 %\"");
}

TEST(Lint, AZeroWeightInItsSegmentMakesACandidateUnreachable) {
  auto l = lower_text(std::string(kHead) +
                      "  - image: a:2\n"
                      "    matches: [{method: GET}]\n"
                      "    weight: 0\n");
  ASSERT_TRUE(l.routemap);
  DiagnosticSink out;
  lint_routemap(*l.routemap, out);
  ASSERT_EQ(out.all().size(), 1u);
  EXPECT_EQ(out.all()[0].rule, "unreachable-candidate");
  EXPECT_EQ(out.all()[0].path, "application.versions[1].matches");
}

TEST(Lint, OverlappingSegmentsNameTheCandidateThatTakesTheRequest) {
  auto l = lower_text(std::string(kHead) +
                      "  - image: a:2\n"
                      "    matches: [{method: GET}]\n"
                      "  - image: a:3\n"
                      "    matches: [{headers: [{name: beta, value: '1'}]}]\n");
  ASSERT_TRUE(l.routemap);
  DiagnosticSink out;
  lint_routemap(*l.routemap, out);
  ASSERT_EQ(out.all().size(), 1u);
  EXPECT_EQ(out.all()[0].rule, "overlapping-segments");
  EXPECT_NE(out.all()[0].message.find("\"app-1\" takes it"), std::string::npos);
  // Exclusive matches: nothing to say.
  auto m = lower_text(std::string(kHead) +
                      "  - image: a:2\n"
                      "    matches: [{method: GET}]\n"
                      "  - image: a:3\n"
                      "    matches: [{method: POST}]\n");
  ASSERT_TRUE(m.routemap);
  DiagnosticSink none;
  lint_routemap(*m.routemap, none);
  EXPECT_TRUE(none.all().empty());
}

TEST(Lint, TheTargetsPrecedenceErrorCarriesItsRule) {
  auto l = lower_text(std::string(kHead) +
                      "  - image: a:2\n"
                      "    matches: [{headers: [{name: beta, value: '1'}]}]\n"
                      "  - image: a:3\n"
                      "    matches: [{path: {type: PathPrefix, value: /api}}]\n");
  ASSERT_TRUE(l.routemap);
  std::string err;
  auto gateway = parse_target("gateway-api", &err);
  auto istio = parse_target("istio", &err);
  ASSERT_TRUE(gateway && istio);
  DiagnosticSink on_gateway, on_istio;
  lint_target(*l.routemap, *gateway, on_gateway);
  lint_target(*l.routemap, *istio, on_istio);
  ASSERT_EQ(on_gateway.all().size(), 1u);
  EXPECT_EQ(on_gateway.all()[0].rule, "reordered-by-precedence");
  EXPECT_TRUE(on_istio.all().empty());  // Istio tries routes in list order
}

}  // namespace
}  // namespace meshc
