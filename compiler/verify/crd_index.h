// The index of a directory of CRD files, internal to compiler/verify/: which documents define
// which (group, version, kind), parsed only when a check needs them (crd_index.cpp), and each
// definition's schema compiled on first use.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <valijson/schema.hpp>
#include <vector>

#include "compiler/verify/crd_check.h"
#include "compiler/verify/gvk.h"
#include "compiler/yaml/yaml_loader.h"

namespace meshc {

namespace verify {

// One CRD's definition of one version.
struct Definition {
  std::string file;
  std::tuple<size_t, size_t, size_t> order;  // (segment, item, version): file order
  Location loc;                              // the version entry in the CRD file
  const YNode* schema = nullptr;             // openAPIV3Schema, or null when the version has none
  bool served = true;
  bool deprecated = false;
  std::string deprecation_warning;
  // Built on first use: most runs need a few of the definitions loaded.
  std::unique_ptr<nlohmann::json> converted;
  std::unique_ptr<valijson::Schema> compiled;
  bool unusable = false;  // the schema could not be converted or parsed (reported)
};

// A document of a CRD file that mentions CustomResourceDefinition, parsed on first need.
struct Segment {
  size_t source = 0;
  size_t begin = 0, end = 0;
  bool parsed = false;
};

}  // namespace verify

using verify::Gvk;

struct CrdSet::Impl {
  std::string dir;
  std::vector<std::unique_ptr<SourceFile>> sources;
  std::vector<verify::Segment> segments;  // in file order, then offset
  std::vector<YamlDocument> documents;    // keep the nodes `Definition::schema` points into
  std::set<std::pair<std::string, std::string>> ready;  // (group, kind)s fully parsed
  std::map<Gvk, std::vector<std::unique_ptr<verify::Definition>>> index;  // each in file order

  void ensure(const std::string& group, const std::string& kind, DiagnosticSink& sink);
  void ensure_all(DiagnosticSink& sink);
  void parse(size_t segment, DiagnosticSink& sink);
  bool add_crd(const YNode& doc, size_t segment, size_t item, DiagnosticSink& sink);
  const valijson::Schema* compiled(verify::Definition& d, const Gvk& gvk, DiagnosticSink& sink);
};

}  // namespace meshc
