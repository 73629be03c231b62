// The evaluator's common part: requests, the object index, Services -> versions, hosts ->
// Services, and the choice between the APIs whose objects apply.
#include "compiler/evaluate/evaluate.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "compiler/evaluate/evaluate_internal.h"

namespace meshc {

namespace {

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

const std::string* EvalRequest::header(const std::string& name) const {
  for (const auto& h : headers)
    if (iequals(h.first, name)) return &h.second;
  return nullptr;
}

std::vector<std::string> EvalRequest::header_values(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& h : headers)
    if (iequals(h.first, name)) out.push_back(h.second);
  return out;
}

bool EvalRequest::header_joined(const std::string& name, std::string* value) const {
  std::vector<std::string> values = header_values(name);
  if (values.empty()) return false;
  const char* sep = iequals(name, "cookie") ? "; " : ",";
  value->clear();
  for (size_t i = 0; i < values.size(); ++i) *value += (i ? sep : "") + values[i];
  return true;
}

std::vector<std::string> EvalRequest::header_values_read(const std::string& name, bool each) const {
  if (each) return header_values(name);
  std::string v;
  if (!header_joined(name, &v)) return {};
  return {v};
}

std::string EvalRequest::path_only() const {
  size_t q = path.find('?');
  return q == std::string::npos ? path : path.substr(0, q);
}

std::vector<std::string> EvalRequest::query_values(const std::string& name) const {
  std::vector<std::string> out;
  size_t q = path.find('?');
  if (q == std::string::npos) return out;
  std::string qs = path.substr(q + 1);
  size_t hash = qs.find('#');
  if (hash != std::string::npos) qs.resize(hash);
  size_t start = 0;
  while (start <= qs.size()) {
    size_t amp = qs.find('&', start);
    std::string part = qs.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    size_t eq = part.find('=');
    if (!part.empty() && part.substr(0, eq) == name)
      out.push_back(eq == std::string::npos ? "" : part.substr(eq + 1));
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

bool EvalRequest::query(const std::string& name, std::string* value) const {
  std::vector<std::string> v = query_values(name);
  if (v.empty()) return false;
  *value = v.front();
  return true;
}

bool EvalRequest::cookie(const std::string& name, std::string* value) const {
  for (const std::string& h : header_values("cookie")) {
    size_t start = 0;
    while (start <= h.size()) {
      size_t semi = h.find(';', start);
      std::string pair =
          trim(h.substr(start, semi == std::string::npos ? std::string::npos : semi - start));
      size_t eq = pair.find('=');
      if (eq != std::string::npos && trim(pair.substr(0, eq)) == name) {
        *value = trim(pair.substr(eq + 1));
        return true;
      }
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
  }
  return false;
}

bool EvalRequest::has_cookie(const std::string& name, const std::string& value) const {
  for (const std::string& h : header_values("cookie")) {
    size_t start = 0;
    while (start <= h.size()) {
      size_t semi = h.find(';', start);
      std::string pair =
          trim(h.substr(start, semi == std::string::npos ? std::string::npos : semi - start));
      size_t eq = pair.find('=');
      if (eq != std::string::npos && trim(pair.substr(0, eq)) == name &&
          trim(pair.substr(eq + 1)) == value)
        return true;
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
  }
  return false;
}

bool EvalRequest::is_grpc() const {
  const std::string* ct = header("content-type");
  return ct && ct->rfind("application/grpc", 0) == 0;
}

std::string ObjectRef::str() const {
  return kind + " " + (namespace_.empty() ? "" : namespace_ + "/") + name;
}

std::string EvalBackend::label() const {
  if (!version.empty()) return version;
  std::string s = service.empty() ? "(no service)" : service;
  if (!subset.empty()) s += " subset " + subset;
  return s;
}

const char* outcome_name(EvalResult::Outcome o) {
  switch (o) {
    case EvalResult::Outcome::kRouted:
      return "routed";
    case EvalResult::Outcome::kUnrouted:
      return "unrouted";
    case EvalResult::Outcome::kUnsplit:
      return "unsplit";
    case EvalResult::Outcome::kAmbiguous:
      return "ambiguous";
    case EvalResult::Outcome::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string format_percent(double percent) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", std::round(percent * 10000.0) / 10000.0);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

// ---------------------------------------------------------------------------------------------
namespace eval {

std::string text(const YNode* n) {
  return n && n->is_scalar() ? n->value : std::string();
}

const YNode* at(const YNode* n, const char* key) {
  return n && n->is_mapping() ? n->get(key) : nullptr;
}

const std::vector<YNodePtr>& items(const YNode* n) {
  static const std::vector<YNodePtr> kNone;
  return n && n->is_sequence() ? n->items : kNone;
}

std::optional<int64_t> integer(const YNode* n) {
  if (!n || !n->is_scalar() || n->value.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : n->value) {
    if (c < '0' || c > '9' || v > (int64_t{1} << 50)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<double> number(const YNode* n) {
  if (!n || !n->is_scalar() || n->value.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(n->value.c_str(), &end);
  if (end != n->value.c_str() + n->value.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string quote(const std::string& s) {
  return nlohmann::json(s).dump();
}

Regexes::Regexes() = default;
Regexes::~Regexes() = default;

bool Regexes::full_match(const std::string& re, const std::string& value, std::string* error) {
  auto it = cache_.find(re);
  if (it == cache_.end()) {
    RE2::Options opts;
    opts.set_log_errors(false);
    it = cache_.emplace(re, std::make_unique<RE2>(re, opts)).first;
  }
  if (!it->second->ok()) {
    *error = "regular expression " + quote(re) + " does not compile (RE2): " + it->second->error();
    return false;
  }
  return RE2::FullMatch(value, *it->second);
}

void fill_shares(std::vector<EvalBackend>& backends) {
  uint64_t total = 0;
  for (const auto& b : backends) total += b.weight;
  for (auto& b : backends) {
    b.total = total;
    b.percent = total ? 100.0 * static_cast<double>(b.weight) / static_cast<double>(total) : 0;
  }
}

void add_shares(const std::vector<EvalBackend>& backends,
                std::vector<std::pair<std::string, double>>& out) {
  for (const EvalBackend& b : backends) out.emplace_back(b.label(), b.percent);
}

ValueMatch value_match(const std::string& name, MatchType type, const std::string& value) {
  ValueMatch v;
  v.name = name;
  v.type = type;
  v.value = value;
  return v;
}

namespace {

std::map<std::string, std::string> string_map(const YNode* n) {
  std::map<std::string, std::string> out;
  if (n && n->is_mapping())
    for (const auto& e : n->entries) out[e.first->value] = text(e.second.get());
  return out;
}

bool holds_all(const std::map<std::string, std::string>& labels,
               const std::map<std::string, std::string>& want) {
  for (const auto& kv : want) {
    auto it = labels.find(kv.first);
    if (it == labels.end() || it->second != kv.second) return false;
  }
  return true;
}

}  // namespace

void Context::resolve_version(EvalBackend& b,
                              const std::map<std::string, std::string>* subset_labels) {
  const Obj* svc = set.find("", "Service", b.namespace_, b.service);
  if (!svc) {
    b.problem = "no Service " + b.namespace_ + "/" + b.service + " in the manifests";
    return;
  }
  if (!at(svc->spec, "selector")) {
    b.problem = "Service " + b.namespace_ + "/" + b.service + " has no selector";
    return;
  }
  std::map<std::string, std::string> want = string_map(at(svc->spec, "selector"));
  if (subset_labels)
    for (const auto& kv : *subset_labels) want[kv.first] = kv.second;
  std::vector<std::string> found;
  for (const Obj* d : set.of_kind("apps", "Deployment")) {
    if (d->ref.namespace_ != b.namespace_) continue;
    auto labels = string_map(at(at(at(d->spec, "template"), "metadata"), "labels"));
    if (holds_all(labels, want)) found.push_back(d->ref.name);
  }
  if (found.size() == 1) {
    b.version = found[0];
  } else if (found.empty()) {
    b.problem = "no Deployment in " + b.namespace_ + " has pods the backend selects";
  } else {
    std::string names;
    for (const auto& f : found) names += (names.empty() ? "" : ", ") + f;
    b.problem = "the backend selects the pods of several Deployments (" + names + ")";
  }
}

}  // namespace eval

// ---------------------------------------------------------------------------------------------
using eval::Obj;

std::vector<const Obj*> ManifestSet::Impl::of_kind(const std::string& group,
                                                   const std::string& kind) const {
  std::vector<const Obj*> out;
  for (const auto& o : objects)
    if (o.ref.kind == kind && o.group == group) out.push_back(&o);
  return out;
}

const Obj* ManifestSet::Impl::find(const std::string& group, const std::string& kind,
                                   const std::string& ns, const std::string& name) const {
  for (const auto& o : objects)
    if (o.ref.kind == kind && o.group == group && o.ref.namespace_ == ns && o.ref.name == name)
      return &o;
  return nullptr;
}

ManifestSet::ManifestSet() : impl_(std::make_unique<Impl>()) {}
ManifestSet::~ManifestSet() = default;
ManifestSet::ManifestSet(ManifestSet&&) noexcept = default;
ManifestSet& ManifestSet::operator=(ManifestSet&&) noexcept = default;

namespace {

void add_object(ManifestSet::Impl& impl, const YNode* n, std::vector<EvalUnsupported>& problems) {
  if (n->is_null()) return;
  std::string api = eval::text(eval::at(n, "apiVersion"));
  std::string kind = eval::text(eval::at(n, "kind"));
  if (!n->is_mapping() || api.empty() || kind.empty()) {
    problems.push_back(
        {n->loc, "a document without apiVersion and kind (not a Kubernetes object)", true});
    return;
  }
  if (kind == "List" ||
      (kind.size() > 4 && kind.compare(kind.size() - 4, 4, "List") == 0 && eval::at(n, "items"))) {
    for (const auto& it : eval::items(eval::at(n, "items"))) add_object(impl, it.get(), problems);
    return;
  }
  Obj o;
  o.root = n;
  o.spec = eval::at(n, "spec");
  o.ref.api_version = api;
  o.ref.kind = kind;
  const YNode* md = eval::at(n, "metadata");
  o.ref.name = eval::text(eval::at(md, "name"));
  o.ref.namespace_ = eval::text(eval::at(md, "namespace"));
  if (o.ref.namespace_.empty()) o.ref.namespace_ = "default";
  o.ref.loc = n->loc;
  size_t slash = api.find('/');
  o.group = slash == std::string::npos ? "" : api.substr(0, slash);
  o.version = slash == std::string::npos ? api : api.substr(slash + 1);
  impl.objects.push_back(std::move(o));
}

}  // namespace

std::vector<EvalUnsupported> ManifestSet::add(const std::vector<YamlDocument>& docs) {
  std::vector<EvalUnsupported> problems;
  for (const auto& d : docs) {
    impl_->keep.push_back(d.root);
    add_object(*impl_, d.root.get(), problems);
  }
  return problems;
}

namespace {

// The Services the routing objects of the stream name: "ns/name".
std::set<std::string> routed_services(const ManifestSet::Impl& impl) {
  std::set<std::string> out;
  for (const auto& o : impl.objects) {
    if ((o.group == "gateway.networking.k8s.io" || o.group == "policy.linkerd.io") &&
        (o.ref.kind == "HTTPRoute" || o.ref.kind == "GRPCRoute")) {
      for (const auto& p : eval::items(eval::at(o.spec, "parentRefs"))) {
        if (eval::text(eval::at(p.get(), "kind")) != "Service") continue;
        std::string ns = eval::text(eval::at(p.get(), "namespace"));
        out.insert((ns.empty() ? o.ref.namespace_ : ns) + "/" +
                   eval::text(eval::at(p.get(), "name")));
      }
    } else if (o.group == "split.smi-spec.io" && o.ref.kind == "TrafficSplit") {
      std::string s = eval::text(eval::at(o.spec, "service"));
      out.insert(o.ref.namespace_ + "/" + s.substr(0, s.find('.')));
    } else if (o.group == "networking.istio.io" && o.ref.kind == "VirtualService") {
      for (const auto& h : eval::items(eval::at(o.spec, "hosts"))) {
        std::string host = h->value;
        if (host.find('*') != std::string::npos) continue;
        size_t dot = host.find('.');
        if (dot == std::string::npos) {
          out.insert(o.ref.namespace_ + "/" + host);
          continue;
        }
        // name.ns, name.ns.svc, name.ns.svc.cluster.local
        std::string rest = host.substr(dot + 1);
        size_t dot2 = rest.find('.');
        std::string ns = rest.substr(0, dot2);
        std::string tail = dot2 == std::string::npos ? "" : rest.substr(dot2);
        // "name.ns" only when the stream has that Service: "example.com" is no Service.
        if ((tail.empty() && impl.find("", "Service", ns, host.substr(0, dot))) || tail == ".svc" ||
            tail == ".svc.cluster.local")
          out.insert(ns + "/" + host.substr(0, dot));
      }
    }
  }
  return out;
}

}  // namespace

std::string ManifestSet::default_service() const {
  std::set<std::string> s = routed_services(*impl_);
  return s.size() == 1 ? *s.begin() : "";
}

namespace {

// Kinds without routing meaning that the evaluator skips knowingly.
bool inert_kind(const Obj& o) {
  static const std::set<std::string> kCore = {
      "Service",   "ServiceAccount",       "ConfigMap", "Secret", "Namespace", "Pod",
      "Endpoints", "PersistentVolumeClaim"};
  static const std::set<std::string> kKnown = {
      "apps/Deployment",
      "apps/StatefulSet",
      "apps/ReplicaSet",
      "apps/DaemonSet",
      "batch/Job",
      "batch/CronJob",
      "autoscaling/HorizontalPodAutoscaler",
      "policy/PodDisruptionBudget",
      "rbac.authorization.k8s.io/Role",
      "rbac.authorization.k8s.io/RoleBinding",
      "rbac.authorization.k8s.io/ClusterRole",
      "rbac.authorization.k8s.io/ClusterRoleBinding",
      "gateway.networking.k8s.io/ReferenceGrant",
      "gateway.networking.k8s.io/Gateway",
      "gateway.networking.k8s.io/GatewayClass",
      "networking.istio.io/Gateway",
      "networking.k8s.io/NetworkPolicy",
      "discovery.k8s.io/EndpointSlice",
  };
  if (o.group.empty()) return kCore.count(o.ref.kind) > 0;
  return kKnown.count(o.group + "/" + o.ref.kind) > 0;
}

bool routing_kind(const Obj& o) {
  if ((o.group == "gateway.networking.k8s.io" &&
       (o.ref.kind == "HTTPRoute" || o.ref.kind == "GRPCRoute")) ||
      (o.group == "policy.linkerd.io" && o.ref.kind == "HTTPRoute"))
    return o.version == "v1" || o.version == "v1beta1" || o.version == "v1alpha2" ||
           o.version == "v1beta2" || o.version == "v1beta3";
  if (o.group == "networking.istio.io" &&
      (o.ref.kind == "VirtualService" || o.ref.kind == "DestinationRule"))
    return o.version == "v1" || o.version == "v1beta1" || o.version == "v1alpha3";
  if ((o.group == "split.smi-spec.io" && o.ref.kind == "TrafficSplit") ||
      (o.group == "specs.smi-spec.io" && o.ref.kind == "HTTPRouteGroup"))
    return true;
  return false;
}

// "ns/name" -> (ns, name).
std::pair<std::string, std::string> split_ref(const std::string& s, const std::string& dflt_ns) {
  size_t slash = s.find('/');
  if (slash == std::string::npos) return {dflt_ns, s};
  return {s.substr(0, slash), s.substr(slash + 1)};
}

eval::Target resolve_target(const ManifestSet::Impl& impl, const EvalRequest& req,
                            const std::string& dflt_service, const std::string& default_ns) {
  eval::Target t;
  std::string host = eval::lower(req.host);
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']') == std::string::npos) {
    std::string p = host.substr(colon + 1);
    host.resize(colon);
    if (!p.empty() && p.size() < 6 && p.find_first_not_of("0123456789") == std::string::npos)
      t.port = std::stoll(p);
  }
  if (!host.empty() && host.back() == '.') host.pop_back();
  t.host = host;
  if (host.empty()) {
    auto [ns, name] = split_ref(dflt_service, default_ns);
    t.svc_ns = ns;
    t.svc_name = name;
    return t;
  }
  std::vector<std::string> labels;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    labels.push_back(
        host.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::set<std::string> known = routed_services(impl);
  for (const auto& o : impl.objects)
    if (o.group.empty() && o.ref.kind == "Service")
      known.insert(o.ref.namespace_ + "/" + o.ref.name);
  if (labels.size() == 1) {
    t.svc_ns = default_ns;
    t.svc_name = labels[0];
    return t;
  }
  bool in_cluster_form =
      labels.size() == 2 || (labels.size() == 3 && labels[2] == "svc") ||
      (labels.size() == 5 && labels[2] == "svc" && labels[3] == "cluster" && labels[4] == "local");
  if (in_cluster_form && (labels.size() > 2 || known.count(labels[1] + "/" + labels[0]))) {
    t.svc_ns = labels[1];
    t.svc_name = labels[0];
  }
  return t;
}

// What the evaluator does not understand: reported, and it decides nothing.
void report_unknown_kinds(const ManifestSet::Impl& impl, EvalResult& out) {
  for (const auto& o : impl.objects) {
    if (routing_kind(o) || inert_kind(o)) continue;
    out.unsupported.push_back({o.ref.loc,
                               o.ref.kind + " " + o.ref.namespace_ + "/" + o.ref.name + " (" +
                                   o.ref.api_version +
                                   "): a kind the evaluator does not understand",
                               true});
  }
}

// Whether `o` names the ConfigMap `cm` (same namespace) among its ownerReferences, as the
// objects Iter8's controller applies do (it writes the kind as "configmap").
bool owned_by_configmap(const Obj& o, const Obj& cm) {
  if (o.ref.namespace_ != cm.ref.namespace_) return false;
  for (const auto& r : eval::items(eval::at(eval::at(o.root, "metadata"), "ownerReferences")))
    if (eval::lower(eval::text(eval::at(r.get(), "kind"))) == "configmap" &&
        eval::text(eval::at(r.get(), "name")) == cm.ref.name)
      return true;
  return false;
}

// An Iter8 routemap (a ConfigMap labelled iter8.tools/kind=routemap, as Iter8's release chart
// renders it) routes through the object Iter8's controller makes from its routingTemplates at
// run time. Unless the stream holds that object (a routing object the routemap owns), the
// routing of the release is not in the stream: reported, never guessed from the rest.
void report_iter8_routemaps(const ManifestSet::Impl& impl, EvalResult& out) {
  for (const auto& cm : impl.of_kind("", "ConfigMap")) {
    const YNode* labels = eval::at(eval::at(cm->root, "metadata"), "labels");
    if (eval::text(eval::at(labels, "iter8.tools/kind")) != "routemap") continue;
    bool made = false;
    for (const auto& o : impl.objects)
      made = made || (routing_kind(o) && owned_by_configmap(o, *cm));
    if (made) continue;
    out.unsupported.push_back(
        {cm->ref.loc,
         "ConfigMap " + cm->ref.namespace_ + "/" + cm->ref.name +
             " is an Iter8 routemap: Iter8's controller makes the routing object from its "
             "routingTemplates at run time, and the stream does not hold it (a routing object "
             "whose ownerReferences name this ConfigMap); add the object the controller "
             "applied, as `kubectl get` shows it",
         true});
  }
}

// One API's answer to the request.
struct Answer {
  const char* api;
  EvalResult result;
};

// Each API on its own; more than one applying is a cluster question, not an answer.
std::vector<Answer> answers_of(const eval::Context& ctx, const std::string& service) {
  std::vector<Answer> answers;
  auto run = [&](const char* api, bool (*fn)(eval::Context&)) {
    EvalResult r;
    r.service = service;
    eval::Context c{ctx.set, ctx.req, ctx.target, ctx.default_ns, {}, &r, ctx.options};
    if (fn(c)) answers.push_back({api, std::move(r)});
  };
  run("Gateway API", eval::evaluate_gateway_api);
  run("Istio", eval::evaluate_istio);
  run("SMI", eval::evaluate_smi);
  return answers;
}

// No routing object: the Service's own endpoints. When they are one version's pods, that
// version takes every request; otherwise the Service balances over several (unsplit).
void service_alone(eval::Context& ctx, const eval::Obj& svc, EvalResult& out) {
  EvalBackend b;
  b.service = ctx.target.svc_name;
  b.namespace_ = ctx.target.svc_ns;
  b.loc = svc.ref.loc;
  b.weight = 1;
  ctx.resolve_version(b, nullptr);
  out.object = svc.ref;
  out.rule_loc = out.match_loc = svc.ref.loc;
  if (!b.version.empty()) {
    out.outcome = EvalResult::Outcome::kRouted;
    out.message = "no routing object applies: the Service " + out.service +
                  " selects the pods of " + b.version + " only";
    out.backends.push_back(std::move(b));
    eval::fill_shares(out.backends);
  } else {
    out.outcome = EvalResult::Outcome::kUnsplit;
    out.message = "no routing object applies: the Service " + out.service +
                  " alone balances over its endpoints" +
                  (b.problem.empty() ? std::string() : " (" + b.problem + ")");
  }
}

// The outcome when no API or several answer.
void no_single_answer(eval::Context& ctx, const std::vector<Answer>& answers, EvalResult& out) {
  if (answers.size() > 1) {
    out.outcome = EvalResult::Outcome::kAmbiguous;
    out.message = "objects of several APIs apply to the request (";
    for (size_t i = 0; i < answers.size(); ++i)
      out.message +=
          std::string(i ? ", " : "") + answers[i].api + ": " + answers[i].result.object.str();
    out.message += "); which one answers depends on the mesh installed";
  } else if (ctx.req.via == EvalRequest::Via::kGateway) {
    out.outcome = EvalResult::Outcome::kUnrouted;
    out.message = "no route of the gateway applies to the request";
  } else if (const eval::Obj* svc =
                 ctx.target.svc_name.empty()
                     ? nullptr
                     : ctx.set.find("", "Service", ctx.target.svc_ns, ctx.target.svc_name)) {
    service_alone(ctx, *svc, out);
  } else {
    out.outcome = EvalResult::Outcome::kUnsplit;
    out.message = out.service.empty()
                      ? "no routing object applies to the request and its host names no Service"
                      : "no routing object applies: the Service " + out.service +
                            " alone balances over its endpoints";
  }
}

}  // namespace

// What evaluate() reports before any API answers, for the static reading (segments.cpp):
// unknown kinds, and Iter8 routemaps whose routing object the stream lacks.
std::vector<EvalUnsupported> eval::unknown_kinds(const ManifestSet::Impl& impl) {
  EvalResult r;
  report_unknown_kinds(impl, r);
  report_iter8_routemaps(impl, r);
  return std::move(r.unsupported);
}

EvalResult evaluate(const ManifestSet& objects, const EvalRequest& request,
                    const std::string& default_service, const EvalOptions& options) {
  const ManifestSet::Impl& impl = objects.impl();
  std::string dflt = default_service.empty() ? objects.default_service() : default_service;
  std::string default_ns = dflt.empty() ? "default" : split_ref(dflt, "default").first;
  EvalResult out;
  eval::Context ctx{impl, request, resolve_target(impl, request, dflt, default_ns), default_ns, {},
                    &out, options};
  if (!ctx.target.svc_name.empty()) out.service = ctx.target.svc_ns + "/" + ctx.target.svc_name;
  report_unknown_kinds(impl, out);
  report_iter8_routemaps(impl, out);
  std::vector<Answer> answers = answers_of(ctx, out.service);

  std::vector<EvalUnsupported> unknown_kinds = std::move(out.unsupported);
  if (answers.size() == 1)
    out = std::move(answers[0].result);
  else
    no_single_answer(ctx, answers, out);
  out.unsupported.insert(out.unsupported.begin(), unknown_kinds.begin(), unknown_kinds.end());
  bool affected = false;
  for (const auto& u : out.unsupported) affected = affected || u.affects;
  if (affected && out.outcome != EvalResult::Outcome::kAmbiguous) {
    // An object the evaluator cannot read could have taken the request (or the rule that took
    // it holds something it cannot read): the answer above is what the rest says, not a fact.
    out.outcome = EvalResult::Outcome::kUnknown;
    if (out.message.empty() || answers.empty())
      out.message = "the answer depends on objects or fields the evaluator does not understand";
  }
  return out;
}

}  // namespace meshc
