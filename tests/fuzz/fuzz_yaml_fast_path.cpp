// libFuzzer harness: differential test of the loader's fast path (compiler/yaml/yaml_fast_path.h)
// against yaml-cpp. Whenever the fast path accepts a text, yaml-cpp must accept it too and
// emit the same events: kinds, tags (quoted or plain), anchors, values, flow or block style,
// and marks (line, column), document by document. A difference would change trees or
// diagnostic locations depending on which parser ran.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <cstddef>
#include <cstdint>
#include <sstream>

#include "compiler/yaml/yaml_fast_path.h"
#include "tests/fuzz/fuzz_support.h"

using namespace meshc;

namespace {

// Every event, rendered as one string.
class Events : public YAML::EventHandler {
 public:
  std::vector<std::string> list;
  void OnDocumentStart(const YAML::Mark& m) override { put("doc", m); }
  void OnDocumentEnd() override { list.push_back("enddoc"); }
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { put("null", m, "", a); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t a) override { put("alias", m, "", a); }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                const std::string& v) override {
    put("scalar", m, tag, a, v);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                       YAML::EmitterStyle::value s) override {
    put(s == YAML::EmitterStyle::Flow ? "flowseq" : "seq", m, tag, a);
  }
  void OnSequenceEnd() override { list.push_back("endseq"); }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                  YAML::EmitterStyle::value s) override {
    put(s == YAML::EmitterStyle::Flow ? "flowmap" : "map", m, tag, a);
  }
  void OnMapEnd() override { list.push_back("endmap"); }

 private:
  void put(const char* kind, const YAML::Mark& m, const std::string& tag = "", YAML::anchor_t a = 0,
           const std::string& v = "") {
    list.push_back(std::string(kind) + "@" + std::to_string(m.line) + ":" +
                   std::to_string(m.column) + " tag=" + tag + " anchor=" + std::to_string(a) +
                   " value=" + v);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string why;
  if (find_invalid_text(text, &why) != std::string::npos) return 0;  // the loader stops first
  std::vector<FastYamlEvent> fast;
  if (!parse_yaml_fast(text, 100, &fast)) return 0;  // declined: yaml-cpp parses it instead
  Events from_fast;
  FastYamlReplay replay(fast);
  while (replay.HandleNextDocument(from_fast)) from_fast.list.push_back("next");
  Events from_yaml_cpp;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(from_yaml_cpp)) from_yaml_cpp.list.push_back("next");
  } catch (const YAML::Exception& e) {
    fuzz::fail(std::string("fast path accepted what yaml-cpp rejects: ") + e.what(),
               text.substr(0, 2000));
  }
  if (from_fast.list != from_yaml_cpp.list) {
    size_t i = 0;
    while (i < from_fast.list.size() && i < from_yaml_cpp.list.size() &&
           from_fast.list[i] == from_yaml_cpp.list[i]) {
      ++i;
    }
    fuzz::fail("fast path and yaml-cpp differ at event " + std::to_string(i) + ": fast " +
                   (i < from_fast.list.size() ? from_fast.list[i] : "(end)") + ", yaml-cpp " +
                   (i < from_yaml_cpp.list.size() ? from_yaml_cpp.list[i] : "(end)"),
               text.substr(0, 2000));
  }
  return 0;
}
