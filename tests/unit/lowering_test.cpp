// The lowering (compiler/lower/): a spec -> its routemap, one step at a time, with the field
// paths every later stage reports with.
#include <gtest/gtest.h>

#include "tests/unit/support.h"

namespace meshc {
namespace {

using test::lower_text;

const char* kHead =
    "environment: deployment-istio\n"
    "application:\n"
    "  metadata: {name: app, namespace: ns}\n";

std::vector<std::pair<size_t, int>> shares(const Route& r) {
  std::vector<std::pair<size_t, int>> out;
  for (const Destination& d : r.destinations) out.emplace_back(d.version, d.weight);
  return out;
}

TEST(Lowering, NoneSendsEverythingToThePrimaryAndWarnsAboutUnusedFields) {
  auto l = lower_text(std::string(kHead) +
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    weight: 30\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Routemap& rm = *l.routemap;
  ASSERT_EQ(rm.routes.size(), 1u);
  EXPECT_EQ(shares(rm.routes[0]), (std::vector<std::pair<size_t, int>>{{0, 100}}));
  ASSERT_EQ(l.sink().all().size(), 1u);
  EXPECT_EQ(l.sink().all()[0].severity, Severity::kWarning);
  EXPECT_EQ(l.sink().all()[0].path, "application.versions[1].weight");
}

TEST(Lowering, CanarySegmentsComeInListOrderBeforeTheCatchAll) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    weight: 30\n"
                      "    matches: [{headers: [{name: x, value: '1'}]}]\n"
                      "  - image: a:3\n"  // neither matches nor weight: Iter8's default match
                      "  - image: a:4\n"
                      "    weight: 10\n");  // weight only: a share of the rest
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Routemap& rm = *l.routemap;
  ASSERT_EQ(rm.routes.size(), 3u);
  EXPECT_EQ(rm.routes[0].segment_of, 1u);
  EXPECT_EQ(shares(rm.routes[0]), (std::vector<std::pair<size_t, int>>{{0, 70}, {1, 30}}));
  EXPECT_EQ(rm.routes[0].field_path, "application.versions[1].matches");
  EXPECT_EQ(rm.routes[1].segment_of, 2u);
  ASSERT_EQ(rm.routes[1].matches.size(), 1u);
  EXPECT_TRUE(rm.routes[1].matches[0].is_default);
  EXPECT_EQ(rm.routes[1].matches[0].headers[0].name, "traffic");
  EXPECT_EQ(rm.routes[1].matches[0].headers[0].value, "test");
  EXPECT_FALSE(rm.routes[2].segment_of);
  EXPECT_EQ(shares(rm.routes[2]), (std::vector<std::pair<size_t, int>>{{0, 90}, {3, 10}}));
}

TEST(Lowering, CanaryWeightsWithoutMatchesMustFitInOneHundred) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    weight: 60\n"
                      "  - image: a:3\n"
                      "    weight: 50\n");
  EXPECT_FALSE(l.routemap);
  EXPECT_EQ(test::first_error(l.sink()),
            "spec.yaml:10:13: expected the weights of candidates without matches to sum to at "
            "most 100, got 110");
  EXPECT_EQ(l.sink().all()[0].path, "application.versions[2].weight");
}

TEST(Lowering, BlueGreenNormalisesRelativeWeightsAndAnExplicitZeroIsZero) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: blue-green\n"
                      "  versions:\n"
                      "  - {image: a:1, weight: 1}\n"
                      "  - {image: a:2, weight: 2}\n"
                      "  - {image: a:3, weight: 0}\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  EXPECT_EQ(shares(l.routemap->routes.back()),
            (std::vector<std::pair<size_t, int>>{{0, 33}, {1, 67}, {2, 0}}));
}

TEST(Lowering, MirrorCopiesAPercentageToEachCandidate) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: mirror\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - {image: a:2, weight: 25}\n"
                      "  - image: a:3\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Route& r = l.routemap->routes.back();
  EXPECT_EQ(shares(r), (std::vector<std::pair<size_t, int>>{{0, 100}}));
  ASSERT_EQ(r.mirrors.size(), 2u);
  EXPECT_EQ(r.mirrors[0].percent, 25);
  EXPECT_EQ(r.mirrors[0].field_path, "application.versions[1].weight");
  EXPECT_EQ(r.mirrors[1].percent, 100);
  EXPECT_EQ(r.mirrors[1].field_path, "application.versions[2]");
}

TEST(Lowering, ReleaseDocumentsPrefixEveryFieldPathWithSpec) {
  auto l = lower_text(
      "apiVersion: meshc.dev/v1alpha1\n"
      "kind: Release\n"
      "metadata: {name: app, namespace: ns}\n"
      "spec:\n"
      "  environment: deployment-gtw\n"
      "  application:\n"
      "    strategy: canary\n"
      "    versions:\n"
      "    - image: a:1\n"
      "    - image: a:2\n"
      "      matches: [{path: {type: Exact, value: /x}, headers: [{name: h, value: v}]}]\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Routemap& rm = *l.routemap;
  EXPECT_EQ(rm.name, "app");
  EXPECT_EQ(rm.field_path("application.hosts"), "spec.application.hosts");
  EXPECT_EQ(rm.versions[1].field_path, "spec.application.versions[1]");
  const RequestMatch& m = rm.routes[0].matches[0];
  EXPECT_EQ(m.field_path, "spec.application.versions[1].matches[0]");
  EXPECT_EQ(m.path->field_path, "spec.application.versions[1].matches[0].path.value");
  EXPECT_EQ(m.headers[0].field_path, "spec.application.versions[1].matches[0].headers[0]");
  EXPECT_EQ(m.headers[0].value_field_path,
            "spec.application.versions[1].matches[0].headers[0].value");
  EXPECT_EQ(m.headers[0].value_loc.str(), "spec.yaml:11:77");
}

TEST(Lowering, IstioFormMatchesBecomeTheSameConditions) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    match:\n"
                      "    - headers: {end-user: {exact: jason}}\n"
                      "      uri: {prefix: /api}\n"
                      "      method: {exact: GET}\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const RequestMatch& m = l.routemap->routes[0].matches[0];
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_EQ(m.headers[0].name, "end-user");
  EXPECT_EQ(m.headers[0].type, MatchType::kExact);
  EXPECT_EQ(m.headers[0].field_path, "application.versions[1].match[0].headers.end-user");
  ASSERT_TRUE(m.path);
  EXPECT_EQ(m.path->type, MatchType::kPrefix);  // Istio's prefix is a plain string prefix
  EXPECT_EQ(m.method, "GET");
}

TEST(Lowering, PortsResolveFromTheMostSpecificField) {
  auto l = lower_text(std::string(kHead) +
                      "  port: 8080\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - {image: a:2, port: 9090}\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Routemap& rm = *l.routemap;
  EXPECT_EQ(rm.versions[0].port, 8080);
  EXPECT_EQ(rm.versions[0].port_field_path, "application.port");
  EXPECT_EQ(rm.versions[1].port, 9090);
  EXPECT_EQ(rm.versions[1].port_field_path, "application.versions[1].port");
}

TEST(Lowering, VersionNamesAreUniqueAndNotTheApplicationName) {
  auto l = lower_text(std::string(kHead) +
                      "  versions:\n"
                      "  - {image: a:1, metadata: {name: v1}}\n"
                      "  - {image: a:2, metadata: {name: v1}}\n"
                      "  - {image: a:3, metadata: {name: app}}\n");
  EXPECT_FALSE(l.routemap);
  std::vector<std::string> messages;
  for (const auto& d : l.sink().all()) messages.push_back(d.path + ": " + d.message);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0],
            "application.versions[1].metadata.name: expected a unique version name, got \"v1\" "
            "again (also version 0)");
  EXPECT_EQ(messages[1],
            "application.versions[2].metadata.name: expected a version name other than the "
            "application name \"app\" (it names the root Service)");
}

TEST(Lowering, CommandLineDefaultsFillWhatTheSpecLeavesOut) {
  auto l = lower_text(
      "environment: deployment\n"
      "application:\n"
      "  versions: [{image: a:1}]\n",
      ReleaseDefaults{"helm-release", "helm-ns"});
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  EXPECT_EQ(l.routemap->name, "helm-release");
  EXPECT_EQ(l.routemap->namespace_, "helm-ns");
  EXPECT_EQ(l.routemap->versions[0].name, "helm-release-0");
}

// Item 10: silent surprises.

TEST(Lowering, ACandidateCoveredByAnEarlierOneIsWarnedAtItsMatchesOnEveryTarget) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    matches: [{path: {type: PathPrefix, value: /api}}]\n"
                      "  - image: a:3\n"  // line 9: never reached, /api takes all of /api/v2
                      "    matches: [{path: {type: PathPrefix, value: /api/v2}, method: GET}]\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  ASSERT_EQ(l.sink().all().size(), 1u);
  const Diagnostic& d = l.sink().all()[0];
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.path, "application.versions[2].matches");
  EXPECT_EQ(d.loc.line, 9u);
  EXPECT_NE(d.message.find("\"app-2\" never receives traffic"), std::string::npos) << d.message;
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0].loc.line, 7u);  // the /api match of app-1
  EXPECT_NE(d.notes[0].message.find("\"app-1\""), std::string::npos);
}

TEST(Lowering, ACandidateOnlyPartlyCoveredIsNotWarned) {
  for (const char* later : {
           "[{path: {type: PathPrefix, value: /apix}}]",                         // not under /api
           "[{path: {type: PathPrefix, value: /}}]",                             // wider
           "[{path: {type: PathPrefix, value: /api/v2}}, {path: {value: /b}}]",  // /b is its own
           "[{headers: [{name: x, value: '1'}]}]",                               // any path
       }) {
    auto l = lower_text(std::string(kHead) +
                        "  strategy: canary\n"
                        "  versions:\n"
                        "  - image: a:1\n"
                        "  - image: a:2\n"
                        "    matches: [{path: {type: PathPrefix, value: /api}}]\n"
                        "  - image: a:3\n"
                        "    matches: " +
                        later + "\n");
    ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
    EXPECT_TRUE(l.sink().all().empty()) << later << ": " << l.sink().all()[0].message;
  }
}

TEST(Lowering, HeaderAndDefaultMatchesCoverLaterOnesThatImplyThem) {
  // Two candidates with neither matches nor weight both get Iter8's default match: the
  // second never receives a request.
  auto l = lower_text(
      std::string(kHead) +
      "  strategy: canary\n"
      "  versions:\n"
      "  - image: a:1\n"
      "  - image: a:2\n"
      "    matches: [{headers: [{name: X-User, type: RegularExpression, value: 'a.*'}]}]\n"
      "  - image: a:3\n"
      "    matches: [{headers: [{name: x-user, value: ab}, {name: y, value: '1'}]}]\n"
      "  - image: a:4\n"
      "  - image: a:5\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  std::vector<std::string> paths;
  for (const Diagnostic& d : l.sink().all()) paths.push_back(d.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"application.versions[2].matches",
                                             "application.versions[4]"}));
}

TEST(Lowering, BlueGreenNotesWhatAnOmittedWeightResolvedTo) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: blue-green\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    weight: 80\n");  // 0-based line 7
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  ASSERT_EQ(l.sink().all().size(), 1u);
  const Diagnostic& d = l.sink().all()[0];
  EXPECT_EQ(d.severity, Severity::kNote);
  EXPECT_EQ(d.path, "application.versions[1].weight");
  EXPECT_EQ(d.loc.line, 7u);
  EXPECT_EQ(d.message,
            "application.versions[0].weight defaults to 50 in blue-green; the split is 38/62");
}

TEST(Lowering, BlueGreenWithEveryWeightWrittenOrNoneHasNoNote) {
  for (const char* weights : {"", "    weight: 30\n"}) {
    auto l = lower_text(std::string(kHead) + "  strategy: blue-green\n  versions:\n" +
                        "  - image: a:1\n" + weights + "  - image: a:2\n" + weights);
    ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
    EXPECT_TRUE(l.sink().all().empty()) << l.sink().all()[0].message;
  }
}

// Issue 12: a candidate with matches and unmatchedWeight keeps its segment and joins the
// catch-all's split; its unmatchedWeight counts with the weights of candidates without matches.
TEST(Lowering, UnmatchedWeightJoinsTheCatchAllBesidesTheSegment) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    weight: 50\n"
                      "    unmatchedWeight: 10\n"
                      "    matches: [{headers: [{name: x, value: '1'}]}]\n"
                      "  - image: a:3\n"
                      "    weight: 30\n"
                      "  - image: a:4\n"
                      "    unmatchedWeight: 0\n"
                      "    matches: [{headers: [{name: y, value: '1'}]}]\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Routemap& rm = *l.routemap;
  ASSERT_EQ(rm.routes.size(), 3u);
  EXPECT_EQ(shares(rm.routes[0]), (std::vector<std::pair<size_t, int>>{{0, 50}, {1, 50}}));
  EXPECT_EQ(shares(rm.routes[1]), (std::vector<std::pair<size_t, int>>{{3, 100}}));
  // An explicit unmatchedWeight 0 is 0, and listed like a weight 0.
  EXPECT_EQ(shares(rm.routes[2]),
            (std::vector<std::pair<size_t, int>>{{0, 60}, {1, 10}, {2, 30}, {3, 0}}));
  EXPECT_TRUE(l.sink().all().empty()) << l.sink().all()[0].message;
}

TEST(Lowering, UnmatchedWeightCountsTowardsTheHundredOfTheUnmatchedTraffic) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    weight: 60\n"
                      "  - image: a:3\n"
                      "    matches: [{headers: [{name: x, value: '1'}]}]\n"
                      "    unmatchedWeight: 50\n");
  EXPECT_FALSE(l.routemap);
  EXPECT_EQ(test::first_error(l.sink()),
            "spec.yaml:11:22: expected the weights of candidates without matches and the "
            "unmatchedWeights to sum to at most 100, got 110");
  EXPECT_EQ(l.sink().all()[0].path, "application.versions[2].unmatchedWeight");
}

TEST(Lowering, UnmatchedWeightOnlyOnACanaryCandidateWithMatches) {
  struct Case {
    const char* strategy;
    const char* versions;
    const char* path;
    const char* says;
  } cases[] = {
      {"canary", "  - {image: a:1, unmatchedWeight: 5}\n  - {image: a:2, weight: 5}\n",
       "application.versions[0].unmatchedWeight", "got it on the primary"},
      {"mirror", "  - image: a:1\n  - {image: a:2, unmatchedWeight: 5}\n",
       "application.versions[1].unmatchedWeight", "got strategy mirror"},
      {"canary", "  - image: a:1\n  - {image: a:2, unmatchedWeight: 5}\n",
       "application.versions[1].unmatchedWeight", "use weight"},
  };
  for (const Case& c : cases) {
    auto l = lower_text(std::string(kHead) + "  strategy: " + c.strategy + "\n  versions:\n" +
                        c.versions);
    EXPECT_FALSE(l.routemap) << c.path;
    ASSERT_FALSE(l.sink().all().empty());
    EXPECT_EQ(l.sink().all()[0].path, c.path);
    EXPECT_NE(l.sink().all()[0].message.find(c.says), std::string::npos)
        << l.sink().all()[0].message;
  }
}

// Issue 12: sticky puts one cookie route per version of each weighted split just ahead of it;
// the split's destinations set the cookie; a segment ahead stays ahead.
TEST(Lowering, StickyAddsACookieRoutePerVersionAheadOfEachWeightedRoute) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  sticky: true\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    matches: [{headers: [{name: x, value: '1'}]}]\n"
                      "    unmatchedWeight: 10\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Routemap& rm = *l.routemap;
  EXPECT_EQ(rm.sticky_cookie, "meshc-app");
  ASSERT_EQ(rm.routes.size(), 4u);
  EXPECT_EQ(rm.routes[0].name, "app-1");  // the pinned segment first, not sticky
  EXPECT_FALSE(rm.routes[0].sticky_version);
  EXPECT_FALSE(rm.routes[0].destinations[0].set_cookie);
  for (size_t k : {1u, 2u}) {
    const Route& s = rm.routes[k];
    size_t v = k - 1;
    EXPECT_EQ(s.sticky_version, v);
    EXPECT_EQ(s.field_path, "application.sticky");
    EXPECT_EQ(shares(s), (std::vector<std::pair<size_t, int>>{{v, 100}}));
    ASSERT_EQ(s.matches.size(), 1u);
    ASSERT_EQ(s.matches[0].cookies.size(), 1u);
    EXPECT_EQ(s.matches[0].cookies[0].name, "meshc-app");
    EXPECT_EQ(s.matches[0].cookies[0].value, rm.versions[v].name);
    EXPECT_TRUE(s.matches[0].headers.empty());
    EXPECT_FALSE(s.destinations[0].set_cookie);
  }
  EXPECT_EQ(rm.routes[1].name, "default.sticky.app-0");
  const Route& split = rm.routes[3];
  EXPECT_EQ(split.name, "default");
  ASSERT_EQ(split.destinations.size(), 2u);
  EXPECT_TRUE(split.destinations[0].set_cookie && split.destinations[1].set_cookie);
  EXPECT_EQ(sticky_set_cookie(rm, rm.versions[1]), "meshc-app=app-1; Path=/; HttpOnly");
}

TEST(Lowering, StickyCookieRoutesOfASegmentKeepItsMatches) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n"
                      "  sticky: true\n"
                      "  versions:\n"
                      "  - image: a:1\n"
                      "  - image: a:2\n"
                      "    weight: 30\n"
                      "    matches: [{headers: [{name: x, value: '1'}]}, {method: GET}]\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  const Routemap& rm = *l.routemap;
  ASSERT_EQ(rm.routes.size(), 4u);  // two sticky routes, the segment, the catch-all
  for (size_t k : {0u, 1u}) {
    const Route& s = rm.routes[k];
    EXPECT_EQ(s.segment_of, 1u);
    ASSERT_EQ(s.matches.size(), 2u);
    EXPECT_EQ(s.matches[0].headers.size(), 1u);
    EXPECT_EQ(s.matches[1].method, "GET");
    EXPECT_EQ(s.matches[1].cookies.at(0).value, rm.versions[k].name);
  }
  EXPECT_TRUE(rm.routes[2].destinations[0].set_cookie);
  EXPECT_FALSE(rm.routes[3].destinations[0].set_cookie);  // the catch-all is not split
}

TEST(Lowering, StickyWithoutAWeightedRouteWarnsThatItHasNoEffect) {
  for (const char* strategy : {"none", "mirror", "canary"}) {
    auto l = lower_text(std::string(kHead) + "  strategy: " + strategy +
                        "\n  sticky: true\n  versions:\n  - image: a:1\n  - image: a:2\n");
    ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
    EXPECT_TRUE(l.routemap->sticky_cookie.empty());
    bool warned = false;
    for (const Diagnostic& d : l.sink().all()) {
      if (d.path == "application.sticky") {
        warned = true;
        EXPECT_EQ(d.severity, Severity::kWarning);
        EXPECT_NE(d.message.find("sticky has no effect"), std::string::npos);
      }
    }
    EXPECT_TRUE(warned) << strategy;
  }
}

TEST(Lowering, StickyFalseChangesNothing) {
  auto l = lower_text(std::string(kHead) +
                      "  strategy: canary\n  sticky: false\n  versions:\n  - image: a:1\n"
                      "  - {image: a:2, weight: 10}\n");
  ASSERT_TRUE(l.routemap) << test::first_error(l.sink());
  EXPECT_EQ(l.routemap->routes.size(), 1u);
  EXPECT_FALSE(l.routemap->routes[0].destinations[1].set_cookie);
}

}  // namespace
}  // namespace meshc
