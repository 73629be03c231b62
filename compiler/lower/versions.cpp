// Lowering of one version: its identity, workload inputs and port, and what it asks of the
// routing (matches, weight), which strategies.cpp turns into routes.
#include "compiler/lower/lowerer.h"

namespace meshc::lowering {

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

void Lowerer::lower_version(Routemap& rm, const YNode* app, const YNode& v, size_t i) {
  std::string path = append_index("application.versions", i);
  Version ver;
  ver.index = i;
  ver.loc = v.loc;
  ver.field_path = full(path);
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
  resolve_port(ver, rm, app, v, path);
  check_specification_metadata(ver, dspec, "deploymentSpecification", path);
  check_specification_metadata(ver, sspec, "serviceSpecification", path);
  if (dspec) ver.deployment_spec = to_ordered_json(*dspec), ver.deployment_spec_loc = dspec->loc;
  if (sspec) ver.service_spec = to_ordered_json(*sspec), ver.service_spec_loc = sspec->loc;
  routing_.push_back(read_routing(v, path));
  rm.versions.push_back(std::move(ver));
}

// serviceSpecification.spec.ports[0].port > versions[].port > application.port > 80.
void Lowerer::resolve_port(Version& ver, const Routemap& rm, const YNode* app, const YNode& v,
                           const std::string& path) {
  ver.port = rm.port;
  ver.port_loc = app->get("port") ? app->get("port")->loc : ver.loc;
  ver.port_field_path = full(app->get("port") ? "application.port" : path);
  if (const YNode* p = v.get("port")) {
    ver.port = std::stoi(p->value, nullptr, 0);
    ver.port_loc = p->loc;
    ver.port_field_path = full(path + ".port");
  }
  const YNode* sspec = v.get("serviceSpecification");
  if (!sspec) return;
  const YNode* ports = sspec->get("spec")->get("ports");
  if (ports && ports->is_sequence() && !ports->items.empty() && ports->items[0]->is_mapping()) {
    const YNode* p = ports->items[0]->get("port");
    nlohmann::json pj = p ? scalar_to_json(*p) : nlohmann::json();
    if (!pj.is_number_integer() || pj.get<int64_t>() < 1 || pj.get<int64_t>() > 65535) {
      error(p ? p->loc : ports->items[0]->loc, path + ".serviceSpecification.spec.ports[0].port",
            "expected a port from 1 to 65535, got " + (p ? describe(*p) : std::string("none")));
    } else {
      ver.port = static_cast<int>(pj.get<int64_t>());
      ver.port_loc = p->loc;
      ver.port_field_path = full(path + ".serviceSpecification.spec.ports[0].port");
    }
  } else if (ports) {
    error(ports->loc, path + ".serviceSpecification.spec.ports",
          "expected a non-empty list of ports, got " + describe(*ports));
  }
}

// A specification's own metadata may repeat the version's name and namespace, not change them.
void Lowerer::check_specification_metadata(const Version& ver, const YNode* spec, const char* field,
                                           const std::string& path) {
  const YNode* m = spec ? spec->get("metadata") : nullptr;
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
}

VersionRouting Lowerer::read_routing(const YNode& v, const std::string& path) {
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
  return r;
}

}  // namespace meshc::lowering
