// The Helm post-renderer and the KRM function: stream splitting, Release detection,
// byte-for-byte pass-through, located errors, ResourceList in and out; and the diff of
// `compile --check`.
#include "compiler/integrations/post_render.h"

#include <gtest/gtest.h>
#include <string.h>

#include <random>

#include "compiler/driver/driver.h"
#include "compiler/integrations/chart_clash.h"
#include "compiler/integrations/krm.h"
#include "compiler/io/text_diff.h"
#include "compiler/schema/helm_schema.h"
#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/manifest_stream.h"
#include "compiler/yaml/yaml_loader.h"

using namespace meshc;

namespace {

std::vector<std::string> pieces(const std::string& text) {
  std::vector<std::string> out;
  size_t expected_begin = 0;
  for (const auto& s : split_yaml_stream(text)) {
    EXPECT_EQ(s.begin, expected_begin);  // segments tile the stream
    expected_begin = s.end;
    out.push_back(text.substr(s.begin, s.end - s.begin));
  }
  EXPECT_EQ(expected_begin, text.size());
  return out;
}

const char* kRelease =
    "apiVersion: meshc.dev/v1alpha1\n"
    "kind: Release\n"
    "metadata:\n"
    "  name: httpbin\n"
    "  namespace: test\n"
    "spec:\n"
    "  environment: deployment\n"
    "  application:\n"
    "    versions:\n"
    "    - image: kennethreitz/httpbin\n";

struct Rendered {
  std::string out;
  std::vector<std::string> errors;  // "file:line:col: message"
};

Rendered post_render_text(const std::string& text) {
  Limits limits;
  Driver driver(limits, ReleaseDefaults{}, std::nullopt);
  const SourceFile& src = driver.add_source("<stdin>", text);
  Rendered r;
  r.out = post_render(src, limits, driver);
  for (const auto& d : driver.sink().all()) {
    if (d.severity == Severity::kError) {
      r.errors.push_back(d.loc.str() + ": " + (d.path.empty() ? "" : d.path + ": ") + d.message);
    }
  }
  return r;
}

}  // namespace

TEST(StreamSplit, SeparatorsCommentsEndMarkersAndLeadingDocument) {
  auto p = pieces("a: 1\n--- # two\nb: 2\n...\n# between\n---\nc: |\n  ---\n  x\n");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0], "a: 1\n");
  EXPECT_EQ(p[1], "--- # two\nb: 2\n...\n");
  EXPECT_EQ(p[2], "# between\n");
  EXPECT_EQ(p[3], "---\nc: |\n  ---\n  x\n");  // an indented "---" is block scalar content
}

TEST(StreamSplit, CrlfNoFinalNewlineAndLookalikes) {
  auto p = pieces("---\r\na: 1\r\n---x: not a marker\r\n----\r\n---\r\nb: 2");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], "---\r\na: 1\r\n---x: not a marker\r\n----\r\n");
  EXPECT_EQ(p[1], "---\r\nb: 2");
  EXPECT_TRUE(pieces("").empty());
}

TEST(ReleaseScan, TopLevelKeysDecide) {
  EXPECT_EQ(scan_for_release(kRelease), ReleaseScan::kYes);
  EXPECT_EQ(scan_for_release("kind: ConfigMap\nmetadata:\n  annotations:\n    meshc.dev/x: y\n"),
            ReleaseScan::kNo);
  EXPECT_EQ(scan_for_release("apiVersion: v1\nkind: Release\n"), ReleaseScan::kNo);
  EXPECT_EQ(scan_for_release("kind: 'Release' # c\napiVersion: \"meshc.dev/v1alpha1\"\n"),
            ReleaseScan::kYes);
  // Not readable line by line: the parser decides.
  EXPECT_EQ(scan_for_release("{kind: Release, apiVersion: meshc.dev/v1alpha1}\n"),
            ReleaseScan::kMaybe);
  EXPECT_EQ(scan_for_release("  kind: Release\n  apiVersion: meshc.dev/v1alpha1\n"),
            ReleaseScan::kMaybe);
  EXPECT_EQ(scan_for_release("kind: &k Release\napiVersion: meshc.dev/v1alpha1\n"),
            ReleaseScan::kMaybe);
}

TEST(PostRender, OtherDocumentsPassThroughByteForByte) {
  std::string other =
      "# leading comment\n"
      "kind:   ConfigMap   # odd spacing\n"
      "apiVersion: v1\n"
      "metadata: {name: z, annotations: {meshc.dev/note: keep}}\n"
      "data:\n"
      "    k: |\n"
      "      ---\n"
      "      text\n"
      "--- # Source: x\r\n"
      "apiVersion: v1\r\n"
      "kind: Secret\r\n"
      "...\n"
      "not: parsed: [at all\n";
  Rendered r = post_render_text(other);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.out, other);
}

TEST(PostRender, ReplacesReleasesInPlace) {
  std::string before = "---\n# Source: a.yaml\napiVersion: v1\nkind: ConfigMap\n";
  std::string after = "--- # tail\nkind: Secret\napiVersion: v1";
  Rendered r = post_render_text(before + "---\n" + kRelease + after);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.out.rfind(before, 0), 0u);
  ASSERT_GE(r.out.size(), after.size());
  EXPECT_EQ(r.out.substr(r.out.size() - after.size()), after);
  EXPECT_NE(r.out.find("kind: Deployment\n"), std::string::npos);
  EXPECT_NE(r.out.find("name: httpbin-0\n"), std::string::npos);
  EXPECT_EQ(r.out.find("kind: Release"), std::string::npos);
}

TEST(PostRender, ErrorsAreLocatedInTheWholeStream) {
  std::string release = kRelease;
  release.replace(release.find("image:"), 6, "imag:");
  Rendered r = post_render_text("a: 1\n---\nb: 2\n---\n" + release);
  ASSERT_EQ(r.errors.size(), 1u);
  // Line 14 of the stream: 4 lines before the Release, whose line 10 holds the mistake.
  EXPECT_EQ(r.errors[0].rfind("<stdin>:14:7: spec.application.versions[0].imag: unknown field", 0),
            0u)
      << r.errors[0];
}

TEST(PostRender, KeepsHelm4FilenameAnnotationOnGeneratedObjects) {
  std::string release = kRelease;
  release.replace(release.find("  namespace: test\n"), 18,
                  "  namespace: test\n  annotations:\n    " + std::string(kHelmFilenameAnnotation) +
                      ": 'release/templates/release.yaml'\n");
  Rendered r = post_render_text(release);
  ASSERT_TRUE(r.errors.empty()) << r.errors[0];
  size_t objects = 0, annotated = 0;
  for (size_t p = 0; (p = r.out.find("\nkind: ", p)) != std::string::npos; ++p) ++objects;
  for (size_t p = 0; (p = r.out.find(kHelmFilenameAnnotation, p)) != std::string::npos; ++p) {
    ++annotated;
  }
  EXPECT_GE(objects, 3u);
  EXPECT_EQ(annotated, objects);
}

TEST(Krm, ReplacesReleaseItemsKeepsOthersAndReportsResults) {
  std::string input =
      "apiVersion: config.kubernetes.io/v1\n"
      "kind: ResourceList\n"
      "items:\n"
      "- apiVersion: v1\n"
      "  kind: ConfigMap\n"
      "  metadata: {name: keep}\n"
      "- apiVersion: meshc.dev/v1alpha1\n"
      "  kind: Release\n"
      "  metadata:\n"
      "    name: httpbin\n"
      "    annotations: {internal.config.kubernetes.io/path: releases/httpbin.yaml}\n"
      "  spec:\n"
      "    environment: deployment\n"
      "    application:\n"
      "      versions:\n"
      "      - image: kennethreitz/httpbin\n";
  Limits limits;
  SourceFile src("<stdin>", input);
  DiagnosticSink sink1;
  bool failed = true;
  std::string out = run_krm_function(src, KrmSettings{}, sink1, &failed);
  EXPECT_FALSE(failed);
  DiagnosticSink sink;
  SourceFile back("out", out);
  auto docs = load_yaml(back, limits, sink);
  ASSERT_FALSE(sink.has_errors());
  ASSERT_EQ(docs.size(), 1u);
  nlohmann::json list = to_json(*docs[0].root);
  EXPECT_EQ(list["kind"], "ResourceList");
  ASSERT_GE(list["items"].size(), 4u);
  EXPECT_EQ(list["items"][0]["metadata"]["name"], "keep");
  for (size_t i = 1; i < list["items"].size(); ++i) {
    EXPECT_NE(list["items"][i]["kind"], "Release");
    EXPECT_FALSE(list["items"][i]["metadata"].contains("annotations"));
  }

  // A mistake: no items, an error result naming the resource, the field and the file.
  std::string bad = input;
  bad.replace(bad.find("environment: deployment"), 23, "environment: deploymnt");
  SourceFile src2("<stdin>", bad);
  DiagnosticSink sink2;
  out = run_krm_function(src2, KrmSettings{}, sink2, &failed);
  EXPECT_TRUE(failed);
  SourceFile back2("out", out);
  docs = load_yaml(back2, limits, sink);
  ASSERT_FALSE(sink.has_errors());
  list = to_json(*docs[0].root);
  EXPECT_TRUE(list["items"].empty());
  ASSERT_EQ(list["results"].size(), 1u);
  const auto& result = list["results"][0];
  EXPECT_EQ(result["severity"], "error");
  EXPECT_EQ(result["field"]["path"], "spec.environment");
  EXPECT_EQ(result["file"]["path"], "releases/httpbin.yaml");
  EXPECT_EQ(result["resourceRef"]["name"], "httpbin");
  EXPECT_EQ(result["resourceRef"]["kind"], "Release");
}

TEST(UnifiedDiff, HunksLikeDiffU) {
  EXPECT_EQ(unified_diff("a\nb\n", "a\nb\n", "x", "y"), "");
  EXPECT_EQ(unified_diff("a\nb\nc\n", "a\nB\nc\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  EXPECT_EQ(unified_diff("", "x\n", "/dev/null", "f"), "--- /dev/null\n+++ f\n@@ -0,0 +1 @@\n+x\n");
  std::string a, b;
  for (int i = 0; i < 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 || i == 15 ? "x" : std::to_string(i)) + "\n";
  }
  EXPECT_EQ(unified_diff(a, b, "a", "b"),
            "--- a\n+++ b\n@@ -1,6 +1,6 @@\n 0\n 1\n-2\n+x\n 3\n 4\n 5\n"
            "@@ -13,7 +13,7 @@\n 12\n 13\n 14\n-15\n+x\n 16\n 17\n 18\n");
  EXPECT_EQ(unified_diff("a", "b", "p", "q"),
            "--- p\n+++ q\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n"
            "\\ No newline at end of file\n");
}

// At the root and unconditional: Helm 3 reports a failed if/then/else as a line of its own
// ('(root): Must validate "else" as "if" was not valid') before every real error.
TEST(HelmSchema, IsTheValuesFormAtTheRootWithoutConditionals) {
  auto schema = nlohmann::json::parse(helm_values_schema());
  auto release = nlohmann::json::parse(SchemaValidator::schema_text());
  auto values = release["definitions"]["values"];
  values["properties"]["global"] = schema["properties"]["global"];
  // Iter8's KServe environments and fields pass Helm's check, so that meshc's own "not
  // supported" message is the one a KServe values file gets; everything else is the release
  // schema as it is.
  auto& envs = values["properties"]["environment"]["enum"];
  for (const char* e :
       {"kserve", "kserve-0.11", "kserve-0.10", "kserve-modelmesh-istio", "mm-istio"})
    envs.push_back(e);
  EXPECT_EQ(schema["properties"], values["properties"]);
  EXPECT_EQ(schema["required"], values["required"]);
  EXPECT_EQ(schema["additionalProperties"], values["additionalProperties"]);
  auto application = release["definitions"]["application"];
  EXPECT_TRUE(schema["definitions"]["application"]["properties"].contains("modelFormat"));
  EXPECT_TRUE(schema["definitions"]["application"]["properties"].contains("runtime"));
  for (const char* k : {"modelFormat", "runtime"})
    application["properties"][k] = schema["definitions"]["application"]["properties"][k];
  EXPECT_EQ(schema["definitions"]["application"], application);
  EXPECT_TRUE(schema["definitions"]["version"]["properties"].contains("storageUri"));
  EXPECT_EQ(schema["definitions"]["version"]["additionalProperties"], false);
  EXPECT_FALSE(schema["definitions"].contains("releaseDocument"));
  for (const char* k : {"if", "then", "else", "oneOf", "anyOf"}) EXPECT_FALSE(schema.contains(k));
}

TEST(Krm, ConfigMapFunctionConfigSetsOptions) {
  auto run = [](const std::string& data, bool* failed) {
    std::string input =
        "apiVersion: config.kubernetes.io/v1\n"
        "kind: ResourceList\n"
        "items:\n"
        "- apiVersion: meshc.dev/v1alpha1\n"
        "  kind: Release\n"
        "  metadata: {name: httpbin}\n"
        "  spec:\n"
        "    environment: deployment\n"
        "    application:\n"
        "      versions: [{image: a}, {image: b}]\n"
        "      strategy: canary\n"
        "functionConfig:\n"
        "  apiVersion: v1\n"
        "  kind: ConfigMap\n"
        "  metadata: {name: function-input}\n"
        "  data: " +
        data + "\n";
    SourceFile src("<stdin>", input);
    DiagnosticSink sink;
    return run_krm_function(src, KrmSettings{}, sink, failed);
  };
  bool failed = false;
  std::string out = run("{target: istio, namespace: shop}", &failed);
  EXPECT_FALSE(failed) << out;
  EXPECT_NE(out.find("kind: VirtualService\n"), std::string::npos);
  EXPECT_NE(out.find("namespace: shop\n"), std::string::npos);
  // Without a target, environment deployment with a canary strategy is an error.
  out = run("{}", &failed);
  EXPECT_TRUE(failed);
  out = run("{tagret: istio}", &failed);
  EXPECT_TRUE(failed);
  EXPECT_NE(out.find("path: functionConfig.data.tagret"), std::string::npos) << out;
  out = run("{target: kuma}", &failed);
  EXPECT_TRUE(failed);
  EXPECT_NE(out.find("unknown target"), std::string::npos) << out;
  // The routing options: an implementation (checked against the routes), the app-version
  // header; an unknown implementation or a non-boolean is an error at its key.
  out = run("{target: gateway-api, implementation: linkerd, appVersionHeader: \"false\"}", &failed);
  EXPECT_FALSE(failed) << out;
  EXPECT_NE(out.find("kind: HTTPRoute\n"), std::string::npos);
  EXPECT_EQ(out.find("app-version"), std::string::npos) << out;
  out = run("{target: gateway-api, implementation: envoy-gateway}", &failed);
  EXPECT_TRUE(failed);
  EXPECT_NE(out.find("no MESH-HTTP conformance report"), std::string::npos) << out;
  out = run("{target: gateway-api, implementation: linkerd2}", &failed);
  EXPECT_TRUE(failed);
  EXPECT_NE(out.find("path: functionConfig.data.implementation"), std::string::npos) << out;
  EXPECT_NE(out.find("did you mean \\\"linkerd\\\""), std::string::npos) << out;
  out = run("{target: gateway-api, appVersionHeader: maybe}", &failed);
  EXPECT_TRUE(failed);
  EXPECT_NE(out.find("path: functionConfig.data.appVersionHeader"), std::string::npos) << out;
}

TEST(Krm, KeepsOtherItemsAsWrittenWithComments) {
  for (std::string indent : {"", "  "}) {
    std::string cm = indent + "- # the settings\n" + indent + "  apiVersion: v1\n" + indent +
                     "  kind: ConfigMap   # odd spacing kept\n" + indent +
                     "  metadata: {name: x}\n" + indent + "  data:\n" + indent + "    k: |\n" +
                     indent + "      two\n" + indent + "      lines\n";
    std::string input =
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + cm + indent +
        "- apiVersion: meshc.dev/v1alpha1\n" + indent + "  kind: Release\n" + indent +
        "  metadata: {name: a}\n" + indent +
        "  spec: {environment: deployment, application: {versions: [{image: x}]}}\n" +
        "functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: f}}\n";
    SourceFile src("<stdin>", input);
    DiagnosticSink sink;
    bool failed = true;
    std::string out = run_krm_function(src, KrmSettings{}, sink, &failed);
    ASSERT_FALSE(failed);
    EXPECT_NE(
        out.find("items:\n" + cm + indent + "- apiVersion: v1\n" + indent + "  kind: Service\n"),
        std::string::npos)
        << out;
  }
}

namespace {

// chart_document_name as it was, checking the name with find_first_of: the table it looks up
// now must answer the same.
bool chart_document_name_by_lines(std::string_view doc, std::string_view* name) {
  const char* p = doc.data();
  const char* end = p + doc.size();
  for (int lines = 0; lines < 12 && p < end; ++lines) {
    const char* nl = static_cast<const char*>(memchr(p, '\n', end - p));
    const char* eol = nl ? nl : end;
    if (eol - p == 9 && memcmp(p, "metadata:", 9) == 0) {
      const char* v = eol + 1;
      if (end - v < 9 || memcmp(v, "  name: ", 8) != 0 || v[8] == ' ') return false;
      v += 8;
      const char* vend = static_cast<const char*>(memchr(v, '\n', end - v));
      *name = std::string_view(v, (vend ? vend : end) - v);
      return name->find_first_of("\"'#{[&*!|>%@` \t\r") == std::string_view::npos;
    }
    p = eol + 1;
  }
  return false;
}

}  // namespace

TEST(ChartDocumentName, TheNameTableAnswersAsFindFirstOf) {
  std::mt19937 rng(21);
  // Lines starting with 'm' that are not "metadata:", lines long enough for the 32-byte
  // steps, and more than the 12 lines looked at.
  const std::string pieces[] = {"metadata:\n",   "metadata:",       "  name:  x\n",
                                "  metadata:\n", "kind: Service\n", "\n",
                                "metadata:\r\n", "---\n",           "m: x\n",
                                "metadatax\n",   "\n\n\n\n\n",      std::string(40, 'y') + "\n"};
  const std::string bytes = std::string("\"'#{[&*!|>%@` \t\r\x80\xff-.az09:/_", 27);
  for (int i = 0; i < 200000; ++i) {
    std::string doc;
    for (int k = rng() % 12; k > 0; --k) {
      if (rng() % 3 == 0) {
        doc += "  name: ";
        for (int n = rng() % 6; n > 0; --n) doc += bytes[rng() % bytes.size()];
        if (rng() % 2) doc += "\n";
      } else {
        doc += pieces[rng() % std::size(pieces)];
      }
    }
    std::string_view want_name, got_name;
    bool want = chart_document_name_by_lines(doc, &want_name);
    bool got = chart_document_name(doc, &got_name);
    ASSERT_EQ(got, want) << doc;
    if (want) {
      ASSERT_EQ(got_name.data(), want_name.data()) << doc;
      ASSERT_EQ(got_name.size(), want_name.size()) << doc;
    }
  }
}
