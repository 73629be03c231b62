#include "compiler/lower/lower.h"

#include <re2/re2.h>

#include <set>

#include "compiler/diag/field_path.h"
#include "compiler/ir/match_regex.h"

namespace meshc {

namespace {

std::string str(const YNode* n) {
  return n && n->is_scalar() ? n->value : std::string();
}

std::map<std::string, Location> key_locations(const YNode* n) {
  std::map<std::string, Location> out;
  if (!n || !n->is_mapping()) return out;
  for (const auto& [k, v] : n->entries) out[k->value] = k->loc;
  return out;
}

StringMap string_map(const YNode* n) {
  StringMap out;
  if (!n || !n->is_mapping()) return out;
  for (const auto& [k, v] : n->entries) out[k->value] = v->value;
  return out;
}

class Lowerer {
 public:
  Lowerer(const ReleaseInput& in, const ReleaseDefaults& defaults, DiagnosticSink& sink)
      : in_(in), defaults_(defaults), sink_(sink) {}

  std::optional<Routemap> run();

 private:
  void error(const Location& at, const std::string& path, std::string msg) {
    sink_.error(at, join_path(in_.path_prefix, path), std::move(msg));
  }
  void warning(const Location& at, const std::string& path, std::string msg) {
    sink_.warning(at, join_path(in_.path_prefix, path), std::move(msg));
  }

  void resolve_identity(Routemap& rm, const YNode* app);
  void lower_version(Routemap& rm, const YNode* app, const YNode& v, size_t i);
  std::vector<RequestMatch> lower_matches(const YNode& list, const std::string& path);
  std::vector<RequestMatch> lower_istio_matches(const YNode& list, const std::string& path);
  void check_match(RequestMatch& m, const std::string& path);
  void check_regex(const std::string& expr, const Location& at, const std::string& path);
  void build_routes(Routemap& rm, const YNode* app);

  void lower_grpc_match(const YNode& g, const std::string& path, RequestMatch& out);

  const ReleaseInput& in_;
  const ReleaseDefaults& defaults_;
  DiagnosticSink& sink_;
  Protocol protocol_ = Protocol::kHttp;
  // Per version: matches and whether weight was given (routes are built from these).
  struct VersionRouting {
    std::vector<RequestMatch> matches;
    const YNode* matches_node = nullptr;
    const char* matches_key = "matches";  // or "match" (Iter8's Istio form)
    std::optional<uint64_t> weight;
    const YNode* weight_node = nullptr;
  };
  std::vector<VersionRouting> routing_;
};

}  // namespace

std::optional<ReleaseInput> classify_document(const YNode& doc, DiagnosticSink& sink) {
  if (doc.is_null()) return std::nullopt;
  if (!doc.is_mapping()) {
    sink.error(doc.loc, "",
               "expected a release spec (a mapping with environment and application), got " +
                   describe(doc));
    return std::nullopt;
  }
  ReleaseInput in;
  in.document = &doc;
  const YNode* kind = doc.get("kind");
  if (!kind && !doc.get("apiVersion")) {
    in.values = &doc;
    in.form = SpecForm::kValues;
    return in;
  }
  if (!kind || !kind->is_scalar() || kind->value != "Release") {
    const YNode* at = kind ? kind : doc.key_node("apiVersion");
    sink.error(
        at->loc, kind ? "kind" : "",
        kind ? "expected kind Release (apiVersion meshc.dev/v1alpha1), got " + describe(*kind)
             : "a resource without kind; expected kind Release (apiVersion meshc.dev/v1alpha1)");
    return std::nullopt;
  }
  in.form = SpecForm::kReleaseDocument;
  in.values = doc.get("spec");
  in.path_prefix = "spec";
  return in;
}

bool check_environment(const ReleaseInput& in, DiagnosticSink& sink) {
  if (!in.values || !in.values->is_mapping()) return true;  // the schema reports it
  const YNode* env = in.values->get("environment");
  if (!env || !env->is_scalar()) return true;
  const std::string& e = env->value;
  if (e.rfind("kserve", 0) == 0 || e.rfind("mm-", 0) == 0) {
    sink.error(env->loc, join_path(in.path_prefix, "environment"),
               "KServe environments are not supported: meshc compiles Kubernetes Deployment "
               "releases (deployment, deployment-gtw, deployment-istio, deployment-smi, "
               "deployment-linkerd), got " +
                   quote(e));
    return false;
  }
  return true;
}

std::optional<Routemap> lower_release(const ReleaseInput& in, const ReleaseDefaults& defaults,
                                      DiagnosticSink& sink) {
  return Lowerer(in, defaults, sink).run();
}

namespace {

std::optional<Routemap> Lowerer::run() {
  size_t errors_before = sink_.error_count();
  Routemap rm;
  const YNode& values = *in_.values;
  const YNode* app = values.get("application");
  rm.loc = in_.document->loc;
  rm.environment = str(values.get("environment"));
  if (const YNode* e = values.get("environment")) rm.environment_loc = e->loc;
  if (const YNode* g = values.get("gateway")) rm.gateway = g->value, rm.gateway_loc = g->loc;
  // Routing options: the command line's win over the spec's fields.
  auto setting = [&](const char* field, const std::string& option_value, const char* option,
                     Setting& s) {
    if (!option_value.empty()) {
      s = Setting{option_value, rm.loc, option};
    } else if (const YNode* n = values.get(field)) {
      nlohmann::json j = scalar_to_json(*n);
      s = Setting{j.is_boolean() ? (j.get<bool>() ? "true" : "false") : n->value, n->loc,
                  join_path(in_.path_prefix, field)};
    }
  };
  const RoutingOverrides& o = defaults_.routing;
  setting("implementation", o.implementation, "--implementation", rm.implementation);
  setting("gatewayImplementation", o.gateway_implementation, "--gateway-implementation",
          rm.gateway_implementation);
  setting("appVersionHeader", o.app_version_header, "--app-version-header", rm.app_version_header);
  if (rm.gateway_implementation.given() && rm.gateway.empty()) {
    warning(rm.gateway_implementation.loc, "",
            rm.gateway_implementation.origin + " is not used: no gateway is given");
  }
  resolve_identity(rm, app);
  if (const YNode* p = app->get("port")) rm.port = std::stoi(p->value, nullptr, 0);
  if (const YNode* h = app->get("hosts")) {
    rm.hosts_loc = h->loc;
    for (const auto& item : h->items) rm.hosts.push_back(item->value);
  }
  rm.protocol_loc = app->loc;
  if (const YNode* p = app->get("protocol")) {
    rm.protocol_loc = p->loc;
    if (p->value == "grpc") rm.protocol = Protocol::kGrpc;
  }
  protocol_ = rm.protocol;
  rm.strategy_loc = app->loc;
  if (const YNode* s = app->get("strategy")) {
    rm.strategy_loc = s->loc;
    if (s->value == "canary")
      rm.strategy = Strategy::kCanary;
    else if (s->value == "blue-green")
      rm.strategy = Strategy::kBlueGreen;
    else if (s->value == "mirror")
      rm.strategy = Strategy::kMirror;
  }
  if (sink_.error_count() != errors_before) return std::nullopt;

  const YNode* versions = app->get("versions");
  for (size_t i = 0; i < versions->items.size(); ++i) {
    lower_version(rm, app, *versions->items[i], i);
  }
  // Names are unique and do not collide with the root Service.
  std::map<std::pair<std::string, std::string>, size_t> seen;
  for (const Version& v : rm.versions) {
    std::string path = append_index("application.versions", v.index) + ".metadata.name";
    auto [it, fresh] = seen.emplace(std::make_pair(v.namespace_, v.name), v.index);
    if (!fresh) {
      error(v.loc, path,
            "expected a unique version name, got " + quote(v.name) + " again (also version " +
                std::to_string(it->second) + ")");
    }
    if (v.name == rm.name && v.namespace_ == rm.namespace_) {
      error(v.loc, path,
            "expected a version name other than the application name " + quote(rm.name) +
                " (it names the root Service)");
    }
  }
  if (sink_.error_count() != errors_before) return std::nullopt;
  build_routes(rm, app);
  if (sink_.error_count() != errors_before) return std::nullopt;
  return rm;
}

void Lowerer::resolve_identity(Routemap& rm, const YNode* app) {
  const YNode* meta = app->get("metadata");
  const YNode* doc_meta =
      in_.form == SpecForm::kReleaseDocument ? in_.document->get("metadata") : nullptr;
  const YNode* name = meta ? meta->get("name") : nullptr;
  if (!name && doc_meta) name = doc_meta->get("name");
  if (name) {
    rm.name = name->value;
  } else if (!defaults_.name.empty()) {
    rm.name = defaults_.name;
  } else {
    error(app->loc, "application.metadata.name",
          "expected an application name, got none (set application.metadata.name" +
              std::string(in_.form == SpecForm::kReleaseDocument ? ", metadata.name" : "") +
              " or --name)");
  }
  const YNode* ns = meta ? meta->get("namespace") : nullptr;
  if (!ns && doc_meta) ns = doc_meta->get("namespace");
  rm.namespace_ = ns ? ns->value : !defaults_.namespace_.empty() ? defaults_.namespace_ : "default";
  if (meta) {
    rm.labels = string_map(meta->get("labels"));
    rm.label_locs = key_locations(meta->get("labels"));
    rm.annotations = string_map(meta->get("annotations"));
  }
}

void Lowerer::lower_version(Routemap& rm, const YNode* app, const YNode& v, size_t i) {
  std::string path = append_index("application.versions", i);
  Version ver;
  ver.index = i;
  ver.loc = v.loc;
  const YNode* meta = v.get("metadata");
  if (const YNode* n = meta ? meta->get("name") : nullptr) {
    ver.name = n->value;
    ver.loc = n->loc;
  } else {
    ver.name = rm.name + "-" + std::to_string(i);
    if (ver.name.size() > 63) {
      error(v.loc, path + ".metadata.name",
            "expected a version name of at most 63 characters, got the derived name " +
                quote(ver.name) + " (" + std::to_string(ver.name.size()) +
                " characters); set metadata.name");
    }
  }
  const YNode* ns = meta ? meta->get("namespace") : nullptr;
  ver.namespace_ = ns ? ns->value : rm.namespace_;
  ver.namespace_loc = ns ? ns->loc : Location{};
  if (meta) {
    ver.labels = string_map(meta->get("labels"));
    ver.label_locs = key_locations(meta->get("labels"));
    ver.annotations = string_map(meta->get("annotations"));
  }
  const YNode* image = v.get("image");
  if (image) ver.image = image->value;
  const YNode* dspec = v.get("deploymentSpecification");
  const YNode* sspec = v.get("serviceSpecification");
  if (!image && !dspec) {
    error(v.loc, path,
          "missing required field \"image\" (needed unless deploymentSpecification is given)");
  }
  if (image && dspec) {
    warning(image->loc, path + ".image", "image is not used when deploymentSpecification is given");
  }
  // Port: serviceSpecification.spec.ports[0].port > versions[].port > application.port > 80.
  ver.port = rm.port;
  ver.port_loc = app->get("port") ? app->get("port")->loc : Location{};
  if (const YNode* p = v.get("port"))
    ver.port = std::stoi(p->value, nullptr, 0), ver.port_loc = p->loc;
  if (sspec) {
    const YNode* spec = sspec->get("spec");
    const YNode* ports = spec->get("ports");
    if (ports && ports->is_sequence() && !ports->items.empty() && ports->items[0]->is_mapping()) {
      const YNode* p = ports->items[0]->get("port");
      nlohmann::json pj = p ? scalar_to_json(*p) : nlohmann::json();
      if (!pj.is_number_integer() || pj.get<int64_t>() < 1 || pj.get<int64_t>() > 65535) {
        error(p ? p->loc : ports->items[0]->loc, path + ".serviceSpecification.spec.ports[0].port",
              "expected a port from 1 to 65535, got " + (p ? describe(*p) : std::string("none")));
      } else {
        ver.port = static_cast<int>(pj.get<int64_t>());
        ver.port_loc = p->loc;
      }
    } else if (ports) {
      error(ports->loc, path + ".serviceSpecification.spec.ports",
            "expected a non-empty list of ports, got " + describe(*ports));
    }
  }
  auto check_spec_meta = [&](const YNode* spec, const char* field) {
    if (!spec) return;
    const YNode* m = spec->get("metadata");
    if (!m) return;
    std::string p = path + "." + field + ".metadata";
    if (const YNode* n = m->get("name"); n && n->value != ver.name) {
      error(n->loc, p + ".name",
            "expected the version's name " + quote(ver.name) + " or no name, got " + describe(*n) +
                " (set versions[].metadata.name to rename a version)");
    }
    if (const YNode* n = m->get("namespace"); n && n->value != ver.namespace_) {
      error(n->loc, p + ".namespace",
            "expected the version's namespace " + quote(ver.namespace_) + " or no namespace, got " +
                describe(*n));
    }
  };
  check_spec_meta(dspec, "deploymentSpecification");
  check_spec_meta(sspec, "serviceSpecification");
  if (dspec) ver.deployment_spec = to_ordered_json(*dspec), ver.deployment_spec_loc = dspec->loc;
  if (sspec) ver.service_spec = to_ordered_json(*sspec), ver.service_spec_loc = sspec->loc;

  VersionRouting r;
  const YNode* matches = v.get("matches");
  const YNode* match = v.get("match");
  if (matches && match) {
    error(v.key_node("match")->loc, path + ".match",
          "expected either matches or match, got both (match is Iter8's Istio form of matches)");
  } else if (matches) {
    r.matches = lower_matches(*matches, path + ".matches");
    r.matches_node = matches;
  } else if (match && protocol_ == Protocol::kGrpc) {
    error(v.key_node("match")->loc, path + ".match",
          "expected matches in a gRPC release (application.protocol: grpc), got match (Iter8's "
          "Istio form has no gRPC service or method)");
  } else if (match) {
    r.matches = lower_istio_matches(*match, path + ".match");
    r.matches_node = match;
    r.matches_key = "match";
  }
  if (const YNode* w = v.get("weight")) {
    r.weight = std::stoull(w->value, nullptr, 0);
    r.weight_node = w;
  }
  routing_.push_back(std::move(r));
  rm.versions.push_back(std::move(ver));
}

void Lowerer::check_regex(const std::string& expr, const Location& at, const std::string& path) {
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 re(expr, opts);
  if (!re.ok()) {
    error(at, path,
          "expected an RE2 regular expression, got " + quote(expr) + " (" + re.error() + ")");
  }
}

void Lowerer::check_match(RequestMatch& m, const std::string& path) {
  if (m.path) {
    const ValueMatch& p = *m.path;
    if (p.type == MatchType::kRegex) {
      check_regex(p.value, p.loc, path + ".path.value");
    } else if (p.value.empty() || p.value[0] != '/') {
      error(p.loc, path + ".path.value",
            "expected a path starting with '/', got " + quote(p.value));
    }
  }
  auto check_list = [&](std::vector<ValueMatch>& list, const char* field, bool case_insensitive) {
    std::map<std::string, size_t> names;
    for (size_t i = 0; i < list.size(); ++i) {
      ValueMatch& c = list[i];
      std::string key = c.name;
      if (case_insensitive) {
        for (auto& ch : key) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
      }
      std::string item = append_index(path + "." + field, i);
      auto [it, fresh] = names.emplace(key, i);
      if (!fresh) {
        error(c.loc, item + ".name",
              "expected each name once per match, got " + quote(c.name) + " again (also item " +
                  std::to_string(it->second) + "); conditions in one match are ANDed");
      }
      if (c.type == MatchType::kRegex) check_regex(c.value, c.loc, item + ".value");
    }
  };
  check_list(m.headers, "headers", true);
  check_list(m.query_params, "queryParams", false);
  check_list(m.cookies, "cookies", false);
  if (m.cookies.size() > kMaxCookiesPerMatch) {
    error(m.cookies[kMaxCookiesPerMatch].loc, append_index(path + ".cookies", kMaxCookiesPerMatch),
          "expected at most " + std::to_string(kMaxCookiesPerMatch) +
              " cookie conditions in one match (they become one regular expression over the "
              "Cookie header), got " +
              std::to_string(m.cookies.size()));
  }
  for (const ValueMatch& h : m.headers) {
    if (!m.cookies.empty() && (h.name == "cookie" || h.name == "Cookie" || h.name == "COOKIE")) {
      error(h.loc, path + ".headers",
            "expected cookie conditions under cookies only, got a Cookie header match beside "
            "cookies");
      break;
    }
  }
}

std::vector<RequestMatch> Lowerer::lower_matches(const YNode& list, const std::string& path) {
  std::vector<RequestMatch> out;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const YNode& m = *list.items[i];
    std::string mpath = append_index(path, i);
    RequestMatch rm;
    rm.loc = m.loc;
    if (protocol_ == Protocol::kGrpc) {
      // A gRPC call is a POST to /<service>/<method>: only grpc and headers say which.
      for (const char* key : {"path", "queryParams", "method", "cookies"}) {
        if (const YNode* k = m.key_node(key)) {
          error(k->loc, mpath + "." + key,
                std::string("expected only grpc and headers in a match of a gRPC release "
                            "(application.protocol: grpc), got ") +
                    key);
        }
      }
    }
    if (const YNode* g = m.get("grpc")) {
      if (protocol_ != Protocol::kGrpc) {
        error(m.key_node("grpc")->loc, mpath + ".grpc",
              "expected grpc matches only in a gRPC release; set application.protocol: grpc");
      } else {
        lower_grpc_match(*g, mpath + ".grpc", rm);
      }
    }
    if (const YNode* p = m.get("path")) {
      ValueMatch vm;
      const YNode* t = p->get("type");
      std::string type = t ? t->value : "PathPrefix";
      vm.type = type == "Exact"               ? MatchType::kExact
                : type == "RegularExpression" ? MatchType::kRegex
                                              : MatchType::kPathPrefix;
      vm.value = p->get("value")->value;
      vm.loc = p->get("value")->loc;
      rm.path = vm;
    }
    auto pairs = [&](const char* field, std::vector<ValueMatch>& into) {
      const YNode* l = m.get(field);
      if (!l) return;
      for (const auto& item : l->items) {
        ValueMatch vm;
        vm.name = item->get("name")->value;
        vm.value = item->get("value")->value;
        vm.loc = item->loc;
        const YNode* t = item->get("type");
        std::string type = t ? t->value : "Exact";
        vm.type = type == "Prefix"              ? MatchType::kPrefix
                  : type == "RegularExpression" ? MatchType::kRegex
                                                : MatchType::kExact;
        into.push_back(vm);
      }
    };
    pairs("headers", rm.headers);
    pairs("queryParams", rm.query_params);
    pairs("cookies", rm.cookies);
    if (const YNode* meth = m.get("method")) rm.method = meth->value;
    check_match(rm, mpath);
    out.push_back(std::move(rm));
  }
  return out;
}

void Lowerer::lower_grpc_match(const YNode& g, const std::string& path, RequestMatch& out) {
  GrpcMethodMatch gm;
  gm.loc = g.loc;
  const YNode* type = g.get("type");
  gm.regex = type && type->value == "RegularExpression";
  const YNode* service = g.get("service");
  const YNode* method = g.get("method");
  if (service) gm.service = service->value;
  if (method) gm.method = method->value;
  if (gm.service.empty() && gm.method.empty()) {
    error(g.loc, path, "expected a service or a method (or both), got neither");
    return;
  }
  // The GRPCRoute CRD's rules for Exact names (a proto package-qualified service, a method
  // identifier); a regex must compile with RE2.
  static const RE2* kService = new RE2("(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*");
  static const RE2* kMethod = new RE2("[A-Za-z_][A-Za-z_0-9]*");
  auto check = [&](const YNode* n, const char* field, const RE2& re, const char* expected) {
    if (!n || n->value.empty()) return;
    std::string p = path + "." + field;
    if (gm.regex) {
      check_regex(n->value, n->loc, p);
    } else if (!RE2::FullMatch(n->value, re)) {
      error(n->loc, p, std::string("expected ") + expected + ", got " + quote(n->value));
    }
  };
  check(service, "service", *kService,
        "a gRPC service name (dot-separated identifiers such as helloworld.Greeter)");
  check(method, "method", *kMethod, "a gRPC method name (an identifier such as SayHello)");
  out.grpc = gm;
}

std::vector<RequestMatch> Lowerer::lower_istio_matches(const YNode& list, const std::string& path) {
  std::vector<RequestMatch> out;
  auto string_match = [](const YNode& sm, ValueMatch& vm, bool is_path) {
    const auto& [k, v] = sm.entries.front();
    vm.value = v->value;
    vm.loc = v->loc;
    if (k->value == "exact")
      vm.type = MatchType::kExact;
    else if (k->value == "prefix")
      vm.type = MatchType::kPrefix;
    else
      vm.type = MatchType::kRegex;
    (void)is_path;
  };
  for (size_t i = 0; i < list.items.size(); ++i) {
    const YNode& m = *list.items[i];
    RequestMatch rm;
    rm.loc = m.loc;
    if (const YNode* h = m.get("headers")) {
      for (const auto& [k, v] : h->entries) {
        ValueMatch vm;
        vm.name = k->value;
        string_match(*v, vm, false);
        rm.headers.push_back(vm);
      }
    }
    if (const YNode* u = m.get("uri")) {
      ValueMatch vm;
      string_match(*u, vm, true);
      rm.path = vm;
    }
    if (const YNode* q = m.get("queryParams")) {
      for (const auto& [k, v] : q->entries) {
        ValueMatch vm;
        vm.name = k->value;
        string_match(*v, vm, false);
        rm.query_params.push_back(vm);
      }
    }
    if (const YNode* meth = m.get("method")) rm.method = meth->get("exact")->value;
    // Istio's uri prefix is a plain string prefix: "/api" also matches "/apix".
    std::string mpath = append_index(path, i);
    if (rm.path && rm.path->type == MatchType::kRegex) {
      check_regex(rm.path->value, rm.path->loc, mpath + ".uri.regex");
    } else if (rm.path && (rm.path->value.empty() || rm.path->value[0] != '/')) {
      error(rm.path->loc, mpath + ".uri",
            "expected a path starting with '/', got " + quote(rm.path->value));
    }
    std::optional<ValueMatch> saved = rm.path;
    rm.path.reset();
    check_match(rm, mpath);
    rm.path = saved;
    out.push_back(std::move(rm));
  }
  return out;
}

void Lowerer::build_routes(Routemap& rm, const YNode* app) {
  const size_t n = rm.versions.size();
  std::string vpath = "application.versions";
  auto ignored = [&](size_t i, bool weight, bool matches, const char* why) {
    const VersionRouting& r = routing_[i];
    if (weight && r.weight_node) {
      warning(r.weight_node->loc, append_index(vpath, i) + ".weight",
              std::string("weight is not used ") + why);
    }
    if (matches && r.matches_node) {
      warning(r.matches_node->loc, append_index(vpath, i) + "." + r.matches_key,
              std::string(r.matches_key) +
                  (std::string(r.matches_key) == "matches" ? " are" : " is") + " not used " + why);
    }
  };
  Route fallback;
  fallback.name = "default";
  fallback.loc = rm.strategy_loc;
  switch (rm.strategy) {
    case Strategy::kNone:
      for (size_t i = 0; i < n; ++i)
        ignored(i, true, true, "by the none strategy (all traffic goes to the primary)");
      fallback.destinations.push_back({0, 100, 100});
      break;
    case Strategy::kCanary: {
      ignored(0, true, true, "for the primary in the canary strategy (it receives the rest)");
      std::vector<uint64_t> split(n, 0);
      uint64_t taken = 0;
      for (size_t i = 1; i < n; ++i) {
        VersionRouting& r = routing_[i];
        std::string p = append_index(vpath, i) + ".weight";
        if (r.weight && *r.weight > 100) {
          error(r.weight_node->loc, p,
                "expected a percentage from 0 to 100 in the canary strategy, got " +
                    r.weight_node->value);
          continue;
        }
        if (!r.matches_node && r.weight) {
          // A share of the requests that no candidate's matches took.
          taken += *r.weight;
          split[i] = *r.weight;
          if (taken > 100) {
            error(r.weight_node->loc, p,
                  "expected the weights of candidates without matches to sum to at most 100, got " +
                      std::to_string(taken));
          }
          continue;
        }
        Route seg;
        seg.name = rm.versions[i].name;
        seg.segment_of = i;
        if (r.matches_node) {
          seg.matches = r.matches;
          seg.loc = r.matches_node->loc;
        } else {
          // Iter8's default match for a candidate with neither matches nor weight.
          RequestMatch dm;
          dm.is_default = true;
          dm.loc = rm.versions[i].loc;
          dm.headers.push_back(ValueMatch{"traffic", MatchType::kExact, "test", dm.loc});
          seg.matches.push_back(dm);
          seg.loc = dm.loc;
        }
        int w = r.weight ? static_cast<int>(*r.weight) : 100;
        if (w < 100) seg.destinations.push_back({0, 100 - w, static_cast<uint64_t>(100 - w)});
        seg.destinations.push_back({i, w, static_cast<uint64_t>(w)});
        rm.routes.push_back(std::move(seg));
      }
      split[0] = taken <= 100 ? 100 - taken : 0;
      for (size_t i = 0; i < n; ++i) {
        if (i == 0 || (split[i] > 0 || (routing_[i].weight && !routing_[i].matches_node))) {
          fallback.destinations.push_back({i, static_cast<int>(split[i]), split[i]});
        }
      }
      break;
    }
    case Strategy::kBlueGreen: {
      std::vector<uint64_t> w(n);
      for (size_t i = 0; i < n; ++i) {
        w[i] = routing_[i].weight ? *routing_[i].weight : 50;
        ignored(i, false, true, "by the blue-green strategy (it splits all traffic by weight)");
      }
      std::vector<int> pct = normalise_weights(w, 100);
      bool any = false;
      for (int p : pct) any = any || p > 0;
      if (!any) {
        error(rm.strategy_loc, "application.strategy",
              "expected at least one version with a weight above 0 in the blue-green strategy, got "
              "all weights 0");
      }
      for (size_t i = 0; i < n; ++i) fallback.destinations.push_back({i, pct[i], w[i]});
      break;
    }
    case Strategy::kMirror: {
      ignored(0, true, true, "for the primary in the mirror strategy (it receives all traffic)");
      fallback.destinations.push_back({0, 100, 100});
      for (size_t i = 1; i < n; ++i) {
        ignored(i, false, true,
                "by the mirror strategy (candidates receive copies of all traffic)");
        const VersionRouting& r = routing_[i];
        uint64_t w = r.weight ? *r.weight : 100;
        if (w > 100) {
          error(r.weight_node->loc, append_index(vpath, i) + ".weight",
                "expected a percentage from 0 to 100 in the mirror strategy, got " +
                    r.weight_node->value);
          continue;
        }
        fallback.mirrors.push_back(
            {i, static_cast<int>(w), r.weight_node ? r.weight_node->loc : rm.versions[i].loc});
      }
      break;
    }
  }
  (void)app;
  rm.routes.push_back(std::move(fallback));
}

}  // namespace

}  // namespace meshc
