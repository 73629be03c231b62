// The 16-bytes-at-a-time searches (compiler/support/byte_scan.h) and the source positions built on
// them give exactly what the obvious byte-at-a-time loops give.
#include "compiler/support/byte_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "compiler/diag/source.h"
#include "compiler/yaml/manifest_stream.h"

namespace meshc {
namespace {

constexpr size_t npos = std::string_view::npos;

size_t naive_count(std::string_view s, char c) {
  size_t n = 0;
  for (char x : s) n += x == c;
  return n;
}

size_t naive_line_start(std::string_view s, size_t from, char a, char b) {
  for (size_t p = from; p < s.size(); ++p) {
    if ((p == 0 || s[p - 1] == '\n') && (s[p] == a || s[p] == b)) return p;
  }
  return npos;
}

// Random texts over a small alphabet, so that needles and markers occur often, with lengths
// around the 16-byte steps.
std::string random_text(std::mt19937& rng, size_t max_len) {
  static const char kAlphabet[] = "-.\nmeshc/dv a\r";
  std::string s(rng() % (max_len + 1), ' ');
  for (char& c : s) c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
  return s;
}

TEST(ByteScan, CountMatchesLoop) {
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    std::string s = random_text(rng, 70);
    EXPECT_EQ(count_byte(s, '\n'), naive_count(s, '\n')) << s;
  }
}

TEST(ByteScan, FindBytesMatchesStringFind) {
  std::mt19937 rng(2);
  const std::string needles[] = {"meshc.dev/", "--", "\n-", "m", "", "es", "a a", "dev/ "};
  for (int i = 0; i < 20000; ++i) {
    std::string s = random_text(rng, 80);
    for (const std::string& needle : needles) {
      size_t from = rng() % (s.size() + 2);
      EXPECT_EQ(find_bytes(s, needle, from), from > s.size() ? npos : s.find(needle, from))
          << "needle " << needle << " from " << from << " in " << s;
    }
  }
  // The needle where the vector loop hands over to the tail, and at the very end.
  std::string s(40, 'x');
  for (size_t at = 0; at + 10 <= s.size(); ++at) {
    std::string t = s;
    t.replace(at, 10, "meshc.dev/");
    EXPECT_EQ(find_bytes(t, "meshc.dev/"), at);
  }
}

TEST(ByteScan, LineStartMatchesLoop) {
  std::mt19937 rng(3);
  for (int i = 0; i < 20000; ++i) {
    std::string s = random_text(rng, 70);
    size_t from = rng() % (s.size() + 2);
    EXPECT_EQ(find_line_start_with(s, from, '-', '.'), naive_line_start(s, from, '-', '.'))
        << "from " << from << " in " << s;
  }
}

// The newlines counted on the way are those before the answer (or all, without one), also
// over texts long enough for the 32-byte steps.
TEST(ByteScan, LineStartCountsTheNewlinesItPasses) {
  std::mt19937 rng(6);
  for (int i = 0; i < 20000; ++i) {
    std::string s = random_text(rng, i % 2 ? 70 : 300);
    size_t from = rng() % (s.size() + 2);
    size_t newlines = 7;
    size_t hit = find_line_start_with(s, from, '-', '.', &newlines);
    ASSERT_EQ(hit, naive_line_start(s, from, '-', '.')) << "from " << from << " in " << s;
    size_t end = hit == npos ? s.size() : hit;
    size_t expect = from >= s.size() ? 0 : naive_count(s.substr(from, end - from), '\n');
    ASSERT_EQ(newlines, 7 + expect) << "from " << from << " in " << s;
  }
}

// The fused search answers what the two searches give one after the other: the line start,
// the newlines before it, and whether the needle starts at an offset in [from, answer).
void expect_noting_matches(std::string_view s, size_t from, std::string_view needle) {
  size_t newlines = 3, expect_newlines = 3;
  bool found = true;
  size_t hit = find_line_start_noting(s, from, '-', '.', &newlines, needle, &found);
  size_t expect = naive_line_start(s, from, '-', '.');
  ASSERT_EQ(hit, expect) << "from " << from << " in " << s;
  size_t end = expect == npos ? s.size() : expect;
  if (from < s.size()) expect_newlines += naive_count(s.substr(from, end - from), '\n');
  ASSERT_EQ(newlines, expect_newlines) << "from " << from << " in " << s;
  bool expect_found = from < end && s.substr(0, end).find(needle, from) != npos;
  ASSERT_EQ(found, expect_found) << "needle " << needle << " from " << from << " in " << s;
}

TEST(ByteScan, LineStartNotingMatchesTheTwoSearches) {
  std::mt19937 rng(12);
  const std::string needles[] = {"meshc.dev/", "m/", "dev/ ", "a a"};
  for (int i = 0; i < 40000; ++i) {
    std::string s = random_text(rng, i % 2 ? 70 : 300);
    size_t from = rng() % (s.size() + 2);
    expect_noting_matches(s, from, needles[i % std::size(needles)]);
  }
}

// The needle at every offset around the 32-byte steps and the hand-over to the tail, before,
// across and after a line start the search stops at; and candidates that are not the needle.
TEST(ByteScan, LineStartNotingFindsTheNeedleAtEveryOffset) {
  for (size_t len : {40, 64, 75, 100, 130}) {
    for (size_t at = 0; at + 10 <= len; ++at) {
      for (size_t line : {size_t{0}, size_t{5}, size_t{31}, size_t{33}, size_t{60}, len - 2}) {
        std::string s(len, 'x');
        s.replace(at, 10, "meshc.dev/");
        if (line + 1 < len) s[line] = '\n', s[line + 1] = '-';
        for (size_t from : {size_t{0}, size_t{1}, at, at + 1}) {
          expect_noting_matches(s, from, "meshc.dev/");
          std::string near = s;
          near[at + 4] = 'x';  // first and last bytes right, the middle wrong
          expect_noting_matches(near, from, "meshc.dev/");
        }
      }
    }
  }
}

// Long runs without a find: the newlines counted in bytes of a vector and summed now and then
// (every 127 steps of 64 bytes) add up, and a needle or line start far in is found.
TEST(ByteScan, LineStartNotingOverLongRuns) {
  std::mt19937 rng(14);
  for (int i = 0; i < 200; ++i) {
    std::string s;
    size_t len = 1000 + rng() % 30000;
    while (s.size() < len) s += rng() % 4 == 0 ? "\n" : "ab c";
    if (rng() % 2) s.replace(rng() % (s.size() - 10), 10, "meshc.dev/");
    if (rng() % 2) s.replace(rng() % (s.size() - 2), 2, "\n-");
    expect_noting_matches(s, rng() % 100, "meshc.dev/");
  }
  // A newline at the same place of every 32 bytes: two in one lane each step, the most a
  // lane can count before it is summed.
  std::string lines;
  while (lines.size() < 40000) lines += std::string(31, 'x') + "\n";
  for (size_t from : {0, 1, 31, 32, 33}) expect_noting_matches(lines, from, "meshc.dev/");
}

// Each segment knows the line it starts on, so that post-render need not count again.
TEST(ByteScan, SegmentsKnowTheLineTheyStartOn) {
  std::mt19937 rng(7);
  const std::string pieces[] = {"---\n", "...\n",   "a: b\n", "--- # x\n",
                                "\n",    "  - x\n", "-x\n",   std::string(40, 'y') + "\n",
                                "....\n"};
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int k = rng() % 24; k > 0; --k) text += pieces[rng() % std::size(pieces)];
    if (rng() % 2 && !text.empty()) text.pop_back();  // a last line without its newline
    for (const StreamSegment& seg : split_yaml_stream(text)) {
      ASSERT_EQ(seg.begin_line, naive_count(std::string_view(text).substr(0, seg.begin), '\n'))
          << text;
    }
  }
}

// The splitter's one-pass "meshc.dev/" flag says what a search of each segment would.
TEST(ByteScan, SegmentsKnowWhetherTheyMentionTheGroup) {
  std::mt19937 rng(5);
  const std::string pieces[] = {"---\n",
                                "...\n",
                                "apiVersion: meshc.dev/v1\n",
                                "a: b\n",
                                "--- # x meshc.dev/\n",
                                "... meshc.dev/\n",
                                "meshc.dev",
                                "/\n",
                                "  - meshc.dev/x\n",
                                "\n",
                                "kind: Release\n",
                                std::string(40, 'y') + "meshc.dev/z\n",
                                std::string(37, 'z')};
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int k = rng() % 12; k > 0; --k) text += pieces[rng() % std::size(pieces)];
    for (const StreamSegment& seg : split_yaml_stream(text)) {
      std::string_view doc = std::string_view(text).substr(seg.begin, seg.end - seg.begin);
      ASSERT_EQ(seg.mentions_meshc_group, doc.find("meshc.dev/") != npos) << text;
    }
  }
}

// The splitter fed a stream in parts (as post-render reads a pipe) hands out the same
// segments, with the same lines and flags, as when it has the whole stream at once.
TEST(ByteScan, SegmentsOfAStreamFedInPartsAreTheSame) {
  std::mt19937 rng(11);
  const std::string pieces[] = {"---\n",
                                "...\n",
                                "apiVersion: meshc.dev/v1\n",
                                "a: b\r\n",
                                "--- # x\n",
                                "-x\n",
                                "meshc.dev",
                                "/\n",
                                ".y\n",
                                "\n",
                                "--",
                                "-\r\n",
                                "...",
                                "kind: Release\n",
                                std::string(40, 'y') + "meshc.dev/z\n",
                                std::string(37, 'z')};
  auto same = [](const StreamSegment& a, const StreamSegment& b) {
    return a.begin == b.begin && a.end == b.end && a.begin_line == b.begin_line &&
           a.starts_with_marker == b.starts_with_marker &&
           a.ends_with_end_marker == b.ends_with_end_marker &&
           a.mentions_meshc_group == b.mentions_meshc_group;
  };
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int k = rng() % 16; k > 0; --k) text += pieces[rng() % std::size(pieces)];
    const std::vector<StreamSegment> whole = split_yaml_stream(text);
    StreamSplitter parts(text.data());
    std::vector<StreamSegment> got;
    size_t available = 0;
    while (available < text.size()) {
      available = std::min(text.size(), available + 1 + rng() % 9);
      parts.extend(available, false);
      for (StreamSegment seg; parts.next(&seg);) {
        ASSERT_LE(seg.end, available) << text;
        got.push_back(seg);
      }
    }
    parts.extend(text.size(), true);
    for (StreamSegment seg; parts.next(&seg);) got.push_back(seg);
    ASSERT_EQ(got.size(), whole.size()) << text;
    for (size_t k = 0; k < got.size(); ++k) ASSERT_TRUE(same(got[k], whole[k])) << k << " " << text;
  }
}

// position_of gives the same answers with and without the line index, in any order of calls.
TEST(ByteScan, SourcePositionsWithAndWithoutIndex) {
  std::mt19937 rng(4);
  for (int i = 0; i < 2000; ++i) {
    std::string text = random_text(rng, 200);
    SourceFile lazy("a", text), indexed("b", text);
    indexed.line_count();  // builds the index
    for (int k = 0; k < 20; ++k) {
      size_t offset = rng() % (text.size() + 3);
      uint32_t l1, c1, l2, c2;
      lazy.position_of(offset, &l1, &c1);
      indexed.position_of(offset, &l2, &c2);
      ASSERT_EQ(l1, l2) << "offset " << offset;
      ASSERT_EQ(c1, c2) << "offset " << offset;
    }
  }
}

}  // namespace
}  // namespace meshc
