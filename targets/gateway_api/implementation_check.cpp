// Whether the implementation serving a route supports what the route uses.
//
// Every feature of the emitted routes is looked up in the implementation's latest conformance
// report (profiles.h), in the profile of the route's kind: the route attached to the root
// Service in MESH-HTTP / MESH-GRPC, the route attached to the gateway in GATEWAY-HTTP /
// GATEWAY-GRPC. What a profile can say depends on the Gateway API version of the report
// (profiles/README.md):
// - a core feature holds unless the report skipped or failed one of its core tests;
// - an extended feature holds when the report declares it supported, and fails when it lists
//   it unsupported or does not list it;
// - before Gateway API v1.4, MESH-HTTP listed the HTTPRoute features of gateways, which no mesh
//   test checked (caveat 1): such a declaration is accepted with a warning;
// - since v1.4, the mesh profiles have no feature for method matching or mirroring (caveat 2),
//   and no profile has one for a backendRef-level ResponseHeaderModifier (caveat 5): nothing can
//   show support, so they fail;
// - what Gateway API leaves implementation-specific (regular expressions, a gRPC match on a
//   service or a method alone) no report covers: a warning;
// - caveats.yaml overrides all of this per implementation: features it drops routes for
//   (Linkerd: RequestMirror, caveat 3) and features its source shows it implements.
// Errors name the implementation, the feature and the route, at the spec position that uses
// the feature.
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "compiler/diag/field_path.h"
#include "targets/gateway_api/objects.h"

namespace meshc::gateway_api {

namespace {

enum class Feature {
  kRoute,  // the route itself: the profile must exist
  kPathMatch,
  kHeaderMatch,
  kRegexMatch,
  kQueryMatch,
  kMethodMatch,
  kWeights,
  kCrossNamespace,
  kMirror,
  kPercentMirror,
  kMultipleMirrors,
  kBackendResponseHeader,
  kStickyCookie,       // application.sticky: a backendRef-level ResponseHeaderModifier too
  kGrpcMethod,         // service and method, Exact
  kGrpcPartialMethod,  // service or method alone, Exact
  kGrpcRegexMethod,
};

const char* what(Feature f) {
  switch (f) {
    case Feature::kRoute:
      return "the route";
    case Feature::kPathMatch:
      return "path matches";
    case Feature::kHeaderMatch:
      return "header matches";
    case Feature::kRegexMatch:
      return "regular expression matches";
    case Feature::kQueryMatch:
      return "query parameter matches";
    case Feature::kMethodMatch:
      return "method matches";
    case Feature::kWeights:
      return "weighted backends";
    case Feature::kCrossNamespace:
      return "a backend in another namespace (ReferenceGrant)";
    case Feature::kMirror:
      return "request mirroring";
    case Feature::kPercentMirror:
      return "mirroring a percentage of requests";
    case Feature::kMultipleMirrors:
      return "several mirrors on one rule";
    case Feature::kBackendResponseHeader:
      return "a backendRef-level ResponseHeaderModifier (the app-version response header)";
    case Feature::kStickyCookie:
      return "a backendRef-level ResponseHeaderModifier (the Set-Cookie header of sticky "
             "sessions, application.sticky)";
    case Feature::kGrpcMethod:
      return "gRPC service and method matches";
    case Feature::kGrpcPartialMethod:
      return "a gRPC match on a service or a method alone";
    case Feature::kGrpcRegexMethod:
      return "RegularExpression gRPC service or method matches";
  }
  return "";
}

// How the conformance data can cover a feature in one profile: a core feature (then its core
// tests), an extended feature name, implementation-specific (no test), or nothing.
struct Coverage {
  enum Kind { kCore, kExtended, kImplementationSpecific, kNone } kind = kNone;
  std::vector<std::string> names;  // kCore: core tests; kExtended: features, best first
  bool checked = true;             // kExtended: false = a MESH-HTTP declaration of caveat 1
};

Coverage core(std::vector<std::string> tests) {
  return Coverage{Coverage::kCore, std::move(tests), true};
}
Coverage extended(std::string name, bool checked = true) {
  return Coverage{Coverage::kExtended, {std::move(name)}, checked};
}
Coverage specific() {
  return Coverage{Coverage::kImplementationSpecific, {}, true};
}
Coverage none() {
  return Coverage{};
}

// The coverage of `f` in the profile of a route: mesh or gateway, HTTP or gRPC; `legacy` for
// reports before Gateway API v1.4 (caveat 1). A feature of several candidates (`more`) is
// covered by the first the report declares.
std::vector<Coverage> coverage(Feature f, bool mesh, bool grpc, bool legacy) {
  using F = Feature;
  if (grpc) {
    switch (f) {
      case F::kRoute:
        return {core({})};
      case F::kGrpcMethod:
        return {core(mesh ? std::vector<std::string>{}
                          : std::vector<std::string>{"GRPCExactMethodMatching"})};
      case F::kHeaderMatch:
        return {core(mesh ? std::vector<std::string>{}
                          : std::vector<std::string>{"GRPCRouteHeaderMatching"})};
      case F::kWeights:
        return {core({mesh ? "MeshGRPCRouteWeight" : "GRPCRouteWeight"})};
      case F::kCrossNamespace:
        return {mesh ? none() : core({})};
      case F::kGrpcPartialMethod:
      case F::kGrpcRegexMethod:
      case F::kRegexMatch:
        return {specific()};
      default:
        return {none()};  // mirroring, backend response headers: no GRPCRoute feature
    }
  }
  switch (f) {
    case F::kRoute:
      return {core({})};
    case F::kPathMatch:
      return {core({mesh ? "MeshHTTPRouteMatching" : "HTTPRouteMatching"})};
    case F::kHeaderMatch:
      return {mesh ? core({"MeshHTTPRouteMatching"})
                   : core({"HTTPRouteHeaderMatching", "HTTPRouteMatching"})};
    case F::kRegexMatch:
      return {specific()};
    case F::kWeights:
      return {mesh ? core({"MeshHTTPRouteWeight", "MeshTrafficSplit"}) : core({"HTTPRouteWeight"})};
    case F::kCrossNamespace:
      return {mesh ? none() : core({"HTTPRouteReferenceGrant"})};
    case F::kQueryMatch:
      if (!mesh) return {extended("HTTPRouteQueryParamMatching")};
      return {extended("MeshHTTPRouteQueryParamMatching"),
              extended("HTTPRouteQueryParamMatching", false)};
    case F::kMethodMatch:
      if (!mesh) return {extended("HTTPRouteMethodMatching")};
      return {legacy ? extended("HTTPRouteMethodMatching", false) : none()};
    case F::kMirror:
      if (!mesh) return {extended("HTTPRouteRequestMirror")};
      return {legacy ? extended("HTTPRouteRequestMirror", false) : none()};
    case F::kPercentMirror:
      if (!mesh) return {extended("HTTPRouteRequestPercentageMirror")};
      return {legacy ? extended("HTTPRouteRequestPercentageMirror", false) : none()};
    case F::kMultipleMirrors:
      if (!mesh) return {extended("HTTPRouteRequestMultipleMirrors")};
      return {legacy ? extended("HTTPRouteRequestMultipleMirrors", false) : none()};
    default:
      return {none()};  // backendRef-level ResponseHeaderModifier: caveat 5
  }
}

// The caveats.yaml feature that speaks about `f`, if any.
std::optional<CaveatFeature> caveat_feature(Feature f, bool grpc) {
  switch (f) {
    case Feature::kMirror:
    case Feature::kPercentMirror:
    case Feature::kMultipleMirrors:
      return CaveatFeature::kRequestMirror;
    case Feature::kGrpcRegexMethod:
      return CaveatFeature::kGrpcMethodRegex;
    case Feature::kBackendResponseHeader:
    case Feature::kStickyCookie:
      return grpc ? CaveatFeature::kGrpcBackendResponseHeader
                  : CaveatFeature::kBackendResponseHeader;
    case Feature::kRegexMatch:
      return CaveatFeature::kRegexMatch;
    case Feature::kMethodMatch:
      return CaveatFeature::kMethodMatch;
    case Feature::kCrossNamespace:
      return CaveatFeature::kCrossNamespaceBackend;
    default:
      return std::nullopt;
  }
}

// "v1.3.0" -> true when before v1.4 (the MESH-HTTP profile of caveat 1).
bool before_v1_4(const std::string& version) {
  const char* p = version.c_str();
  if (*p == 'v') ++p;
  char* end = nullptr;
  long major = std::strtol(p, &end, 10);
  long minor = *end == '.' ? std::strtol(end + 1, nullptr, 10) : 0;
  return major < 1 || (major == 1 && minor < 4);
}

struct Verdict {
  enum Kind { kHolds, kWarn, kFails } kind = kHolds;
  std::string why;
};

struct RouteKind {
  const ImplementationProfile* impl;
  bool mesh;
  bool grpc;
  std::string profile_name;  // MESH-HTTP, ...
  const char* label() const { return mesh ? "mesh" : "gateway"; }
  std::string report() const {
    return "its " + profile_name + " conformance report (" + impl->version + ", Gateway API " +
           impl->gateway_api_version + ")";
  }
};

// The implementation's own word on a caveat feature (profiles/README.md), if it has one.
std::optional<Verdict> caveat_verdict(Feature f, const RouteKind& k) {
  const ImplementationProfile& impl = *k.impl;
  auto cf = caveat_feature(f, k.grpc);
  if (!cf) return std::nullopt;
  for (size_t i = 0; i < impl.reject_count; ++i) {
    if (impl.rejects[i].feature == *cf) return Verdict{Verdict::kFails, impl.rejects[i].why};
  }
  for (size_t i = 0; i < impl.support_count; ++i) {
    if (impl.supports[i].feature == *cf) return Verdict{Verdict::kHolds, impl.supports[i].why};
  }
  return std::nullopt;
}

// A feature no conformance feature covers for this kind of route.
Verdict uncovered_verdict(Feature f, const RouteKind& k) {
  if (f == Feature::kBackendResponseHeader || f == Feature::kStickyCookie) {
    return {Verdict::kFails,
            "no Gateway API conformance feature covers a backendRef-level "
            "ResponseHeaderModifier (profiles/README.md caveat 5), and nothing else shows "
            "that " +
                std::string(k.impl->name) + " applies one"};
  }
  if (k.grpc) {
    return {Verdict::kFails, "no Gateway API conformance feature covers it on GRPCRoutes, so " +
                                 k.report() + " cannot show support"};
  }
  return {Verdict::kFails,
          "no conformance feature covers it in the " + k.profile_name + " profile (" +
              (k.mesh ? std::string("the mesh profiles cover little since Gateway API v1.4, "
                                    "profiles/README.md caveat 2")
                      : std::string("Gateway API has none")) +
              "), so " + k.report() + " cannot show support"};
}

// A feature covered by extended conformance features: what the report declares of them.
Verdict extended_verdict(const std::vector<Coverage>& cov, const ConformanceProfile& p,
                         const RouteKind& k) {
  const ImplementationProfile& impl = *k.impl;
  for (const Coverage& c : cov) {
    if (c.kind != Coverage::kExtended || !listed(p.supported, c.names[0])) continue;
    if (c.checked) return {};
    return {Verdict::kWarn, std::string(impl.name) + " declares " + c.names[0] + " in its " +
                                k.profile_name + " conformance report (Gateway API " +
                                impl.gateway_api_version +
                                "), but no mesh conformance test checked it at that version "
                                "(profiles/README.md caveat 1)"};
  }
  for (const Coverage& c : cov) {
    if (c.kind == Coverage::kExtended && listed(p.unsupported, c.names[0])) {
      return {Verdict::kFails, k.report() + " lists " + c.names[0] + " as unsupported"};
    }
  }
  if (!p.extended) {
    return {Verdict::kFails,
            k.report() + " lists no extended features for this profile, so it cannot show " +
                cov[0].names[0]};
  }
  return {Verdict::kFails, k.report() + " does not declare " + cov[0].names[0]};
}

Verdict judge(Feature f, const RouteKind& k) {
  const ImplementationProfile& impl = *k.impl;
  if (auto v = caveat_verdict(f, k)) return *v;
  const ConformanceProfile* p = impl.profile(k.profile_name);
  if (!p) return {Verdict::kFails, "no profile"};  // reported once, for kRoute
  bool legacy = k.mesh && before_v1_4(impl.gateway_api_version);
  std::vector<Coverage> cov = coverage(f, k.mesh, k.grpc, legacy);
  if (cov.size() == 1 && cov[0].kind == Coverage::kCore) {
    for (const std::string& test : cov[0].names) {
      if (listed(p->core_not_passed, test)) {
        return {Verdict::kFails, k.report() + " did not pass its core conformance test " + test +
                                     " (skipped or failed)"};
      }
    }
    return {};
  }
  if (cov.size() == 1 && cov[0].kind == Coverage::kImplementationSpecific) {
    return {Verdict::kWarn, std::string(what(f)) +
                                " are implementation-specific in Gateway API: no conformance "
                                "test covers them, so nothing shows that " +
                                impl.name + " supports them"};
  }
  if (cov.size() == 1 && cov[0].kind == Coverage::kNone) return uncovered_verdict(f, k);
  return extended_verdict(cov, *p, k);
}

// One use of a feature at a spec position.
struct Use {
  Feature feature;
  Location loc;
  std::string field_path;  // of the node at loc, for the diagnostic
};

std::vector<Use> uses_of(const Routemap& rm, bool percent_feature_at_100) {
  std::vector<Use> out;
  auto add = [&](Feature f, const Location& at, const std::string& path) {
    out.push_back({f, at, path});
  };
  bool grpc = rm.protocol == Protocol::kGrpc;
  for (const Route& r : rm.routes) {
    for (const RequestMatch& m : r.matches) {
      if (m.grpc) {
        const GrpcMethodMatch& g = *m.grpc;
        add(g.regex                                 ? Feature::kGrpcRegexMethod
            : g.service.empty() || g.method.empty() ? Feature::kGrpcPartialMethod
                                                    : Feature::kGrpcMethod,
            g.loc, g.field_path);
      }
      if (m.path) {
        bool regex = m.path->type == MatchType::kRegex || m.path->type == MatchType::kPrefix;
        add(regex ? Feature::kRegexMatch : Feature::kPathMatch, m.path->loc, m.path->field_path);
      }
      for (const ValueMatch& h : m.headers) {
        add(Feature::kHeaderMatch, h.loc, h.field_path);
        if (h.type != MatchType::kExact || h.value.empty())
          add(Feature::kRegexMatch, h.loc, h.field_path);
      }
      if (!m.cookies.empty()) {
        add(Feature::kHeaderMatch, m.cookies.front().loc, m.cookies.front().field_path);
        add(Feature::kRegexMatch, m.cookies.front().loc, m.cookies.front().field_path);
      }
      for (const ValueMatch& q : m.query_params) {
        add(Feature::kQueryMatch, q.loc, q.field_path);
        if (q.type != MatchType::kExact || q.value.empty())
          add(Feature::kRegexMatch, q.loc, q.field_path);
      }
      if (!m.method.empty()) add(Feature::kMethodMatch, m.loc, m.field_path);
    }
    if (r.destinations.size() > 1) add(Feature::kWeights, r.loc, r.field_path);
    for (const Mirror& m : r.mirrors) {
      add(Feature::kMirror, m.loc, m.field_path);
      if (m.percent != 100 || percent_feature_at_100)
        add(Feature::kPercentMirror, m.loc, m.field_path);
    }
    if (r.mirrors.size() > 1)
      add(Feature::kMultipleMirrors, r.mirrors[1].loc, r.mirrors[1].field_path);
  }
  if (!rm.sticky_cookie.empty()) {
    add(Feature::kStickyCookie, rm.sticky_loc, rm.field_path("application.sticky"));
  }
  for (const Version& v : rm.versions) {
    if (v.namespace_ != rm.namespace_) {
      add(Feature::kCrossNamespace, v.namespace_loc.valid() ? v.namespace_loc : v.loc,
          join_path(v.field_path, "metadata.namespace"));
    }
  }
  (void)grpc;
  return out;
}

// The implementation has no conformance report for this kind of route.
void report_no_profile(const RouteKind& k, const Setting& named, const std::string& target,
                       DiagnosticSink& sink) {
  std::string path = named.origin.rfind("--", 0) == 0 ? "" : named.origin;
  std::string kind = k.grpc ? "GRPCRoutes" : "HTTPRoutes";
  std::string has;
  for (size_t i = 0; i < k.impl->profile_count; ++i) {
    has += (has.empty() ? "" : ", ") + std::string(k.impl->profiles[i].name);
  }
  sink.error(named.loc, path,
             target + " cannot attach the " + k.label() + " route to " + k.impl->name +
                 ": it has no " + k.profile_name + " conformance report (" +
                 (has.empty() ? std::string("it reports no profile") : "it reports " + has) +
                 "), so nothing shows that it serves " + kind + " attached to " +
                 (k.mesh ? "a Service (GAMMA mesh routing)" : "a Gateway") +
                 (k.mesh ? "; name your mesh's implementation (and this one as "
                           "gatewayImplementation, if it serves the gateway)"
                         : ""));
}

// Judges every feature the routemap uses on this kind of route.
void check_feature_uses(const Routemap& rm, const RouteKind& k, const std::string& target,
                        DiagnosticSink& sink) {
  const std::string name = k.impl->name;
  std::set<Feature> warned;
  // One error per position and reason: mirroring and mirroring a percentage, rejected by the
  // same caveat, are one mistake.
  std::set<std::tuple<uint32_t, uint32_t, std::string>> reported;
  for (const Use& u : uses_of(rm, false)) {
    Verdict v = judge(u.feature, k);
    if (v.kind == Verdict::kFails && !reported.insert({u.loc.line, u.loc.col, v.why}).second) {
      continue;
    }
    if (v.kind == Verdict::kFails) {
      sink.error(u.loc, u.field_path,
                 target + " cannot use " + what(u.feature) + " on the " + k.label() +
                     " route served by " + name + ": " + v.why);
    } else if (v.kind == Verdict::kWarn && warned.insert(u.feature).second) {
      sink.warning(u.loc, u.field_path,
                   target + " uses " + what(u.feature) + " on the " + k.label() +
                       " route served by " + name + ", which may not be honoured: " + v.why);
    }
  }
}

// The app-version header: only where the implementation is known to apply it. Returns whether
// the route sets it.
bool app_version_header(const Routemap& rm, const RouteKind& k, const Setting& named,
                        const std::string& target, DiagnosticSink& sink) {
  const std::string& want = rm.app_version_header.value;
  if (want == "false") return false;
  Verdict v = judge(Feature::kBackendResponseHeader, k);
  if (v.kind == Verdict::kHolds) return true;
  const std::string name = k.impl->name;
  if (want == "true") {
    std::string at = rm.app_version_header.origin.rfind("--", 0) == 0
                         ? std::string()
                         : rm.app_version_header.origin;
    sink.error(rm.app_version_header.loc, at,
               target + " cannot set the app-version response header on the " + k.label() +
                   " route served by " + name + ": " + v.why +
                   (at.empty() ? " (--app-version-header true)" : ""));
  } else {
    std::string path = named.origin.rfind("--", 0) == 0 ? "" : named.origin;
    sink.warning(named.loc, path,
                 "responses through the " + std::string(k.label()) + " route served by " + name +
                     " will not carry the app-version header: " + v.why +
                     "; set appVersionHeader: false (or --app-version-header false) to say so");
  }
  return false;
}

// Checks the route of one kind; returns its options.
RouteOptions check_route(const Routemap& rm, const RouteKind& k, const Setting& named,
                         const std::string& target, DiagnosticSink& sink) {
  RouteOptions options;
  options.mirror_percent_always = false;
  if (!k.impl->profile(k.profile_name)) {
    report_no_profile(k, named, target, sink);
    options.app_version = false;
    return options;
  }
  check_feature_uses(rm, k, target, sink);
  options.app_version = app_version_header(rm, k, named, target, sink);
  return options;
}

// One cell of the implementation table: the verdict on the mesh route, then on the gateway
// route, as "mesh / gateway" ("yes", "no", "warn", "-" without the profile).
std::string cell(const ImplementationProfile& p, Feature f, bool grpc) {
  auto one = [&](bool mesh) -> std::string {
    std::string name = std::string(mesh ? "MESH-" : "GATEWAY-") + (grpc ? "GRPC" : "HTTP");
    if (!p.profile(name)) return "-";
    Verdict v = judge(f, RouteKind{&p, mesh, grpc, name});
    return v.kind == Verdict::kHolds ? "yes" : v.kind == Verdict::kWarn ? "warn" : "no";
  };
  return one(true) + " / " + one(false);
}

}  // namespace

std::vector<std::string> implementation_columns() {
  return {"HTTPRoute",          "header match",   "regex match",
          "query match",        "method match",   "weights",
          "request mirror",     "mirror %",       "several mirrors",
          "app-version header", "sticky session", "other-namespace backend",
          "GRPCRoute",          "rule ranking"};
}

std::vector<std::string> implementation_cells(const ImplementationProfile& p) {
  using F = Feature;
  return {cell(p, F::kRoute, false),
          cell(p, F::kHeaderMatch, false),
          cell(p, F::kRegexMatch, false),
          cell(p, F::kQueryMatch, false),
          cell(p, F::kMethodMatch, false),
          cell(p, F::kWeights, false),
          cell(p, F::kMirror, false),
          cell(p, F::kPercentMirror, false),
          cell(p, F::kMultipleMirrors, false),
          cell(p, F::kBackendResponseHeader, false),
          cell(p, F::kStickyCookie, false),
          cell(p, F::kCrossNamespace, false),
          cell(p, F::kGrpcMethod, true),
          p.ranking == Ranking::kLinkerd ? "Linkerd's" : "Gateway API's"};
}

RoutePlan plan_routes(const Routemap& rm, const std::string& target, DiagnosticSink& sink) {
  RoutePlan plan;
  bool grpc = rm.protocol == Protocol::kGrpc;
  bool header = rm.app_version_header.value != "false";
  plan.mesh_options.app_version = plan.gateway_options.app_version = header;
  const Setting& mesh = rm.implementation;
  const Setting& gateway = rm.gateway_implementation.given() ? rm.gateway_implementation : mesh;
  if (mesh.given()) plan.mesh = find_implementation_profile(mesh.value);
  if (!rm.gateway.empty() && gateway.given()) {
    plan.gateway = find_implementation_profile(gateway.value);
  }
  std::string suffix = grpc ? "GRPC" : "HTTP";
  if (plan.mesh) {
    plan.mesh_options =
        check_route(rm, RouteKind{plan.mesh, true, grpc, "MESH-" + suffix}, mesh, target, sink);
  }
  if (plan.gateway) {
    plan.gateway_options = check_route(
        rm, RouteKind{plan.gateway, false, grpc, "GATEWAY-" + suffix}, gateway, target, sink);
  }
  return plan;
}

}  // namespace meshc::gateway_api
