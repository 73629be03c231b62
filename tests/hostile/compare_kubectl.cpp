// compare_kubectl OUT.yaml KUBECTL.json: checks that kubectl (go-yaml, through
// `kubectl annotate --local -f OUT.yaml -o json meshc-check=1`) read every document of meshc's
// output with the values meshc's own loader reads. Exit 0 when they agree, 1 with the first
// difference otherwise.
//
// Kinds kubectl decodes into its own types (Deployment, Service) come back with defaults added
// (creationTimestamp: null, status: {} ...): there every value meshc wrote must be in kubectl's
// object. Other kinds (the mesh CRDs) are unstructured and must be identical.
#include <fstream>
#include <iostream>

#include "compiler/yaml/yaml_loader.h"

using nlohmann::json;

namespace {

bool subset(const json& mine, const json& theirs, const std::string& path, std::string* diff) {
  if (mine.is_object() && theirs.is_object()) {
    for (auto it = mine.begin(); it != mine.end(); ++it) {
      if (!theirs.contains(it.key())) {
        *diff = path + "." + it.key() + ": missing in kubectl's object";
        return false;
      }
      if (!subset(*it, theirs[it.key()], path + "." + it.key(), diff)) return false;
    }
    return true;
  }
  if (mine.is_array() && theirs.is_array() && mine.size() == theirs.size()) {
    for (size_t i = 0; i < mine.size(); ++i) {
      if (!subset(mine[i], theirs[i], path + "[" + std::to_string(i) + "]", diff)) return false;
    }
    return true;
  }
  if (mine == theirs) return true;
  *diff = path + ": meshc wrote " + mine.dump() + ", kubectl read " + theirs.dump();
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: compare_kubectl OUT.yaml KUBECTL.json\n";
    return 2;
  }
  std::ifstream yin(argv[1], std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(yin)), std::istreambuf_iterator<char>());
  meshc::SourceFile file(argv[1], text);
  meshc::DiagnosticSink sink;
  meshc::Limits limits;
  auto docs = meshc::load_yaml(file, limits, sink);
  if (sink.has_errors()) {
    std::cerr << "meshc's loader cannot read " << argv[1] << ": " << sink.all()[0].message << "\n";
    return 1;
  }
  std::ifstream jin(argv[2]);
  std::vector<json> theirs;
  while (jin >> std::ws && jin.peek() != EOF) {
    json j;
    jin >> j;
    theirs.push_back(std::move(j));
  }
  if (theirs.size() != docs.size()) {
    std::cerr << "kubectl read " << theirs.size() << " objects, meshc wrote " << docs.size()
              << "\n";
    return 1;
  }
  for (size_t i = 0; i < docs.size(); ++i) {
    json mine = meshc::to_json(*docs[i].root);
    json& k = theirs[i];
    auto& ann = k["metadata"]["annotations"];
    ann.erase("meshc-check");
    if (ann.empty()) k["metadata"].erase("annotations");
    std::string kind = mine.value("kind", "");
    std::string diff;
    bool typed = kind == "Deployment" || kind == "Service";
    bool same = typed ? subset(mine, k, kind, &diff) : mine == k;
    if (!same) {
      if (diff.empty()) subset(mine, k, kind, &diff);
      if (diff.empty()) diff = kind + ": kubectl's object has keys meshc did not write";
      std::cerr << argv[1] << ": document " << i + 1 << ": " << diff << "\n";
      return 1;
    }
  }
  std::cout << "kubectl and meshc agree on " << docs.size() << " documents\n";
  return 0;
}
