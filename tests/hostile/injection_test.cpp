// No injection: tests/hostile/injection.yaml (hostile strings in annotations, an image, header
// values, a deploymentSpecification's keys and values) compiled for every target at every API
// version; the output is read back with yaml-cpp's own node API (not meshc's loader) and must
// hold exactly one document per object meshc built, with every key and value equal, and every
// object must carry the input's annotations unchanged.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>

#include "compiler/driver/driver.h"
#include "targets/target.h"

using namespace meshc;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The injection spec; for SMI versions that split by weight only, with a weight instead of
// the matches.
std::string spec_for(const TargetChoice& t) {
  std::string text = read(MESHC_HOSTILE_DIR "/injection.yaml");
  if (t.name() == "smi" && (t.api_version == "v1alpha1" || t.api_version == "v1alpha2")) {
    size_t from = text.find("    matches:\n");
    size_t to = text.find("  strategy: canary");
    text = text.substr(0, from) + "  strategy: blue-green\n" + text.substr(to + 19);
  }
  return text;
}

// Compares what yaml-cpp read with the object meshc wrote; `path` names the place.
void expect_same(const YAML::Node& node, const Object& o, const std::string& path) {
  switch (o.type()) {
    case Object::value_t::object:
      ASSERT_TRUE(node.IsMap()) << path;
      EXPECT_EQ(node.size(), o.size()) << path << ": keys added or lost";
      for (auto it = o.begin(); it != o.end(); ++it) {
        ASSERT_TRUE(node[it.key()].IsDefined()) << path << ": key " << it.key() << " lost";
        expect_same(node[it.key()], it.value(), path + "." + it.key());
      }
      return;
    case Object::value_t::array:
      ASSERT_TRUE(node.IsSequence()) << path;
      ASSERT_EQ(node.size(), o.size()) << path;
      for (size_t i = 0; i < o.size(); ++i) {
        expect_same(node[i], o[i], path + "[" + std::to_string(i) + "]");
      }
      return;
    case Object::value_t::string:
      ASSERT_TRUE(node.IsScalar()) << path;
      EXPECT_EQ(node.Scalar(), o.get<std::string>()) << path;
      EXPECT_EQ(node.Tag(), is_plain_safe(o.get<std::string>()) ? "?" : "!")
          << path << ": a string must be quoted unless plain is safe";
      return;
    case Object::value_t::null:
      EXPECT_TRUE(node.IsNull()) << path;
      return;
    default: {
      ASSERT_TRUE(node.IsScalar()) << path;
      std::string text;
      write_yaml_scalar(o, text);
      EXPECT_EQ(node.Scalar(), text) << path;
    }
  }
}

}  // namespace

TEST(Injection, EveryTargetWritesExactlyTheObjectsItBuilt) {
  size_t targets = 0;
  for (const Target* t : all_targets()) {
    for (const auto& version : t->info().api_versions) {
      TargetChoice choice{t, version.name};
      SCOPED_TRACE(choice.str());
      std::string text = spec_for(choice);
      Driver driver(Limits{}, ReleaseDefaults{}, choice);
      driver.add_source("injection.yaml", text);
      auto releases = driver.run(Driver::Stage::kCompile);
      for (const auto& d : driver.sink().all()) {
        EXPECT_NE(d.severity, Severity::kError) << d.loc.str() << ": " << d.message;
      }
      ASSERT_EQ(releases.size(), 1u);
      const auto& objects = releases[0].objects;
      std::string out = render_objects(releases);

      // Independent reader: yaml-cpp's node API.
      std::vector<YAML::Node> docs = YAML::LoadAll(out);
      ASSERT_EQ(docs.size(), objects.size()) << "documents injected or lost";
      for (size_t i = 0; i < objects.size(); ++i) {
        expect_same(docs[i], objects[i], "document " + std::to_string(i + 1));
      }

      // The input's annotations reach every object unchanged (compared with the input as
      // yaml-cpp reads it, not with meshc's objects).
      YAML::Node input = YAML::Load(text);
      YAML::Node want = input["application"]["metadata"]["annotations"];
      ASSERT_GE(want.size(), 19u);
      for (size_t i = 0; i < docs.size(); ++i) {
        YAML::Node got = docs[i]["metadata"]["annotations"];
        ASSERT_TRUE(got.IsMap()) << "document " << i + 1;
        for (auto it = want.begin(); it != want.end(); ++it) {
          std::string key = it->first.Scalar();
          EXPECT_EQ(got[key].Scalar(), it->second.Scalar()) << "document " << i + 1 << " " << key;
        }
      }
      // Nothing that looks like an injected object.
      EXPECT_EQ(out.find("\nkind: Secret"), std::string::npos);
      ++targets;
    }
  }
  EXPECT_EQ(targets, 13u) << "a target or API version was added: check it here too";
}
