// The fast validator (compiler/schema/fast_schema.h) gives valijson's verdict: on every YAML
// document under tests/ and examples/, in both forms, and on mutations of the valid ones (each
// node replaced by other values, each mapping entry dropped, an unknown key added, list items
// repeated or dropped).
#include "compiler/schema/fast_schema.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "compiler/schema/schema_validator.h"
#include "compiler/yaml/yaml_loader.h"

namespace meshc {
namespace {

namespace fs = std::filesystem;

bool valijson_verdict(const YNode& root, SpecForm form) {
  DiagnosticSink sink;
  return SchemaValidator::get().validate_with_valijson(root, form, sink);
}

std::string form_name(SpecForm f) {
  return f == SpecForm::kValues ? "values" : "Release";
}

struct Tally {
  size_t valid = 0, invalid = 0;
};

// Expects the two verdicts to agree; `what` names the input in a failure.
void expect_same(const YNode& root, SpecForm form, const std::string& what, Tally& tally) {
  fast_schema::Verdict fast = fast_schema::validate(root, form);
  bool reference = valijson_verdict(root, form);
  ASSERT_NE(fast, fast_schema::Verdict::kUnsure) << what;
  EXPECT_EQ(fast == fast_schema::Verdict::kValid, reference)
      << what << " (" << form_name(form) << "): " << to_json(root).dump().substr(0, 2000);
  ++(reference ? tally.valid : tally.invalid);
}

std::vector<fs::path> corpus() {
  std::vector<fs::path> out;
  for (const char* dir : {"tests", "examples"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(MESHC_SOURCE_DIR) / dir)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Loaded {
  std::unique_ptr<SourceFile> file;
  std::vector<YamlDocument> docs;
};

Loaded load(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  Loaded l;
  l.file = std::make_unique<SourceFile>(p.string(), text.str());
  DiagnosticSink sink;
  Limits limits;
  l.docs = load_yaml(*l.file, limits, sink);
  return l;
}

TEST(FastSchema, AgreesWithValijsonOnEveryDocumentUnderTestsAndExamples) {
  Tally tally;
  size_t files = 0;
  for (const fs::path& p : corpus()) {
    Loaded l = load(p);
    ++files;
    for (const auto& d : l.docs) {
      if (d.root->expanded_size > 100000) continue;  // hostile alias bombs: valijson's copy
      expect_same(*d.root, SpecForm::kValues, p.string(), tally);
      expect_same(*d.root, SpecForm::kReleaseDocument, p.string(), tally);
      if (const YNode* spec = d.root->is_mapping() ? d.root->get("spec") : nullptr)
        expect_same(*spec, SpecForm::kValues, p.string() + " spec", tally);
    }
  }
  // The corpus has plenty of both (goldens, error cases, hostile inputs, examples).
  EXPECT_GT(files, 100u);
  EXPECT_GT(tally.valid, 100u);
  EXPECT_GT(tally.invalid, 100u);
}

// --- Mutations ---------------------------------------------------------------------------

YNodePtr scalar(const std::string& v, bool plain = true) {
  auto n = std::make_shared<YNode>();
  n->kind = YNode::Kind::kScalar;
  n->value = v;
  n->plain = plain;
  return n;
}

// Values a node is replaced by: every type, the edges of the schema's limits, strings that
// break its patterns, and numbers valijson and the tables might compare differently.
std::vector<YNodePtr> replacements() {
  std::vector<YNodePtr> out;
  for (const char* v : {"",
                        "x",
                        "-1",
                        "0",
                        "1",
                        "999",
                        "1000",
                        "65535",
                        "65536",
                        "1000001",
                        "1.0",
                        "1.5",
                        "1e3",
                        "-0.0",
                        ".nan",
                        ".inf",
                        "0x10",
                        "0o7",
                        "99999999999999999999",
                        "true",
                        "null",
                        "~",
                        "a b",
                        "UPPER",
                        "v1",
                        "-a",
                        "a-",
                        "*.example.com",
                        "http",
                        "canary",
                        "Exact",
                        "deployment-gtw",
                        "GET",
                        "x:y",
                        "a/b"}) {
    out.push_back(scalar(v));
  }
  for (const char* v : {"80", "true", "", "x", "a\tb", "é", "a\0b"})
    out.push_back(scalar(std::string(v, v[0] == 'a' && v[1] == '\0' ? 3 : std::strlen(v)), false));
  out.push_back(scalar(std::string(63, 'a'), false));
  out.push_back(scalar(std::string(64, 'a'), false));
  out.push_back(scalar(std::string(254, 'a'), false));
  out.push_back(scalar(std::string(62, 'a') + "\xc3\xa9", false));  // 63 characters, 64 bytes
  out.push_back(std::make_shared<YNode>());                         // null
  auto list = std::make_shared<YNode>();
  list->kind = YNode::Kind::kSequence;
  out.push_back(list);
  auto map = std::make_shared<YNode>();
  map->kind = YNode::Kind::kMapping;
  out.push_back(map);
  return out;
}

// Every variant of `n` with one change somewhere in it (pre-order), by `emit`.
void mutate(const YNode& n, const std::vector<YNodePtr>& values,
            const std::function<void(YNodePtr)>& emit) {
  for (const auto& v : values) emit(v);
  if (n.is_mapping()) {
    for (size_t i = 0; i < n.entries.size(); ++i) {
      auto dropped = std::make_shared<YNode>(n);
      dropped->entries.erase(dropped->entries.begin() + i);
      emit(dropped);
      mutate(*n.entries[i].second, values, [&](YNodePtr child) {
        auto copy = std::make_shared<YNode>(n);
        copy->entries[i].second = child;
        emit(copy);
      });
    }
    for (const char* key : {"unknownField", "name", "weight", "versions", "exact", "v2"}) {
      if (n.get(key)) continue;
      auto added = std::make_shared<YNode>(n);
      added->entries.emplace_back(scalar(key), scalar("1"));
      emit(added);
    }
  } else if (n.is_sequence()) {
    for (size_t i = 0; i < n.items.size(); ++i) {
      auto dropped = std::make_shared<YNode>(n);
      dropped->items.erase(dropped->items.begin() + i);
      emit(dropped);
      auto repeated = std::make_shared<YNode>(n);
      repeated->items.push_back(n.items[i]);
      emit(repeated);
      mutate(*n.items[i], values, [&](YNodePtr child) {
        auto copy = std::make_shared<YNode>(n);
        copy->items[i] = child;
        emit(copy);
      });
    }
  }
}

TEST(FastSchema, AgreesWithValijsonOnMutationsOfValidSpecs) {
  const std::vector<YNodePtr> values = replacements();
  Tally tally;
  size_t seeds = 0;
  for (const fs::path& p : corpus()) {
    const std::string s = p.string();
    if (s.find("/examples/") == std::string::npos &&
        s.find("/compat-iter8-values/") == std::string::npos)
      continue;
    Loaded l = load(p);
    for (const auto& d : l.docs) {
      for (SpecForm form : {SpecForm::kValues, SpecForm::kReleaseDocument}) {
        if (!valijson_verdict(*d.root, form)) continue;
        ++seeds;
        mutate(*d.root, values, [&](YNodePtr m) { expect_same(*m, form, s + " mutated", tally); });
      }
    }
  }
  EXPECT_GT(seeds, 10u);
  EXPECT_GT(tally.valid, 1000u);
  EXPECT_GT(tally.invalid, 1000u);
}

TEST(FastSchema, StringLengthsAreValijsonsCharacterCounts) {
  // An image (1..4096 characters, no whitespace): characters, not bytes, count, and a NUL or
  // an overlong-encoded NUL ends valijson's count.
  auto spec = [](const std::string& v) {
    auto root = std::make_shared<YNode>();
    root->kind = YNode::Kind::kMapping;
    root->entries.emplace_back(scalar("environment"), scalar("deployment-gtw"));
    auto app = std::make_shared<YNode>();
    app->kind = YNode::Kind::kMapping;
    auto versions = std::make_shared<YNode>();
    versions->kind = YNode::Kind::kSequence;
    auto version = std::make_shared<YNode>();
    version->kind = YNode::Kind::kMapping;
    version->entries.emplace_back(scalar("image"), scalar(v, false));
    versions->items.push_back(version);
    app->entries.emplace_back(scalar("versions"), versions);
    root->entries.emplace_back(scalar("application"), app);
    return root;
  };
  Tally tally;
  for (const std::string& v :
       {std::string(4096, 'a'), std::string(4097, 'a'), std::string(4095, 'a') + "\xc3\xa9",
        std::string("\0", 1), std::string("a\0 b", 4),
        std::string("\xc0\x80"
                    "a",
                    3)}) {
    expect_same(*spec(v), SpecForm::kValues, "image of " + std::to_string(v.size()) + " bytes",
                tally);
  }
  // 4096 characters pass, 4097 do not; "\0" and "\xc0\x80a" are empty to valijson (below
  // minLength 1); "a\0 b" has a space (the pattern).
  EXPECT_EQ(tally.valid, 2u);
}

}  // namespace
}  // namespace meshc
