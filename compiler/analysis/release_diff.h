// `meshc diff`: what changes between two versions of the releases, as traffic per request
// segment (traffic.h) and as the objects compiled for a target.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/analysis/traffic.h"
#include "compiler/k8s/object.h"

namespace meshc {

// One side of the diff: a release's traffic and the objects compiled for it.
struct ReleaseSide {
  ReleaseTraffic traffic;
  std::string target;  // "gateway-api@v1", "" when no routing target
  std::vector<Object> objects;
};

enum class Change { kUnchanged, kChanged, kAdded, kRemoved };
const char* change_name(Change c);  // "unchanged", "changed", "added", "removed"

struct ShareDiff {
  std::string version;
  std::optional<double> before, after;  // percent; none = the segment is not on that side
};

struct SegmentDiff {
  std::string key;
  std::string description;
  Change change = Change::kUnchanged;  // kAdded = a new segment, kRemoved = a removed one
  std::vector<ShareDiff> shares;
  std::vector<ShareDiff> mirrors;
};

struct ObjectDiff {
  std::string api_version, kind, namespace_, name;
  Change change = Change::kChanged;  // kAdded, kRemoved, kChanged (never kUnchanged)
  std::string diff;                  // kChanged: a unified diff of the object's YAML
};

struct ReleaseDiff {
  std::string id;  // "namespace/name"
  Change change = Change::kUnchanged;
  std::string old_target, new_target;
  std::vector<SegmentDiff> segments;
  std::vector<ObjectDiff> objects;
};

// Pairs the releases of both sides by namespace/name (old order, then the new ones), their
// segments by key (in the new side's order, a removed one just before the next segment both
// sides have), their versions by
// name and their objects by apiVersion, kind, namespace and name.
std::vector<ReleaseDiff> diff_releases(const std::vector<ReleaseSide>& old_side,
                                       const std::vector<ReleaseSide>& new_side);

// The segments of two sides' traffic paired by key, as diff_releases pairs them (either side
// may be null: every segment added, or removed).
std::vector<SegmentDiff> diff_traffic(const ReleaseTraffic* before, const ReleaseTraffic* after);

// True when anything differs.
bool any_change(const std::vector<ReleaseDiff>& diffs);

// The renderings (docs/diff.md shows each).
std::string diff_text(const std::vector<ReleaseDiff>& diffs);
std::string diff_json(const std::vector<ReleaseDiff>& diffs);
std::string diff_mermaid(const std::vector<ReleaseDiff>& diffs);
std::string diff_markdown(const std::vector<ReleaseDiff>& diffs);

// One subgraph of a flowchart, the picture diff_mermaid draws of a release: r<index> titled
// `title`, a node per segment (r<index>s<j>) with an edge to each version (r<index>v<k>)
// labelled with its share, before -> after (thick) when it changes, mirrors and shares that go
// away dashed. `whole`: the segments are not marked new or removed (one side only). meshc plan
// draws each step with it too.
std::string mermaid_subgraph(size_t index, const std::string& title,
                             const std::vector<SegmentDiff>& segments, bool whole);
// A subgraph r<index> holding one node, r<index>e, that says `error`.
std::string mermaid_error_subgraph(size_t index, const std::string& title,
                                   const std::string& error);

// A Markdown code fence longer than any run of backticks in `text`.
std::string fence_for(const std::string& text);

// A label for a Mermaid node or edge, in double quotes, with every character Mermaid could
// read as syntax written as an entity code (#quot; #lt; #gt; #amp; #35; #124; #96;).
std::string mermaid_label(const std::string& text);

}  // namespace meshc
