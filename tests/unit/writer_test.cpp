#include <gtest/gtest.h>

#include "compiler/k8s/object.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_writer.h"

using namespace meshc;

namespace {

// Writes `doc`, reads it back with meshc's loader and returns the typed JSON.
nlohmann::json round_trip(const Object& doc) {
  std::string text;
  write_yaml_document(doc, text);
  SourceFile f("out.yaml", text);
  DiagnosticSink sink;
  Limits limits;
  auto docs = load_yaml(f, limits, sink);
  EXPECT_FALSE(sink.has_errors()) << text;
  EXPECT_EQ(docs.size(), 1u) << text;
  return docs.empty() ? nlohmann::json() : to_json(*docs[0].root);
}

}  // namespace

TEST(Writer, HostileStringsCannotChangeTheStructure) {
  const std::vector<std::string> hostile = {"a\nb: c",
                                            "x: y",
                                            "# comment",
                                            "a #b",
                                            "---",
                                            "--- x",
                                            "...",
                                            "{{ .Values }}",
                                            "[1, 2]",
                                            "{a: b}",
                                            "'single'",
                                            "\"double\"",
                                            "- item",
                                            "? key",
                                            "&anchor",
                                            "*alias",
                                            "!tag",
                                            "|",
                                            ">",
                                            "%YAML",
                                            "@at",
                                            "`tick`",
                                            "true",
                                            "no",
                                            "null",
                                            "~",
                                            "0x10",
                                            "1e3",
                                            "1:20",
                                            "2001-12-14",
                                            ".inf",
                                            " leading",
                                            "trailing ",
                                            "tab\tin",
                                            "\r\n",
                                            "caf\xc3\xa9",
                                            "",
                                            "\\",
                                            "a: b\n---\nkind: Secret",
                                            "key:"};
  Object doc = Object::object();
  for (size_t i = 0; i < hostile.size(); ++i) doc["k" + std::to_string(i)] = hostile[i];
  Object nested = Object::object();
  for (const auto& h : hostile) nested[h] = Object::array({h, Object{{h, h}}});
  doc["nested"] = nested;
  nlohmann::json back = round_trip(doc);
  for (size_t i = 0; i < hostile.size(); ++i) {
    EXPECT_EQ(back["k" + std::to_string(i)], hostile[i]) << "value " << i;
  }
  for (const auto& h : hostile) {
    ASSERT_TRUE(back["nested"].contains(h)) << "key " << h;
    EXPECT_EQ(back["nested"][h][0], h);
    EXPECT_EQ(back["nested"][h][1][h], h);
  }
  EXPECT_EQ(back.size(), hostile.size() + 1);
}

TEST(Writer, TypesSurviveTheRoundTrip) {
  Object doc = {{"int", 80},
                {"neg", -3},
                {"float", 1.5},
                {"bool", true},
                {"null", nullptr},
                {"empty_map", Object::object()},
                {"empty_list", Object::array()},
                {"list", Object::array({1, "two", Object::array({3})})}};
  nlohmann::json back = round_trip(doc);
  EXPECT_EQ(back["int"], 80);
  EXPECT_EQ(back["neg"], -3);
  EXPECT_EQ(back["float"], 1.5);
  EXPECT_EQ(back["bool"], true);
  EXPECT_TRUE(back["null"].is_null());
  EXPECT_TRUE(back["empty_map"].is_object() && back["empty_map"].empty());
  EXPECT_TRUE(back["empty_list"].is_array() && back["empty_list"].empty());
  EXPECT_EQ(back["list"][2][0], 3);
}

TEST(Writer, KeyOrderIsInsertionOrderAndOutputIsStable) {
  Object doc = Object::object();
  doc["zeta"] = 1;
  doc["alpha"] = Object{{"b", 1}, {"a", 2}};
  std::string a, b;
  write_yaml_document(doc, a);
  write_yaml_document(doc, b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, "---\nzeta: 1\nalpha:\n  b: 1\n  a: 2\n");
}

TEST(Writer, PlainWhereSafe) {
  EXPECT_TRUE(is_plain_safe("kennethreitz/httpbin"));
  EXPECT_TRUE(is_plain_safe("500m"));
  EXPECT_TRUE(is_plain_safe("v1.0"));
  EXPECT_FALSE(is_plain_safe("1.0"));
  EXPECT_FALSE(is_plain_safe("yes"));
  EXPECT_FALSE(is_plain_safe("a: b"));
}

// Every word a YAML 1.1 or 1.2 reader takes for a null, a boolean or a merge key is quoted; the
// words next to them (another case, a letter more or less) are not.
TEST(Writer, SpecialWordsAreQuotedAndTheirNeighboursAreNot) {
  for (const char* w :
       {"~",   "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "yes", "Yes",  "YES",  "no",   "No",   "NO",   "on",   "On",    "ON",    "off",
        "Off", "OFF",  "y",    "Y",    "n",    "N",    "=",    "<<"}) {
    EXPECT_FALSE(is_plain_safe(w)) << w;
  }
  for (const char* w :
       {"nULL", "tRUE", "fAlse", "yEs", "nO", "oN",   "oFf",  "nul",   "nulls", "truth", "falsey",
        "yess", "offs", "x",     "==",  "<",  "name", "type", "Never", "oo",    "<<<"}) {
    EXPECT_TRUE(is_plain_safe(w)) << w;
  }
}
