// SMI TrafficSplit (split.smi-spec.io v1alpha1-v1alpha4) and HTTPRouteGroup
// (specs.smi-spec.io), per smi-spec apis/traffic-split/v1alpha4/traffic-split.md and
// apis/traffic-specs/v1alpha4/traffic-specs.md:
// - the splits of the root Service; a split with `matches` applies to requests that match any
//   match of its route groups (groups are merged); several such splits applying to one request
//   is ambiguous (SMI defines no order); otherwise the split without matches applies; no split
//   applying leaves the root Service's own load balancing;
// - weights are relative numbers or quantities ("900m"); share = weight / sum;
// - the root Service's port must exist on every backend ("the backend service is not included").
// Regex anchoring is underspecified ("anchored (^) to the beginning of the URI" for pathRegex,
// nothing for headers), so every answer is computed under a whole-value reading and a loose one
// (pathRegex anchored at the start only, header regexes searched anywhere) and must agree.
#include <algorithm>
#include <cmath>

#include "tests/routing/simulator_internal.h"

namespace routing {
namespace {

// A quantity like "900m", "1", "1.5", "2k" as a number.
double Quantity(const YAML::Node& node, const std::string& ctx) {
  const std::string s = node.as<std::string>();
  static const std::vector<std::pair<std::string, double>> suffixes = {
      {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"Ki", 1024}, {"Mi", 1048576}};
  for (const auto& [suffix, factor] : suffixes) {
    if (s.size() > suffix.size() &&
        s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
      try {
        return std::stod(s.substr(0, s.size() - suffix.size())) * factor;
      } catch (const std::exception&) {
        break;
      }
    }
  }
  try {
    size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw Broken(ctx + ": weight " + s + " is not a number or quantity");
}

std::string RootName(const std::string& service, const std::string& ns, const std::string& ctx) {
  const std::string name = service.substr(0, service.find('.'));
  if (name.size() != service.size()) {
    const std::string rest = service.substr(name.size() + 1);
    if (rest != ns && rest != ns + ".svc" && rest != ns + ".svc.cluster.local") {
      throw NotModeled(ctx + ": root service " + service + " in another namespace");
    }
  }
  return name;
}

bool RouteMatchHolds(const YAML::Node& m, const Request& request, bool loose,
                     const std::string& ctx) {
  CheckKeys(m, {"name", "pathRegex", "methods", "headers"}, ctx);
  if (Has(m, "pathRegex") && !Str(m, "pathRegex").empty()) {
    // Matched against the path without the query string (Envoy's :path once the query is removed).
    if (!RegexMatch(Str(m, "pathRegex"), request.path, loose ? Anchor::kStart : Anchor::kFull)) {
      return false;
    }
  }
  if (Has(m, "methods") && m["methods"].size() > 0) {
    bool any = false;
    for (const auto& method : m["methods"]) {
      const std::string want = method.as<std::string>();
      any = any || want == "*" || want == request.method;
    }
    if (!any) return false;
  }
  if (Has(m, "headers")) {
    // A mapping (as in the spec text) or a list of one-entry mappings (as in the CRD schema).
    std::vector<std::pair<std::string, std::string>> filters;
    const YAML::Node headers = m["headers"];
    if (headers.IsMap()) {
      for (const auto& kv : headers)
        filters.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
    } else {
      for (const auto& item : headers) {
        for (const auto& kv : item)
          filters.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
      }
    }
    for (const auto& [name, regex] : filters) {
      const auto value = request.Header(name);
      if (!value || !RegexMatch(regex, *value, loose ? Anchor::kSearch : Anchor::kFull))
        return false;
    }
  }
  return true;
}

// Whether a request falls in any route of the groups a split references.
bool SplitMatches(const Cluster::State& state, const Object& split, const Request& request,
                  bool loose) {
  for (const auto& ref : At(At(split.node, "spec"), "matches")) {
    const std::string ctx = split.Ref() + ".spec.matches[]";
    CheckKeys(ref, {"kind", "name", "apiGroup"}, ctx);
    if (Str(ref, "kind") != "HTTPRouteGroup") throw NotModeled(ctx + " kind " + Str(ref, "kind"));
    const Object* group = nullptr;
    for (const Object* g : state.Find("specs.smi-spec.io", "HTTPRouteGroup")) {
      if (g->ns == split.ns && g->name == Str(ref, "name")) group = g;
    }
    if (!group) throw Broken(ctx + ": HTTPRouteGroup " + Str(ref, "name") + " does not exist");
    // v1alpha1/v1alpha2 keep matches at the top level, later versions under spec.
    const YAML::Node matches = Has(group->node, "spec") ? At(At(group->node, "spec"), "matches")
                                                        : At(group->node, "matches");
    for (size_t i = 0; matches && i < matches.size(); ++i) {
      if (RouteMatchHolds(matches[i], request, loose,
                          group->Ref() + ".matches[" + std::to_string(i) + "]")) {
        return true;
      }
    }
  }
  return false;
}

Outcome ApplySplit(const Cluster::State& state, const Object& split, const Service& root) {
  Outcome out;
  out.kind = Outcome::Kind::kRouted;
  out.detail = split.Ref();
  const YAML::Node backends = At(At(split.node, "spec"), "backends");
  if (!backends || backends.size() == 0) throw Broken(split.Ref() + ": no backends");
  double total = 0;
  std::vector<double> weights;
  for (const auto& b : backends) {
    CheckKeys(b, {"service", "weight"}, split.Ref() + ".backends[]");
    weights.push_back(Has(b, "weight") ? Quantity(b["weight"], split.Ref()) : 0);
    total += weights.back();
  }
  if (total <= 0) throw Broken(split.Ref() + ": backend weights sum to 0");
  const int port = RequestPort(root);
  for (size_t i = 0; i < backends.size(); ++i) {
    const double share = 100.0 * weights[i] / total;
    if (share <= 0) continue;
    const std::string name = Str(backends[i], "service");
    if (name == root.name) throw NotModeled(split.Ref() + ": a backend that is the root service");
    const Service* svc = state.FindService(split.ns, name);
    if (svc && !svc->Port(port)) {
      throw Broken(split.Ref() + ": backend " + name + " has no port " + std::to_string(port) +
                   " of the root service, so it is not included");
    }
    out.versions[ResolveVersion(state, split.ns, name, {}, port, split.Ref())] += share;
  }
  return out;
}

Outcome RouteUnder(const Cluster::State& state, const Request& request, bool loose) {
  if (request.via != "mesh") {
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "SMI has no gateways";
    return out;
  }
  const Service& root = MeshTarget(state, request);
  std::vector<const Object*> with_matches, without;
  for (const Object* split : state.Find("split.smi-spec.io", "TrafficSplit")) {
    CheckKeys(At(split->node, "spec"), {"service", "backends", "matches"}, split->Ref() + ".spec");
    if (split->ns != root.ns ||
        RootName(Str(At(split->node, "spec"), "service"), split->ns, split->Ref()) != root.name) {
      continue;
    }
    const YAML::Node matches = At(At(split->node, "spec"), "matches");
    if (matches && matches.size() > 0) {
      if (SplitMatches(state, *split, request, loose)) with_matches.push_back(split);
    } else {
      without.push_back(split);
    }
  }
  const std::vector<const Object*>& applying = with_matches.empty() ? without : with_matches;
  if (applying.empty()) {
    return PlainServiceRouting(state, root, "no TrafficSplit applies to the root service");
  }
  if (applying.size() > 1) {
    std::vector<std::string> names;
    for (const Object* s : applying) names.push_back(s->Ref());
    Outcome out;
    out.kind = Outcome::Kind::kAmbiguous;
    out.detail =
        "several TrafficSplits apply and SMI defines no order: " + JoinStrings(names, ", ");
    return out;
  }
  Outcome out = ApplySplit(state, *applying[0], root);
  Finish(&out);
  return out;
}

}  // namespace

Outcome RouteSmi(const Cluster::State& state, const Request& request) {
  return Combine({{"whole-value regexes", RouteUnder(state, request, false)},
                  {"pathRegex anchored at the start only, header regexes searched",
                   RouteUnder(state, request, true)}});
}

}  // namespace routing
