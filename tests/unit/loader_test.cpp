#include <gtest/gtest.h>

#include "compiler/yaml/yaml_loader.h"
#include "tests/unit/support.h"

using namespace meshc;

using test::first_error;
using test::load;

TEST(Loader, KeepsLocationsOfKeysAndValues) {
  auto l = load("a: 1\nb:\n  c: [x, \"y\"]\n");
  ASSERT_FALSE(l->sink.has_errors());
  const YNode& root = *l->docs[0].root;
  const YNode* c = root.get("b")->get("c");
  ASSERT_TRUE(c && c->is_sequence());
  EXPECT_EQ(c->items[1]->loc.str(), "t.yaml:3:10");
  EXPECT_EQ(root.get("b")->key_node("c")->loc.str(), "t.yaml:3:3");
}

TEST(Loader, PlainAndQuotedScalarsKeepTheirTypes) {
  auto l = load("a: 80\nb: \"80\"\nc: true\nd: 'true'\ne: ~\nf: 1.5\ng: 0x1F\nh: yes\n");
  ASSERT_FALSE(l->sink.has_errors());
  nlohmann::json j = to_json(*l->docs[0].root);
  EXPECT_EQ(j["a"], 80);
  EXPECT_EQ(j["b"], "80");
  EXPECT_EQ(j["c"], true);
  EXPECT_EQ(j["d"], "true");
  EXPECT_TRUE(j["e"].is_null());
  EXPECT_DOUBLE_EQ(j["f"].get<double>(), 1.5);
  EXPECT_EQ(j["g"], 31);
  EXPECT_EQ(j["h"], "yes");  // YAML 1.2 core schema
}

TEST(Loader, ExplicitTagsMustFitTheirValues) {
  auto ok = load("a: !!str 80\n");
  EXPECT_EQ(to_json(*ok->docs[0].root)["a"], "80");
  auto bad = load("a: !!int abc\n");
  EXPECT_EQ(first_error(*bad), "t.yaml:1:4: value \"abc\" does not fit its tag !!int");
}

TEST(Loader, DuplicateKeysAreErrorsAtTheSecondKey) {
  auto l = load("a: 1\nb: 2\na: 3\n");
  EXPECT_EQ(first_error(*l), "t.yaml:3:1: duplicate key \"a\"");
  const Diagnostic& d = l->sink.all().front();
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_EQ(d.notes[0].message, "first defined here");
  EXPECT_EQ(d.notes[0].loc.line, 0u);  // 0-based: line 1, column 1
  EXPECT_EQ(d.notes[0].loc.col, 0u);
}

TEST(Loader, AliasBombIsRejectedWithoutExpanding) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", " : "") + "*" + prev;
    text += "]\n";
  }
  auto l = load(text);  // 10^10 nodes if expanded: must finish instantly
  EXPECT_NE(first_error(*l).find("aliases expand this document by more than 100000 nodes"),
            std::string::npos);
}

TEST(Loader, SmallAliasesAreFine) {
  auto l = load("base: &b {image: x}\nother: *b\n");
  ASSERT_FALSE(l->sink.has_errors());
  EXPECT_EQ(to_json(*l->docs[0].root)["other"]["image"], "x");
}

TEST(Loader, DeepNestingIsRejected) {
  Limits limits;
  limits.max_depth = 10;
  auto l = load("a: " + std::string(20, '[') + std::string(20, ']') + "\n", limits);
  EXPECT_NE(first_error(*l).find("nesting is deeper than the limit of 10 levels"),
            std::string::npos);
}

TEST(Loader, InvalidUtf8AndControlCharactersAreLocated) {
  auto l = load("a: ok\nb: caf\xe9\n");
  EXPECT_EQ(first_error(*l), "t.yaml:2:7: input is not valid UTF-8 (byte 0xe9)");
  auto c = load("a: \x01\n");
  EXPECT_EQ(first_error(*c), "t.yaml:1:4: control character U+0001 is not allowed in YAML text");
  auto overlong = load("a: \xc0\xaf\n");
  EXPECT_TRUE(overlong->sink.has_errors());
}

TEST(Loader, ValidUtf8PassesThrough) {
  auto l = load("a: \"caf\xc3\xa9 \xf0\x9f\x9a\x80\"\n");
  ASSERT_FALSE(l->sink.has_errors());
  EXPECT_EQ(to_json(*l->docs[0].root)["a"], "caf\xc3\xa9 \xf0\x9f\x9a\x80");
}

TEST(Loader, SyntaxErrorsAreLocated) {
  auto l = load("a: [1, 2\nb: 3\n");
  EXPECT_TRUE(l->sink.has_errors());
  EXPECT_NE(first_error(*l).find("invalid YAML"), std::string::npos);
}

TEST(Loader, MultipleDocumentsAndTooManyDocuments) {
  auto l = load("a: 1\n---\nb: 2\n---\n");
  ASSERT_FALSE(l->sink.has_errors());
  EXPECT_EQ(l->docs.size(), 3u);
  Limits limits;
  limits.max_documents = 2;
  auto many = load("a: 1\n---\nb: 2\n---\nc: 3\n", limits);
  EXPECT_NE(first_error(*many).find("more than 2 YAML documents"), std::string::npos);
}
