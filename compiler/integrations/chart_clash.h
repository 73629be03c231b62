// The check post-render and the KRM function share: no object a Release generates may also be
// one of the objects passed through beside it (a chart's own document, a kept ResourceList
// item), since kubectl apply (and Helm) would keep only one of the two, silently.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/diag/source.h"
#include "compiler/k8s/object.h"
#include "compiler/yaml/yaml_tree.h"

namespace meshc {

// What a passed-through document says it is: apiVersion's group, kind, metadata.name and
// metadata.namespace ("" when it gives none: Helm installs it in --namespace), and the
// 0-based line of the document its kind is on.
struct ClaimedObject {
  std::string group;
  std::string kind;
  std::string name;
  std::string namespace_;
  uint32_t line = 0;
};

// Reads the identity of a block-style document from its top-level lines and its metadata
// block only, stopping as soon as it has it (a chart's documents give them first). False when
// the document is not a block mapping whose kind and metadata.name are plain scalars there
// (flow style, anchors, block scalars): the caller parses it instead.
bool scan_claimed_object(std::string_view doc, ClaimedObject* out);

// The same from a parsed document (`line`: the file's line of its kind). False when it has no
// kind or metadata.name scalar.
bool claimed_from_node(const YNode& doc, ClaimedObject* out);

// The metadata.name of a chart document when a cheap look at its first lines finds it
// written the usual way ("metadata:" then "  name: <plain name>" in block style): then true,
// and `name` views it in `doc`. False when the look cannot tell (the document must be read
// properly to know what it names).
bool chart_document_name(std::string_view doc, std::string_view* name);

// The objects the Releases of a post-render or KRM run generated, and the Release each came
// from.
class GeneratedObjects {
 public:
  // `other`: where the other objects come from, as the error says it ("rendered by the
  // chart"); `note`: the note at such an object ("the chart renders it here").
  GeneratedObjects(std::string other, std::string note)
      : other_(std::move(other)), note_(std::move(note)) {}
  void add(const Object& object, const Location& release);
  bool empty() const { return by_name_.empty(); }
  // False when a cheap look at `doc` (a chart document) shows it cannot name any generated
  // object: its metadata.name, written "metadata:" then "  name: <n>" in block style, is none
  // of their names. True when it may (or when the look cannot tell): scan it properly then.
  // Keeps post-render of a large stream near the cost of copying it.
  bool may_clash(std::string_view doc) const;
  // True when some generated object is named `name`.
  bool has_name(std::string_view name) const { return names_.count(name) != 0; }
  // The names of the generated objects, each once.
  const std::set<std::string, std::less<>>& names() const { return names_; }
  // Reports (as an error at the Release, with a note at the chart's document) every
  // generated object that `claimed` names too. A claimed object without a namespace matches
  // one in any namespace: Helm installs it in the release namespace. Returns how many.
  size_t report_clashes(const ClaimedObject& claimed, const Location& at,
                        DiagnosticSink& sink) const;

 private:
  struct Generated {
    std::string namespace_;
    Location release;
  };
  std::string other_, note_;
  std::set<std::string, std::less<>> names_;
  // (group, kind, name) -> where it was generated.
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<Generated>> by_name_;
};

}  // namespace meshc
