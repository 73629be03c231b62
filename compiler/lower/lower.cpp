#include "compiler/lower/lower.h"

#include <map>

#include "compiler/lower/lowerer.h"

namespace meshc {

std::optional<Routemap> lower_release(const ReleaseInput& in, const ReleaseDefaults& defaults,
                                      DiagnosticSink& sink) {
  return lowering::Lowerer(in, defaults, sink).run();
}

namespace lowering {

// The order: application-wide fields, every version, name checks, then the routes (which
// need every version). Each step runs only when the ones before it reported no error.
std::optional<Routemap> Lowerer::run() {
  size_t errors_before = sink_.error_count();
  Routemap rm;
  const YNode& values = *in_.values;
  const YNode* app = values.get("application");
  rm.loc = in_.document->loc;
  rm.path_prefix = in_.path_prefix;
  rm.application_loc = app->loc;
  if (const YNode* e = values.get("environment")) {
    rm.environment = e->value;
    rm.environment_loc = e->loc;
  }
  if (const YNode* g = values.get("gateway")) rm.gateway = g->value, rm.gateway_loc = g->loc;
  resolve_settings(rm);
  resolve_identity(rm, app);
  if (const YNode* p = app->get("port")) rm.port = static_cast<int>(resolve_scalar(*p).integer);
  read_hosts(rm, app);
  resolve_protocol(rm, app);
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
  rm.versions.reserve(versions->items.size());  // a Version is large: moved once, not per growth
  routing_.reserve(versions->items.size());
  for (size_t i = 0; i < versions->items.size(); ++i) {
    lower_version(rm, app, *versions->items[i], i);
  }
  check_unique_names(rm);
  if (sink_.error_count() != errors_before) return std::nullopt;
  build_routes(rm);
  if (sink_.error_count() == errors_before) add_sticky_routes(rm, app);
  if (sink_.error_count() != errors_before) return std::nullopt;
  return rm;
}

// Names: application.metadata, then the Release document's metadata, then the command line;
// the namespace finally "default".
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

// The schema's pattern is RFC 1123's letters, so it lets an IPv4 address through; a host name's
// last label is never all digits (RFC 1123 2.1), and Gateway API hostnames forbid IPs.
void Lowerer::read_hosts(Routemap& rm, const YNode* app) {
  const YNode* h = app->get("hosts");
  if (!h) return;
  rm.hosts_loc = h->loc;
  for (size_t i = 0; i < h->items.size(); ++i) {
    const std::string& host = h->items[i]->value;
    std::string last = host.substr(host.rfind('.') + 1);
    if (last.find_first_not_of("0123456789") == std::string::npos) {
      error(h->items[i]->loc, "application.hosts[" + std::to_string(i) + "]",
            "expected a DNS host name, got " + quote(host) +
                ", whose last label is all digits (an IP address is not a host name the "
                "routes can answer to; Gateway API hostnames forbid IPs)");
    }
    rm.hosts.push_back(host);
  }
}

// Routing settings: the command line's options win over the spec's fields.
void Lowerer::resolve_settings(Routemap& rm) {
  const YNode& values = *in_.values;
  auto setting = [&](const char* field, const std::string& option_value, const char* option,
                     Setting& s) {
    if (!option_value.empty()) {
      s = Setting{option_value, rm.loc, option};
    } else if (const YNode* n = values.get(field)) {
      nlohmann::json j = scalar_to_json(*n);
      s = Setting{j.is_boolean() ? (j.get<bool>() ? "true" : "false") : n->value, n->loc,
                  full(field)};
    }
  };
  const RoutingOverrides& o = defaults_.routing;
  setting("implementation", o.implementation, "--implementation", rm.implementation);
  setting("gatewayImplementation", o.gateway_implementation, "--gateway-implementation",
          rm.gateway_implementation);
  setting("appVersionHeader", o.app_version_header, "--app-version-header", rm.app_version_header);
  if (rm.gateway_implementation.given() && rm.gateway.empty()) {
    sink_.warning(rm.gateway_implementation.loc,
                  rm.gateway_implementation.origin.rfind("--", 0) == 0
                      ? ""
                      : rm.gateway_implementation.origin,
                  rm.gateway_implementation.origin + " is not used: no gateway is given");
  }
}

// What the application speaks: HTTP, or gRPC (application.protocol: grpc).
void Lowerer::resolve_protocol(Routemap& rm, const YNode* app) {
  rm.protocol_loc = app->loc;
  if (const YNode* p = app->get("protocol")) {
    rm.protocol_loc = p->loc;
    if (p->value == "grpc") rm.protocol = Protocol::kGrpc;
  }
  protocol_ = rm.protocol;
}

// Version names and version labels are unique per namespace; names do not collide with the
// root Service.
void Lowerer::check_unique_names(const Routemap& rm) {
  // Versions are few (Limits::max_versions): each is compared with the earlier ones, without
  // maps of copied keys, and a field path is built only for an error.
  const std::vector<Version>& versions = rm.versions;
  for (size_t i = 0; i < versions.size(); ++i) {
    const Version& v = versions[i];
    auto path = [&v] { return append_index("application.versions", v.index) + ".metadata.name"; };
    const Version* same_name = nullptr;   // the first earlier version of the same name
    const Version* same_label = nullptr;  // the first earlier of the same version label
    for (size_t j = 0; j < i; ++j) {
      const Version& w = versions[j];
      if (w.namespace_ != v.namespace_) continue;
      if (!same_name && w.name == v.name) same_name = &w;
      if (!same_label && w.pod_version() == v.pod_version()) same_label = &w;
    }
    if (same_name) {
      error(v.loc, path(),
            "expected a unique version name, got " + quote(v.name) + " again (also version " +
                std::to_string(same_name->index) + ")");
    }
    // The pods of a namespace's versions are told apart by their version label alone.
    if (!same_name && same_label) {
      const Version& other = *same_label;
      bool given = !v.version_label.empty();
      Diagnostic& d = sink_.error(
          given ? v.version_label_loc : v.loc, given ? v.version_label_field_path : full(path()),
          "expected a version label unique among the release's versions in namespace " +
              quote(v.namespace_) + ", got " + quote(v.pod_version()) + " again (also version " +
              std::to_string(other.index) + " " + quote(other.name) +
              "; meshc selects each version's pods by it" +
              (given ? ")" : ", and a version without one is selected by its name)"));
      d.note(other.version_label.empty() ? other.loc : other.version_label_loc, "first used here");
    }
    if (v.name == rm.name && v.namespace_ == rm.namespace_) {
      error(v.loc, path(),
            "expected a version name other than the application name " + quote(rm.name) +
                " (it names the root Service)");
    }
  }
}

}  // namespace lowering

}  // namespace meshc
