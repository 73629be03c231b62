// The lowering's shared state, internal to compiler/lower/: one Lowerer per release, its steps
// in lower.cpp (identity, names), versions.cpp, matches.cpp and strategies.cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/field_path.h"
#include "compiler/lower/lower.h"

namespace meshc::lowering {

// The keys of a mapping with where each is written (empty for anything else).
std::map<std::string, Location> key_locations(const YNode* n);
// A mapping of scalars as a sorted string map (empty for anything else).
StringMap string_map(const YNode* n);

// What a version asks of the routing, read before the routes are built from it.
struct VersionRouting {
  std::vector<RequestMatch> matches;
  const YNode* matches_node = nullptr;
  const char* matches_key = "matches";  // or "match" (Iter8's Istio form)
  std::optional<uint64_t> weight;
  const YNode* weight_node = nullptr;
  // canary: a share of the requests no candidate's matches took, besides the own segment.
  std::optional<uint64_t> unmatched_weight;
  const YNode* unmatched_weight_node = nullptr;
};

class Lowerer {
 public:
  Lowerer(const ReleaseInput& in, const ReleaseDefaults& defaults, DiagnosticSink& sink)
      : in_(in), defaults_(defaults), sink_(sink) {}

  std::optional<Routemap> run();

  // The full field path of `path` (a path in the values: "application.strategy").
  std::string full(const std::string& path) const { return join_path(in_.path_prefix, path); }
  void error(const Location& at, const std::string& path, std::string msg) {
    sink_.error(at, full(path), std::move(msg));
  }
  void warning(const Location& at, const std::string& path, std::string msg) {
    sink_.warning(at, full(path), std::move(msg));
  }

  // versions.cpp
  void lower_version(Routemap& rm, const YNode* app, const YNode& v, size_t i);
  // matches.cpp: the matches of a version, in the Gateway API form or Iter8's Istio form.
  std::vector<RequestMatch> lower_matches(const YNode& list, const std::string& path);
  ValueMatch lower_path(const YNode& p, const std::string& path);
  std::vector<RequestMatch> lower_istio_matches(const YNode& list, const std::string& path);
  // strategies.cpp: the routes of rm.strategy, from routing_.
  void build_routes(Routemap& rm);
  // sticky.cpp: application.sticky, after the routes are built.
  void add_sticky_routes(Routemap& rm, const YNode* app);

 private:
  void resolve_identity(Routemap& rm, const YNode* app);
  void resolve_settings(Routemap& rm);
  void resolve_protocol(Routemap& rm, const YNode* app);
  void read_hosts(Routemap& rm, const YNode* app);
  void check_unique_names(const Routemap& rm);
  // versions.cpp
  void resolve_port(Version& ver, const Routemap& rm, const YNode* app, const YNode& v,
                    const std::string& path);
  void check_specification_metadata(const Version& ver, const YNode* spec, const char* field,
                                    const std::string& path);
  void collect_container_ports(Version& ver, const YNode* dspec, const std::string& path);
  void resolve_target_port(Version& ver, const YNode* dspec, const YNode* sspec,
                           const std::string& path);
  void resolve_version_label(Version& ver, const YNode* meta, const YNode* dspec,
                             const std::string& path);
  VersionRouting read_routing(const YNode& v, const std::string& path);
  // matches.cpp
  void check_match(RequestMatch& m, const std::string& path);
  void check_regex(const std::string& expr, const Location& at, const std::string& path);
  void check_regex_at(const std::string& expr, const Location& at, const std::string& full_path);
  void lower_grpc_match(const YNode& g, const std::string& path, RequestMatch& out);
  void check_grpc_match_fields(const YNode& m, const std::string& path);
  // strategies.cpp: one function per strategy, each appending to rm.routes.
  void warn_unused(size_t version, bool weight, bool matches, const char* why);
  void check_unmatched_weights(const Routemap& rm);
  void route_none(Routemap& rm, Route& fallback);
  void route_canary(Routemap& rm, Route& fallback);
  void warn_shadowed_segments(const Routemap& rm);
  void route_blue_green(Routemap& rm, Route& fallback);
  void note_default_weights(const Routemap& rm, const std::vector<int>& pct);
  void route_mirror(Routemap& rm, Route& fallback);
  Route candidate_segment(const Routemap& rm, size_t i);
  Destination cited(Destination d, size_t i, bool unmatched) const;

  const ReleaseInput& in_;
  const ReleaseDefaults& defaults_;
  DiagnosticSink& sink_;
  Protocol protocol_ = Protocol::kHttp;
  std::vector<VersionRouting> routing_;  // per version, in order
};

}  // namespace meshc::lowering
