// The schema's patterns as build-time automata (cmake/pattern_dfa.h, the fast validator's
// kPatterns) answer what RE2::PartialMatch answers: for every schema pattern on hand-picked edge
// cases, every string of up to two bytes, short strings over the bytes that matter, random and
// mutated strings, and every scalar and key of the YAML files under tests/ and examples/; and
// for further patterns (unanchored, alternation, ., \d \w \S, lazy quantifiers ...) built with
// pattern_dfa::compile directly. Constructs the builder does not model are refused.
#include "cmake/pattern_dfa.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <unordered_set>

#include "compiler/schema/fast_schema.h"
#include "compiler/yaml/yaml_loader.h"

namespace meshc {
namespace {

namespace fs = std::filesystem;

bool re2_match(const RE2& re, const std::string& s) {
  return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), re);
}

std::string shown(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return "\"" + out + "\"";
}

// Edge cases for the schema's patterns: empty, separators at either end, dots and slashes,
// wildcards, spaces and every RE2 whitespace byte, controls, NUL, and UTF-8 (valid, overlong,
// surrogates, past 10FFFF, truncated, stray continuation bytes).
std::vector<std::string> edge_cases() {
  std::vector<std::string> out = {"",
                                  "a",
                                  "A",
                                  "0",
                                  "-",
                                  "_",
                                  ".",
                                  "/",
                                  "*",
                                  "a-",
                                  "-a",
                                  "a_",
                                  "_a",
                                  "a.",
                                  ".a",
                                  "a-b",
                                  "a--b",
                                  "a.b",
                                  "a..b",
                                  "a/b",
                                  "a/",
                                  "/a",
                                  "a//b",
                                  "a.b/c",
                                  "a.b.c/d-e_f.g",
                                  "A/b",
                                  "a/B",
                                  "*.a",
                                  "*.",
                                  "*a",
                                  "a.*",
                                  "*.a.b",
                                  "**.a",
                                  "Aa_9.z",
                                  "a b",
                                  " a",
                                  "a ",
                                  " ",
                                  "\t",
                                  "\n",
                                  "a\n",
                                  "\na",
                                  "\v",
                                  "\f",
                                  "\r",
                                  "a\rb",
                                  "x\vy",
                                  "~",
                                  "!",
                                  "\"",
                                  "#",
                                  "$",
                                  "%",
                                  "&",
                                  "'",
                                  "(",
                                  ")",
                                  "+",
                                  ",",
                                  ":",
                                  ";",
                                  "<",
                                  "=",
                                  ">",
                                  "?",
                                  "@",
                                  "[",
                                  "\\",
                                  "]",
                                  "^",
                                  "`",
                                  "{",
                                  "|",
                                  "}",
                                  "\x7f",
                                  "\x01",
                                  "text/html; charset=utf-8",
                                  "Bearer abc==",
                                  "\xc3\xa9",
                                  "a\xc3\xa9",
                                  "\xe2\x82\xac",
                                  "\xf0\x9f\x98\x80",
                                  "\xe0\x80\x80",
                                  "\xed\xa0\x80",
                                  "\xf4\x8f\xbf\xbf",
                                  "\xf4\x90\x80\x80",
                                  "\xf5\x80\x80\x80",
                                  "\xc0\x80",
                                  "\xc1\xbf",
                                  "\xc2\x80",
                                  "\xdf\xbf",
                                  "\xff",
                                  "\xfe",
                                  "\x80",
                                  "\xbf",
                                  "\xc2",
                                  "\xe0\x80",
                                  "\xf0\x80\x80",
                                  "a\xc3",
                                  "\xc3\xa9\xa9",
                                  std::string("\0", 1),
                                  std::string("a\0b", 3),
                                  std::string(300, 'a'),
                                  std::string(253, 'a') + "-",
                                  "a." + std::string(63, 'b')};
  return out;
}

// Bytes that stand for the others: every printable ASCII, the RE2 whitespace and a few
// controls, and UTF-8 lead and continuation bytes of each kind.
std::vector<unsigned char> alphabet() {
  std::vector<unsigned char> out;
  for (int c = 0x20; c < 0x7f; ++c) out.push_back(static_cast<unsigned char>(c));
  for (int c : {0x00, 0x01, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1f, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff})
    out.push_back(static_cast<unsigned char>(c));
  return out;
}

// Every string of up to two bytes, then of three bytes over a smaller alphabet.
std::vector<std::string> exhaustive() {
  std::vector<std::string> out;
  for (int a = 0; a < 256; ++a) {
    out.emplace_back(1, static_cast<char>(a));
    for (int b = 0; b < 256; ++b) out.push_back({static_cast<char>(a), static_cast<char>(b)});
  }
  const std::string small = std::string("aZ0-_./* \t\n\v~!", 15) + "\xc3\xa9\xe0\x80\xf4\x90\xff";
  for (char a : small)
    for (char b : small)
      for (char c : small) out.push_back({a, b, c});
  return out;
}

// Random strings over the alphabet (fixed seed), and each corpus string mutated: a byte
// replaced, inserted or dropped.
std::vector<std::string> random_and_mutated(const std::vector<std::string>& seeds) {
  std::mt19937 rng(15);
  const std::vector<unsigned char> bytes = alphabet();
  auto any_byte = [&] { return static_cast<char>(bytes[rng() % bytes.size()]); };
  std::vector<std::string> out;
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 16, ' ');
    for (char& c : s) c = any_byte();
    out.push_back(s);
  }
  for (const std::string& seed : seeds) {
    if (seed.empty() || seed.size() > 200) continue;
    for (int k = 0; k < 3; ++k) {
      std::string s = seed;
      size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[at] = any_byte();
          break;
        case 1:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), any_byte());
          break;
        default:
          s.erase(at, 1);
      }
      out.push_back(s);
    }
  }
  return out;
}

// Every scalar and mapping key of the YAML documents under tests/ and examples/.
std::vector<std::string> corpus_strings() {
  std::set<std::string> found;
  std::unordered_set<const YNode*> seen;
  std::function<void(const YNode&)> walk = [&](const YNode& n) {
    if (!seen.insert(&n).second) return;  // aliases share nodes
    if (n.is_scalar()) found.insert(n.value);
    for (const auto& item : n.items) walk(*item);
    for (const auto& [k, v] : n.entries) {
      walk(*k);
      walk(*v);
    }
  };
  for (const char* dir : {"tests", "examples"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(MESHC_SOURCE_DIR) / dir)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      SourceFile file(e.path().string(), text.str());
      DiagnosticSink sink;
      Limits limits;
      for (const auto& d : load_yaml(file, limits, sink)) walk(*d.root);
      seen.clear();
    }
  }
  return {found.begin(), found.end()};
}

const std::vector<std::string>& all_inputs() {
  static const std::vector<std::string> inputs = [] {
    std::vector<std::string> out = edge_cases();
    std::vector<std::string> corpus = corpus_strings();
    EXPECT_GT(corpus.size(), 1000u);
    std::vector<std::string> more = exhaustive();
    out.insert(out.end(), more.begin(), more.end());
    more = random_and_mutated(corpus);
    out.insert(out.end(), corpus.begin(), corpus.end());
    out.insert(out.end(), more.begin(), more.end());
    return out;
  }();
  return inputs;
}

// Compares `matches` with RE2 on every input; returns how many matched (so a test can check
// both answers occur).
size_t expect_same(const std::string& pattern, const std::function<bool(const std::string&)>& ours,
                   const std::vector<std::string>& inputs) {
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  EXPECT_TRUE(re.ok()) << pattern << ": " << re.error();
  size_t matched = 0, mismatches = 0;
  for (const std::string& s : inputs) {
    const bool want = re2_match(re, s);
    matched += want;
    if (ours(s) != want && ++mismatches <= 10)
      ADD_FAILURE() << "pattern " << pattern << " on " << shown(s) << ": RE2 says " << want;
  }
  return matched;
}

TEST(PatternDfa, SchemaPatternsAnswerAsRe2Does) {
  ASSERT_GT(fast_schema::kPatternCount, 5u);
  const std::vector<std::string>& inputs = all_inputs();
  for (uint32_t i = 0; i < fast_schema::kPatternCount; ++i) {
    const fast_schema::Pattern& p = fast_schema::kPatterns[i];
    const std::string source(p.source);
    size_t matched = expect_same(
        source, [&](const std::string& s) { return fast_schema::matches(p, s); }, inputs);
    EXPECT_GT(matched, 10u) << source;
    EXPECT_LT(matched, inputs.size() / 2) << source;
  }
}

TEST(PatternDfa, FurtherSyntaxAnswersAsRe2Does) {
  std::vector<std::string> inputs = edge_cases();
  std::vector<std::string> more = exhaustive();
  inputs.insert(inputs.end(), more.begin(), more.end());
  more = random_and_mutated(inputs);
  inputs.insert(inputs.end(), more.begin(), more.end());
  for (const char* pattern : {"",
                              "a",
                              "^a",
                              "a$",
                              "^$",
                              "^",
                              "$",
                              "a-b",
                              "\\.",
                              "a|b",
                              "(a|)b",
                              "^(a|b)$",
                              "(?:ab)+$",
                              "^a*?b",
                              "^a+?$",
                              "^a??$",
                              "(a*)*$",
                              "^(a|ab)(c|bcd)$",
                              ".",
                              "^.$",
                              "^.*$",
                              "^..$",
                              "^[^a]$",
                              "^[^a]*$",
                              "\\d+",
                              "^\\D$",
                              "^\\w*$",
                              "\\W",
                              "\\s",
                              "^\\S+$",
                              "^[\\S]$",
                              "^[^\\S]$",
                              "^[\\s\\d]+$",
                              "^[\\w.-]+$",
                              "[]a]",
                              "^[a-]+$",
                              "^[-a]$",
                              "[\\]\\[]",
                              "\\t\\n",
                              "^\\v$",
                              "[\\f\\r]",
                              "^\\*\\.",
                              "^[*][.]",
                              "x*y+z?",
                              "^(x|y)*z$",
                              "^()$",
                              "^(a(b(c)?)?)?$",
                              "^/[a-z]+(/[a-z]+)*$",
                              "\\$",
                              "\\^",
                              "^[$^|]$",
                              "^[ -~]*$",
                              "e\\.g"}) {
    pattern_dfa::Dfa dfa = pattern_dfa::compile(pattern);
    expect_same(
        pattern, [&](const std::string& s) { return pattern_dfa::matches(dfa, s); }, inputs);
  }
}

TEST(PatternDfa, RefusesWhatItDoesNotModel) {
  for (const char* pattern :
       {"a{2}",    "a{2,3}", "(?i)a", "(?P<n>a)", "\\bx",        "\\Ax",     "x\\z",       "\\p{L}",
        "\\pL",    "\\x41",  "\\1",   "\\_",      "[[:alpha:]]", "\xc3\xa9", "[\xc3\xa9]", "a\tb",
        "a^b",     "a$b",    "(a$)",  "(^a)",     "^a|b",        "a|b$",     "[a-c-e]",    "[c-a]",
        "[\\s-z]", "a**",    "a*+",   "*a",       "+",           "?",        "a)",         "(a",
        "[a",      "[^",     "\\",    "]",        "}",           "{"}) {
    EXPECT_THROW(pattern_dfa::compile(pattern), pattern_dfa::PatternError) << pattern;
  }
}

}  // namespace
}  // namespace meshc
