// The workload templates as the binary builds them (code generated from templates/*.yaml by
// cmake/gen_templates.cpp) are the trees the YAML loader makes of the same files: same keys in
// the same order, same scalar types and values, so the two cannot drift; and the values the
// renderer fills in land where assigning them to the parsed tree would put them.
#include "compiler/k8s/templates.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

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

void expect_same(const Object& got, const Object& want, const std::string& what) {
  EXPECT_EQ(got, want) << what;
  EXPECT_EQ(typed(got), typed(want)) << what;
  EXPECT_EQ(got.dump(), want.dump()) << what;
}

TEST(Templates, GeneratedDeploymentIsTheParsedTemplate) {
  expect_same(templates::deployment(), parsed("deployment"), "deployment");
}

TEST(Templates, GeneratedServiceIsTheParsedTemplate) {
  expect_same(templates::service(), parsed("service"), "service");
}

// A member of a Fill struct: its place (keys, "0" a list's first item) and how to set it.
template <typename Fill>
struct Place {
  std::vector<std::string> path;
  std::function<void(Fill&, Object)> set;
};

// `tree` with `value` assigned at `path` by operator[], as workloads.cpp did to the parsed
// template before the templates became code.
void assign(Object& tree, const std::vector<std::string>& path, Object value) {
  Object* cur = &tree;
  for (const std::string& key : path) cur = key == "0" ? &(*cur)[0] : &(*cur)[key];
  *cur = std::move(value);
}

// Setting members of a Fill gives the parsed template with the same values assigned in the
// members' order: each member alone, then every one in `together` at once.
template <typename Fill>
void expect_fills_assign(const std::string& name, Object (*generate)(Fill),
                         const std::vector<Place<Fill>>& places, size_t together_from) {
  auto marker = [](size_t i) { return Object{{"filled", i}}; };
  for (size_t i = 0; i < places.size(); ++i) {
    Fill fill;
    places[i].set(fill, marker(i));
    Object want = parsed(name);
    assign(want, places[i].path, marker(i));
    expect_same(generate(std::move(fill)), want, name + " member " + std::to_string(i));
  }
  Fill fill;
  Object want = parsed(name);
  for (size_t i = together_from; i < places.size(); ++i) {
    places[i].set(fill, Object(std::to_string(i)));
    assign(want, places[i].path, Object(std::to_string(i)));
  }
  expect_same(generate(std::move(fill)), want, name + " members together");
}

TEST(Templates, DeploymentFillsPutValuesWhereOperatorBracketsWould) {
  using F = templates::DeploymentFill;
  std::vector<Place<F>> places = {
      {{"metadata"}, [](F& f, Object v) { f.metadata = std::move(v); }},
      {{"spec", "selector", "matchLabels"}, [](F& f, Object v) { f.match_labels = std::move(v); }},
      {{"spec", "template", "metadata", "labels"},
       [](F& f, Object v) { f.pod_labels = std::move(v); }},
      {{"spec", "template", "metadata", "annotations"},
       [](F& f, Object v) { f.pod_annotations = std::move(v); }},
      {{"spec", "template", "spec", "containers", "0", "name"},
       [](F& f, Object v) { f.container_name = std::move(v); }},
      {{"spec", "template", "spec", "containers", "0", "image"},
       [](F& f, Object v) { f.image = std::move(v); }},
      {{"spec", "template", "spec", "containers", "0", "ports", "0", "containerPort"},
       [](F& f, Object v) { f.container_port = std::move(v); }},
  };
  expect_fills_assign<F>("deployment", templates::deployment, places, 0);
}

TEST(Templates, ServiceFillsPutValuesWhereOperatorBracketsWould) {
  using F = templates::ServiceFill;
  std::vector<Place<F>> places = {
      {{"metadata"}, [](F& f, Object v) { f.metadata = std::move(v); }},
      {{"metadata", "name"}, [](F& f, Object v) { f.name = std::move(v); }},
      {{"metadata", "namespace"}, [](F& f, Object v) { f.namespace_ = std::move(v); }},
      {{"metadata", "labels"}, [](F& f, Object v) { f.labels = std::move(v); }},
      {{"metadata", "annotations"}, [](F& f, Object v) { f.annotations = std::move(v); }},
      {{"spec", "selector"}, [](F& f, Object v) { f.selector = std::move(v); }},
      {{"spec", "ports", "0", "port"}, [](F& f, Object v) { f.port = std::move(v); }},
      {{"spec", "ports", "0", "targetPort"}, [](F& f, Object v) { f.target_port = std::move(v); }},
      {{"spec", "ports", "0", "appProtocol"},
       [](F& f, Object v) { f.app_protocol = std::move(v); }},
  };
  // The whole metadata replaces the four below it, so it is set alone only.
  expect_fills_assign<F>("service", templates::service, places, 1);
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
