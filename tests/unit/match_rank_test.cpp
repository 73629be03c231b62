// Rankings as data (compiler/ir/match_rank.h) and the path a gRPC method match means: the
// orders HTTPRoute's text, Linkerd's proxy and GRPCRoute give, on pairs of matches a request
// can satisfy both, and the gRPC path conditions run with RE2 against call paths.
#include "compiler/ir/match_rank.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_regex.h"

using namespace meshc;
using C = RankCriterion;

namespace {

const std::vector<C> kText = {C::kExactPath, C::kPrefixLength, C::kMethod, C::kHeaders,
                              C::kQueryParams};
const std::vector<C> kLinkerd = {C::kPathLength, C::kHeaders, C::kQueryParams, C::kMethod};
const std::vector<C> kGrpc = {C::kGrpcService, C::kGrpcMethod, C::kHeaders};

RequestMatch path(MatchType t, const std::string& value) {
  RequestMatch m;
  m.path = ValueMatch{"", t, value, {}};
  return m;
}

RequestMatch header(RequestMatch m, const std::string& name) {
  m.headers.push_back(ValueMatch{name, MatchType::kExact, "1", {}});
  return m;
}

RequestMatch method(RequestMatch m, const std::string& verb) {
  m.method = verb;
  return m;
}

RequestMatch grpc(const std::string& service, const std::string& method_name, bool regex = false) {
  RequestMatch m;
  m.grpc = GrpcMethodMatch{service, method_name, regex, {}};
  return m;
}

bool outranks(const RequestMatch& later, const RequestMatch& earlier, const std::vector<C>& o) {
  std::string why;
  return may_outrank(later, earlier, o, &why);
}

bool full(const std::string& value, const ValueMatch& m) {
  return path_matches(m, value);
}

}  // namespace

TEST(MatchRank, MethodAgainstHeadersDependsOnTheOrder) {
  RequestMatch get = method(RequestMatch{}, "GET");
  RequestMatch beta = header(RequestMatch{}, "x-beta");
  // Text: a method outranks headers, so a later header match cannot beat an earlier method.
  EXPECT_FALSE(outranks(beta, get, kText));
  EXPECT_TRUE(outranks(get, beta, kText));
  // Linkerd: headers come before the method.
  EXPECT_TRUE(outranks(beta, get, kLinkerd));
  EXPECT_FALSE(outranks(get, beta, kLinkerd));
}

TEST(MatchRank, ExactPathAgainstLongerPrefix) {
  RequestMatch exact = path(MatchType::kExact, "/a");
  RequestMatch prefix = path(MatchType::kPathPrefix, "/a/");  // "/a" without the slash: 2
  EXPECT_TRUE(outranks(exact, prefix, kText));                // Exact first
  EXPECT_FALSE(outranks(exact, prefix, kLinkerd));            // 2 vs 2: a tie, list order
  EXPECT_FALSE(outranks(prefix, exact, kLinkerd));
  RequestMatch longer = path(MatchType::kPathPrefix, "/abc");
  EXPECT_TRUE(outranks(longer, path(MatchType::kExact, "/x"), kLinkerd));
  EXPECT_FALSE(outranks(longer, path(MatchType::kExact, "/x"), kText));
  // No path ranks as "/", which counts 1 for Linkerd: a header then decides.
  EXPECT_TRUE(outranks(header(RequestMatch{}, "h"), path(MatchType::kPathPrefix, "/"), kLinkerd));
}

TEST(MatchRank, LinkerdRegexPathsRankByTheRequestPath) {
  RequestMatch regex = path(MatchType::kRegex, "/api/.*");
  // A later regex can be longer than an earlier prefix's value: it may outrank it.
  EXPECT_TRUE(outranks(regex, path(MatchType::kPathPrefix, "/api"), kLinkerd));
  // Against an Exact path the request path is that path: a tie, then headers decide.
  EXPECT_FALSE(outranks(regex, path(MatchType::kExact, "/api/x"), kLinkerd));
  EXPECT_TRUE(outranks(header(regex, "h"), path(MatchType::kExact, "/api/x"), kLinkerd));
  // A later prefix never outranks an earlier regex on the path: at most a tie.
  EXPECT_FALSE(outranks(path(MatchType::kPathPrefix, "/api"), regex, kLinkerd));
  // Under the text a regex path's precedence is unknown: may.
  EXPECT_TRUE(outranks(regex, path(MatchType::kPathPrefix, "/api"), kText));
}

TEST(MatchRank, GrpcServiceThenMethodThenHeaders) {
  EXPECT_TRUE(outranks(grpc("a.B", "Get"), grpc("a.B", ""), kGrpc));
  EXPECT_FALSE(outranks(grpc("a.B", ""), grpc("a.B", "Get"), kGrpc));
  EXPECT_TRUE(outranks(grpc("a.Bc", ""), grpc("a.B", "Get"), kGrpc));
  EXPECT_TRUE(outranks(header(grpc("a.B", "Get"), "h"), grpc("a.B", "Get"), kGrpc));
  EXPECT_TRUE(outranks(grpc("a\\..*", "", true), grpc("a.B", "Get"), kGrpc));  // unknown: may
}

TEST(GrpcPath, ConditionsMeanTheCall) {
  ValueMatch both = grpc_path_condition({"helloworld.Greeter", "SayHello", false, {}});
  EXPECT_TRUE(full("/helloworld.Greeter/SayHello", both));
  EXPECT_FALSE(full("/helloworld.Greeter/SayHelloAgain", both));
  ValueMatch service = grpc_path_condition({"helloworld.Greeter", "", false, {}});
  EXPECT_TRUE(full("/helloworld.Greeter/Anything", service));
  EXPECT_FALSE(full("/helloworld.GreeterV2/Anything", service));
  ValueMatch method_only = grpc_path_condition({"", "SayHello", false, {}});
  EXPECT_TRUE(full("/a.B/SayHello", method_only));
  EXPECT_FALSE(full("/a.B/SayHelloAgain", method_only));
  EXPECT_FALSE(full("/a.B/x/SayHello", method_only));
  ValueMatch dotted = grpc_path_condition({"", "Get", false, {}});
  ValueMatch regex = grpc_path_condition({"a\\.(B|C)", "Get.*", true, {}});
  EXPECT_TRUE(full("/a.C/GetAll", regex));
  EXPECT_FALSE(full("/a.D/GetAll", regex));
  EXPECT_FALSE(full("/xa.C/GetAll", regex));
  EXPECT_TRUE(full("/p.Q/Get", dotted));
  // Overlap follows: the same service with different methods cannot overlap.
  EXPECT_FALSE(may_overlap(grpc("a.B", "Get"), grpc("a.B", "Put")));
  EXPECT_TRUE(may_overlap(grpc("a.B", ""), grpc("a.B", "Put")));
  EXPECT_FALSE(may_overlap(grpc("a.B", ""), grpc("a.C", "Put")));
  EXPECT_TRUE(may_overlap(grpc("", "Put"), grpc("a.C", "")));
}

TEST(MatchRank, PrefixWithTrailingSlashCountsEitherWay) {
  // "/a/" and "/a" select the same paths. Counted as written, "/a/" is the longer prefix;
  // counted without the trailing '/' (as implementations that normalise it do) they tie, and a
  // later "/a" with a header then outranks an earlier "/a/": the order is not kept.
  RequestMatch earlier = path(MatchType::kPathPrefix, "/a/");
  RequestMatch later = header(path(MatchType::kPathPrefix, "/a"), "x");
  EXPECT_TRUE(outranks(later, earlier, kText));
  // Without the header the two tie under both readings: list order decides.
  EXPECT_FALSE(outranks(path(MatchType::kPathPrefix, "/a"), earlier, kText));
  // A longer prefix still outranks under both readings, and a shorter one never does.
  EXPECT_TRUE(outranks(path(MatchType::kPathPrefix, "/a/b"), earlier, kText));
  EXPECT_FALSE(outranks(header(path(MatchType::kPathPrefix, "/a"), "x"),
                        path(MatchType::kPathPrefix, "/a/b/"), kText));
}
