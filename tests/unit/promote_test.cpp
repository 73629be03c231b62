// meshc promote's editor: targeted edits of spec text (compiler/edit), byte for byte outside
// the one value that changes.
#include "compiler/edit/promote.h"

#include <gtest/gtest.h>

#include "compiler/edit/yaml_text.h"
#include "support.h"

namespace meshc {
namespace {

struct Planned {
  std::unique_ptr<test::Loaded> loaded;
  std::optional<PromoteResult> result;
  std::string error;  // first error, "" when planned
};

Planned plan(const std::string& text, const PromoteRequest& req = {}) {
  Planned p;
  p.loaded = test::load(text, {}, "spec.yaml");
  DiagnosticSink& sink = p.loaded->sink;
  std::vector<PromoteRelease> releases;
  for (const auto& d : p.loaded->docs) {
    auto in = classify_document(*d.root, sink);
    if (!in || !SchemaValidator::get().validate(*in->document, in->form, sink)) continue;
    auto rm = lower_release(*in, {}, sink);
    if (rm) releases.push_back({*in, *rm});
  }
  if (!sink.has_errors()) p.result = plan_promote(*p.loaded->file, releases, req, {}, sink);
  p.error = test::first_error(sink);
  return p;
}

// The lines of `a` and `b` that differ, as "-old" / "+new" (texts of the same line count).
std::string changed_lines(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s) {
    std::vector<std::string> v;
    size_t p = 0;
    while (p < s.size()) {
      size_t e = s.find('\n', p);
      e = e == std::string::npos ? s.size() : e + 1;
      v.push_back(s.substr(p, e - p));
      p = e;
    }
    return v;
  };
  auto la = split(a), lb = split(b);
  std::string out;
  if (la.size() != lb.size()) return "line counts differ";
  for (size_t i = 0; i < la.size(); ++i)
    if (la[i] != lb[i]) out += "-" + la[i] + "+" + lb[i];
  return out;
}

const char* kHttpbin = R"(# Iter8 v0.18 httpbin, rolled out by steps
environment: deployment-gtw   # Gateway API
application:
  metadata:
    name: httpbin
    namespace: test
  versions:
  - metadata:
      labels:
        app.kubernetes.io/version: v0
    image: kennethreitz/httpbin
  - metadata:
      labels:
        app.kubernetes.io/version: v1
    image: 'kennethreitz/httpbin:v1'
    matches:
    - headers:
      - name: traffic
        value: test
  strategy: canary
  schedule:
    # the steps
    current: ten   # where we are
    steps:
    - name: test-only
    - name: ten
      versions:
        httpbin-1: {unmatchedWeight: 10}
    - name: all
      strategy: blue-green
      versions:
        httpbin-0: {weight: 0}
        httpbin-1: {weight: 100}
# trailing text
)";

std::string without_trailing(std::string s) {
  return s.substr(0, s.find("# trailing"));
}

TEST(YamlText, SpansOfScalarsAndFlowCollections) {
  auto l =
      test::load("a: 'it''s' # c\nb: plain text  # c\nc: {x: [1, \"]\"], y: 'z'}\nd: \"q\\\"\"\n");
  const YNode& m = *l->docs[0].root;
  std::string_view t = l->file->text();
  auto span = [&](const char* k) {
    size_t b = offset_of(m.get(k)->loc);
    return std::string(t.substr(b, span_end(t, *m.get(k), false) - b));
  };
  EXPECT_EQ(span("a"), "'it''s'");
  EXPECT_EQ(span("b"), "plain text");
  EXPECT_EQ(span("c"), "{x: [1, \"]\"], y: 'z'}");
  EXPECT_EQ(span("d"), "\"q\\\"\"");
}

TEST(YamlText, BlockEntriesEndBeforeTheirTrailingCommentsAndSiblings) {
  std::string t =
      "a:\n  x: 1\n\n  # about x\n  y: |\n    # text, not a comment\n# about b\nb:\n- 1\n- 2\nc: "
      "3\n";
  EXPECT_EQ(t.substr(0, block_entry_end(t, 0, 0, false)),
            "a:\n  x: 1\n\n  # about x\n  y: |\n    # text, not a comment\n");
  size_t b = t.find("b:");
  EXPECT_EQ(t.substr(b, block_entry_end(t, b, 0, true) - b), "b:\n- 1\n- 2\n");
  EXPECT_EQ(reindent("k:\n    v: 1\n\n    w: 2\n", -2), "k:\n  v: 1\n\n  w: 2\n");
  std::string out;
  EXPECT_FALSE(apply_edits("abc", {{0, 2, "x"}, {1, 3, "y"}}, &out));
  EXPECT_TRUE(apply_edits("abc", {{2, 3, "Z"}, {0, 0, ">"}}, &out));
  EXPECT_EQ(out, ">abZ");
}

TEST(Promote, ChangesOnlyTheCurrentValueAndKeepsANameAName) {
  auto p = plan(kHttpbin);
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_EQ(changed_lines(kHttpbin, p.result->text),
            "-    current: ten   # where we are\n+    current: all   # where we are\n");
  EXPECT_EQ(p.result->summary, "promoted test/httpbin: step 1 (ten) -> 2 (all)");
}

TEST(Promote, KeepsQuotesIndexesAndCrlf) {
  std::string s = kHttpbin;
  s.replace(s.find("current: ten"), 12, "current: \"ten\"");
  auto p = plan(s);
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_NE(p.result->text.find("current: \"all\"   # where we are\n"), std::string::npos);

  s = kHttpbin;
  s.replace(s.find("current: ten"), 12, "current: 1");
  std::string crlf;
  for (char c : s) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  p = plan(crlf, PromoteRequest{"", "", true, false, ""});
  ASSERT_TRUE(p.result) << p.error;
  std::string want = crlf;
  want.replace(want.find("current: 1"), 10, "current: 0");
  EXPECT_EQ(p.result->text, want);
}

// compile reads current: +1, 0x1 and 0o1 as the integer 1 (YAML 1.2 core), so promote does
// too: it moved them on from step 1, where it used to report "names no step".
TEST(Promote, ReadsCurrentAsTheSameIntegerAsCompile) {
  for (const char* form : {"+1", "0x1", "0o1"}) {
    std::string s = kHttpbin;
    s.replace(s.find("current: ten"), 12, std::string("current: ") + form);
    auto p = plan(s);
    ASSERT_TRUE(p.result) << form << ": " << p.error;
    EXPECT_EQ(p.result->summary, "promoted test/httpbin: step 1 (ten) -> 2 (all)") << form;
    EXPECT_NE(p.result->text.find("    current: 2   # where we are\n"), std::string::npos) << form;
  }
}

TEST(Promote, InsertsCurrentInBlockAndFlowSchedules) {
  std::string s = kHttpbin;
  s.erase(s.find("    current: ten"), std::string("    current: ten   # where we are\n").size());
  auto p = plan(s);
  ASSERT_TRUE(p.result) << p.error;
  std::string want = s;
  want.insert(want.find("    steps:"), "    current: 1\n");
  EXPECT_EQ(p.result->text, want);

  std::string flow =
      "environment: deployment-gtw\napplication:\n  metadata: {name: a}\n"
      "  versions: [{image: a}, {image: b, weight: 0}]\n  strategy: canary\n"
      "  schedule: {steps: [{}, {versions: {a-1: {weight: 100}}}]}\n";
  p = plan(flow, PromoteRequest{"", "1", false, false, ""});
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_EQ(changed_lines(flow, p.result->text),
            "-  schedule: {steps: [{}, {versions: {a-1: {weight: 100}}}]}\n"
            "+  schedule: {current: 1, steps: [{}, {versions: {a-1: {weight: 100}}}]}\n");
}

TEST(Promote, SelectsOneReleaseAndLeavesTheOtherDocumentByteForByte) {
  std::string doc =
      std::string("apiVersion: meshc.dev/v1alpha1\nkind: Release\nmetadata: {name: one}\nspec:\n") +
      "  environment: deployment-gtw\n  application:\n    versions:\n    - image: a\n"
      "    - image: b\n      weight: 0\n    strategy: canary\n    schedule:\n"
      "      steps:\n      - {}\n      - versions: {one-1: {weight: 100}}\n";
  std::string two = doc;
  two.replace(two.find("name: one"), 9, "name: two");
  two.replace(two.find("one-1"), 5, "two-1");
  std::string file = doc + "---\n" + two;
  auto p = plan(file);
  EXPECT_FALSE(p.result);
  EXPECT_EQ(p.error,
            "spec.yaml:1:1: 2 releases in this file: choose one with --release NAME "
            "(releases: one, two)");
  p = plan(file, PromoteRequest{"two", "", false, false, ""});
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_EQ(p.result->text.substr(0, doc.size() + 4), doc + "---\n");
  std::string want = file;
  want.insert(want.rfind("      steps:"), "      current: 1\n");
  EXPECT_EQ(p.result->text, want);
  p = plan(file, PromoteRequest{"three", "", false, false, ""});
  EXPECT_EQ(p.error,
            "spec.yaml:1:1: --release \"three\" names no release of this file "
            "(releases: one, two)");
}

TEST(Promote, Refusals) {
  std::string s = kHttpbin;
  s.replace(s.find("current: ten"), 12, "current: 0");
  EXPECT_EQ(plan(s, PromoteRequest{"", "", true, false, ""}).error,
            "spec.yaml:23:14: cannot go back: the schedule is at its first step, 0 (test-only)");
  EXPECT_EQ(plan(kHttpbin, PromoteRequest{"", "nope", false, false, ""}).error,
            "spec.yaml:25:5: --to \"nope\" names no step (steps: 0 (test-only), 1 (ten), 2 (all))");
  s = kHttpbin;
  s.replace(s.find("current: ten"), 12, "current: six");
  EXPECT_EQ(plan(s).error,
            "spec.yaml:23:14: names no step (steps: 0 (test-only), 1 (ten), 2 (all))");
  s = kHttpbin;
  s.replace(s.find("current: ten"), 12, "current: '1'");  // a name, as compile reads it
  EXPECT_EQ(plan(s).error,
            "spec.yaml:23:14: names no step (steps: 0 (test-only), 1 (ten), 2 (all))");
  s = without_trailing(kHttpbin);
  s = s.substr(0, s.find("  schedule:"));
  EXPECT_EQ(plan(s).error.substr(0, 60),
            "spec.yaml:4:3: no schedule to promote along: add application");
  auto same = plan(kHttpbin, PromoteRequest{"", "ten", false, false, ""});
  ASSERT_TRUE(same.result);
  EXPECT_FALSE(same.result->changed);
}

TEST(Promote, AtTheLastStepFinishesLikeTheIter8Walkthrough) {
  std::string s = without_trailing(kHttpbin);
  s.replace(s.find("current: ten"), 12, "current: all");
  auto p = plan(s);
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_TRUE(p.result->finished);
  EXPECT_EQ(p.result->text,
            "# Iter8 v0.18 httpbin, rolled out by steps\n"
            "environment: deployment-gtw   # Gateway API\n"
            "application:\n"
            "  metadata:\n"
            "    name: httpbin\n"
            "    namespace: test\n"
            "  versions:\n"
            "  - metadata:\n"
            "      labels:\n"
            "        app.kubernetes.io/version: v1\n"
            "    image: 'kennethreitz/httpbin:v1'\n"
            "  strategy: canary\n");
  auto after = test::lower_text(p.result->text);
  ASSERT_TRUE(after.routemap) << test::first_error(after.sink());
  EXPECT_EQ(routing_not_all_to(*after.routemap, 0), "");
  EXPECT_EQ(after.routemap->versions[0].name, "httpbin-0");
}

TEST(Promote, FinishRefusesWhenTheLastStepDoesNotSendEverythingToTheCandidate) {
  std::string s = without_trailing(kHttpbin);
  s.replace(s.find("httpbin-0: {weight: 0}"), 22, "httpbin-0: {weight: 10}");
  auto p = plan(s, PromoteRequest{"", "", false, true, ""});
  EXPECT_FALSE(p.result);
  EXPECT_NE(p.error.find("spec.yaml:29:7: cannot finish the rollout to httpbin-1: the last step, "
                         "2 (all), does not send every request to it (route \"default\" sends "
                         "9% to httpbin-0)"),
            std::string::npos)
      << p.error;
}

const char* kTwoCandidates = R"(environment: deployment-istio
application:
  metadata: {name: web, namespace: shop}
  versions:
  - metadata: {name: web-blue, labels: {track: blue}}   # primary
    image: web:1
    port: 8080
  - deploymentSpecification:
      metadata: {labels: {team: x}}
      spec:
        template:
          spec:
            containers:
            - name: web
              image: web:2
    metadata:
      name: web-green
      labels:
        track: green
  - metadata: {name: web-red}
    image: web:3
  strategy: blue-green
  schedule:
    current: 1
    steps:
    - versions: {web-green: {weight: 0}, web-red: {weight: 0}}
    - versions: {web-blue: {weight: 0}, web-red: {weight: 0}}
)";

TEST(Promote, FinishWithSeveralCandidatesNeedsCandidateAndMovesItsFields) {
  auto p = plan(kTwoCandidates);
  EXPECT_EQ(p.error,
            "spec.yaml:5:3: finishing needs to know which candidate becomes the primary: choose "
            "one with --candidate NAME (candidates: web-green, web-red)");
  PromoteRequest req;
  req.candidate = "web-green";
  p = plan(kTwoCandidates, req);
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_EQ(p.result->text,
            "environment: deployment-istio\n"
            "application:\n"
            "  metadata: {name: web, namespace: shop}\n"
            "  versions:\n"
            "  - metadata: {name: web-blue, labels: {track: green}}   # primary\n"
            "    deploymentSpecification:\n"
            "      metadata: {labels: {team: x}}\n"
            "      spec:\n"
            "        template:\n"
            "          spec:\n"
            "            containers:\n"
            "            - name: web\n"
            "              image: web:2\n"
            "  - metadata: {name: web-red}\n"
            "    image: web:3\n"
            "  strategy: none\n");
  auto after = test::lower_text(p.result->text);
  ASSERT_TRUE(after.routemap) << test::first_error(after.sink());
  EXPECT_EQ(routing_not_all_to(*after.routemap, 0), "");
  req.candidate = "web-purple";
  EXPECT_EQ(plan(kTwoCandidates, req).error,
            "spec.yaml:5:3: --candidate \"web-purple\" names no candidate (candidates: web-green, "
            "web-red)");
}

TEST(Promote, FinishWritesOutTheNameOfALaterVersionNamedByItsIndex) {
  // Removing versions[1] moves versions[2] up: its derived name web-2 would become web-1.
  std::string s = kTwoCandidates;
  s.replace(s.find("{name: web-red}"), 15, "{labels: {a: b}}");
  s.replace(s.find("web-red: {weight: 0}"), 20, "web-2: {weight: 0}");
  s.replace(s.find("web-red: {weight: 0}"), 20, "web-2: {weight: 0}");
  PromoteRequest req;
  req.candidate = "web-green";
  auto p = plan(s, req);
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_NE(p.result->text.find("  - metadata: {name: web-2, labels: {a: b}}\n    image: web:3\n"),
            std::string::npos)
      << p.result->text;
  auto after = test::lower_text(p.result->text);
  ASSERT_TRUE(after.routemap) << test::first_error(after.sink());
  EXPECT_EQ(after.routemap->versions[1].name, "web-2");

  // No metadata at all, on the "- " line: the name goes first.
  s = "environment: deployment-gtw\napplication:\n  metadata: {name: a}\n  versions:\n"
      "  - image: a:1\n    weight: 0\n  - image: a:2\n  - image: a:3   # third\n"
      "    weight: 0\n  strategy: blue-green\n";
  req.candidate = "a-1";
  req.finish = true;
  p = plan(s, req);
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_EQ(p.result->text,
            "environment: deployment-gtw\napplication:\n  metadata: {name: a}\n  versions:\n"
            "  - image: a:2\n    weight: 0\n  - metadata: {name: a-2}\n    image: a:3   # third\n"
            "    weight: 0\n  strategy: none\n");
}

TEST(Promote, FinishingABlueGreenSwitchOverDropsThePrimarysWeightZero) {
  std::string s =
      "environment: deployment-gtw\napplication:\n  metadata: {name: a}\n  versions:\n"
      "  - image: a:1\n    weight: 0   # switched over\n  - image: a:2\n    weight: 100\n"
      "  strategy: blue-green\n";
  auto p = plan(s, PromoteRequest{"", "", false, true, ""});
  ASSERT_TRUE(p.result) << p.error;
  EXPECT_EQ(p.result->text,
            "environment: deployment-gtw\napplication:\n  metadata: {name: a}\n  versions:\n"
            "  - image: a:2\n  strategy: blue-green\n");
  auto after = test::lower_text(p.result->text);
  ASSERT_TRUE(after.routemap) << test::first_error(after.sink());
  EXPECT_EQ(routing_not_all_to(*after.routemap, 0), "");
}

TEST(Promote, CandidateIsOnlyForFinishing) {
  EXPECT_EQ(plan(kHttpbin, PromoteRequest{"", "", false, false, "httpbin-1"}).error,
            "spec.yaml:23:14: --candidate is for finishing the rollout; this moves to step 2 "
            "(all) (use --finish to finish now)");
}

}  // namespace
}  // namespace meshc
