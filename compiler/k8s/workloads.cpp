#include "compiler/k8s/workloads.h"

#include <array>
#include <functional>

#include "compiler/diag/field_path.h"
#include "compiler/k8s/templates.h"

namespace meshc {

namespace {

std::string path_of(const Version& v, const std::string& rest) {
  return v.field_path + rest;
}

size_t annotation_bytes(const StringMap& m) {
  size_t n = 0;
  for (const auto& [k, v] : m) n += k.size() + v.size();
  return n;
}

// The mapping at `keys` below `root` (a user's free-form spec), created where absent or null.
// When a value on the way is not a mapping, reports it at `at` (path `base` + keys) and
// returns nullptr: the spec is never silently rewritten.
Object* mapping_at(Object& root, std::initializer_list<const char*> keys, const std::string& base,
                   const Location& at, DiagnosticSink& sink) {
  Object* cur = &root;
  std::string path = base;
  for (const char* k : keys) {
    path = append_path(path, k);
    Object& next = (*cur)[k];
    if (next.is_null()) next = Object::object();
    if (!next.is_object()) {
      sink.error(at, path, "expected a mapping, got " + next.dump());
      return nullptr;
    }
    cur = &next;
  }
  return cur;
}

// Where a value of a user's spec is written: by its field path when the lowering recorded it,
// else the spec itself.
struct SpecPlace {
  Location spec;
  const std::map<std::string, Location>& values;
  const Location& of(const std::string& path) const {
    auto it = values.find(path);
    return it == values.end() ? spec : it->second;
  }
};

// Merges `selector` into the mapping at `keys` below `spec` where absent; a different value
// for one of its keys is an error that says why the value is required (`why`, e.g. "meshc
// selects the version's pods by version").
void put_required(Object& spec, std::initializer_list<const char*> keys, const StringMap& selector,
                  const SpecPlace& at, const std::string& base, DiagnosticSink& sink,
                  const std::function<std::string(const std::string&)>& why) {
  Object* target_ptr = mapping_at(spec, keys, base, at.spec, sink);
  if (!target_ptr) return;
  Object& target = *target_ptr;
  std::string path = base;
  for (const char* k : keys) path = append_path(path, k);
  for (const auto& [k, v] : selector) {
    auto it = target.find(k);
    if (it == target.end()) {
      target[k] = v;
    } else if (!it->is_string() || it->get<std::string>() != v) {
      sink.error(at.of(append_path(path, k)), append_path(path, k),
                 "expected " + quote(v) + " (" + why(k) + "), got " + it->dump());
    }
  }
}

// Merges the selector labels into the labels mapping at `keys` below `spec`.
void put_selector(Object& spec, std::initializer_list<const char*> keys, const StringMap& selector,
                  const SpecPlace& at, const std::string& base, DiagnosticSink& sink) {
  put_required(spec, keys, selector, at, base, sink,
               [](const std::string& k) { return "meshc selects the version's pods by " + k; });
}

}  // namespace

namespace {

// The port a version's pods serve the application on, as far as the spec tells: by name,
// by number, or both (the generated Deployment names its port "http").
struct PodPort {
  std::string name;
  int64_t number = 0;
};

// The name of the container port numbered `number` in a pod template, or "".
std::string container_port_name(const Object& deployment_spec, int64_t number) {
  const Object* containers = nullptr;
  if (deployment_spec.contains("spec") && deployment_spec["spec"].is_object()) {
    const Object& spec = deployment_spec["spec"];
    if (spec.contains("template") && spec["template"].is_object() &&
        spec["template"].contains("spec") && spec["template"]["spec"].is_object() &&
        spec["template"]["spec"].contains("containers")) {
      containers = &spec["template"]["spec"]["containers"];
    }
  }
  if (!containers || !containers->is_array()) return "";
  for (const Object& c : *containers) {
    if (!c.is_object() || !c.contains("ports") || !c["ports"].is_array()) continue;
    for (const Object& p : c["ports"]) {
      if (p.is_object() && p.value("containerPort", Object()) == Object(number) &&
          p.contains("name") && p["name"].is_string()) {
        return p["name"].get<std::string>();
      }
    }
  }
  return "";
}

// The value at `key` of mapping `o`, or null when `o` is not a mapping or lacks it.
const Object& field(const Object& o, const char* key) {
  static const Object* kNull = new Object();
  if (!o.is_object()) return *kNull;
  auto it = o.find(key);
  return it == o.end() ? *kNull : *it;
}

PodPort pod_port(const Version& v) {
  // Ports the pods declare: lowering resolved the one the Service targets.
  if (!v.container_ports.empty()) return PodPort{v.target_port.name, v.target_port.number};
  PodPort p;
  if (!v.service_spec.is_null()) {
    // The spec is free-form: ports[0] may be missing or of any type.
    const Object& ports = field(field(v.service_spec, "spec"), "ports");
    const Object& port = ports.is_array() && !ports.empty() ? ports[0] : field(ports, "");
    const Object& target =
        field(port, "targetPort").is_null() ? field(port, "port") : field(port, "targetPort");
    if (target.is_string()) p.name = target.get<std::string>();
    if (target.is_number_integer()) p.number = target.get<int64_t>();
    if (v.deployment_spec.is_null() && p.name == "http") p.number = v.port;
    if (!v.deployment_spec.is_null() && p.name.empty()) {
      p.name = container_port_name(v.deployment_spec, p.number);
    }
    return p;
  }
  if (!v.deployment_spec.is_null()) {
    // Iter8's meaning: the Service's target port is its port.
    p.number = v.port;
    p.name = container_port_name(v.deployment_spec, v.port);
    return p;
  }
  return PodPort{"http", v.port};
}

std::string describe_port(const PodPort& p) {
  if (!p.name.empty()) return "port " + quote(p.name);
  return "port " + std::to_string(p.number);
}

// The root Service's targetPort: one that reaches every version's pods (in the application's
// namespace). A shared port name first (versions may serve different numbers behind it),
// then a shared number; otherwise there is none, which is an error.
Object root_target_port(const Routemap& rm, DiagnosticSink& sink) {
  std::vector<std::pair<const Version*, PodPort>> ports;
  for (const Version& v : rm.versions) {
    if (v.namespace_ == rm.namespace_) ports.emplace_back(&v, pod_port(v));
  }
  if (ports.empty()) return Object("http");
  const PodPort& first = ports.front().second;
  bool same_name = !first.name.empty(), same_number = first.number != 0;
  for (const auto& [v, p] : ports) {
    same_name = same_name && p.name == first.name;
    same_number = same_number && p.number == first.number;
  }
  if (same_name) return Object(first.name);
  if (same_number) return Object(first.number);
  // Versions serve different ports: only a shared name reaches them all, and the generated
  // Deployments call theirs "http".
  std::string numbers;
  for (const auto& [v, p] : ports) {
    numbers += (numbers.empty() ? "" : ", ") + quote(v->name) + " on " +
               (p.number ? std::to_string(p.number) : describe_port(p));
  }
  // Without a generated Deployment among them, any name the versions' pods all give their
  // port will do: the one the first named port has.
  bool generated = false;
  std::string shared;
  for (const auto& [v, p] : ports) {
    generated = generated || (v->deployment_spec.is_null() && v->service_spec.is_null());
    if (shared.empty()) shared = p.name;
  }
  if (!generated) {
    for (const auto& [v, p] : ports) {
      if (!shared.empty() && p.name == shared) continue;
      bool declared = !v->container_ports.empty();
      const Location& at = declared                     ? v->container_ports_loc
                           : !v->service_spec.is_null() ? v->service_spec_loc
                                                        : v->deployment_spec_loc;
      sink.error(
          at, declared ? v->container_ports_field_path : v->field_path,
          "expected the pods of " + quote(v->name) + " to name their port " +
              (shared.empty() ? std::string("as every other version's pods do") : quote(shared)) +
              " (the versions serve different ports: " + numbers + ", so the root Service " +
              quote(rm.name) + " reaches them all by one port name), got " +
              (p.name.empty() ? "an unnamed port" : describe_port(p)));
    }
    return Object(shared.empty() ? Object("http") : Object(shared));
  }
  for (const auto& [v, p] : ports) {
    if (p.name == "http") continue;
    const Location& at = !v->service_spec.is_null()      ? v->service_spec_loc
                         : !v->deployment_spec.is_null() ? v->deployment_spec_loc
                                                         : v->loc;
    sink.error(at, v->field_path,
               "expected the pods of " + quote(v->name) +
                   " to name their port \"http\" (the versions serve different ports: " + numbers +
                   ", so the root Service " + quote(rm.name) + " reaches them by that name), got " +
                   (p.name.empty() ? "an unnamed port" : describe_port(p)));
  }
  return Object("http");
}

}  // namespace

StringMap selector_labels(const Routemap& rm, const Version& v) {
  return {{"app", rm.name}, {"version", v.pod_version()}};
}

StringMap version_labels(const Routemap& rm, const Version& v) {
  StringMap out = rm.labels;
  for (const auto& [k, val] : v.labels) out[k] = val;
  return out;
}

// The value of label `k` on a version's objects (version_labels()), or nullptr.
static const std::string* version_label(const Routemap& rm, const Version& v,
                                        const std::string& k) {
  auto it = v.labels.find(k);
  if (it != v.labels.end()) return &it->second;
  it = rm.labels.find(k);
  return it != rm.labels.end() ? &it->second : nullptr;
}

// Bytes of the annotations of a version's objects: the application's, then the version's
// (which win).
static size_t version_annotation_bytes(const Routemap& rm, const Version& v) {
  size_t n = annotation_bytes(v.annotations);
  for (const auto& [k, val] : rm.annotations) {
    if (!v.annotations.count(k)) n += k.size() + val.size();
  }
  return n;
}

// Whether the sink already holds an error at the same place with the same text.
static bool reported(const DiagnosticSink& sink, const Diagnostic& d) {
  for (const Diagnostic& o : sink.all()) {
    if (o.loc.line == d.loc.line && o.loc.col == d.loc.col && o.loc.file == d.loc.file &&
        o.path == d.path && o.message == d.message)
      return true;
  }
  return false;
}

static void check_label_conflicts(const Routemap& rm, const Version& v, const StringMap& sel,
                                  DiagnosticSink& sink) {
  for (const auto& [k, want] : sel) {
    const std::string* got = version_label(rm, v, k);
    if (got && *got != want) {
      bool from_version = v.labels.count(k) > 0;
      std::string path = from_version ? path_of(v, ".metadata.labels")
                                      : rm.field_path("application.metadata.labels");
      const auto& locs = from_version ? v.label_locs : rm.label_locs;
      auto at = locs.find(k);
      Diagnostic d;
      d.loc = at != locs.end() ? at->second : (from_version ? v.loc : rm.loc);
      d.path = append_path(path, k);
      d.message = "expected " + quote(want) + " or no " + k + " label (meshc selects pods by " + k +
                  "), got " + quote(*got) +
                  (k == "version" && !from_version
                       ? " (the application's labels are every version's; give each version "
                         "its own in versions[].metadata.labels)"
                       : "");
      // An application label every version inherits (app: x) conflicts alike for each: once.
      if (!from_version && reported(sink, d)) continue;
      sink.add(std::move(d));
    }
  }
  constexpr size_t kMaxAnnotations = 256 * 1024;
  size_t bytes = version_annotation_bytes(rm, v);
  if (bytes > kMaxAnnotations) {
    sink.error(v.loc, path_of(v, ".metadata.annotations"),
               "expected annotations of at most 262144 bytes in total (Kubernetes limit), got " +
                   std::to_string(bytes));
  }
}

// The union of sorted maps as a mapping in key order, a later map's value winning: what
// copying them into one StringMap, in order, then to_object() gives, without the copy.
template <size_t K>
static Object merged(const std::array<const StringMap*, K>& maps) {
  std::array<StringMap::const_iterator, K> at, end;
  size_t size = 0;
  for (size_t k = 0; k < K; ++k) {
    at[k] = maps[k]->begin();
    end[k] = maps[k]->end();
    size += maps[k]->size();
  }
  Object out = new_mapping(size);
  for (;;) {
    const std::string* key = nullptr;
    for (size_t k = 0; k < K; ++k) {
      if (at[k] != end[k] && (!key || at[k]->first < *key)) key = &at[k]->first;
    }
    if (!key) return out;
    const std::string* value = nullptr;
    for (size_t k = 0; k < K; ++k) {  // the map nodes stay: `key` outlives the ++
      if (at[k] != end[k] && at[k]->first == *key) value = &(at[k]++)->second;
    }
    append_entry(out, *key, *value);
  }
}

// version_metadata() of a version without user metadata.
static Object generated_metadata(const Routemap& rm, const Version& v, const StringMap& sel) {
  const bool annotated = !rm.annotations.empty() || !v.annotations.empty();
  Object meta = new_mapping(3 + annotated);
  append_entry(meta, "name", v.name);
  append_entry(meta, "namespace", v.namespace_);
  append_entry(meta, "labels", merged<3>({&rm.labels, &v.labels, &sel}));
  if (annotated) append_entry(meta, "annotations", merged<2>({&rm.annotations, &v.annotations}));
  return meta;
}

// metadata: {name, namespace, labels, annotations}; user metadata (from a specification)
// wins for labels and annotations, never for name and namespace.
// `sel` is selector_labels(rm, v).
static Object version_metadata(const Routemap& rm, const Version& v, const StringMap& sel,
                               const Object& user) {
  if (!user.is_object()) return generated_metadata(rm, v, sel);
  Object meta(Object::value_t::object);
  auto& entries = meta.get_ref<Object::object_t&>();
  entries.reserve(4);
  entries.emplace_back("name", v.name);  // appended: the keys are new
  entries.emplace_back("namespace", v.namespace_);
  StringMap labels = version_labels(rm, v);
  for (const auto& [k, val] : sel) labels[k] = val;
  StringMap ann = rm.annotations;
  for (const auto& [k, val] : v.annotations) ann[k] = val;
  if (user.is_object()) {
    if (user.contains("labels") && user["labels"].is_object()) {
      for (auto it = user["labels"].begin(); it != user["labels"].end(); ++it) {
        labels[it.key()] = it->get<std::string>();
      }
    }
    if (user.contains("annotations") && user["annotations"].is_object()) {
      for (auto it = user["annotations"].begin(); it != user["annotations"].end(); ++it) {
        ann[it.key()] = it->get<std::string>();
      }
    }
  }
  entries.emplace_back("labels", to_object(labels));
  if (!ann.empty()) entries.emplace_back("annotations", to_object(ann));
  if (user.is_object()) {
    // Other ObjectMeta fields (finalizers, ownerReferences ...) are copied as written.
    for (auto it = user.begin(); it != user.end(); ++it) {
      if (!meta.contains(it.key())) meta[it.key()] = *it;
    }
  }
  return meta;
}

// What a version's generated Deployment and Service share, built once for both.
struct Generated {
  StringMap selector;  // selector_labels()
  Object selector_object;
  Object metadata;  // version_metadata() without a user's; its labels are the pods' labels
};

static Generated generated_parts(const Routemap& rm, const Version& v) {
  Generated g;
  g.selector = selector_labels(rm, v);
  if (v.deployment_spec.is_null() || v.service_spec.is_null()) {
    g.selector_object = to_object(g.selector);
    g.metadata = generated_metadata(rm, v, g.selector);
  }
  return g;
}

// The Deployment from templates/deployment.yaml.
static Object generated_deployment(const Routemap& rm, const Version& v, const Generated& g,
                                   const StringMap& pod_annotations) {
  templates::DeploymentFill fill;
  fill.metadata = g.metadata;
  fill.match_labels = g.selector_object;
  fill.pod_labels = g.metadata["labels"];
  if (!pod_annotations.empty()) fill.pod_annotations = to_object(pod_annotations);
  fill.container_name = rm.name;
  fill.image = v.image;
  fill.container_port = v.port;
  return templates::deployment(std::move(fill));
}

static Object render_deployment(const Routemap& rm, const Version& v, const Generated& g,
                                const StringMap& pod_annotations, DiagnosticSink& sink) {
  if (v.deployment_spec.is_null()) return generated_deployment(rm, v, g, pod_annotations);
  const StringMap& sel = g.selector;
  Object d = Object::object();
  d["apiVersion"] = "apps/v1";
  d["kind"] = "Deployment";
  d["metadata"] = version_metadata(rm, v, sel, v.deployment_spec.value("metadata", Object()));
  Object spec = field(v.deployment_spec, "spec");
  if (!spec.is_object()) spec = Object::object();  // the schema requires a mapping
  std::string base = path_of(v, ".deploymentSpecification.spec");
  SpecPlace at{v.deployment_spec_loc, v.spec_value_locs};
  put_selector(spec, {"selector", "matchLabels"}, sel, at, base, sink);
  put_selector(spec, {"template", "metadata", "labels"}, sel, at, base, sink);
  if (!pod_annotations.empty()) {
    put_required(spec, {"template", "metadata", "annotations"}, pod_annotations, at, base, sink,
                 [](const std::string&) {
                   return std::string("the chosen target selects the version's pods by it");
                 });
  }
  d["spec"] = spec;
  return d;
}

// The Service from templates/service.yaml; takes the shared parts it is the last user of.
static Object generated_service(const Routemap& rm, const Version& v, Generated& g) {
  templates::ServiceFill fill;
  fill.metadata = std::move(g.metadata);
  fill.selector = std::move(g.selector_object);
  fill.port = v.port;
  // The generated Deployment names its port; a user's is reached by number (Iter8's
  // meaning: the target port is the port).
  PodPort pods = pod_port(v);
  fill.target_port = pods.name.empty() ? Object(pods.number) : Object(pods.name);
  if (rm.protocol == Protocol::kGrpc) fill.app_protocol = "grpc";
  return templates::service(std::move(fill));
}

// The labels of a version's pods: the deploymentSpecification's pod template labels, or the
// generated Deployment's (the version's labels); both with the selector labels merged in.
static StringMap pod_labels(const Routemap& rm, const Version& v, const StringMap& sel) {
  StringMap out;
  if (v.deployment_spec.is_null()) {
    out = version_labels(rm, v);
  } else {
    const Object& spec = field(v.deployment_spec, "spec");
    const Object& labels = field(field(field(spec, "template"), "metadata"), "labels");
    if (labels.is_object()) {
      for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (it->is_string()) out[it.key()] = it->get<std::string>();
      }
    }
  }
  for (const auto& [k, val] : sel) out[k] = val;
  return out;
}

// A serviceSpecification's selector that the version's pods do not match would select none
// of them: the routing to the version's Service would reach no endpoint.
static void check_service_selects_pods(const Routemap& rm, const Version& v, const Object& spec,
                                       const StringMap& sel, DiagnosticSink& sink) {
  const Object& selector = field(spec, "selector");
  if (!selector.is_object()) return;
  const StringMap pods = pod_labels(rm, v, sel);
  const std::string base = path_of(v, ".serviceSpecification.spec.selector");
  const SpecPlace at{v.service_spec_loc, v.spec_value_locs};
  for (auto it = selector.begin(); it != selector.end(); ++it) {
    if (sel.count(it.key()) || !it->is_string()) continue;  // put_selector reported those
    auto pod = pods.find(it.key());
    if (pod != pods.end() && pod->second == it->get<std::string>()) continue;
    const std::string path = append_path(base, it.key());
    sink.error(at.of(path), path,
               "the version's pods have " +
                   (pod == pods.end() ? "no " + it.key() + " label"
                                      : it.key() + ": " + quote(pod->second)) +
                   ", so this Service would select none of them (got " + it->dump() +
                   "); select them by labels their pod template has, or leave it to meshc");
  }
}

static Object render_version_service(const Routemap& rm, const Version& v, Generated& g,
                                     DiagnosticSink& sink) {
  if (v.service_spec.is_null()) return generated_service(rm, v, g);
  const StringMap& sel = g.selector;
  Object s = Object::object();
  s["apiVersion"] = "v1";
  s["kind"] = "Service";
  s["metadata"] = version_metadata(rm, v, sel, v.service_spec.value("metadata", Object()));
  Object spec = field(v.service_spec, "spec");
  if (!spec.is_object()) spec = Object::object();  // the schema requires a mapping
  if (field(spec, "type") != Object("ExternalName")) {
    put_selector(spec, {"selector"}, sel, SpecPlace{v.service_spec_loc, v.spec_value_locs},
                 path_of(v, ".serviceSpecification.spec"), sink);
    check_service_selects_pods(rm, v, spec, sel, sink);
    // Without a targetPort the Service targets its port number; when the pods serve another
    // (their only declared port), the Service says which.
    auto ports = spec.find("ports");
    if (!v.container_ports.empty() && ports != spec.end() && ports->is_array() && !ports->empty() &&
        (*ports)[0].is_object() && !(*ports)[0].contains("targetPort") &&
        v.target_port.number != v.port) {
      (*ports)[0]["targetPort"] =
          v.target_port.name.empty() ? Object(v.target_port.number) : Object(v.target_port.name);
    }
  }
  s["spec"] = spec;
  return s;
}

size_t default_route_leader(const Routemap& rm) {
  size_t leader = 0;
  int best = -1;
  if (rm.routes.empty()) return leader;
  for (const Destination& d : rm.routes.back().destinations) {
    if (d.version >= rm.versions.size()) continue;
    if (rm.versions[d.version].namespace_ != rm.namespace_) continue;
    if (d.weight > best || (d.weight == best && d.version < leader)) {
      best = d.weight;
      leader = d.version;
    }
  }
  return leader;
}

// The root Service <app>, from templates/service.yaml.
static Object root_service(const Routemap& rm, RootSelector root_selector, DiagnosticSink& sink) {
  templates::ServiceFill fill;
  fill.name = rm.name;
  fill.namespace_ = rm.namespace_;
  if (!rm.labels.empty()) fill.labels = to_object(rm.labels);
  if (!rm.annotations.empty()) fill.annotations = to_object(rm.annotations);
  if (root_selector == RootSelector::kDefaultRouteLeader && !rm.versions.empty()) {
    fill.selector = to_object(selector_labels(rm, rm.versions[default_route_leader(rm)]));
  } else {
    fill.selector = new_mapping(1);
    append_entry(fill.selector, "app", rm.name);
  }
  fill.port = rm.port;
  fill.target_port = root_target_port(rm, sink);
  // gRPC needs HTTP/2 to the pods; a mesh told nothing may proxy the port as HTTP/1.1 (Istio
  // reads the port name "http" so; appProtocol wins over the name).
  if (rm.protocol == Protocol::kGrpc) fill.app_protocol = "grpc";
  return templates::service(std::move(fill));
}

void render_workloads(const Routemap& rm, DiagnosticSink& sink, std::vector<Object>& out,
                      const std::vector<StringMap>& pod_annotations, RootSelector root_selector) {
  static const StringMap* none = new StringMap();
  out.reserve(out.size() + 2 * rm.versions.size() + 3);  // and the usual route or two
  out.push_back(root_service(rm, root_selector, sink));
  for (const Version& v : rm.versions) {
    Generated g = generated_parts(rm, v);
    check_label_conflicts(rm, v, g.selector, sink);
    const StringMap& annotations =
        v.index < pod_annotations.size() ? pod_annotations[v.index] : *none;
    out.push_back(render_deployment(rm, v, g, annotations, sink));
    out.push_back(render_version_service(rm, v, g, sink));
  }
}

}  // namespace meshc
