// Common parts of the routing simulator: requests, outcomes, parsing of the manifest stream and
// the Kubernetes half of routing (Service -> selector -> Deployment -> version).
#include "tests/routing/simulator.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "tests/routing/simulator_internal.h"

namespace routing {

// ---------------------------------------------------------------- requests and outcomes

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string JoinStrings(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::optional<std::string> Request::Header(const std::string& name) const {
  const std::string wanted = Lower(name);
  std::vector<std::string> values;
  for (const auto& [n, v] : headers) {
    if (Lower(n) == wanted) values.push_back(v);
  }
  if (values.empty()) return std::nullopt;
  return JoinStrings(values, wanted == "cookie" ? "; " : ",");
}

std::vector<std::string> Request::HeaderValues(const std::string& name) const {
  const std::string wanted = Lower(name);
  std::vector<std::string> values;
  for (const auto& [n, v] : headers) {
    if (Lower(n) == wanted) values.push_back(v);
  }
  return values;
}

std::vector<std::string> Request::QueryValues(const std::string& name) const {
  std::vector<std::string> values;
  for (const auto& [n, v] : query) {
    if (n == name) values.push_back(v);
  }
  return values;
}

std::optional<std::string> Request::Query(const std::string& name) const {
  for (const auto& [n, v] : query) {
    if (n == name) return v;
  }
  return std::nullopt;
}

bool GrpcCall(const Request& request, std::string* service, std::string* method) {
  if (!request.grpc || request.method != "POST" || request.path.size() < 2 ||
      request.path[0] != '/') {
    return false;
  }
  const auto slash = request.path.find('/', 1);
  if (slash == std::string::npos || request.path.find('/', slash + 1) != std::string::npos) {
    return false;
  }
  *service = request.path.substr(1, slash - 1);
  *method = request.path.substr(slash + 1);
  return !service->empty() && !method->empty();
}

std::string Request::FullPath() const {
  std::string out = path;
  for (size_t i = 0; i < query.size(); ++i) {
    out += (i ? "&" : "?") + query[i].first + "=" + query[i].second;
  }
  return out;
}

const char* KindName(Outcome::Kind kind) {
  switch (kind) {
    case Outcome::Kind::kRouted:
      return "routed";
    case Outcome::Kind::kUnrouted:
      return "unrouted";
    case Outcome::Kind::kUnsplit:
      return "unsplit";
    case Outcome::Kind::kAmbiguous:
      return "ambiguous";
    case Outcome::Kind::kError:
      return "error";
  }
  return "?";
}

bool SameShares(const std::map<std::string, double>& a, const std::map<std::string, double>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end() || std::fabs(it->second - v) > 1e-6) return false;
  }
  return true;
}

std::string FormatShares(const std::map<std::string, double>& shares) {
  std::ostringstream out;
  out << "{";
  bool first = true;
  for (const auto& [k, v] : shares) {
    out << (first ? "" : ", ") << k << ": " << v;
    first = false;
  }
  out << "}";
  return out.str();
}

bool Outcome::SameRouting(const Outcome& other) const {
  return kind == other.kind && SameShares(versions, other.versions) &&
         SameShares(mirrors, other.mirrors);
}

std::string Outcome::Summary() const {
  std::string out = KindName(kind);
  if (kind == Kind::kRouted) out += " " + FormatShares(versions);
  if (!mirrors.empty()) out += " mirror " + FormatShares(mirrors);
  if (!detail.empty()) out += " (" + detail + ")";
  return out;
}

std::optional<Api> ApiFromTargetName(const std::string& target) {
  const std::string name = target.substr(0, target.find('@'));
  if (name == "gateway-api") return Api::kGatewayApi;
  if (name == "istio") return Api::kIstio;
  if (name == "smi") return Api::kSmi;
  if (name == "linkerd") return Api::kLinkerd;
  if (name == "consul") return Api::kConsul;
  if (name == "traefik") return Api::kTraefik;
  if (name == "contour") return Api::kContour;
  return std::nullopt;
}

bool IsIngressApi(Api api) {
  return api == Api::kTraefik || api == Api::kContour;
}

bool IsLinkerd(const std::string& implementation) {
  const std::string i = Lower(implementation);
  return i == "linkerd" || i == "linkerd/linkerd" || i == "buoyant-enterprise-for-linkerd" ||
         i == "buoyant/buoyant enterprise for linkerd";
}

void Finish(Outcome* outcome) {
  for (auto* shares : {&outcome->versions, &outcome->mirrors}) {
    for (auto it = shares->begin(); it != shares->end();) {
      it = std::fabs(it->second) < 1e-9 ? shares->erase(it) : std::next(it);
    }
  }
}

Outcome Combine(const std::vector<std::pair<std::string, Outcome>>& readings) {
  for (const auto& [name, outcome] : readings) {
    if (outcome.kind == Outcome::Kind::kError) return outcome;
  }
  bool agree = true;
  for (const auto& [name, outcome] : readings)
    agree = agree && outcome.SameRouting(readings[0].second);
  if (agree) return readings[0].second;
  Outcome out;
  out.kind = Outcome::Kind::kAmbiguous;
  std::vector<std::string> parts;
  for (const auto& [name, outcome] : readings) {
    std::string part = name + " -> " + KindName(outcome.kind);
    if (outcome.kind == Outcome::Kind::kRouted) part += " " + FormatShares(outcome.versions);
    if (!outcome.mirrors.empty()) part += " mirror " + FormatShares(outcome.mirrors);
    parts.push_back(part);
  }
  out.detail = "the API leaves this open: " + JoinStrings(parts, "; ");
  return out;
}

// ---------------------------------------------------------------- YAML helpers

void CheckKeys(const YAML::Node& node, std::initializer_list<const char*> known,
               const std::string& context) {
  if (!node || node.IsNull()) return;
  if (!node.IsMap()) throw Broken(context + ": expected a mapping");
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
      throw NotModeled(context + "." + key);
    }
  }
}

bool Has(const YAML::Node& node, const char* key) {
  return node && node.IsMap() && node[key] && !node[key].IsNull();
}

YAML::Node At(const YAML::Node& node, const char* key) {
  if (!Has(node, key)) return YAML::Node();
  return node[key];
}

std::string Str(const YAML::Node& node, const char* key, const std::string& fallback) {
  if (!Has(node, key)) return fallback;
  if (!node[key].IsScalar()) throw Broken(std::string("field ") + key + " is not a scalar");
  return node[key].as<std::string>();
}

int Int(const YAML::Node& node, const char* key, int fallback) {
  if (!Has(node, key)) return fallback;
  try {
    return node[key].as<int>();
  } catch (const YAML::Exception&) {
    throw Broken(std::string("field ") + key + " is not an integer: " + Str(node, key));
  }
}

double Number(const YAML::Node& node, const char* key, double fallback) {
  if (!Has(node, key)) return fallback;
  try {
    return node[key].as<double>();
  } catch (const YAML::Exception&) {
    throw Broken(std::string("field ") + key + " is not a number: " + Str(node, key));
  }
}

// ---------------------------------------------------------------- regular expressions

bool RegexMatch(const std::string& pattern, const std::string& text, Anchor anchor) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<RE2>> cache;
  const RE2* re;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto& slot = cache[pattern];
    if (!slot) {
      RE2::Options options;
      options.set_log_errors(false);
      slot = std::make_unique<RE2>(pattern, options);
    }
    re = slot.get();
  }
  if (!re->ok()) throw Broken("invalid RE2 regular expression \"" + pattern + "\": " + re->error());
  const RE2::Anchor mode = anchor == Anchor::kFull    ? RE2::ANCHOR_BOTH
                           : anchor == Anchor::kStart ? RE2::ANCHOR_START
                                                      : RE2::UNANCHORED;
  return re->Match(text, 0, text.size(), mode, nullptr, 0);
}

// ---------------------------------------------------------------- parsing

const ServicePort* Service::Port(int number) const {
  for (const auto& p : ports) {
    if (p.port == number) return &p;
  }
  return nullptr;
}

const Service* Cluster::State::FindService(const std::string& ns, const std::string& name) const {
  for (const auto& s : services) {
    if (s.ns == ns && s.name == name) return &s;
  }
  return nullptr;
}

std::vector<const Object*> Cluster::State::Find(const std::string& group,
                                                const std::string& kind) const {
  std::vector<const Object*> out;
  for (const auto& o : objects) {
    if (o.group == group && o.kind == kind) out.push_back(&o);
  }
  return out;
}

namespace {

std::map<std::string, std::string> StringMap(const YAML::Node& node) {
  std::map<std::string, std::string> out;
  if (!node || node.IsNull()) return out;
  for (const auto& kv : node) out[kv.first.as<std::string>()] = kv.second.as<std::string>();
  return out;
}

Service ParseService(const Object& o) {
  Service s;
  s.name = o.name;
  s.ns = o.ns;
  const YAML::Node spec = At(o.node, "spec");
  if (Has(spec, "type") && Str(spec, "type") == "ExternalName") {
    throw std::runtime_error(o.Ref() + ": ExternalName Services are not modeled");
  }
  s.labels = StringMap(At(At(o.node, "metadata"), "labels"));
  s.has_selector = Has(spec, "selector");
  s.selector = StringMap(At(spec, "selector"));
  if (Has(spec, "ports")) {
    for (const auto& p : At(spec, "ports")) {
      ServicePort port;
      port.name = Str(p, "name");
      port.port = Int(p, "port", 0);
      if (!Has(p, "targetPort")) {
        port.target_number = port.port;
      } else {
        const std::string t = Str(p, "targetPort");
        if (!t.empty() && std::all_of(t.begin(), t.end(), ::isdigit)) {
          port.target_number = std::stoi(t);
        } else {
          port.target_name = t;
        }
      }
      s.ports.push_back(port);
    }
  }
  return s;
}

Workload ParseDeployment(const Object& o) {
  Workload w;
  w.name = o.name;
  w.ns = o.ns;
  const YAML::Node tmpl = At(At(o.node, "spec"), "template");
  w.pod_labels = StringMap(At(At(tmpl, "metadata"), "labels"));
  w.pod_annotations = StringMap(At(At(tmpl, "metadata"), "annotations"));
  for (const char* list : {"containers", "initContainers"}) {
    const YAML::Node containers = At(At(tmpl, "spec"), list);
    for (const auto& c : containers) {
      if (!Has(c, "ports")) continue;
      for (const auto& p : c["ports"])
        w.ports.emplace_back(Str(p, "name"), Int(p, "containerPort", 0));
    }
  }
  return w;
}

}  // namespace

Cluster Cluster::FromYaml(const std::string& text) {
  auto state = std::make_shared<State>();
  std::vector<YAML::Node> docs = YAML::LoadAll(text);
  for (const auto& doc : docs) {
    if (!doc || doc.IsNull()) continue;
    if (!doc.IsMap()) throw std::runtime_error("a manifest document is not a mapping");
    Object o;
    o.api_version = Str(doc, "apiVersion");
    o.kind = Str(doc, "kind");
    o.name = Str(doc["metadata"], "name");
    o.ns = Str(doc["metadata"], "namespace", "default");
    o.node = doc;
    const auto slash = o.api_version.find('/');
    o.group = slash == std::string::npos ? "" : o.api_version.substr(0, slash);
    o.version = slash == std::string::npos ? o.api_version : o.api_version.substr(slash + 1);
    if (o.kind.empty() || o.name.empty())
      throw std::runtime_error("a manifest has no kind or name");
    if (o.kind == "List") throw std::runtime_error("kind List is not modeled");
    state->objects.push_back(o);
    if (o.group == "" && o.kind == "Service") state->services.push_back(ParseService(o));
    if (o.group == "apps" && o.kind == "Deployment") {
      state->workloads.push_back(ParseDeployment(o));
    }
    if ((o.group == "apps" && o.kind != "Deployment") || (o.group == "" && o.kind == "Pod")) {
      throw std::runtime_error(o.Ref() + ": workloads other than Deployments are not modeled");
    }
  }
  Cluster cluster;
  cluster.state_ = state;
  return cluster;
}

Cluster Cluster::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return FromYaml(buffer.str());
}

// ---------------------------------------------------------------- resolution

const Service& MeshTarget(const Cluster::State& state, const Request& request) {
  std::string ns = request.ns.empty() ? "default" : request.ns;
  std::string name = request.service;
  if (!request.host.empty()) {
    std::string host = Lower(request.host.substr(0, request.host.find(':')));
    std::vector<std::string> labels;
    std::stringstream in(host);
    for (std::string label; std::getline(in, label, '.');) labels.push_back(label);
    const bool fqdn =
        labels.size() == 5 && labels[2] == "svc" && labels[3] == "cluster" && labels[4] == "local";
    if (labels.size() == 1) {
      name = labels[0];
    } else if (labels.size() == 2 || (labels.size() == 3 && labels[2] == "svc") || fqdn) {
      name = labels[0];
      ns = labels[1];
    } else {
      throw Broken("mesh request to \"" + request.host +
                   "\", which is not an in-cluster Service name");
    }
  }
  const Service* target = state.FindService(ns, name);
  if (!target)
    throw Broken("mesh request to Service " + ns + "/" + name + ", which does not exist");
  return *target;
}

int RequestPort(const Service& target) {
  if (target.ports.empty())
    throw Broken("Service " + target.ns + "/" + target.name + " has no ports");
  return target.ports[0].port;
}

namespace {
bool Selects(const std::map<std::string, std::string>& selector,
             const std::map<std::string, std::string>& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

std::vector<const Workload*> Selected(const Cluster::State& state, const Service& svc,
                                      const std::map<std::string, std::string>& extra) {
  std::vector<const Workload*> out;
  if (!svc.has_selector || svc.selector.empty()) return out;
  for (const auto& w : state.workloads) {
    if (w.ns == svc.ns && Selects(svc.selector, w.pod_labels) && Selects(extra, w.pod_labels)) {
      out.push_back(&w);
    }
  }
  return out;
}
}  // namespace

std::string ResolveVersion(const Cluster::State& state, const std::string& ns,
                           const std::string& name,
                           const std::map<std::string, std::string>& extra_labels, int port,
                           const std::string& context) {
  const Service* svc = state.FindService(ns, name);
  if (!svc) throw Broken(context + ": backend Service " + ns + "/" + name + " does not exist");
  if (!svc->has_selector || svc->selector.empty()) {
    throw Broken(context + ": Service " + ns + "/" + name +
                 " has no selector (endpoints not modeled)");
  }
  const ServicePort* sp = nullptr;
  if (port != 0) {
    sp = svc->Port(port);
    if (!sp) {
      throw Broken(context + ": Service " + ns + "/" + name + " has no port " +
                   std::to_string(port));
    }
  }
  std::vector<const Workload*> pods = Selected(state, *svc, extra_labels);
  std::vector<std::string> names;
  for (const auto* w : pods) names.push_back(w->name);
  if (pods.empty()) {
    throw Broken(context + ": Service " + ns + "/" + name +
                 (extra_labels.empty() ? "" : " (subset)") + " selects no pods");
  }
  if (pods.size() > 1) {
    throw Broken(context + ": Service " + ns + "/" + name +
                 " selects pods of several versions: " + JoinStrings(names, ", "));
  }
  if (sp && !sp->target_name.empty()) {
    const auto& ports = pods[0]->ports;
    if (std::none_of(ports.begin(), ports.end(),
                     [&](const auto& p) { return p.first == sp->target_name; })) {
      throw Broken(context + ": pods of " + pods[0]->name + " have no container port named \"" +
                   sp->target_name + "\" (target of Service " + ns + "/" + name + " port " +
                   std::to_string(port) + ")");
    }
  }
  return pods[0]->name;
}

std::vector<const Workload*> Cluster::State::SelectedBy(const Service& svc) const {
  return Selected(*this, svc, {});
}

std::string IngressHost(const Cluster::State& state, const Request& request, std::string* raw) {
  if (request.via == "gateway") {
    throw NotModeled(
        "via: gateway on an ingress API (its routes attach to no Istio or Gateway "
        "API gateway)");
  }
  std::string host = request.host;
  if (request.via == "ingress" && host.empty()) throw Broken("via: ingress without a host");
  if (host.empty()) {
    const Service& target = MeshTarget(state, request);
    host = target.name + "." + target.ns + ".svc.cluster.local";
  }
  if (raw) *raw = host;
  return Lower(host.substr(0, host.find(':')));
}

Outcome PlainServiceRouting(const Cluster::State& state, const Service& target,
                            const std::string& why) {
  std::vector<const Workload*> pods = Selected(state, target, {});
  Outcome out;
  if (pods.empty()) {
    out.kind = Outcome::Kind::kError;
    out.detail = why + "; Service " + target.ns + "/" + target.name + " selects no pods";
    return out;
  }
  if (pods.size() == 1) {
    out.kind = Outcome::Kind::kRouted;
    out.versions[pods[0]->name] = 100;
    out.detail = why + "; the Service alone";
    return out;
  }
  std::vector<std::string> names;
  for (const auto* w : pods) names.push_back(w->name);
  out.kind = Outcome::Kind::kUnsplit;
  out.detail = why + "; Service " + target.ns + "/" + target.name +
               " balances over the endpoints of " + JoinStrings(names, ", ");
  return out;
}

// ---------------------------------------------------------------- dispatch

Outcome Cluster::Route(const Request& request, Api api, const std::string& implementation) const {
  try {
    if (request.via != "mesh" && request.via != "gateway" && request.via != "ingress" &&
        request.via != "bypass") {
      throw Broken("via must be mesh, gateway, ingress or bypass, got " + request.via);
    }
    if (request.via == "bypass") {
      // A client outside the mesh (no sidecar, a NodePort, kube-proxy): no routing object of
      // any API applies; the Service's selector alone decides.
      Outcome out =
          PlainServiceRouting(*state_, MeshTarget(*state_, request), "a client bypassing the mesh");
      Finish(&out);
      return out;
    }
    if (request.via == "ingress" && !IsIngressApi(api)) {
      throw Broken("via: ingress is a request to an ingress proxy (Traefik, Contour)");
    }
    Outcome out;
    switch (api) {
      case Api::kGatewayApi:
        out = IsLinkerd(implementation) && request.via == "mesh"
                  ? RouteLinkerd(*state_, request)
                  : RouteGatewayApi(*state_, request);
        break;
      case Api::kLinkerd:
        out = RouteLinkerd(*state_, request);
        break;
      case Api::kIstio:
        out = RouteIstio(*state_, request);
        break;
      case Api::kSmi:
        out = RouteSmi(*state_, request);
        break;
      case Api::kConsul:
        out = RouteConsul(*state_, request);
        break;
      case Api::kTraefik:
        out = RouteTraefik(*state_, request);
        break;
      case Api::kContour:
        out = RouteContour(*state_, request);
        break;
    }
    Finish(&out);
    return out;
  } catch (const Broken& e) {
    Outcome out;
    out.kind = Outcome::Kind::kError;
    out.detail = e.what();
    return out;
  } catch (const YAML::Exception& e) {
    Outcome out;
    out.kind = Outcome::Kind::kError;
    out.detail = std::string("unreadable object: ") + e.what();
    return out;
  }
}

}  // namespace routing
