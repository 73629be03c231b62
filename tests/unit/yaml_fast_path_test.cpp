// The loader's fast path (compiler/yaml/yaml_fast_path.h) against yaml-cpp: whenever the fast path
// accepts a text, yaml-cpp must parse it without error into the same events (kinds, tags,
// values, lines and columns), document by document. Texts: the golden inputs, the examples,
// hand-picked edge cases, and thousands of random mutations of all of them.
#include "compiler/yaml/yaml_fast_path.h"

#include <gtest/gtest.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/yaml/yaml_loader.h"

namespace meshc {
namespace {

namespace fs = std::filesystem;

// Every event as one line of text; document ends as "DOC".
class Recorder : public YAML::EventHandler {
 public:
  std::vector<std::string> events;
  void OnDocumentStart(const YAML::Mark& m) override { add("DOCSTART", m, "", 0, ""); }
  void OnDocumentEnd() override { events.push_back("DOCEND"); }
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { add("NULL", m, "", a, ""); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t a) override { add("ALIAS", m, "", a, ""); }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                const std::string& value) override {
    add("SCALAR", m, tag, a, value);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                       YAML::EmitterStyle::value style) override {
    add(style == YAML::EmitterStyle::Flow ? "SEQ[]" : "SEQ", m, tag, a, "");
  }
  void OnSequenceEnd() override { events.push_back("SEQEND"); }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                  YAML::EmitterStyle::value style) override {
    add(style == YAML::EmitterStyle::Flow ? "MAP{}" : "MAP", m, tag, a, "");
  }
  void OnMapEnd() override { events.push_back("MAPEND"); }

 private:
  void add(const char* what, const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
           const std::string& value) {
    events.push_back(std::string(what) + " " + std::to_string(m.line) + ":" +
                     std::to_string(m.column) + " tag=" + tag + " anchor=" + std::to_string(a) +
                     " value=" + value);
  }
};

// yaml-cpp's events, or nothing and *threw = true when it rejects the text.
std::vector<std::string> yaml_cpp_events(const std::string& text, bool* threw) {
  Recorder r;
  *threw = false;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(r)) r.events.push_back("DOC");
  } catch (const YAML::Exception&) {
    *threw = true;
  }
  return r.events;
}

// The fast path's events, or false when it declines.
bool fast_events(const std::string& text, std::vector<std::string>* out) {
  std::vector<FastYamlEvent> events;
  if (!parse_yaml_fast(text, 100, &events)) return false;
  Recorder r;
  FastYamlReplay replay(events);
  while (replay.HandleNextDocument(r)) r.events.push_back("DOC");
  *out = r.events;
  return true;
}

// A tree as text: every field of every node, aliases expanded.
void dump_tree(const YNode& n, std::string& out) {
  out += std::to_string(static_cast<int>(n.kind)) + " " + std::to_string(n.loc.line) + ":" +
         std::to_string(n.loc.col) + (n.loc.file ? "" : " nofile") +
         " plain=" + std::to_string(n.plain) + " tag=" + n.tag +
         " size=" + std::to_string(n.expanded_size) + " bytes=" + std::to_string(n.expanded_bytes) +
         " value=" + n.value + " {\n";
  for (const YNodePtr& i : n.items) dump_tree(*i, out);
  for (const auto& [k, v] : n.entries) {
    dump_tree(*k, out);
    dump_tree(*v, out);
  }
  out += "}\n";
}

std::string dump_documents(const std::vector<YamlDocument>& docs) {
  std::string out;
  for (const YamlDocument& d : docs) {
    out += "doc " + std::to_string(d.start.line) + ":" + std::to_string(d.start.col) + "\n";
    dump_tree(*d.root, out);
  }
  return out;
}

// load_yaml_fast against the loader's trees from yaml-cpp (made to decline the fast paths by a
// closing "..." after the last document, which moves no line): the same trees where it accepts
// the text; where it declines a text parse_yaml_fast accepts, the loader reports an error.
void check_trees(const std::string& text) {
  SourceFile file("fast.yaml", text);
  std::vector<YamlDocument> fast;
  Limits limits;
  if (!load_yaml_fast(text, file, 0, limits, &fast)) {
    EXPECT_TRUE(fast.empty());
    DiagnosticSink sink;
    load_yaml(file, limits, sink);
    EXPECT_TRUE(sink.has_errors()) << "load_yaml_fast declined a text the loader takes:\n" << text;
    return;
  }
  SourceFile closed("fast.yaml", text + (text.back() == '\n' ? "" : "\n") + "...\n");
  DiagnosticSink sink;
  std::vector<YamlDocument> reference = load_yaml(closed, limits, sink);
  EXPECT_FALSE(sink.has_errors()) << text;
  std::string got = dump_documents(fast), want = dump_documents(reference);
  EXPECT_EQ(got, want) << "trees differ for:\n" << text;
}

// Checks one text; returns whether the fast path accepted it.
bool check(const std::string& text) {
  std::string why;
  if (find_invalid_text(text, &why) != std::string::npos) return false;  // the loader's check
  std::vector<std::string> fast;
  if (!fast_events(text, &fast)) return false;
  bool threw = false;
  std::vector<std::string> reference = yaml_cpp_events(text, &threw);
  EXPECT_FALSE(threw) << "fast path accepted what yaml-cpp rejects:\n" << text;
  EXPECT_EQ(fast, reference) << "events differ for:\n" << text;
  check_trees(text);
  return true;
}

std::vector<std::string> corpus() {
  const fs::path root = fs::path(__FILE__).parent_path().parent_path().parent_path();
  std::vector<std::string> texts;
  for (const char* dir : {"tests/golden", "examples"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root / dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->path().extension() != ".yaml") continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      texts.push_back(ss.str());
    }
  }
  return texts;
}

const char* const kEdgeCases[] = {
    "a: b\n",
    "a: b",
    "---\na: b\n",
    "a: b\n---\nc: d\n",
    "a: b\n---\n",
    "---\n---\na: b\n",
    "- a\n- b\n",
    "- a: b\n  c: d\n- e\n",
    "a:\n- x\n- y\nb: z\n",
    "a:\n  - x\n  - y\nb: z\n",
    "a:\n  b:\n    c: d\n  e: f\n",
    "a: {}\nb: []\nc: {d: e, f: [g, h]}\n",
    "a: [ {b: c} , d ]\n",
    "a: 'it''s'\nb: \"q\"\n",
    "a: \"x\\ty\"\n",
    "a: b # c\n# d\n\n   # e\nf: g\n",
    "a: b#c\n",
    "a: http://x.y:80/z\n",
    "a: b:c\n",
    "a: b: c\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne: nul\n",
    "a:\nb: c\n",
    "a: b\n  c\n",
    "a: b\n c: d\n",
    "a:\n  - b\n  c: d\n",
    "a: |\n  x\n",
    "a: &x b\nc: *x\n",
    "a: !!str 1\n",
    "? a\n: b\n",
    "a: [b,\n  c]\n",
    "a: 'b\n  c'\n",
    "a: b\n...\n",
    "%YAML 1.2\n---\na: b\n",
    "a:    spaced   \n",
    "a:\n- b:\n  - c\n",
    "- - a\n",
    "-\n  a: b\n",
    "- a\n-\n",
    "a: [a b]\n",
    "a: {b}\n",
    "a: [b, ]\n",
    "a: {b: }\n",
    "a: 'x' y\n",
    "a: é\nb: [é, x]\nc: {é: x}\n",
    "  a: b\n",
    "a: b\n\n\n",
    "\n\n# only\na: 1\n",
    "a: 1\na: 2\n",
    "<<: x\n",
    "a: <<\n",
    "a: -1\nb: -x\nc: - x\n",
    "a: ---\n",
    "a: x,y\n",
    "a: [x:y]\n",
    "a: {x: y:z}\n",
    "# c\n\na: b\n",
    "# c\n---\n# d\na: b\n---\n\n- x\n",
};

// Where the loader reports a limit, load_yaml_fast declines and leaves the error to it.
TEST(YamlFastPath, TreesLeaveLimitsAndDuplicateKeysToTheLoader) {
  const std::string text = "a: b\nc: [d, e]\n---\nf: g\n";
  SourceFile file("limits.yaml", text);
  std::vector<YamlDocument> docs;
  Limits limits;
  ASSERT_TRUE(load_yaml_fast(text, file, 0, limits, &docs));
  EXPECT_EQ(docs.size(), 2u);
  for (auto [nodes, documents] : {std::pair<uint64_t, uint32_t>{9, 10}, {10, 1}}) {
    limits.max_nodes = nodes;
    limits.max_documents = documents;
    EXPECT_FALSE(load_yaml_fast(text, file, 0, limits, &docs));
    EXPECT_TRUE(docs.empty());
    DiagnosticSink sink;
    load_yaml(file, limits, sink);
    EXPECT_TRUE(sink.has_errors()) << nodes << " nodes, " << documents << " documents";
  }
  limits = Limits{};
  std::string many = "a0: x\n";
  for (int i = 1; i < 40; ++i) many += "a" + std::to_string(i) + ": x\n";
  ASSERT_TRUE(load_yaml_fast(many, file, 0, limits, &docs));
  for (const std::string dup : {"a0: y\n", "a39: y\n", "a17: y\n"}) {
    EXPECT_FALSE(load_yaml_fast(many + dup, file, 0, limits, &docs)) << dup;
  }
  EXPECT_FALSE(load_yaml_fast("a: 1\nb: 2\na: 3\n", file, 0, limits, &docs));
}

// Keys around yaml-cpp's limit of 1024 characters for an implicit key.
TEST(YamlFastPath, LongKeysMatchYamlCpp) {
  for (size_t n : {999, 1000, 1001, 1022, 1023, 1024, 1025, 1030, 2000}) {
    std::string k(n, 'k');
    check(k + ": v\n");
    check("- " + k + ": v\n");
    check("a: {" + k + ": v}\n");
    check("a:\n  " + k + ": v\n");
  }
}

TEST(YamlFastPath, EdgeCasesMatchYamlCpp) {
  size_t accepted = 0;
  for (const char* text : kEdgeCases) accepted += check(text);
  EXPECT_GT(accepted, 20u);
}

TEST(YamlFastPath, CorpusMatchesYamlCpp) {
  std::vector<std::string> texts = corpus();
  ASSERT_GT(texts.size(), 50u);
  size_t accepted = 0;
  for (const std::string& t : texts) accepted += check(t);
  // Most specs are written in the subset; a drop here means the fast path stopped applying.
  EXPECT_GT(accepted * 2, texts.size()) << accepted << " of " << texts.size();
}

// Random edits of real specs: near misses of the subset are where a fast path goes wrong.
TEST(YamlFastPath, MutationsMatchYamlCpp) {
  std::vector<std::string> texts = corpus();
  for (const char* e : kEdgeCases) texts.emplace_back(e);
  std::mt19937 rng(12345);
  const std::string pieces[] = {" ", "  ", "-", "- ", ":",   ": ",  "#",   " #", "'",  "\"",
                                "[", "]",  "{", "}",  ",",   "\n",  "~",   "!",  "&a", "*a",
                                "|", ">",  "?", "%",  "---", "...", "\\t", "é",  "x",  "''"};
  size_t accepted = 0, total = 0;
  for (int round = 0; round < 25; ++round) {
    for (const std::string& base : texts) {
      if (base.empty()) continue;
      std::string t = base;
      for (int edits = 1 + rng() % 3; edits > 0; --edits) {
        size_t at = rng() % (t.size() + 1);
        switch (rng() % 4) {
          case 0:
            t.insert(at, pieces[rng() % std::size(pieces)]);
            break;
          case 1:
            t.erase(at, 1 + rng() % 3);
            break;
          case 2:  // re-indent the line holding `at`
            t.insert(t.rfind('\n', at == 0 ? 0 : at - 1) == std::string::npos
                         ? 0
                         : t.rfind('\n', at == 0 ? 0 : at - 1) + 1,
                     rng() % 2 ? " " : "  ");
            break;
          default: {  // duplicate a line
            size_t b = t.rfind('\n', at == 0 ? 0 : at - 1);
            b = b == std::string::npos ? 0 : b + 1;
            size_t e = t.find('\n', b);
            e = e == std::string::npos ? t.size() : e + 1;
            t.insert(e, t.substr(b, e - b));
          }
        }
      }
      ++total;
      accepted += check(t);
      if (::testing::Test::HasFailure()) return;
    }
  }
  EXPECT_GT(accepted, total / 10) << accepted << " of " << total;
}

}  // namespace
}  // namespace meshc
