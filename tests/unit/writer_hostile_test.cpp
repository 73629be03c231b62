// The YAML writer against hostile strings: Unicode line breaks, controls, BOMs, non-characters
// and keys too long for an implicit key. Each is written as a value, a key and a list item, then
// read back by meshc's loader and, independently, by yaml-cpp's own node API; the values must
// be identical and the output must hold none of the raw characters that YAML 1.1 readers
// (go-yaml in Helm and kubectl, PyYAML) take for line breaks or reject.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "compiler/k8s/object.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_writer.h"

using namespace meshc;

namespace {

nlohmann::json load_back(const std::string& text) {
  SourceFile f("out.yaml", text);
  DiagnosticSink sink;
  Limits limits;
  auto docs = load_yaml(f, limits, sink);
  EXPECT_FALSE(sink.has_errors()) << (sink.all().empty() ? "" : sink.all()[0].message) << "\n"
                                  << text.substr(0, 2000);
  EXPECT_EQ(docs.size(), 1u);
  return docs.empty() ? nlohmann::json() : to_json(*docs[0].root);
}

// Raw bytes that must never appear in writer output.
const std::vector<std::pair<std::string, std::string>> kForbiddenRaw = {
    {"\xc2\x85", "NEL"},
    {"\xe2\x80\xa8", "LS"},
    {"\xe2\x80\xa9", "PS"},
    {"\xef\xbb\xbf", "BOM"},
    {"\xef\xbf\xbe", "U+FFFE"},
    {"\xef\xbf\xbf", "U+FFFF"},
    {"\xc2\x80", "U+0080"},
    {"\xc2\x9f", "U+009F"},
    {std::string(1, '\0'), "NUL"},
    {"\x1b", "ESC"},
    {"\x7f", "DEL"},
    {"\r", "CR"}};

const std::vector<std::string> kHostile = {
    "a\xc2\x85"
    "b",                          // NEL
    "a\xe2\x80\xa8kind: Secret",  // LS, then what would be a new key
    "a\xe2\x80\xa9"
    "b",  // PS
    "\xef\xbb\xbf"
    "bom-first",                                      // BOM
    "x\xef\xbb\xbfy",                                 // BOM inside
    "\xc2\x80\xc2\x9f",                               // C1 controls
    "\xef\xbf\xbe\xef\xbf\xbf",                       // non-characters
    std::string("nul\0inside", 10),                   // NUL
    "esc\x1b[31m",                                    // ESC
    "del\x7f",                                        // DEL
    "cr\rlf\ncrlf\r\n",                               // line ends
    "caf\xc3\xa9 \xe2\x80\xae rtl \xf0\x9f\x98\x80",  // é, RTL override, emoji (printable)
    "\xc2\xa0nbsp",                                   // NBSP first
    "tab\there",                                      // tab
    "\"quoted\" and 'single'",                        // quotes
    "back\\slash\\n",                                 // backslashes that look like escapes
    "{{ .Values.x }}",                                // a template
    "--- # new document",                             // a document marker
    "a: b\n---\napiVersion: v1\nkind: Secret",        // an injected document
};

}  // namespace

TEST(WriterHostile, UnicodeBreaksControlsAndBomsAreEscaped) {
  Object doc = Object::object();
  Object list = Object::array();
  for (size_t i = 0; i < kHostile.size(); ++i) {
    doc["v" + std::to_string(i)] = kHostile[i];
    list.push_back(kHostile[i]);
  }
  Object keys = Object::object();
  for (const auto& h : kHostile) keys[h] = h;
  doc["list"] = list;
  doc["keys"] = keys;
  std::string text;
  write_yaml_document(doc, text);
  for (const auto& [raw, name] : kForbiddenRaw) {
    EXPECT_EQ(text.find(raw), std::string::npos) << name << " written raw";
  }
  nlohmann::json back = load_back(text);
  for (size_t i = 0; i < kHostile.size(); ++i) {
    EXPECT_EQ(back["v" + std::to_string(i)], kHostile[i]) << "value " << i;
    EXPECT_EQ(back["list"][i], kHostile[i]) << "list item " << i;
    EXPECT_EQ(back["keys"][kHostile[i]], kHostile[i]) << "key " << i;
  }
  EXPECT_EQ(back.size(), kHostile.size() + 2) << "a hostile value added or removed a key";

  // yaml-cpp's node API, independent of meshc's loader.
  YAML::Node node = YAML::Load(text);
  for (size_t i = 0; i < kHostile.size(); ++i) {
    EXPECT_EQ(node["v" + std::to_string(i)].as<std::string>(), kHostile[i]) << "value " << i;
  }
}

TEST(WriterHostile, LongKeysUseTheExplicitForm) {
  // 1000 characters is the longest implicit key written; readers stop at 1024.
  const std::vector<std::string> keys = {std::string(1000, 'k'),
                                         std::string(1001, 'k'),
                                         std::string(1025, 'k'),
                                         std::string(70000, 'k'),
                                         std::string(600, '"'),  // 1200 characters escaped
                                         "-" + std::string(2000, 'x') + ": y"};
  for (const auto& k : keys) {
    Object doc = {
        {"scalar", Object{{k, "v"}}},
        {"map", Object{{k, Object{{"a", 1}, {k, 2}}}}},
        {"list", Object{{k, Object::array({1, Object{{k, "in list"}}})}}},
        {"empty", Object{{k, Object::object()}, {"after", true}}},
        {"items", Object::array({Object{{k, "first key inline"}, {"b", 2}}})},
    };
    std::string text;
    write_yaml_document(doc, text);
    if (k.size() > 1000) {
      EXPECT_NE(text.find("? "), std::string::npos) << k.size();
    }
    nlohmann::json back = load_back(text);
    EXPECT_EQ(back, nlohmann::json::parse(doc.dump())) << "key of " << k.size() << " chars";
    YAML::Node node = YAML::Load(text);
    EXPECT_EQ(node["scalar"][k].as<std::string>(), "v");
    EXPECT_EQ(node["items"][0][k].as<std::string>(), "first key inline");
  }
}

TEST(WriterHostile, NoPlainScalarHoldsNonAscii) {
  // Plain scalars are ASCII only, so no reader-specific line break can occur in one.
  EXPECT_FALSE(
      is_plain_safe("a\xe2\x80\xa8"
                    "b"));
  EXPECT_FALSE(
      is_plain_safe("a\xc2\x85"
                    "b"));
  EXPECT_FALSE(
      is_plain_safe("\xef\xbb\xbf"
                    "x"));
  EXPECT_FALSE(is_plain_safe("caf\xc3\xa9"));
}
