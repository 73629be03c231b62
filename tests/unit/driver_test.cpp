// The driver: what one run emits as a whole — each object once, each file once — and which
// documents of a directory walk it compiles.
#include "compiler/driver/driver.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "compiler/lower/documents.h"
#include "compiler/yaml/yaml_loader.h"
#include "tests/unit/support.h"

namespace meshc {
namespace {

namespace fs = std::filesystem;

std::string release(const std::string& app, const std::string& ns, const std::string& v0,
                    const std::string& v1) {
  return "environment: deployment-istio\n"
         "application:\n"
         "  metadata: {name: " +
         app + ", namespace: " + ns +
         "}\n"
         "  versions:\n"
         "  - metadata: {name: " +
         v0 +
         "}\n"
         "    image: a:1\n"
         "  - metadata: {name: " +
         v1 +
         "}\n"
         "    image: a:2\n"
         "    weight: 10\n"
         "  strategy: canary\n";
}

std::vector<const Diagnostic*> errors(const DiagnosticSink& sink) {
  std::vector<const Diagnostic*> out;
  for (const Diagnostic& d : sink.all()) {
    if (d.severity == Severity::kError) out.push_back(&d);
  }
  return out;
}

TEST(Driver, TwoReleasesThatGenerateTheSameObjectsAreAnErrorAtEachVersion) {
  for (Driver::Stage stage : {Driver::Stage::kCompile, Driver::Stage::kValidate}) {
    Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
    d.add_source("a.yaml", release("shop", "shop", "v1", "v2") + "---\n" +
                               release("cart", "shop", "v1", "v2"));
    auto out = d.run(stage);
    ASSERT_EQ(out.size(), 1u);  // the first release compiles; the second does not
    EXPECT_EQ(out[0].routemap.name, "shop");
    auto errs = errors(d.sink());
    ASSERT_EQ(errs.size(), 2u);  // one per version: its Deployment and Service
    EXPECT_EQ(errs[0]->path, "application.versions[0]");
    EXPECT_NE(errs[0]->message.find(
                  "Deployment.apps shop/v1 and Service shop/v1 are generated twice in this run"),
              std::string::npos)
        << errs[0]->message;
    EXPECT_EQ(errs[0]->loc.line, 15u);  // the second release's first version (0-based)
    ASSERT_EQ(errs[0]->notes.size(), 1u);
    EXPECT_EQ(errs[0]->notes[0].loc.line, 4u);  // the first release's first version
    EXPECT_EQ(errs[0]->notes[0].message, "first generated here");
    EXPECT_EQ(errs[1]->path, "application.versions[1]");
    EXPECT_NE(errs[1]->message.find("Service shop/v2"), std::string::npos);
  }
}

TEST(Driver, TheSameReleaseTwiceClashesOnEveryObject) {
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  std::string r = release("shop", "shop", "v1", "v2");
  d.add_source("a.yaml", r + "---\n" + r);
  auto out = d.run(Driver::Stage::kCompile);
  ASSERT_EQ(out.size(), 1u);
  auto errs = errors(d.sink());
  ASSERT_EQ(errs.size(), 1u);  // one for the release, not one per object
  // root Service, 2 Deployments, 2 Services, DestinationRule, VirtualService
  EXPECT_EQ(errs[0]->message,
            "release shop/shop is defined twice in this run: 7 of its 7 objects would be "
            "generated twice (kubectl apply would keep only the last one)");
  EXPECT_EQ(errs[0]->loc.line, 11u);  // the second document (0-based)
  ASSERT_EQ(errs[0]->notes.size(), 1u);
  EXPECT_EQ(errs[0]->notes[0].loc.line, 0u);
}

TEST(Driver, AnApplicationNamedLikeAnotherAppsVersionClashesWithItsService) {
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  d.add_source("a.yaml",
               release("shop", "shop", "v1", "v2") + "---\n" + release("v1", "shop", "one", "two"));
  EXPECT_EQ(d.run(Driver::Stage::kCompile).size(), 1u);
  auto errs = errors(d.sink());
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0]->path, "");
  EXPECT_NE(errs[0]->message.find("Service shop/v1 is generated twice"), std::string::npos)
      << errs[0]->message;
  EXPECT_EQ(errs[0]->notes[0].loc.line, 4u);  // the first release's version v1
}

TEST(Driver, TheSameNamesInOtherNamespacesOrKindsDoNotClash) {
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  d.add_source("a.yaml",
               release("shop", "one", "v1", "v2") + "---\n" + release("shop", "two", "v1", "v2"));
  EXPECT_EQ(d.run(Driver::Stage::kCompile).size(), 2u);
  EXPECT_TRUE(errors(d.sink()).empty());
}

TEST(Driver, RoutemapsEmitNothingSoNothingClashes) {
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  std::string r = release("shop", "shop", "v1", "v2");
  d.add_source("a.yaml", r + "---\n" + r);
  EXPECT_EQ(d.run(Driver::Stage::kRoutemap).size(), 2u);
  EXPECT_TRUE(errors(d.sink()).empty());
}

class DriverFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("meshc-driver-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& rel, const std::string& text) {
    fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir_;
};

TEST_F(DriverFiles, AFileGivenTwiceIsReadOnceWithAWarning) {
  std::string spec = write("specs/a.yaml", release("shop", "shop", "v1", "v2"));
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  EXPECT_TRUE(d.add_input(spec));
  EXPECT_TRUE(d.add_input((dir_ / "specs").string()));  // the same file, through its directory
  EXPECT_EQ(d.run(Driver::Stage::kCompile).size(), 1u);
  EXPECT_TRUE(errors(d.sink()).empty());
  ASSERT_EQ(d.sink().all().size(), 1u);
  EXPECT_EQ(d.sink().all()[0].severity, Severity::kWarning);
  EXPECT_NE(d.sink().all()[0].message.find("is given more than once; it is read once"),
            std::string::npos);
}

TEST_F(DriverFiles, AWalkSkipsDocumentsThatAreClearlyNotReleases) {
  write("repo/app.yaml", release("shop", "shop", "v1", "v2") +
                             "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
  write("repo/kustomization.yaml", "resources: [app.yaml]\n");
  write("repo/empty.yaml", "# nothing yet\n");
  write("repo/list.yaml", "- a\n- b\n");
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  d.set_walk(WalkOptions{}, /*verbose=*/true);
  EXPECT_TRUE(d.add_input((dir_ / "repo").string()));
  EXPECT_EQ(d.run(Driver::Stage::kCompile).size(), 1u);
  EXPECT_TRUE(errors(d.sink()).empty()) << errors(d.sink())[0]->message;
  std::vector<std::string> notes;
  for (const Diagnostic& n : d.sink().all()) notes.push_back(n.loc.str() + " " + n.message);
  ASSERT_EQ(notes.size(), 4u) << ::testing::PrintToString(notes);
  EXPECT_NE(notes[0].find("skipped: kind ConfigMap (v1), not a meshc.dev Release"),
            std::string::npos);
  EXPECT_NE(notes[1].find("empty.yaml:1:1 skipped: empty"), std::string::npos);
  EXPECT_NE(notes[2].find("skipped: neither environment nor application"), std::string::npos);
  EXPECT_NE(notes[3].find("skipped: a list, not a mapping"), std::string::npos);
}

TEST_F(DriverFiles, ANamedFileIsCheckedStrictly) {
  std::string cm = write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
  std::string empty = write("empty.yaml", "");
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  d.add_input(cm);
  d.add_input(empty);
  EXPECT_TRUE(d.run(Driver::Stage::kCompile).empty());
  auto errs = errors(d.sink());
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_NE(errs[0]->message.find("expected kind Release"), std::string::npos);
  EXPECT_NE(errs[1]->message.find("got an empty input"), std::string::npos);
}

TEST_F(DriverFiles, AWalkStillChecksWhatLooksLikeARelease) {
  write("repo/typo.yaml", "environment: deployment-istio\napplication: {versons: []}\n");
  write("repo/wrong-kind.yaml", "apiVersion: meshc.dev/v1alpha1\nkind: Relase\n");
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  d.add_input((dir_ / "repo").string());
  EXPECT_TRUE(d.run(Driver::Stage::kCompile).empty());
  EXPECT_GE(errors(d.sink()).size(), 2u);
}

TEST_F(DriverFiles, ADirectoryWithoutAnyReleaseIsAnError) {
  write("repo/kustomization.yaml", "resources: []\n");
  write("repo/cm.yaml", "apiVersion: v1\nkind: ConfigMap\n");
  Driver d(Limits{}, ReleaseDefaults{}, std::nullopt);
  EXPECT_TRUE(d.add_input((dir_ / "repo").string()));
  EXPECT_TRUE(d.run(Driver::Stage::kCompile).empty());
  auto errs = errors(d.sink());
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_FALSE(errs[0]->loc.valid());
  EXPECT_NE(errs[0]->message.find("none of its 2 YAML files holds one"), std::string::npos)
      << errs[0]->message;
}

}  // namespace
}  // namespace meshc
