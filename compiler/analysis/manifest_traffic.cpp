#include "compiler/analysis/manifest_traffic.h"

#include "compiler/yaml/yaml_tree.h"

namespace meshc {

const char* const kOtherObjects = "(objects that route no service)";

namespace {

std::vector<Object> objects_of(const std::vector<const YNode*>& roots) {
  std::vector<Object> out;
  for (const YNode* n : roots) out.push_back(to_ordered_json(*n));
  return out;
}

ReleaseSide side_of(const RoutedService& s) {
  ReleaseSide out;
  out.traffic.id = s.id;
  out.target = s.api;
  out.objects = objects_of(s.objects);
  for (const RoutedSegment& r : s.segments) {
    TrafficSegment t;
    name_segment(r.matches, r.catch_all, s.segments.size() <= 1, &t);
    t.shares = r.shares;
    t.mirrors = r.mirrors;
    out.traffic.segments.push_back(std::move(t));
  }
  return out;
}

}  // namespace

std::vector<ReleaseSide> manifest_sides(const StreamRouting& routing) {
  std::vector<ReleaseSide> out;
  for (const RoutedService& s : routing.services) out.push_back(side_of(s));
  if (!routing.other_objects.empty()) {
    ReleaseSide rest;
    rest.traffic.id = kOtherObjects;
    rest.objects = objects_of(routing.other_objects);
    out.push_back(std::move(rest));
  }
  return out;
}

}  // namespace meshc
