// The workload templates as the binary builds them (code generated from templates/*.yaml by
// cmake/gen_templates.cpp) are the trees the YAML loader makes of the same files: same keys in
// the same order, same scalar types and values, so the two cannot drift.
#include "compiler/k8s/templates.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "compiler/yaml/limits.h"
#include "compiler/yaml/yaml_loader.h"

namespace meshc {
namespace {

// templates/<name>.yaml as the loader reads it.
Object parsed(const std::string& name) {
  std::ifstream in(std::string(MESHC_SOURCE_DIR) + "/templates/" + name + ".yaml",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  SourceFile file("templates/" + name + ".yaml", text.str());
  Limits limits;
  DiagnosticSink sink;
  auto docs = load_yaml(file, limits, sink);
  EXPECT_FALSE(sink.has_errors());
  EXPECT_EQ(docs.size(), 1u);
  return docs.empty() ? Object() : to_ordered_json(*docs[0].root);
}

// Every node's type, keys in order, and value, as text: `==` alone would let 0 equal 0u or
// 0.0, and the writer prints those apart.
void describe(const Object& o, std::string& out) {
  out += std::to_string(static_cast<int>(o.type())) + ":";
  if (o.is_object()) {
    out += "{";
    for (auto it = o.begin(); it != o.end(); ++it) {
      out += Object(it.key()).dump() + "=";
      describe(*it, out);
      out += ",";
    }
    out += "}";
  } else if (o.is_array()) {
    out += "[";
    for (const Object& item : o) describe(item, out), out += ",";
    out += "]";
  } else {
    out += o.dump();
  }
}

std::string typed(const Object& o) {
  std::string out;
  describe(o, out);
  return out;
}

void expect_same_as_parsed(const std::string& name, const std::function<Object()>& generated) {
  Object want = parsed(name);
  Object got = generated();
  EXPECT_EQ(got, want) << name;
  EXPECT_EQ(typed(got), typed(want)) << name;
  EXPECT_EQ(got.dump(), want.dump()) << name;
}

TEST(Templates, GeneratedDeploymentIsTheParsedTemplate) {
  expect_same_as_parsed("deployment", templates::deployment);
}

TEST(Templates, GeneratedServiceIsTheParsedTemplate) {
  expect_same_as_parsed("service", templates::service);
}

TEST(Templates, EachCallBuildsAFreshTree) {
  Object first = templates::deployment();
  first["spec"]["template"]["spec"]["containers"][0]["image"] = "changed";
  first["metadata"]["name"] = "changed";
  EXPECT_EQ(templates::deployment(), parsed("deployment"));
  Object service = templates::service();
  service["spec"]["ports"][0]["port"] = 8080;
  EXPECT_EQ(templates::service(), parsed("service"));
}

TEST(Templates, TypedComparisonTellsIntegerFromFloatAndKeyOrder) {
  // The comparison above is strict enough to catch what a wrong generator would produce.
  EXPECT_NE(typed(Object::parse("{\"port\": 0}")), typed(Object::parse("{\"port\": 0.0}")));
  EXPECT_NE(typed(Object::parse("{\"a\": 1, \"b\": 2}")),
            typed(Object::parse("{\"b\": 2, \"a\": 1}")));
  EXPECT_NE(typed(Object(std::int64_t{0})), typed(Object(std::uint64_t{0})));
}

}  // namespace
}  // namespace meshc
