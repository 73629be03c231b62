// Resource limits (compiler/yaml/limits.h): each is enforced, reported at a location, and the
// defaults agree with the schema that enforces some of them.
#include "compiler/yaml/limits.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "compiler/diag/diagnostics.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/yaml_loader.h"

using namespace meshc;

namespace {

struct Loaded {
  std::vector<Diagnostic> diags;
  size_t documents = 0;
};

Loaded load(const std::string& text, const Limits& limits = Limits{}) {
  static std::vector<std::unique_ptr<SourceFile>> keep;  // diagnostics point into the file
  keep.push_back(std::make_unique<SourceFile>("in.yaml", text));
  DiagnosticSink sink;
  auto docs = load_yaml(*keep.back(), limits, sink);
  return Loaded{sink.all(), docs.size()};
}

std::string first_error(const Loaded& l) {
  return l.diags.empty() ? "" : l.diags[0].loc.str() + ": " + l.diags[0].message;
}

}  // namespace

TEST(Limits, DefaultsAgreeWithTheSchema) {
  auto schema = nlohmann::json::parse(SchemaValidator::schema_text());
  const auto& defs = schema["definitions"];
  Limits limits;
  EXPECT_EQ(defs["application"]["properties"]["versions"]["maxItems"], limits.max_versions);
  EXPECT_EQ(defs["version"]["properties"]["matches"]["maxItems"], limits.max_matches);
  EXPECT_EQ(defs["version"]["properties"]["match"]["maxItems"], limits.max_matches);
}

TEST(Limits, AliasesMayNotRepeatALongStringBeyondTheByteLimit) {
  std::string text = "a: &a \"" + std::string(100000, 'x') + "\"\nb: [";
  for (int i = 0; i < 90; ++i) text += "*a, ";
  text += "*a]\n";
  Loaded ok = load(text);  // the 84th alias passes 8 MiB: column 4 + 83 * 4, 1-based
  ASSERT_EQ(ok.diags.size(), 1u);
  EXPECT_EQ(first_error(ok),
            "in.yaml:2:337: aliases expand this document by more than 8388608 bytes of text "
            "(limit of alias expansion)");
  Limits bigger;
  bigger.max_alias_expansion_bytes = 10u << 20;
  EXPECT_TRUE(load(text, bigger).diags.empty());
}

TEST(Limits, NodesAreCountedOverTheWholeInput) {
  Limits limits;
  limits.max_nodes = 10;
  // 3 documents of 5 nodes each (mapping, 2 keys, 2 values): the 11th node is document 3's.
  Loaded l = load("a: 1\nb: 2\n---\nc: 3\nd: 4\n---\ne: 5\nf: 6\n", limits);
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_EQ(first_error(l), "in.yaml:7:1: more than 10 YAML nodes in one input (limit of nodes)");
}

TEST(Limits, DocumentsDepthAndControlCharactersAreLocated) {
  Limits limits;
  limits.max_documents = 3;
  Loaded docs = load("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n", limits);
  EXPECT_EQ(first_error(docs),
            "in.yaml:6:1: more than 3 YAML documents in one input (limit of documents)");
  Loaded deep = load(std::string(150, '[') + std::string(150, ']'));
  EXPECT_EQ(first_error(deep), "in.yaml:1:101: nesting is deeper than the limit of 100 levels");
  Loaded nel = load("a: \"x\xc2\x85y\"\n");
  EXPECT_EQ(first_error(nel),
            "in.yaml:1:6: next-line character U+0085 (a line break to YAML 1.1) is not allowed "
            "in YAML text; write it as \\u0085 in a double-quoted string");
}

TEST(Limits, PrinterCapsTheNumberOfDiagnosticsAndTheWidthOfSourceLines) {
  SourceFile file("in.yaml", "k: " + std::string(100000, 'x') + "\n");
  std::vector<Diagnostic> diags;
  for (int i = 0; i < 1500; ++i) {
    diags.push_back(Diagnostic{Severity::kError, Location{&file, 0, 50000}, "", "bad", {}, ""});
  }
  char* buf = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&buf, &size);
  PrintOptions opts;
  opts.show_source = true;
  print_diagnostics(diags, opts, out);
  std::fclose(out);
  std::string text(buf, size);
  free(buf);
  EXPECT_NE(text.find("meshc: error: 500 more diagnostics not shown (limit of 1000 printed)\n"),
            std::string::npos);
  // Each shown diagnostic: its line, a source window of ~200 characters and a caret line.
  EXPECT_LT(text.size(), 1000u * (40 + 2 * 215) + 100);
  EXPECT_NE(text.find("\n..." + std::string(200, 'x') + "...\n" + std::string(103, ' ') + "^\n"),
            std::string::npos)
      << text.substr(0, 400);
}
