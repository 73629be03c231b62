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

// The locations of the values of the mapping at `keys` below `root` into `out`, keyed by
// `base` (the mapping's field path) + the value's key.
void record_value_locations(const YNode* root, std::initializer_list<const char*> keys,
                            const std::string& base, std::map<std::string, Location>& out) {
  const YNode* n = root;
  for (const char* k : keys) {
    if (!n || !n->is_mapping()) return;
    n = n->get(k);
  }
  if (!n || !n->is_mapping()) return;
  for (const auto& [k, v] : n->entries) out[append_path(base, k->value)] = v->loc;
}

// The mappings workloads.cpp merges the version's selector into (k8s/workloads.cpp), so that
// a conflicting value is reported where it is written.
void record_spec_value_locations(Version& ver, const YNode* dspec, const YNode* sspec) {
  if (!dspec && !sspec) return;  // nothing to record: no field path to build
  std::string d = ver.field_path + ".deploymentSpecification.spec";
  record_value_locations(dspec, {"spec", "selector", "matchLabels"}, d + ".selector.matchLabels",
                         ver.spec_value_locs);
  for (const char* m : {"labels", "annotations"}) {
    record_value_locations(dspec, {"spec", "template", "metadata", m},
                           d + ".template.metadata." + m, ver.spec_value_locs);
  }
  record_value_locations(sspec, {"spec", "selector"},
                         ver.field_path + ".serviceSpecification.spec.selector",
                         ver.spec_value_locs);
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
  resolve_version_label(ver, meta, dspec, path);
  resolve_target_port(ver, dspec, sspec, path);
  if (dspec) ver.deployment_spec = to_ordered_json(*dspec), ver.deployment_spec_loc = dspec->loc;
  if (sspec) ver.service_spec = to_ordered_json(*sspec), ver.service_spec_loc = sspec->loc;
  record_spec_value_locations(ver, dspec, sspec);
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
    ver.port = static_cast<int>(resolve_scalar(*p).integer);
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

namespace {

// A Kubernetes label value: at most 63 characters of [A-Za-z0-9._-], beginning and ending
// alphanumeric. The empty value is one too, but not one a version's pods can be told apart by.
bool is_version_label_value(const std::string& s) {
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// The node at `keys` below `n`, through mappings only.
const YNode* node_at(const YNode* n, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (!n || !n->is_mapping()) return nullptr;
    n = n->get(k);
  }
  return n;
}

// The declared ports as an error lists them: "web" (8080), 9100.
std::string describe_ports(const std::vector<ContainerPort>& ports) {
  std::string out;
  for (const ContainerPort& p : ports) {
    if (!out.empty()) out += ", ";
    out += p.name.empty() ? std::to_string(p.number)
                          : quote(p.name) + " (" + std::to_string(p.number) + ")";
  }
  return out;
}

}  // namespace

// Every port the deploymentSpecification's containers declare with an integer number, into
// ver.container_ports (and where the first list of them is).
void Lowerer::collect_container_ports(Version& ver, const YNode* dspec, const std::string& path) {
  const YNode* containers = node_at(dspec, {"spec", "template", "spec", "containers"});
  if (!containers || !containers->is_sequence()) return;
  std::string cpath = path + ".deploymentSpecification.spec.template.spec.containers";
  for (size_t i = 0; i < containers->items.size(); ++i) {
    const YNode* ports = node_at(containers->items[i].get(), {"ports"});
    if (!ports || !ports->is_sequence()) continue;
    std::string ppath = append_index(cpath, i) + ".ports";
    if (ver.container_ports.empty()) {
      ver.container_ports_loc = ports->loc;
      ver.container_ports_field_path = full(ppath);
    }
    for (size_t j = 0; j < ports->items.size(); ++j) {
      const YNode* p = ports->items[j].get();
      const YNode* number = node_at(p, {"containerPort"});
      nlohmann::json nj =
          number && number->is_scalar() ? scalar_to_json(*number) : nlohmann::json();
      if (!nj.is_number_integer()) continue;  // not a port Kubernetes accepts; it says so
      ContainerPort cp;
      cp.number = nj.get<int64_t>();
      const YNode* name = node_at(p, {"name"});
      if (name && name->is_scalar()) cp.name = name->value;
      cp.loc = p->loc;
      cp.field_path = full(append_index(ppath, j));
      ver.container_ports.push_back(cp);
    }
  }
}

// The port the version's Service targets, when the deploymentSpecification's containers
// declare ports: a serviceSpecification's targetPort must be one of them; otherwise the only
// one, else the one numbered as the Service port. Without declared ports nothing is resolved
// here (the Service targets its own port, Iter8's meaning).
void Lowerer::resolve_target_port(Version& ver, const YNode* dspec, const YNode* sspec,
                                  const std::string& path) {
  collect_container_ports(ver, dspec, path);
  if (ver.container_ports.empty()) return;
  const auto& declared = ver.container_ports;
  std::string listed = describe_ports(declared);
  // A serviceSpecification's explicit targetPort wins, and must be a port the pods declare.
  const YNode* sport = node_at(sspec, {"spec", "ports"});
  sport = sport && sport->is_sequence() && !sport->items.empty() ? sport->items[0].get() : nullptr;
  if (const YNode* t = node_at(sport, {"targetPort"})) {
    nlohmann::json tj = t->is_scalar() ? scalar_to_json(*t) : nlohmann::json();
    for (const ContainerPort& p : declared) {
      if ((tj.is_string() && p.name == t->value) ||
          (tj.is_number_integer() && p.number == tj.get<int64_t>())) {
        ver.target_port = p;
        return;
      }
    }
    error(t->loc, path + ".serviceSpecification.spec.ports[0].targetPort",
          "expected a port the version's pods declare (" + listed + "), got " + describe(*t));
    return;
  }
  if (declared.size() == 1) {
    ver.target_port = declared.front();
    return;
  }
  for (const ContainerPort& p : declared) {
    if (p.number == ver.port) {
      ver.target_port = p;
      return;
    }
  }
  sink_.error(ver.container_ports_loc, ver.container_ports_field_path,
              "expected the version's pods to declare the Service port " +
                  std::to_string(ver.port) +
                  " or exactly one port (the version's Service targets it), got " + listed +
                  "; number one of them " + std::to_string(ver.port) +
                  " or set serviceSpecification.spec.ports[0].targetPort");
}

// The `version` label the version's pods are selected by, when the spec gives one (Istio's
// convention, kept by the walkthroughs: version: v1): versions[].metadata.labels, then the
// deploymentSpecification's metadata labels, pod template labels and selector. Every place
// that gives it must give the same value; none = the version's name.
void Lowerer::resolve_version_label(Version& ver, const YNode* meta, const YNode* dspec,
                                    const std::string& path) {
  struct Source {
    const YNode* node;
    std::string path;
  };
  std::vector<Source> sources;
  // A source's field path is built only when it is there (most versions give none).
  auto add = [&](const YNode* root, std::initializer_list<const char*> keys, const char* p) {
    if (const YNode* n = node_at(root, keys)) sources.push_back({n, path + p});
  };
  add(meta, {"labels", "version"}, ".metadata.labels.version");
  add(dspec, {"metadata", "labels", "version"}, ".deploymentSpecification.metadata.labels.version");
  add(dspec, {"spec", "template", "metadata", "labels", "version"},
      ".deploymentSpecification.spec.template.metadata.labels.version");
  add(dspec, {"spec", "selector", "matchLabels", "version"},
      ".deploymentSpecification.spec.selector.matchLabels.version");
  const Source* first = nullptr;
  for (const Source& s : sources) {
    nlohmann::json j = s.node->is_scalar() ? scalar_to_json(*s.node) : nlohmann::json();
    if (!j.is_string() || !is_version_label_value(s.node->value)) {
      error(s.node->loc, s.path,
            "expected a version label value (1 to 63 letters, digits, '-', '_' or '.', beginning "
            "and ending with a letter or digit; meshc selects the version's pods by it), got " +
                describe(*s.node));
      return;
    }
    if (!first) {
      first = &s;
      ver.version_label = s.node->value;
      ver.version_label_loc = s.node->loc;
      ver.version_label_field_path = full(s.path);
    } else if (s.node->value != ver.version_label) {
      sink_
          .error(s.node->loc, full(s.path),
                 "expected the version label " + quote(ver.version_label) + " given at " +
                     first->path + ", got " + quote(s.node->value) +
                     " (the version's pods are selected by one version label)")
          .note(first->node->loc, "first given here");
      return;
    }
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
    r.weight = static_cast<uint64_t>(resolve_scalar(*w).integer);
    r.weight_node = w;
  }
  if (const YNode* w = v.get("unmatchedWeight")) {
    r.unmatched_weight = static_cast<uint64_t>(resolve_scalar(*w).integer);
    r.unmatched_weight_node = w;
  }
  return r;
}

}  // namespace meshc::lowering
