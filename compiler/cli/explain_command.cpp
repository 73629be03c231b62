// meshc explain: where a request goes under the objects a spec compiles to (or any stream of
// objects, --manifests), and why: the rule that took it, the spec text it came from, and the
// rules before it that did not. The objects are read back by compiler/evaluate, the same
// evaluator for both.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "compiler/cli/command.h"
#include "compiler/cli/options.h"
#include "compiler/evaluate/evaluate.h"
#include "compiler/evaluate/spec_route.h"
#include "compiler/io/input.h"

namespace meshc {

namespace {

using Json = nlohmann::ordered_json;

// One evaluation: a target's objects (or a --manifests stream) and one release's request.
struct Explained {
  std::string target;   // "gateway-api@v1"; "" for --manifests
  std::string source;   // the name the objects' locations use
  std::string release;  // "ns/name" ("" for --manifests)
  EvalResult result;
  std::optional<SpecRoute> spec;
  const Routemap* routemap = nullptr;
  std::string disagreement;  // the target's objects do not mean what the spec says
  std::string not_compiled;  // --all-targets: the first error of a target that rejects the spec
  bool evaluated = true;     // false: the evaluator cannot read the target's objects
};

std::string rule_label(const ObjectRef& o, int rule, int match) {
  std::string s = o.str();
  if (o.kind == "VirtualService") {
    if (rule >= 0) s += " http[" + std::to_string(rule) + "]";
    if (match >= 0) s += ".match[" + std::to_string(match) + "]";
  } else if (o.kind == "HTTPRoute" || o.kind == "GRPCRoute") {
    if (rule >= 0) s += " rules[" + std::to_string(rule) + "]";
    if (match >= 0) s += ".matches[" + std::to_string(match) + "]";
  }
  return s;
}

std::string shares_text(const std::vector<EvalBackend>& bs, bool mirror) {
  std::string s;
  for (const auto& b : bs) {
    if (!mirror && b.weight == 0 && bs.size() > 1) continue;
    s += (s.empty() ? "" : ", ") + b.label() + " " + format_percent(b.percent) + "%";
  }
  return s;
}

// version -> percent, zero shares left out, duplicates added.
std::map<std::string, double> shares_of(const std::vector<EvalBackend>& bs) {
  std::map<std::string, double> m;
  for (const auto& b : bs)
    if (b.percent > 0) m[b.label()] += b.percent;
  return m;
}

std::string outcome_line(const EvalResult& r) {
  switch (r.outcome) {
    case EvalResult::Outcome::kRouted: {
      std::string s = shares_text(r.backends, false);
      if (!r.mirrors.empty()) s += "; mirrored to " + shares_text(r.mirrors, true);
      return s;
    }
    default:
      return std::string(outcome_name(r.outcome)) + ": " + r.message;
  }
}

void text_of(const Explained& e, std::string& out) {
  std::string head = e.target.empty() ? e.source : e.target;
  if (!e.release.empty()) head += " (" + e.release + ")";
  if (!e.not_compiled.empty()) {
    out += head + ": does not compile the spec: " + e.not_compiled + "\n";
    return;
  }
  const EvalResult& r = e.result;
  if (!e.evaluated) {
    // One line: the kinds (or fields) it could not read, each once.
    std::vector<std::string> what;
    for (const auto& u : r.unsupported) {
      if (!u.affects) continue;
      size_t kind_end = u.what.find(" (");
      std::string w = u.what.find("a kind the evaluator") != std::string::npos
                          ? u.what.substr(0, u.what.find(' ')) +
                                u.what.substr(kind_end, u.what.find(')', kind_end) - kind_end + 1)
                          : u.what;
      if (std::find(what.begin(), what.end(), w) == what.end()) what.push_back(w);
    }
    std::string list;
    for (const auto& w : what) list += (list.empty() ? "" : ", ") + w;
    out += head + ": not evaluated: the evaluator does not read " + list + "\n";
    return;
  }
  out += head + ": " + outcome_line(r) + "\n";
  if (r.outcome == EvalResult::Outcome::kRouted && r.rule < 0 && r.object.kind == "Service")
    out += "  " + r.message + "\n";
  for (const auto& b : r.backends)
    if (!b.problem.empty()) out += "  backend " + b.label() + ": " + b.problem + "\n";
  for (const auto& b : r.mirrors)
    if (!b.problem.empty()) out += "  mirror " + b.label() + ": " + b.problem + "\n";
  if (r.outcome == EvalResult::Outcome::kRouted || r.rule >= 0) {
    out +=
        "  taken by " + rule_label(r.object, r.rule, r.match) + " at " + r.match_loc.str() + "\n";
  }
  if (e.spec && e.spec->route && e.routemap && r.outcome == EvalResult::Outcome::kRouted)
    out += "  from the spec at " + e.spec->loc.str() + ": " + e.spec->field_path + " (" +
           e.spec->describe(*e.routemap) + ")\n";
  if (e.spec && e.spec->route && r.outcome == EvalResult::Outcome::kRouted) {
    for (const auto& w : e.spec->weights)
      out += std::string("  ") + (w.mirror ? "copy to " : "weight of ") + w.version + " (" +
             std::to_string(w.percent) + "%) from the spec at " + w.loc.str() + ": " +
             w.field_path + "\n";
  }
  if (!e.disagreement.empty()) out += "  DISAGREEMENT (a meshc bug): " + e.disagreement + "\n";
  if (!r.before.empty()) {
    out += "  not taken before it, in " + r.order + ":\n";
    for (const auto& b : r.before)
      out += "    " + rule_label(b.object, b.rule, b.match) + ": " + b.reason + "\n";
  }
  for (const auto& u : r.unsupported)
    if (!u.affects) out += "  note: " + u.loc.str() + ": " + u.what + "\n";
}

Json backend_json(const EvalBackend& b, bool mirror) {
  Json j;
  j["version"] = b.version.empty() ? Json(nullptr) : Json(b.version);
  j["service"] = b.service;
  j["namespace"] = b.namespace_;
  if (!b.subset.empty()) j["subset"] = b.subset;
  if (b.port) j["port"] = b.port;
  if (!mirror) {
    j["weight"] = b.weight;
    j["total"] = b.total;
  }
  j["percent"] = std::stod(format_percent(b.percent));
  j["location"] = b.loc.str();
  if (!b.problem.empty()) j["problem"] = b.problem;
  return j;
}

// kind, namespace, name, rule and match (null when not known) of a rule of an object: the same
// fields for the rule that took the request and for each one that did not.
template <typename Ref>
void add_rule_ref(Json& j, const Ref& object, int rule, int match) {
  j["kind"] = object.kind;
  j["namespace"] = object.namespace_;
  j["name"] = object.name;
  j["rule"] = rule >= 0 ? Json(rule) : Json(nullptr);
  j["match"] = match >= 0 ? Json(match) : Json(nullptr);
}

// The rule that took the request, or null.
Json taken_by_json(const EvalResult& r) {
  if (!(r.rule >= 0 || r.outcome == EvalResult::Outcome::kRouted)) return nullptr;
  Json t;
  t["apiVersion"] = r.object.api_version;
  add_rule_ref(t, r.object, r.rule, r.match);
  t["ruleName"] = r.rule_name;
  t["location"] = r.match_loc.str();
  return t;
}

// The spec route the request came from, or null.
Json spec_json(const Explained& e) {
  if (!(e.spec && e.spec->route && e.routemap && e.result.outcome == EvalResult::Outcome::kRouted))
    return nullptr;
  Json s;
  s["location"] = e.spec->loc.str();
  s["fieldPath"] = e.spec->field_path;
  s["route"] = e.spec->route->name;
  s["description"] = e.spec->describe(*e.routemap);
  s["weights"] = Json::array();
  for (const auto& w : e.spec->weights) {
    s["weights"].push_back({{"version", w.version},
                            {"percent", w.percent},
                            {"mirror", w.mirror},
                            {"location", w.loc.str()},
                            {"fieldPath", w.field_path}});
  }
  return s;
}

// The rules not taken before the one that was.
Json before_json(const EvalResult& r) {
  Json before = Json::array();
  for (const auto& b : r.before) {
    Json x;
    add_rule_ref(x, b.object, b.rule, b.match);
    x["reason"] = b.reason;
    x["location"] = b.loc.str();
    before.push_back(x);
  }
  return before;
}

Json json_of(const Explained& e) {
  Json j;
  j["target"] = e.target.empty() ? Json(nullptr) : Json(e.target);
  j["source"] = e.source;
  j["release"] = e.release.empty() ? Json(nullptr) : Json(e.release);
  if (!e.not_compiled.empty()) {
    j["outcome"] = "not-compiled";
    j["message"] = e.not_compiled;
    return j;
  }
  const EvalResult& r = e.result;
  j["outcome"] = e.evaluated ? outcome_name(r.outcome) : "not-evaluated";
  j["service"] = r.service.empty() ? Json(nullptr) : Json(r.service);
  j["versions"] = Json::array();
  for (const auto& b : r.backends) j["versions"].push_back(backend_json(b, false));
  j["mirrors"] = Json::array();
  for (const auto& b : r.mirrors) j["mirrors"].push_back(backend_json(b, true));
  j["takenBy"] = taken_by_json(r);
  j["spec"] = spec_json(e);
  j["disagreement"] = e.disagreement.empty() ? Json(nullptr) : Json(e.disagreement);
  j["order"] = r.order.empty() ? Json(nullptr) : Json(r.order);
  j["before"] = before_json(r);
  j["unsupported"] = Json::array();
  for (const auto& u : r.unsupported)
    j["unsupported"].push_back(
        {{"location", u.loc.str()}, {"what", u.what}, {"affects", u.affects}});
  j["message"] = r.message.empty() ? Json(nullptr) : Json(r.message);
  return j;
}

// Whether the request is for release `e`: no host given (the release's own Service), a host
// naming its root Service, or one of its application hosts.
bool addressed(const EvalRequest& req, const Explained& e, const Routemap& rm) {
  if (req.host.empty() || e.result.service == e.release) return true;
  std::string host = req.host.substr(0, req.host.rfind(':'));
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& h : rm.hosts) {
    if (h == host) return true;
    if (h.rfind("*.", 0) == 0 && host.size() > h.size() - 1 &&
        host.compare(host.size() - (h.size() - 1), h.size() - 1, h, 1, std::string::npos) == 0)
      return true;
  }
  return false;
}

// The explanations over each target's run, and the first failure to report when no target
// compiles the spec.
struct TargetRuns {
  std::vector<Explained> all;
  std::optional<DiagnosticSink> first_failure;
  bool any_compiled = false;
};

class ExplainCommand final : public Command {
 public:
  const char* name() const override { return "explain"; }
  const char* summary() const override {
    return "Say where a request goes under the objects a spec compiles to (or any manifests), "
           "and why.";
  }
  const char* examples() const override {
    return "Examples:\n"
           "  # Which version answers a request, and the spec text that decided it\n"
           "  meshc explain examples/canary-gateway-api.yaml -H 'traffic: test' /get\n"
           "\n"
           "  # Every target, flagging any that disagrees\n"
           "  meshc explain spec.yaml --all-targets -X POST 'http://shop.example.com/cart?x=1'\n"
           "\n"
           "  # Any stream of objects (Helm output, hand-written), as JSON\n"
           "  helm template ... | meshc explain --manifests - --format json /";
  }
  void add_options(CLI::App* cmd) override {
    add_compile_options(cmd, opts_, false);
    cmd->add_option("args", args_,
                    "SPEC (unless --manifests), then the request's URL or path (with query "
                    "string; a URL gives the host). Default path: /.");
    cmd->add_option("-X,--request", method_, "The request method (default GET).")->check(kNonEmpty);
    cmd->add_option("-H,--header", headers_, "A request header 'name: value' (repeatable).")
        ->allow_extra_args(false);
    cmd->add_option("--cookie", cookie_, "The Cookie header, 'a=b; c=d'.");
    cmd->add_option("--host", host_, "The Host (authority), overriding the URL's.")
        ->check(kNonEmpty);
    cmd->add_option("--via", via_,
                    "Where the request comes from: mesh (a client in the mesh, the default) or "
                    "gateway[=NAME] (through the ingress gateway NAME or namespace/NAME; without "
                    "NAME, the spec's gateway or any).")
        ->check(kNonEmpty);
    cmd->add_flag("--all-targets", all_targets_,
                  "Explain on every target and API version that compiles the spec, and fail "
                  "(exit 1) when they disagree.");
    cmd->add_option("--manifests", manifests_,
                    "Evaluate this stream of Kubernetes objects (FILE, or - for stdin) instead "
                    "of compiling a spec.")
        ->check(kNonEmpty);
    cmd->add_option("--format", format_, "Output: text (default) or json (docs/explain.md).")
        ->check(CLI::IsMember({"text", "json"}));
    add_step_option(cmd, opts_);
  }
  int run() override;

 private:
  bool build_request(const std::string& url, EvalRequest* req, std::string* err) const;
  int finish(std::vector<Explained>& all, bool compare);
  int run_manifests(const CompileSetup& setup);
  int explain_on(const std::optional<TargetChoice>& choice, const CompileSetup& setup,
                 TargetRuns* runs);
  int explain_releases(std::vector<CompiledRelease>& releases, const std::string& name,
                       const CompileSetup& setup, std::vector<Explained>* all);
  bool explain_release(const CompiledRelease& r, const ManifestSet& set, const std::string& source,
                       const CompileSetup& setup, Explained* e) const;

  CompileOptions opts_;
  std::vector<std::string> args_;
  std::string method_ = "GET";
  std::vector<std::string> headers_;
  std::string cookie_;
  std::string host_;
  std::string via_ = "mesh";
  bool all_targets_ = false;
  std::string manifests_;
  std::string format_ = "text";
  EvalRequest request_;
};

bool ExplainCommand::build_request(const std::string& url, EvalRequest* req,
                                   std::string* err) const {
  req->method = method_;
  std::string u = url.empty() ? "/" : url;
  size_t scheme = u.find("://");
  if (scheme != std::string::npos) {
    std::string rest = u.substr(scheme + 3);
    size_t slash = rest.find_first_of("/?");
    req->host = rest.substr(0, slash);
    u = slash == std::string::npos ? "/" : rest.substr(slash);
    if (!u.empty() && u[0] == '?') u = "/" + u;
  }
  if (u.empty() || u[0] != '/') {
    *err = "the request " + quote(url) + " is neither a URL (http://host/path) nor a path (/...)";
    return false;
  }
  req->path = u;
  if (!host_.empty()) req->host = host_;
  for (const auto& h : headers_) {
    size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0) {
      *err = "-H " + quote(h) + ": expected 'name: value'";
      return false;
    }
    std::string v = h.substr(colon + 1);
    size_t b = v.find_first_not_of(" \t");
    v = b == std::string::npos ? "" : v.substr(b);
    req->headers.push_back({h.substr(0, colon), v});
  }
  if (!cookie_.empty()) req->headers.push_back({"cookie", cookie_});
  if (via_ == "mesh") {
    req->via = EvalRequest::Via::kMesh;
  } else if (via_ == "gateway" || via_.rfind("gateway=", 0) == 0) {
    req->via = EvalRequest::Via::kGateway;
    if (via_.size() > 8) req->gateway = via_.substr(8);
  } else {
    *err = "--via " + quote(via_) + ": expected mesh, gateway or gateway=NAME";
    return false;
  }
  return true;
}

int ExplainCommand::finish(std::vector<Explained>& all, bool compare) {
  bool failed = false;
  std::string disagreement;
  if (compare) {
    // Every target whose objects the evaluator reads must give the same answer per release.
    // Each target was checked against the spec's exact shares already; across targets,
    // 1000m quantities (smi@v1alpha1) and percent weights round differently.
    std::map<std::string, const Explained*> first;  // release -> the first target evaluated
    auto key = [](const Explained& e) {
      std::map<std::string, double> m = shares_of(e.result.backends);
      for (const auto& x : e.result.mirrors) m["mirror " + x.label()] += x.percent;
      return m;
    };
    auto text = [](const Explained& e, const std::map<std::string, double>& m) {
      std::string s = e.target + " (" + outcome_name(e.result.outcome);
      for (const auto& [v, p] : m) s += " " + v + " " + format_percent(p) + "%";
      return s + ")";
    };
    for (const auto& e : all) {
      if (!e.not_compiled.empty() || !e.evaluated) continue;
      auto it = first.find(e.release);
      if (it == first.end()) {
        first[e.release] = &e;
        continue;
      }
      auto a = key(*it->second), b = key(e);
      bool same = it->second->result.outcome == e.result.outcome && a.size() == b.size();
      // Percent weights are rounded to integers (an error below 1), 1000m to a tenth.
      for (const auto& [v, p] : a) same = same && b.count(v) && std::abs(b[v] - p) < 1.0;
      if (!same && disagreement.empty()) disagreement = text(e, b) + " and " + text(*it->second, a);
    }
  }
  for (const auto& e : all) failed = failed || !e.disagreement.empty();
  std::string out;
  if (format_ == "json") {
    Json j;
    Json rq;
    rq["method"] = request_.method;
    rq["path"] = request_.path;
    rq["host"] = request_.host.empty() ? Json(nullptr) : Json(request_.host);
    rq["headers"] = Json::array();
    for (const auto& h : request_.headers) rq["headers"].push_back({h.first, h.second});
    rq["via"] = request_.via == EvalRequest::Via::kMesh ? "mesh" : "gateway";
    rq["gateway"] = request_.gateway.empty() ? Json(nullptr) : Json(request_.gateway);
    j["request"] = rq;
    j["results"] = Json::array();
    for (const auto& e : all) j["results"].push_back(json_of(e));
    if (compare) j["disagreement"] = disagreement.empty() ? Json(nullptr) : Json(disagreement);
    out = j.dump(2) + "\n";
  } else {
    for (const auto& e : all) text_of(e, out);
    if (compare && !disagreement.empty())
      out += "DISAGREEMENT between targets (a meshc bug): " + disagreement + "\n";
  }
  int rc = finish_stdout(out);
  if (rc != kExitOk) return rc;
  return failed || !disagreement.empty() ? kExitInvalid : kExitOk;
}

// Reports what the evaluator cannot read as errors (affecting the answer) and warnings.
void report_unsupported(const EvalResult& r, DiagnosticSink& sink) {
  std::set<std::string> seen;
  for (const auto& u : r.unsupported) {
    if (!seen.insert(u.loc.str() + u.what).second) continue;
    if (u.affects)
      sink.error(u.loc, "", "meshc explain cannot evaluate this: " + u.what);
    else
      sink.warning(u.loc, "", u.what);
  }
}

// The request as it reaches release `rm`: through a gateway, to the release's first host and
// its gateway unless the request names them.
EvalRequest request_for(const EvalRequest& request, const Routemap& rm) {
  EvalRequest req = request;
  if (req.host.empty() && req.via == EvalRequest::Via::kGateway)
    req.host = rm.hosts.empty() ? rm.name : rm.hosts.front();
  if (req.via == EvalRequest::Via::kGateway && req.gateway.empty() && !rm.gateway.empty())
    req.gateway =
        rm.gateway.find('/') == std::string::npos ? rm.namespace_ + "/" + rm.gateway : rm.gateway;
  return req;
}

// Whether linkerd reads the objects: a linkerd target, or a mesh request under a linkerd
// implementation.
bool linkerd_reading(const std::string& target, const EvalRequest& req, const Routemap& rm) {
  std::string impl = rm.implementation.value;
  for (char& c : impl) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return target.rfind("linkerd", 0) == 0 ||
         (req.via == EvalRequest::Via::kMesh && impl.find("linkerd") != std::string::npos);
}

// --all-targets: a target that rejects the spec, with its first error.
Explained not_compiled(const std::string& target, const DiagnosticSink& sink) {
  Explained e;
  e.target = target;
  for (const auto& d : sink.all())
    if (d.severity == Severity::kError) {
      e.not_compiled = d.loc.str() + ": " + (d.path.empty() ? "" : d.path + ": ") + d.message;
      break;
    }
  return e;
}

// A request for a host explains the releases that answer to it (all of them when none
// does, so that the answer says where it went instead): drops the others from the last
// `releases.size()` entries of `all` and from `releases`.
void keep_addressed(const EvalRequest& request, std::vector<Explained>& all,
                    std::vector<CompiledRelease>& releases) {
  size_t first_of_target = all.size() - releases.size();
  if (request.host.empty()) return;
  std::vector<bool> keep(releases.size());
  bool any = false;
  for (size_t i = 0; i < releases.size(); ++i) {
    keep[i] = addressed(request, all[first_of_target + i], releases[i].routemap);
    any = any || keep[i];
  }
  if (!any) return;
  std::vector<Explained> kept_all(std::make_move_iterator(all.begin()),
                                  std::make_move_iterator(all.begin() + first_of_target));
  std::vector<CompiledRelease> kept_releases;
  for (size_t i = 0; i < releases.size(); ++i) {
    if (!keep[i]) continue;
    kept_all.push_back(std::move(all[first_of_target + i]));
    kept_releases.push_back(std::move(releases[i]));
  }
  all = std::move(kept_all);
  releases = std::move(kept_releases);
}

// --manifests: evaluates the request on the stream of objects given.
int ExplainCommand::run_manifests(const CompileSetup& setup) {
  DiagnosticSink sink;
  ReadInput in = read_input(manifests_, setup.limits.max_input_bytes, sink);
  std::vector<YamlDocument> docs;
  if (in.source && in.complete) docs = load_yaml(*in.source, setup.limits, sink);
  if (sink.has_errors()) {
    print_diagnostics(sink.all(), setup.print, stderr);
    return kExitInvalid;
  }
  ManifestSet set;
  std::vector<EvalUnsupported> problems = set.add(docs);
  Explained e;
  e.source = in.source->name();
  EvalOptions eo;
  eo.mesh_implementation = opts_.routing.implementation;
  e.result = evaluate(set, request_, "", eo);
  e.result.unsupported.insert(e.result.unsupported.begin(), problems.begin(), problems.end());
  report_unsupported(e.result, sink);
  if (e.result.outcome == EvalResult::Outcome::kUnknown && !sink.has_errors())
    sink.error(Location{}, "", "meshc explain cannot evaluate the request: " + e.result.message);
  bool failed = run_failed(sink, setup.warnings_as_errors) ||
                e.result.outcome == EvalResult::Outcome::kUnknown;
  if (!sink.all().empty()) print_diagnostics(sink.all(), setup.print, stderr);
  if (failed) return kExitInvalid;
  static ReadInput kept;  // the locations point into it until the process ends
  kept = std::move(in);
  std::vector<Explained> all;
  all.push_back(std::move(e));
  return finish(all, false);
}

// Compiles the spec on one target (or the spec's environment) and explains the request on each
// release's objects. kExitOk to go on with the next target.
int ExplainCommand::explain_on(const std::optional<TargetChoice>& choice, const CompileSetup& setup,
                               TargetRuns* runs) {
  static std::vector<std::unique_ptr<Driver>> drivers;  // own the sources locations point into
  CompileSetup s = setup;
  s.target = choice;
  drivers.push_back(s.make_driver());
  Driver& driver = *drivers.back();
  driver.render_as_compiled();
  driver.add_input(args_[0]);
  std::vector<CompiledRelease> releases = driver.run(Driver::Stage::kCompile);
  const DiagnosticSink& sink = driver.sink();
  std::string name = choice ? choice->str() : "";
  if (run_failed(sink, setup.warnings_as_errors)) {
    if (!all_targets_) {
      print_diagnostics(sink.all(), setup.print, stderr);
      return kExitInvalid;
    }
    if (!runs->first_failure) runs->first_failure = sink;
    runs->all.push_back(not_compiled(name, sink));
    return kExitOk;
  }
  if (!all_targets_ && !sink.all().empty()) print_diagnostics(sink.all(), setup.print, stderr);
  runs->any_compiled = true;
  return explain_releases(releases, name, setup, &runs->all);
}

// Reads back the objects of one target's releases and explains the request on each.
int ExplainCommand::explain_releases(std::vector<CompiledRelease>& releases,
                                     const std::string& name, const CompileSetup& setup,
                                     std::vector<Explained>* all) {
  static std::vector<std::unique_ptr<SourceFile>> outputs;
  static std::vector<std::vector<YamlDocument>> loaded;
  std::string text;
  for (const auto& r : releases) text += r.text;
  std::string shown = releases.empty() ? name : releases.front().target.str();
  if (shown.empty()) shown = "workloads";
  outputs.push_back(std::make_unique<SourceFile>("<" + shown + ">", text));
  DiagnosticSink load_sink;
  loaded.push_back(load_yaml(*outputs.back(), setup.limits, load_sink));
  ManifestSet set;
  set.add(loaded.back());
  for (const auto& r : releases) {
    Explained e;
    if (!explain_release(r, set, outputs.back()->name(), setup, &e)) return kExitInvalid;
    all->push_back(std::move(e));
  }
  keep_addressed(request_, *all, releases);
  // The releases (their routemaps) must outlive `all`.
  static std::vector<std::vector<CompiledRelease>> kept;
  kept.push_back(std::move(releases));
  for (size_t i = 0, k = all->size() - kept.back().size(); i < kept.back().size(); ++i)
    (*all)[k + i].routemap = &kept.back()[i].routemap;
  return kExitOk;
}

// Explains the request on one release's objects: where it goes, the spec route that should
// decide it, and whether the two disagree. False (the diagnostics printed) when the objects
// cannot be evaluated and only one target is explained.
bool ExplainCommand::explain_release(const CompiledRelease& r, const ManifestSet& set,
                                     const std::string& source, const CompileSetup& setup,
                                     Explained* e) const {
  e->target = r.target.str().empty() ? "workloads" : r.target.str();
  e->source = source;
  e->release = r.routemap.namespace_ + "/" + r.routemap.name;
  e->routemap = &r.routemap;
  EvalRequest req = request_for(request_, r.routemap);
  EvalOptions eo;
  eo.mesh_implementation = r.routemap.implementation.value;
  e->result = evaluate(set, req, e->release, eo);
  e->spec = spec_route(r.routemap, req, linkerd_reading(e->target, req, r.routemap));
  if (e->result.outcome == EvalResult::Outcome::kUnknown) {
    e->evaluated = false;
    if (!all_targets_) {
      DiagnosticSink s2;
      report_unsupported(e->result, s2);
      s2.error(
          r.routemap.loc, "",
          "meshc explain cannot evaluate the objects of " + e->target + ": " + e->result.message);
      print_diagnostics(s2.all(), setup.print, stderr);
      return false;
    }
  } else if (addressed(request_, *e, r.routemap) &&
             (req.via == EvalRequest::Via::kMesh ||
              e->result.outcome == EvalResult::Outcome::kRouted)) {
    e->disagreement = spec_disagreement(e->result, *e->spec);
    if (e->result.outcome == EvalResult::Outcome::kAmbiguous)
      e->disagreement = "the objects leave the answer open: " + e->result.message;
  }
  return true;
}

int ExplainCommand::run() {
  int exit_code = kExitOk;
  std::optional<CompileSetup> setup = resolve_options(opts_, &exit_code);
  if (!setup) return exit_code;
  size_t want = manifests_.empty() ? 1 : 0;
  if (args_.size() < want) return usage_error("explain needs a SPEC (or --manifests FILE)");
  if (args_.size() > want + 1)
    return usage_error("explain takes one request (URL or path); got " + quote(args_[want + 1]) +
                       " too");
  if (all_targets_ && !opts_.target.empty())
    return usage_error("--all-targets and --target exclude each other");
  if (!manifests_.empty() && (all_targets_ || !opts_.target.empty()))
    return usage_error("--manifests evaluates the objects given: no --target / --all-targets");
  std::string err;
  if (!build_request(args_.size() > want ? args_[want] : "", &request_, &err))
    return usage_error(err);
  if (!manifests_.empty()) return run_manifests(*setup);

  // The targets to explain on: --target, each spec's environment, or every target@version.
  std::vector<std::optional<TargetChoice>> choices;
  if (all_targets_) {
    for (const Target* t : all_targets())
      for (const auto& v : t->info().api_versions) choices.push_back(TargetChoice{t, v.name});
  } else {
    choices.push_back(setup->target);
  }
  TargetRuns runs;
  for (const auto& choice : choices) {
    int rc = explain_on(choice, *setup, &runs);
    if (rc != kExitOk) return rc;
  }
  if (!runs.any_compiled) {
    if (runs.first_failure) print_diagnostics(runs.first_failure->all(), setup->print, stderr);
    return kExitInvalid;
  }
  return finish(runs.all, all_targets_);
}

}  // namespace

std::unique_ptr<Command> make_explain_command() {
  return std::make_unique<ExplainCommand>();
}

}  // namespace meshc
