// The target registry: what every other part reads instead of hard-coding target names.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "compiler/diag/suggest.h"
#include "compiler/schema/schema_validator.h"
#include "targets/target.h"

namespace meshc {
namespace {

std::set<std::string> schema_environments() {
  auto schema = nlohmann::json::parse(SchemaValidator::schema_text());
  std::set<std::string> out;
  for (const auto& e : schema["definitions"]["values"]["properties"]["environment"]["enum"])
    out.insert(e.get<std::string>());
  return out;
}

// The schema's environment enum and the registry must say the same: every environment but
// `deployment` (workloads only) selects exactly one registered target, and every target is
// selected by one environment the schema accepts.
TEST(Registry, SchemaEnvironmentsAreTheTargetsEnvironments) {
  std::set<std::string> from_registry = {"deployment"};
  for (const Target* t : all_targets()) {
    EXPECT_TRUE(from_registry.insert(t->info().environment).second)
        << "two targets claim environment " << t->info().environment;
  }
  EXPECT_EQ(schema_environments(), from_registry);
  for (const std::string& env : schema_environments()) {
    if (env == "deployment") {
      EXPECT_EQ(find_target_for_environment(env), nullptr);
    } else {
      ASSERT_NE(find_target_for_environment(env), nullptr) << env;
      EXPECT_EQ(find_target_for_environment(env)->info().environment, env);
    }
  }
}

TEST(Registry, EveryTargetHasUniqueNameAndVersions) {
  std::set<std::string> names;
  for (const Target* t : all_targets()) {
    const TargetInfo& info = t->info();
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
    ASSERT_FALSE(info.api_versions.empty()) << info.name;
    std::set<std::string> versions;
    for (const ApiVersion& v : info.api_versions)
      EXPECT_TRUE(versions.insert(v.name).second) << info.name << "@" << v.name;
    EXPECT_EQ(find_target(info.name), t);
  }
}

TEST(Registry, ParseTargetResolvesEveryNameAndVersion) {
  for (const Target* t : all_targets()) {
    std::string err;
    auto plain = parse_target(t->info().name, &err);
    ASSERT_TRUE(plain) << err;
    EXPECT_EQ(plain->target, t);
    EXPECT_EQ(plain->api_version, t->info().api_versions.front().name);
    for (const ApiVersion& v : t->info().api_versions) {
      auto c = parse_target(t->info().name + "@" + v.name, &err);
      ASSERT_TRUE(c) << err;
      EXPECT_EQ(c->str(), t->info().name + "@" + v.name);
      EXPECT_EQ(&c->capabilities(), &v.caps);
    }
  }
}

TEST(Registry, UnknownTargetsAndVersionsNameTheChoices) {
  std::string err;
  EXPECT_FALSE(parse_target("no-such-mesh", &err));
  for (const Target* t : all_targets()) EXPECT_NE(err.find(t->info().name), std::string::npos);
  const Target* first = all_targets().front();
  EXPECT_FALSE(parse_target(first->info().name + "@v0", &err));
  EXPECT_NE(err.find(first->info().api_versions.front().name), std::string::npos) << err;
}

TEST(Registry, UnknownTargetSuggestsTheNameWhateverItsCaseAndSeparators) {
  std::string err;
  for (const char* typed : {"gatewayapi", "gateway_api", "GatewayAPI", "Istio", "ISTIO"}) {
    EXPECT_FALSE(parse_target(typed, &err));
    std::string want = typed[0] == 'g' || typed[0] == 'G' ? "gateway-api" : "istio";
    EXPECT_NE(err.find("(did you mean \"" + want + "\"?)"), std::string::npos)
        << typed << ": " << err;
  }
  EXPECT_FALSE(parse_target("kuma", &err));
  EXPECT_EQ(err.find("did you mean"), std::string::npos) << err;
}

TEST(Suggest, CaseSeparatorsAndAbbreviations) {
  const std::vector<std::string> types = {"Exact", "PathPrefix", "RegularExpression"};
  EXPECT_EQ(closest_word("Regex", types), "RegularExpression");
  EXPECT_EQ(closest_word("regex", types), "RegularExpression");
  EXPECT_EQ(closest_word("exact", types), "Exact");
  EXPECT_EQ(closest_word("path_prefix", types), "PathPrefix");
  EXPECT_EQ(closest_word("Exakt", types), "Exact");  // edit distance, as before
  EXPECT_EQ(closest_word("Wildcard", types), "");
  // An abbreviation of two candidates suggests neither.
  EXPECT_EQ(closest_word("pre", {"Prefix", "PathPrefix", "preview"}), "");
}

TEST(Registry, SynopsisListsEveryTargetAndVersion) {
  std::string s = target_synopsis();
  for (const Target* t : all_targets()) {
    EXPECT_NE(s.find(t->info().name + "["), std::string::npos) << s;
    for (const ApiVersion& v : t->info().api_versions)
      EXPECT_NE(s.find("@" + v.name), std::string::npos) << s;
  }
}

}  // namespace
}  // namespace meshc
