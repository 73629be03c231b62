#include <gtest/gtest.h>

#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/yaml_loader.h"

using namespace meshc;

namespace {

std::vector<std::string> errors_of(const std::string& text) {
  SourceFile f("v.yaml", text);
  DiagnosticSink sink;
  Limits limits;
  auto docs = load_yaml(f, limits, sink);
  EXPECT_FALSE(sink.has_errors());
  SchemaValidator::get().validate(*docs[0].root, SpecForm::kValues, sink);
  std::vector<std::string> out;
  for (const auto& d : sink.all()) out.push_back(d.loc.str() + ": " + d.path + ": " + d.message);
  return out;
}

const char* kValid =
    "environment: deployment-gtw\n"
    "application:\n"
    "  metadata: {name: app, labels: {app.kubernetes.io/version: v0}}\n"
    "  versions:\n"
    "  - image: app:1\n";

}  // namespace

TEST(Validator, AcceptsAValidSpec) {
  EXPECT_TRUE(errors_of(kValid).empty());
}

TEST(Validator, OneMistakeGivesOneError) {
  auto e = errors_of(
      "environment: deployment-gtw\n"
      "application:\n"
      "  versions:\n"
      "  - image: app:1\n"
      "    weight: heavy\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0],
            "v.yaml:5:13: application.versions[0].weight: expected integer, got string \"heavy\"");
}

TEST(Validator, UnknownFieldSuggestsTheNearestName) {
  auto e = errors_of(
      "environment: deployment-gtw\n"
      "application:\n"
      "  versions:\n"
      "  - image: app:1\n"
      "    matchs: []\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("v.yaml:5:5: application.versions[0].matchs: unknown field"),
            std::string::npos);
  EXPECT_NE(e[0].find("did you mean \"match"), std::string::npos);
}

TEST(Validator, IndependentMistakesAreAllReported) {
  auto e = errors_of(
      "environment: deployment-gtw\n"
      "application:\n"
      "  port: 0\n"
      "  strategy: fast\n"
      "  versions:\n"
      "  - image: app:1\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_NE(e[0].find("v.yaml:3:9: application.port: expected an integer from 1 to 65535, got 0"),
            std::string::npos);
  EXPECT_NE(e[1].find("v.yaml:4:13: application.strategy: expected one of"), std::string::npos);
}

TEST(Validator, LabelKeysAndValuesAreChecked) {
  auto e = errors_of(
      "environment: deployment-gtw\n"
      "application:\n"
      "  metadata: {labels: {\"bad key!\": x}}\n"
      "  versions:\n"
      "  - image: app:1\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("expected a label key"), std::string::npos);
}
