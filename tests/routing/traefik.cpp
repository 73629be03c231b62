// Traefik Proxy v3 IngressRoute and TraefikService (traefik.io/v1alpha1), from Traefik's routing
// reference ("Rules & priority", "Kubernetes IngressRoute", "TraefikService"):
// - Traefik sees only requests sent to it: a table's mesh request is sent to Traefik with its
//   Host (IngressHost). Entry points are not modeled (every route's entry points are assumed to
//   include the one the request arrives at).
// - Every route of every IngressRoute is a router. Routers are tried by descending priority (an
//   explicit `priority`, else the length of the rule); the first whose rule holds takes the
//   request. Among matching routers of the same priority the order is not defined (ambiguous
//   unless they agree). No router: 404.
// - Rules (v3 syntax): matcher calls combined with &&, ||, ! and parentheses; string arguments
//   in backticks (raw) or double quotes (Go escapes). Host: case-insensitive, without the port;
//   HostRegexp, PathRegexp, HeaderRegexp, QueryRegexp: Go regular expressions that match
//   anywhere in the value (a search); Path: the whole path; PathPrefix: a plain string prefix
//   of the path; Header: one of the header's values (one per header line) equals the string;
//   Query: one of the parameter's values equals it; Method.
// - Services: a Kubernetes Service (name, port), several of them in a route (weighted round
//   robin, weight default 1), or a TraefikService: weighted (services with weights; a weight of
//   0 receives nothing) or mirroring (the main service takes the request, each mirror a copy of
//   `percent` % of them).
#include <algorithm>
#include <cctype>
#include <functional>

#include "tests/routing/simulator_internal.h"

namespace routing {
namespace {

const char* const kGroup = "traefik.io";

// ---------------------------------------------------------------- the rule language

struct Call {
  std::string fn;
  std::vector<std::string> args;
};

struct Expr {
  enum class Op { kCall, kAnd, kOr, kNot } op = Op::kCall;
  Call call;
  std::vector<Expr> kids;
};

class RuleParser {
 public:
  explicit RuleParser(const std::string& text) : t_(text) {}
  Expr Parse() {
    Expr e = Or();
    Skip();
    if (i_ != t_.size()) Fail("unexpected text");
    return e;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) {
    throw Broken("rule " + t_ + ": " + what + " at offset " + std::to_string(i_) +
                 " (Traefik rejects the router)");
  }
  void Skip() {
    while (i_ < t_.size() && isspace(static_cast<unsigned char>(t_[i_]))) ++i_;
  }
  bool Eat(const std::string& s) {
    Skip();
    if (t_.compare(i_, s.size(), s) != 0) return false;
    i_ += s.size();
    return true;
  }
  Expr Or() {
    Expr left = And();
    while (Eat("||")) {
      Expr e;
      e.op = Expr::Op::kOr;
      e.kids = {left, And()};
      left = e;
    }
    return left;
  }
  Expr And() {
    Expr left = Unary();
    while (Eat("&&")) {
      Expr e;
      e.op = Expr::Op::kAnd;
      e.kids = {left, Unary()};
      left = e;
    }
    return left;
  }
  Expr Unary() {
    if (Eat("!")) {
      Expr e;
      e.op = Expr::Op::kNot;
      e.kids = {Unary()};
      return e;
    }
    if (Eat("(")) {
      Expr e = Or();
      if (!Eat(")")) Fail("expected )");
      return e;
    }
    Skip();
    Expr e;
    while (i_ < t_.size() && isalpha(static_cast<unsigned char>(t_[i_]))) e.call.fn += t_[i_++];
    if (e.call.fn.empty()) Fail("expected a matcher");
    if (!Eat("(")) Fail("expected (");
    if (!Eat(")")) {
      do e.call.args.push_back(Literal());
      while (Eat(","));
      if (!Eat(")")) Fail("expected )");
    }
    return e;
  }
  std::string Literal() {
    Skip();
    if (i_ >= t_.size()) Fail("expected a string");
    std::string out;
    if (t_[i_] == '`') {
      const size_t end = t_.find('`', i_ + 1);
      if (end == std::string::npos) Fail("unterminated string");
      out = t_.substr(i_ + 1, end - i_ - 1);
      i_ = end + 1;
      return out;
    }
    if (t_[i_] != '"') Fail("expected a string");
    for (++i_; i_ < t_.size() && t_[i_] != '"'; ++i_) {
      if (t_[i_] != '\\') {
        out += t_[i_];
        continue;
      }
      if (++i_ >= t_.size()) Fail("unterminated string");
      const char c = t_[i_];
      if (c == 'x' && i_ + 2 < t_.size()) {
        out += static_cast<char>(std::stoi(t_.substr(i_ + 1, 2), nullptr, 16));
        i_ += 2;
      } else if (c == 'n') {
        out += '\n';
      } else if (c == 't') {
        out += '\t';
      } else if (c == '"' || c == '\\') {
        out += c;
      } else {
        Fail("escape not modeled");
      }
    }
    if (i_ >= t_.size()) Fail("unterminated string");
    ++i_;
    return out;
  }

  std::string t_;
  size_t i_ = 0;
};

bool EqualFold(const std::string& a, const std::string& b) {
  return Lower(a) == Lower(b);
}

bool CallHolds(const Call& c, const Request& r, const std::string& host, const std::string& ctx) {
  auto need = [&](size_t n) {
    if (c.args.size() != n) throw Broken(ctx + ": " + c.fn + " takes " + std::to_string(n));
  };
  auto any = [](const std::vector<std::string>& values,
                const std::function<bool(const std::string&)>& f) {
    return std::any_of(values.begin(), values.end(), f);
  };
  if (c.fn == "Host") {
    need(1);
    return c.args[0] == "*" || EqualFold(host, c.args[0]);
  }
  if (c.fn == "HostRegexp") {
    need(1);
    return RegexMatch(c.args[0], host, Anchor::kSearch);
  }
  if (c.fn == "Path") {
    need(1);
    return r.path == c.args[0];
  }
  if (c.fn == "PathPrefix") {
    need(1);
    return r.path.rfind(c.args[0], 0) == 0;
  }
  if (c.fn == "PathRegexp") {
    need(1);
    return RegexMatch(c.args[0], r.path, Anchor::kSearch);
  }
  if (c.fn == "Header") {
    need(2);
    return any(r.HeaderValues(c.args[0]), [&](const std::string& v) { return v == c.args[1]; });
  }
  if (c.fn == "HeaderRegexp") {
    need(2);
    return any(r.HeaderValues(c.args[0]),
               [&](const std::string& v) { return RegexMatch(c.args[1], v, Anchor::kSearch); });
  }
  if (c.fn == "Query" || c.fn == "QueryRegexp") {
    if (c.args.empty() || c.args.size() > 2) throw Broken(ctx + ": " + c.fn + " takes 1 or 2");
    const std::vector<std::string> values = r.QueryValues(c.args[0]);
    const std::string want = c.args.size() == 2 ? c.args[1] : "";
    if (c.fn == "Query" || c.args.size() == 1) {
      return any(values, [&](const std::string& v) { return v == want; });
    }
    return any(values, [&](const std::string& v) { return RegexMatch(want, v, Anchor::kSearch); });
  }
  if (c.fn == "Method") {
    need(1);
    std::string m = c.args[0];
    for (char& ch : m) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
    return r.method == m;
  }
  throw NotModeled(ctx + ": matcher " + c.fn);
}

bool Holds(const Expr& e, const Request& r, const std::string& host, const std::string& ctx) {
  switch (e.op) {
    case Expr::Op::kCall:
      return CallHolds(e.call, r, host, ctx);
    case Expr::Op::kAnd:
      return Holds(e.kids[0], r, host, ctx) && Holds(e.kids[1], r, host, ctx);
    case Expr::Op::kOr:
      return Holds(e.kids[0], r, host, ctx) || Holds(e.kids[1], r, host, ctx);
    case Expr::Op::kNot:
      return !Holds(e.kids[0], r, host, ctx);
  }
  return false;
}

// ---------------------------------------------------------------- services

// Adds the versions (and mirrors) behind a service reference, for `share` percent of requests.
void Serve(const Cluster::State& state, const std::string& ns, const YAML::Node& ref, double share,
           const std::string& ctx, int depth, Outcome* out) {
  if (depth > 8) throw Broken(ctx + ": TraefikServices refer to each other in a circle");
  CheckKeys(ref, {"name", "namespace", "kind", "port", "weight", "percent", "mirrors"}, ctx);
  const std::string kind = Str(ref, "kind", "Service");
  const std::string name = Str(ref, "name");
  const std::string svc_ns = Str(ref, "namespace", ns);
  if (svc_ns != ns) {
    throw Broken(ctx + ": service in namespace " + svc_ns +
                 " (Traefik refuses cross-namespace references unless allowCrossNamespace)");
  }
  if (kind == "Service") {
    if (!Has(ref, "port")) throw Broken(ctx + ": Service " + name + " without a port");
    const std::string v = ResolveVersion(state, ns, name, {}, Int(ref, "port", 0), ctx);
    out->versions[v] += share;
    return;
  }
  if (kind != "TraefikService") throw Broken(ctx + ": kind " + kind);
  const Object* ts = nullptr;
  for (const Object* o : state.Find(kGroup, "TraefikService")) {
    if (o->ns == ns && o->name == name) ts = o;
  }
  if (!ts) throw Broken(ctx + ": TraefikService " + ns + "/" + name + " does not exist");
  const YAML::Node spec = At(ts->node, "spec");
  CheckKeys(spec, {"weighted", "mirroring"}, ts->Ref() + ".spec");
  if (Has(spec, "weighted")) {
    CheckKeys(spec["weighted"], {"services"}, ts->Ref() + ".weighted");
    const YAML::Node list = At(spec["weighted"], "services");
    double total = 0;
    for (const auto& s : list) total += std::max(0, Int(s, "weight", 1));
    if (total <= 0) throw Broken(ts->Ref() + ": no service with a positive weight (503)");
    for (size_t i = 0; i < list.size(); ++i) {
      const double w = std::max(0, Int(list[i], "weight", 1));
      if (w <= 0) continue;
      Serve(state, ns, list[i], share * w / total,
            ts->Ref() + ".weighted.services[" + std::to_string(i) + "]", depth + 1, out);
    }
    return;
  }
  if (Has(spec, "mirroring")) {
    const YAML::Node m = spec["mirroring"];
    YAML::Node main;
    for (const auto& kv : m) {
      const std::string k = kv.first.as<std::string>();
      if (k != "mirrors" && k != "mirrorBody" && k != "maxBodySize") main[k] = kv.second;
    }
    Serve(state, ns, main, share, ts->Ref() + ".mirroring", depth + 1, out);
    const YAML::Node mirrors = At(m, "mirrors");
    for (size_t i = 0; i < mirrors.size(); ++i) {
      YAML::Node mirror;
      for (const auto& kv : mirrors[i]) {
        if (kv.first.as<std::string>() != "percent") mirror[kv.first.as<std::string>()] = kv.second;
      }
      const int percent = Int(mirrors[i], "percent", 0);
      if (percent < 0 || percent > 100)
        throw Broken(ts->Ref() + ": mirror percent " + std::to_string(percent));
      Outcome copy;
      Serve(state, ns, mirror, share * percent / 100.0,
            ts->Ref() + ".mirroring.mirrors[" + std::to_string(i) + "]", depth + 1, &copy);
      for (const auto& [v, s] : copy.versions) out->mirrors[v] += s;
    }
    return;
  }
  throw NotModeled(ts->Ref() + ": TraefikService kind other than weighted or mirroring");
}

struct Router {
  const Object* route;
  size_t index;
  long priority;
  Expr rule;
  std::string ctx;
};

}  // namespace

Outcome RouteTraefik(const Cluster::State& state, const Request& request) {
  // Traefik compares the Host without its port; Host() ignores case, HostRegexp sees it as sent.
  std::string raw;
  IngressHost(state, request, &raw);
  const std::string host = raw.substr(0, raw.find(':'));
  std::vector<Router> routers;
  for (const Object* ir : state.Find(kGroup, "IngressRoute")) {
    const YAML::Node spec = At(ir->node, "spec");
    CheckKeys(spec, {"entryPoints", "routes"}, ir->Ref() + ".spec");
    const YAML::Node routes = At(spec, "routes");
    for (size_t i = 0; i < routes.size(); ++i) {
      const std::string ctx = ir->Ref() + " routes[" + std::to_string(i) + "]";
      CheckKeys(routes[i], {"kind", "match", "priority", "services"}, ctx);
      if (Str(routes[i], "kind", "Rule") != "Rule") throw Broken(ctx + ": kind must be Rule");
      const std::string rule = Str(routes[i], "match");
      long priority = Int(routes[i], "priority", 0);
      if (priority == 0) priority = static_cast<long>(rule.size());
      routers.push_back({ir, i, priority, RuleParser(rule).Parse(), ctx});
    }
  }
  std::vector<const Router*> matching;
  for (const Router& r : routers) {
    if (Holds(r.rule, request, host, r.ctx)) matching.push_back(&r);
  }
  if (matching.empty()) {
    Outcome out;
    out.kind = Outcome::Kind::kUnrouted;
    out.detail = "no Traefik router matches (404)";
    return out;
  }
  long top = 0;
  for (const Router* r : matching) top = std::max(top, r->priority);
  std::vector<std::pair<std::string, Outcome>> readings;
  for (const Router* r : matching) {
    if (r->priority != top) continue;
    Outcome out;
    out.kind = Outcome::Kind::kRouted;
    out.detail = r->ctx;
    const YAML::Node services = At(At(At(r->route->node, "spec"), "routes")[r->index], "services");
    if (!services || services.size() == 0) throw Broken(r->ctx + ": no services");
    double total = 0;
    for (const auto& s : services)
      total += services.size() == 1 ? 1 : std::max(0, Int(s, "weight", 1));
    for (size_t i = 0; i < services.size(); ++i) {
      const double w = services.size() == 1 ? 1 : std::max(0, Int(services[i], "weight", 1));
      if (w <= 0) continue;
      Serve(state, r->route->ns, services[i], 100 * w / total,
            r->ctx + ".services[" + std::to_string(i) + "]", 0, &out);
    }
    Finish(&out);
    readings.push_back({r->ctx + " first", out});
  }
  return Combine(readings);
}

}  // namespace routing
