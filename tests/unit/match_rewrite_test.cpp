// The regexes targets emit must mean exactly the condition they replace: these tests run them
// with RE2 (the engine Envoy runs, full-match semantics) against values that must and must not
// match.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_regex.h"

using namespace meshc;

namespace {

bool full(const std::string& value, const std::string& expr) {
  RE2 re(expr);
  EXPECT_TRUE(re.ok()) << expr << ": " << re.error();
  return RE2::FullMatch(value, re);
}

bool partial(const std::string& value, const std::string& expr) {
  RE2 re(expr);
  return RE2::PartialMatch(value, re);
}

ValueMatch cookie(const std::string& name, const std::string& value) {
  return ValueMatch{name, MatchType::kExact, value, {}};
}

ValueMatch cond(const std::string& name, MatchType t, const std::string& value) {
  return ValueMatch{name, t, value, {}};
}

}  // namespace

TEST(MatchLowering, EscapedLiteralsMatchOnlyThemselves) {
  std::string tricky = "a.b*c+(d)|[e]{f}^$\\g?";
  EXPECT_TRUE(full(tricky, exact_regex(tricky)));
  EXPECT_FALSE(full("aXb*c+(d)|[e]{f}^$\\g?", exact_regex(tricky)));
  EXPECT_TRUE(full("v1.2-rc", literal_prefix_regex("v1.2")));
  EXPECT_FALSE(full("v1x2", literal_prefix_regex("v1.2")));
  EXPECT_FALSE(full("xv1.2", literal_prefix_regex("v1.2")));
}

TEST(MatchLowering, PathPrefixRespectsSegmentBoundaries) {
  for (const std::string prefix : {"/api", "/api/"}) {
    std::string re = path_prefix_regex(prefix);
    EXPECT_TRUE(full("/api", re)) << prefix;
    EXPECT_TRUE(full("/api/", re)) << prefix;
    EXPECT_TRUE(full("/api/v1/x", re)) << prefix;
    EXPECT_FALSE(full("/apix", re)) << prefix;
    EXPECT_FALSE(full("/ap", re)) << prefix;
  }
  EXPECT_TRUE(full("/", path_prefix_regex("/")));
  EXPECT_TRUE(full("/anything/at/all", path_prefix_regex("/")));
}

TEST(MatchLowering, AnchorsHoldUnderSearchSemanticsToo) {
  // SMI readers may search instead of matching the whole value: anchors keep the meaning.
  EXPECT_FALSE(partial("xtestx", exact_regex("test")));
  EXPECT_FALSE(partial("/x/api", path_prefix_regex("/api")));
  EXPECT_FALSE(partial("abc", anchored_regex("b")));
  EXPECT_TRUE(partial("b", anchored_regex("a|b")));  // alternation stays inside the anchors
  EXPECT_FALSE(partial("ab", anchored_regex("a|b")));
}

TEST(MatchLowering, CookieRegexFindsThePairAmongCookies) {
  std::string re = cookie_header_regex({cookie("version", "v2")});
  EXPECT_TRUE(full("version=v2", re));
  EXPECT_TRUE(full("a=1; version=v2", re));
  EXPECT_TRUE(full("a=1;version=v2;b=2", re));
  EXPECT_TRUE(full("a=1; version=v2; b=2", re));
  EXPECT_TRUE(full("version=v1; version=v2", re));
  EXPECT_FALSE(full("version=v22", re));
  EXPECT_FALSE(full("myversion=v2", re));
  EXPECT_FALSE(full("a=version=v2", re));
  EXPECT_FALSE(full("version=v1", re));
  EXPECT_FALSE(full("", re));
}

TEST(MatchLowering, SeveralCookiesMustAllBePresentInAnyOrder) {
  std::string re = cookie_header_regex({cookie("tier", "gold"), cookie("beta", "on")});
  EXPECT_TRUE(full("tier=gold; beta=on", re));
  EXPECT_TRUE(full("beta=on; x=1; tier=gold", re));
  EXPECT_FALSE(full("tier=gold", re));
  EXPECT_FALSE(full("beta=on; tier=golden", re));
  std::string three = cookie_header_regex({cookie("a", "1"), cookie("b", "2"), cookie("c", "3")});
  EXPECT_TRUE(full("c=3; a=1; b=2", three));
  EXPECT_TRUE(full("b=2;c=3;z=9;a=1", three));
  EXPECT_FALSE(full("c=3; a=1", three));
}

TEST(MatchLowering, CookieNamesWithRegexMetacharactersAreLiteral) {
  std::string re = cookie_header_regex({cookie("a.b", "x+y")});
  EXPECT_TRUE(full("a.b=x+y", re));
  EXPECT_FALSE(full("aXb=x+y", re));
  EXPECT_FALSE(full("a.b=xxy", re));
}

TEST(MatchLowering, DisjointWhenAValueOrMethodExcludesTheOther) {
  RequestMatch a, b;
  a.headers = {cond("X-Group", MatchType::kExact, "a")};
  b.headers = {cond("x-group", MatchType::kExact, "b")};
  EXPECT_FALSE(may_overlap(a, b));  // header names compare case-insensitively
  b.headers = {cond("x-group", MatchType::kPrefix, "a")};
  EXPECT_TRUE(may_overlap(a, b));
  b.headers = {cond("x-group", MatchType::kRegex, "[b-z]+")};
  EXPECT_FALSE(may_overlap(a, b));  // an exact value tested against the regex
  b.headers = {cond("x-other", MatchType::kExact, "b")};
  EXPECT_TRUE(may_overlap(a, b));  // different headers can both be present

  RequestMatch get, post;
  get.method = "GET";
  post.method = "POST";
  EXPECT_FALSE(may_overlap(get, post));
  EXPECT_TRUE(may_overlap(get, RequestMatch{}));

  RequestMatch q1, q2;
  q1.query_params = {cond("v", MatchType::kExact, "1")};
  q2.query_params = {cond("V", MatchType::kExact, "2")};
  EXPECT_TRUE(may_overlap(q1, q2));  // query parameter names are case-sensitive
}

TEST(MatchLowering, RepeatedValuesTestedEachOnTheirOwnNeverExclude) {
  // Linkerd tests every value of a repeated header or query parameter: "x-group: a" and
  // "x-group: b" in one request satisfy both matches, as "?v=1&v=2" does.
  RequestMatch a, b;
  a.headers = {cond("x-group", MatchType::kExact, "a")};
  b.headers = {cond("X-Group", MatchType::kExact, "b")};
  EXPECT_FALSE(may_overlap(a, b, RepeatedValues::kOne));
  EXPECT_TRUE(may_overlap(a, b, RepeatedValues::kEach));
  RequestMatch q1, q2;
  q1.query_params = {cond("v", MatchType::kExact, "1")};
  q2.query_params = {cond("v", MatchType::kExact, "2")};
  EXPECT_FALSE(may_overlap(q1, q2, RepeatedValues::kOne));
  EXPECT_TRUE(may_overlap(q1, q2, RepeatedValues::kEach));
  RequestMatch get, post;  // a method is one per request, however values are read
  get.method = "GET";
  post.method = "POST";
  EXPECT_FALSE(may_overlap(get, post, RepeatedValues::kEach));
}

TEST(MatchLowering, PathsOverlapOnlyWhereOnePathCanSatisfyBoth) {
  auto with_path = [](MatchType t, const std::string& v) {
    RequestMatch m;
    m.path = ValueMatch{"", t, v, {}};
    return m;
  };
  using T = MatchType;
  EXPECT_TRUE(may_overlap(with_path(T::kPathPrefix, "/api"), with_path(T::kPathPrefix, "/api/v2")));
  EXPECT_FALSE(may_overlap(with_path(T::kPathPrefix, "/api"), with_path(T::kPathPrefix, "/apix")));
  EXPECT_TRUE(may_overlap(with_path(T::kPathPrefix, "/"), with_path(T::kExact, "/x")));
  EXPECT_FALSE(may_overlap(with_path(T::kExact, "/a"), with_path(T::kExact, "/b")));
  EXPECT_TRUE(may_overlap(with_path(T::kExact, "/api"), with_path(T::kPathPrefix, "/api/")));
  EXPECT_FALSE(may_overlap(with_path(T::kExact, "/apix"), with_path(T::kPathPrefix, "/api")));
  // A plain string prefix (Istio form) against a segment prefix.
  EXPECT_TRUE(may_overlap(with_path(T::kPrefix, "/ap"), with_path(T::kPathPrefix, "/api")));
  EXPECT_TRUE(may_overlap(with_path(T::kPrefix, "/api/v"), with_path(T::kPathPrefix, "/api")));
  EXPECT_FALSE(may_overlap(with_path(T::kPrefix, "/apix"), with_path(T::kPathPrefix, "/api")));
  EXPECT_TRUE(may_overlap(with_path(T::kRegex, "/x/.*"), with_path(T::kPathPrefix, "/y")));
  EXPECT_FALSE(may_overlap(with_path(T::kRegex, "/x/.*"), with_path(T::kExact, "/y")));
}
