// Consul service mesh L7 traffic management as consul-k8s runs it: ServiceDefaults,
// ServiceRouter, ServiceSplitter, ServiceResolver (consul.hashicorp.com/v1alpha1), from Consul's
// config entry reference ("service-router", "service-splitter", "service-resolver", "discovery
// chain") and consul-k8s's service registration:
// - Registration: every Kubernetes Service registers the pods it selects as instances of the
//   Consul service of the same name, unless the Service is labelled
//   consul.hashicorp.com/service-ignore: "true" or the pod's annotation
//   consul.hashicorp.com/kubernetes-service names another Service. An instance carries the
//   metadata of its pod's consul.hashicorp.com/service-meta-<key> annotations and the tags of
//   consul.hashicorp.com/service-tags. A pod registered under two Consul services never starts
//   (connect-init requires exactly one): reported as broken.
// - A mesh request to a Service goes through the discovery chain of the Consul service of that
//   name: its ServiceRouter (routes in order, the first match wins, then a default route to the
//   service itself), then the destination service's ServiceSplitter (weights summing to 100;
//   splits to another service without a subset follow that service's splitter), then the
//   resolver: the subset's filter over the instances (or the default subset). A router or
//   splitter needs an L7 protocol on the router's service and every resolved service (its
//   ServiceDefaults protocol; tcp when none): otherwise Consul rejects the chain.
// - Matching is Envoy's: pathExact on the path without query, pathPrefix a plain prefix of the
//   whole :path, pathRegex a full RE2 match of the path; headers by name, case-insensitively,
//   exact / prefix / suffix / regex (full) / present, optionally inverted; query parameters
//   exact / regex / present on the first value; methods.
// - Response headers set by the route destination or the split name the version (app-version).
#include <algorithm>
#include <cmath>
#include <set>

#include "tests/routing/simulator_internal.h"

namespace routing {
namespace {

const char* const kGroup = "consul.hashicorp.com";
const char* const kPrefix = "consul.hashicorp.com/";

struct Instance {
  const Workload* workload;
  std::map<std::string, std::string> meta;
  std::vector<std::string> tags;
};

struct Chain {
  const Cluster::State& state;
  std::string ns;
  std::map<std::string, std::vector<Instance>> instances;  // Consul service -> instances

  const Object* Entry(const std::string& kind, const std::string& name) const {
    for (const Object* o : state.Find(kGroup, kind)) {
      if (o->ns == ns && o->name == name) return o;
    }
    return nullptr;
  }
};

std::vector<std::string> SplitTags(const std::string& raw) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : raw + ",") {
    if (c == ',') {
      const auto b = cur.find_first_not_of(' ');
      const auto e = cur.find_last_not_of(' ');
      if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

// consul-k8s's registration of the namespace's pods.
std::map<std::string, std::vector<Instance>> Register(const Cluster::State& state,
                                                      const std::string& ns) {
  std::map<std::string, std::vector<Instance>> out;
  std::map<const Workload*, std::vector<std::string>> registered;
  for (const Service& svc : state.services) {
    if (svc.ns != ns) continue;
    auto ignore = svc.labels.find(std::string(kPrefix) + "service-ignore");
    if (ignore != svc.labels.end() && ignore->second == "true") continue;
    for (const Workload* w : state.SelectedBy(svc)) {
      auto only = w->pod_annotations.find(std::string(kPrefix) + "kubernetes-service");
      if (only != w->pod_annotations.end() && only->second != svc.name) continue;
      Instance in{w, {}, {}};
      const std::string meta_prefix = std::string(kPrefix) + "service-meta-";
      for (const auto& [k, v] : w->pod_annotations) {
        if (k.rfind(meta_prefix, 0) == 0 && k.size() > meta_prefix.size()) {
          in.meta[k.substr(meta_prefix.size())] = v;
        }
      }
      in.meta["k8s-service-name"] = svc.name;
      in.meta["k8s-namespace"] = ns;
      auto tags = w->pod_annotations.find(std::string(kPrefix) + "service-tags");
      if (tags != w->pod_annotations.end()) in.tags = SplitTags(tags->second);
      out[svc.name].push_back(in);
      registered[w].push_back(svc.name);
    }
  }
  for (const auto& [w, names] : registered) {
    if (names.size() > 1) {
      throw Broken("pods of " + w->name + " register as several Consul services (" +
                   JoinStrings(names, ", ") +
                   "): connect-init requires one, so they never start; annotate them with " +
                   kPrefix + "kubernetes-service or label the other Services service-ignore");
    }
  }
  return out;
}

// ---------------------------------------------------------------- subset filters (go-bexpr)

// The filter language subset used in subsets: selectors Service.Meta.<key>, Service.Tags,
// Service.Service, Service.ID; operators ==, !=, in / not in (value in Service.Tags),
// contains; and, or, not, parentheses. Anything else is not modeled.
class Filter {
 public:
  Filter(const std::string& text, const std::string& service, const Instance& in)
      : text_(text), service_(service), in_(in) {}
  bool Eval() {
    const bool v = Or();
    Skip();
    if (pos_ != text_.size()) throw NotModeled("filter syntax: " + text_);
    return v;
  }

 private:
  void Skip() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool Word(const std::string& w) {
    Skip();
    if (text_.compare(pos_, w.size(), w) != 0) return false;
    const size_t end = pos_ + w.size();
    if (end < text_.size() && (isalnum(static_cast<unsigned char>(text_[end])) ||
                               text_[end] == '_' || text_[end] == '.')) {
      if (isalpha(static_cast<unsigned char>(w[0]))) return false;
    }
    pos_ = end;
    return true;
  }
  bool Or() {
    bool v = And();
    while (Word("or")) v = And() || v;
    return v;
  }
  bool And() {
    bool v = Not();
    while (Word("and")) v = Not() && v;
    return v;
  }
  bool Not() {
    if (Word("not")) return !Not();
    if (Word("(")) {
      const bool v = Or();
      if (!Word(")")) throw NotModeled("filter syntax: " + text_);
      return v;
    }
    return Compare();
  }
  std::string Value() {
    Skip();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      std::string out;
      for (++pos_; pos_ < text_.size() && text_[pos_] != '"'; ++pos_) {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        out += text_[pos_];
      }
      if (pos_ >= text_.size()) throw NotModeled("filter syntax: " + text_);
      ++pos_;
      return out;
    }
    std::string out;
    while (pos_ < text_.size() && (isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   std::string("-_./:").find(text_[pos_]) != std::string::npos)) {
      out += text_[pos_++];
    }
    if (out.empty()) throw NotModeled("filter syntax: " + text_);
    return out;
  }
  // A selector's value; `present` false when the selector names nothing.
  std::string Selector(const std::string& sel, bool* present) {
    *present = true;
    if (sel == "Service.Service") return service_;
    if (sel.rfind("Service.Meta.", 0) == 0) {
      auto it = in_.meta.find(sel.substr(13));
      *present = it != in_.meta.end();
      return *present ? it->second : "";
    }
    throw NotModeled("filter selector " + sel);
  }
  bool Compare() {
    Skip();
    if (pos_ < text_.size() && text_[pos_] == '"') {  // "value" in Service.Tags
      const std::string value = Value();
      const bool negate = Word("not");
      if (!Word("in")) throw NotModeled("filter syntax: " + text_);
      const std::string sel = Value();
      if (sel != "Service.Tags") throw NotModeled("filter selector " + sel);
      const bool has = std::find(in_.tags.begin(), in_.tags.end(), value) != in_.tags.end();
      return negate ? !has : has;
    }
    const std::string sel = Value();
    if (sel == "Service.Tags") {
      const bool negate = Word("not");
      if (!Word("contains")) throw NotModeled("filter syntax: " + text_);
      const std::string value = Value();
      const bool has = std::find(in_.tags.begin(), in_.tags.end(), value) != in_.tags.end();
      return negate ? !has : has;
    }
    bool present = false;
    const std::string got = Selector(sel, &present);
    if (Word("==")) return present && got == Value();
    if (Word("!=")) return !present || got != Value();
    if (Word("is")) {
      const bool negate = Word("not");
      if (!Word("empty")) throw NotModeled("filter syntax: " + text_);
      return negate ? (present && !got.empty()) : (!present || got.empty());
    }
    throw NotModeled("filter syntax: " + text_);
  }

  std::string text_;
  size_t pos_ = 0;
  std::string service_;
  const Instance& in_;
};

// ---------------------------------------------------------------- matching

bool StringMatch(const YAML::Node& m, const std::optional<std::string>& got,
                 const std::string& ctx) {
  CheckKeys(m, {"name", "exact", "prefix", "suffix", "regex", "present", "invert"}, ctx);
  // Consul takes exactly one of these; an empty string counts as unset.
  int kinds = 0;
  bool ok = false;
  if (Has(m, "present") && m["present"].as<bool>()) ok = got.has_value(), ++kinds;
  if (!Str(m, "exact").empty()) ok = got && *got == Str(m, "exact"), ++kinds;
  if (!Str(m, "prefix").empty()) ok = got && got->rfind(Str(m, "prefix"), 0) == 0, ++kinds;
  if (!Str(m, "suffix").empty()) {
    const std::string s = Str(m, "suffix");
    ok = got && got->size() >= s.size() && got->compare(got->size() - s.size(), s.size(), s) == 0;
    ++kinds;
  }
  if (!Str(m, "regex").empty())
    ok = got && RegexMatch(Str(m, "regex"), *got, Anchor::kFull), ++kinds;
  if (kinds != 1)
    throw Broken(ctx +
                 ": should contain exactly one of present, exact, prefix, "
                 "suffix, regex (Consul rejects the entry)");
  if (Has(m, "invert") && m["invert"].as<bool>()) ok = !ok;
  return ok;
}

bool HttpMatchHolds(const YAML::Node& http, const Request& r, const std::string& ctx) {
  CheckKeys(http,
            {"pathExact", "pathPrefix", "pathRegex", "header", "queryParam", "methods",
             "caseInsensitive"},
            ctx);
  if (Has(http, "caseInsensitive") && http["caseInsensitive"].as<bool>()) {
    throw NotModeled(ctx + ".caseInsensitive");
  }
  int paths = 0;
  bool ok = true;
  if (!Str(http, "pathExact").empty()) ok = ok && r.path == Str(http, "pathExact"), ++paths;
  if (!Str(http, "pathPrefix").empty()) {
    ok = ok && r.FullPath().rfind(Str(http, "pathPrefix"), 0) == 0;
    ++paths;
  }
  if (!Str(http, "pathRegex").empty()) {
    ok = ok && RegexMatch(Str(http, "pathRegex"), r.path, Anchor::kFull);
    ++paths;
  }
  if (paths > 1) throw Broken(ctx + ": more than one of pathExact, pathPrefix, pathRegex");
  for (const auto& h : At(http, "header")) {
    ok = ok && StringMatch(h, r.Header(Str(h, "name")), ctx + ".header[]");
  }
  for (const auto& q : At(http, "queryParam")) {
    if (!Str(q, "prefix").empty() || !Str(q, "suffix").empty() || Has(q, "invert")) {
      throw Broken(ctx + ".queryParam[]: only exact, regex and present exist");
    }
    ok = ok && StringMatch(q, r.Query(Str(q, "name")), ctx + ".queryParam[]");
  }
  if (Has(http, "methods") && At(http, "methods").size() > 0) {
    bool any = false;
    for (const auto& m : http["methods"]) any = any || m.as<std::string>() == r.method;
    ok = ok && any;
  }
  return ok;
}

std::string SetAppVersion(const YAML::Node& headers, const std::string& ctx) {
  CheckKeys(headers, {"add", "set", "remove"}, ctx);
  for (const char* op : {"set", "add"}) {
    for (const auto& kv : At(headers, op)) {
      if (Lower(kv.first.as<std::string>()) == "app-version") return kv.second.as<std::string>();
    }
  }
  return "";
}

// ---------------------------------------------------------------- the chain

struct Walk {
  const Chain& chain;
  std::string protocol;  // the chain's protocol, once recorded
  bool advanced = false;

  // Consul records the protocol of the router's service and of every resolved service; they
  // must agree.
  void Record(const std::string& service) {
    std::string p = "tcp";
    if (const Object* d = chain.Entry("ServiceDefaults", service)) {
      p = Lower(Str(At(d->node, "spec"), "protocol", "tcp"));
      if (p.empty()) p = "tcp";
    }
    if (protocol.empty()) protocol = p;
    if (protocol != p) {
      throw Broken("discovery chain uses inconsistent protocols: service " + service + " has " + p +
                   ", not " + protocol);
    }
  }

  // Resolves service/subset to its version; adds `share` to `out`.
  void Resolve(const std::string& service, std::string subset, double share,
               const std::string& app_version, const std::string& ctx, Outcome* out) {
    Record(service);
    const Object* resolver = chain.Entry("ServiceResolver", service);
    YAML::Node spec = resolver ? At(resolver->node, "spec") : YAML::Node();
    if (resolver) {
      CheckKeys(spec, {"defaultSubset", "subsets", "connectTimeout", "requestTimeout"},
                resolver->Ref() + ".spec");
    }
    if (subset.empty()) subset = Str(spec, "defaultSubset");
    std::string filter;
    if (!subset.empty()) {
      const YAML::Node s = At(At(spec, "subsets"), subset.c_str());
      if (!s) throw Broken(ctx + ": service " + service + " has no subset " + subset);
      CheckKeys(s, {"filter", "onlyPassing"}, ctx + " subset " + subset);
      filter = Str(s, "filter");
    }
    auto it = chain.instances.find(service);
    std::set<std::string> versions;
    if (it != chain.instances.end()) {
      for (const Instance& in : it->second) {
        if (filter.empty() || Filter(filter, service, in).Eval()) {
          versions.insert(in.workload->name);
        }
      }
    }
    const std::string what = service + (subset.empty() ? "" : " subset " + subset);
    if (versions.empty()) throw Broken(ctx + ": " + what + " has no instances (503)");
    if (versions.size() > 1) {
      throw Broken(ctx + ": " + what + " reaches instances of several versions: " +
                   JoinStrings({versions.begin(), versions.end()}, ", "));
    }
    const std::string v = *versions.begin();
    out->versions[v] += share;
    out->app_version[v] = app_version;
  }

  // The splitter of `service` if any, else its resolver.
  void SplitOrResolve(const std::string& service, double share, const std::string& app_version,
                      const std::string& ctx, int depth, Outcome* out) {
    if (depth > 8) throw Broken(ctx + ": splitters refer to each other in a circle");
    const Object* splitter = chain.Entry("ServiceSplitter", service);
    if (!splitter) {
      Resolve(service, "", share, app_version, ctx, out);
      return;
    }
    advanced = true;
    const YAML::Node splits = At(At(splitter->node, "spec"), "splits");
    double total = 0;
    for (const auto& s : splits) total += Number(s, "weight", 0);
    if (std::fabs(total - 100) > 0.01 || splits.size() == 0) {
      throw Broken(splitter->Ref() + ": split weights sum to " + std::to_string(total) +
                   ", not 100 (Consul rejects it)");
    }
    for (size_t i = 0; i < splits.size(); ++i) {
      const YAML::Node s = splits[i];
      const std::string sctx = splitter->Ref() + " splits[" + std::to_string(i) + "]";
      CheckKeys(s, {"weight", "service", "serviceSubset", "responseHeaders", "requestHeaders"},
                sctx);
      const double w = share * Number(s, "weight", 0) / 100;
      if (w <= 0) continue;
      const std::string svc = Str(s, "service", service);
      const std::string subset = Str(s, "serviceSubset");
      std::string header = SetAppVersion(At(s, "responseHeaders"), sctx + ".responseHeaders");
      if (header.empty()) header = app_version;
      if (svc != service && subset.empty()) {
        SplitOrResolve(svc, w, header, sctx, depth + 1, out);
      } else {
        Resolve(svc, subset, w, header, sctx, out);
      }
    }
  }
};

}  // namespace

Outcome RouteConsul(const Cluster::State& state, const Request& request) {
  if (request.via != "mesh") throw NotModeled("via: gateway on Consul (ingress gateways)");
  const Service& target = MeshTarget(state, request);
  Chain chain{state, target.ns, Register(state, target.ns)};
  const std::string service = target.name;
  bool configured = false;
  for (const char* kind : {"ServiceRouter", "ServiceSplitter", "ServiceResolver"}) {
    configured = configured || chain.Entry(kind, service) != nullptr;
  }
  if (!configured) {
    // The default chain: every instance of the service.
    auto it = chain.instances.find(service);
    if (it == chain.instances.end()) {
      return PlainServiceRouting(state, target, "no Consul service " + service);
    }
    std::set<std::string> versions;
    for (const Instance& in : it->second) versions.insert(in.workload->name);
    Outcome out;
    out.kind = versions.size() == 1 ? Outcome::Kind::kRouted : Outcome::Kind::kUnsplit;
    if (versions.size() == 1) out.versions[*versions.begin()] = 100;
    out.detail = "no config entries: Consul balances over every instance of " + service;
    return out;
  }
  Walk walk{chain, "", false};
  Outcome out;
  out.kind = Outcome::Kind::kRouted;
  const Object* router = chain.Entry("ServiceRouter", service);
  std::string ctx = "default route of " + service;
  bool routed = false;
  if (router) {
    walk.advanced = true;
    walk.Record(service);
    const YAML::Node routes = At(At(router->node, "spec"), "routes");
    for (size_t i = 0; i < routes.size() && !routed; ++i) {
      const YAML::Node r = routes[i];
      const std::string rctx = router->Ref() + " routes[" + std::to_string(i) + "]";
      CheckKeys(r, {"match", "destination"}, rctx);
      CheckKeys(At(r, "match"), {"http"}, rctx + ".match");
      if (!HttpMatchHolds(At(At(r, "match"), "http"), request, rctx + ".match.http")) continue;
      const YAML::Node d = At(r, "destination");
      CheckKeys(d,
                {"service", "serviceSubset", "responseHeaders", "requestHeaders", "requestTimeout",
                 "numRetries", "retryOnConnectFailure"},
                rctx + ".destination");
      const std::string svc = Str(d, "service", service);
      const std::string subset = Str(d, "serviceSubset");
      const std::string header =
          SetAppVersion(At(d, "responseHeaders"), rctx + ".destination.responseHeaders");
      if (subset.empty()) {
        walk.SplitOrResolve(svc, 100, header, rctx, 0, &out);
      } else {
        walk.Resolve(svc, subset, 100, header, rctx, &out);
      }
      out.detail = rctx;
      routed = true;
    }
  }
  if (!routed) {
    walk.SplitOrResolve(service, 100, "", ctx, 0, &out);
    out.detail = ctx;
  }
  if (walk.advanced && walk.protocol != "http" && walk.protocol != "http2" &&
      walk.protocol != "grpc") {
    throw Broken("discovery chain " + service + " uses protocol " + walk.protocol +
                 ", which does not permit routing or splitting (ServiceDefaults protocol http "
                 "missing)");
  }
  return out;
}

}  // namespace routing
