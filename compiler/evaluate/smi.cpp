// SMI TrafficSplit (+ HTTPRouteGroup): the splits of the request's Service; a split with
// matches applies to the requests that match one of its groups' matches; else the split
// without matches. SMI defines no order between splits, so two that apply are ambiguous.
#include <algorithm>
#include <cmath>
#include <map>

#include "compiler/evaluate/evaluate_internal.h"

namespace meshc::eval {

namespace {

// A weight: an integer or a Kubernetes quantity ("900m", "1", "0.5"), in thousandths.
std::optional<uint64_t> milli(const YNode* n) {
  std::string v = text(n);
  if (v.empty()) return std::nullopt;
  double scale = 1000;
  if (v.back() == 'm') {
    scale = 1;
    v.pop_back();
  }
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || !(d >= 0) || !std::isfinite(d))
    return std::nullopt;
  return static_cast<uint64_t>(std::llround(d * scale));
}

// The header conditions of an HTTPRouteGroup match: a list of one-entry maps (v1alpha4) or a
// map (older readings).
std::vector<std::pair<std::string, std::string>> header_conditions(const YNode* h) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!h) return out;
  if (h->is_mapping()) {
    for (const auto& e : h->entries) out.push_back({e.first->value, text(e.second.get())});
  } else {
    for (const auto& it : items(h))
      if (it->is_mapping())
        for (const auto& e : it->entries) out.push_back({e.first->value, text(e.second.get())});
  }
  return out;
}

bool group_match_holds(Context& ctx, const YNode* m, std::string* why) {
  const EvalRequest& req = ctx.req;
  std::string err;
  if (const YNode* p = at(m, "pathRegex")) {
    std::string path = req.path_only();
    if (!ctx.regexes.full_match(p->value, path, &err)) {
      if (!err.empty()) ctx.unsupported(p->loc, err, true);
      *why = err.empty() ? "path " + quote(path) + " does not match " + quote(p->value) : err;
      return false;
    }
  }
  const auto& methods = items(at(m, "methods"));
  if (!methods.empty()) {
    bool ok = false;
    std::string list;
    for (const auto& x : methods) {
      ok = ok || x->value == "*" || x->value == req.method;
      list += (list.empty() ? "" : ", ") + x->value;
    }
    if (!ok) {
      *why = "method " + req.method + " is not one of " + list;
      return false;
    }
  }
  for (const auto& [name, re] : header_conditions(at(m, "headers"))) {
    std::string joined;  // Envoy (OSM) matches a repeated header's values joined by ','
    const std::string* v = req.header_joined(name, &joined) ? &joined : nullptr;
    if (!v) {
      *why = "header " + name + " is absent";
      return false;
    }
    if (!ctx.regexes.full_match(re, *v, &err)) {
      if (!err.empty()) ctx.unsupported(m->loc, err, true);
      *why =
          err.empty() ? "header " + name + " " + quote(*v) + " does not match " + quote(re) : err;
      return false;
    }
  }
  return true;
}

// The TrafficSplits of the request's Service.
std::vector<const Obj*> splits_of_service(Context& ctx) {
  std::vector<const Obj*> splits;
  for (const Obj* s : ctx.set.of_kind("split.smi-spec.io", "TrafficSplit")) {
    if (s->ref.namespace_ != ctx.target.svc_ns) continue;
    std::string svc = text(at(s->spec, "service"));
    std::string name = svc.substr(0, svc.find('.'));
    if (name == ctx.target.svc_name) splits.push_back(s);
  }
  return splits;
}

// Whether a match of one of the HTTPRouteGroups split `s` names holds; the reasons when not.
bool split_matches_hold(Context& ctx, const Obj* s, std::string* reasons) {
  for (const auto& ref : items(at(s->spec, "matches"))) {
    std::string kind = text(at(ref.get(), "kind"));
    std::string name = text(at(ref.get(), "name"));
    if (kind != "HTTPRouteGroup") {
      ctx.unsupported(ref->loc, "TrafficSplit match of kind " + quote(kind) + " is not understood",
                      true);
      continue;
    }
    const Obj* g = ctx.set.find("specs.smi-spec.io", "HTTPRouteGroup", s->ref.namespace_, name);
    if (!g) {
      ctx.unsupported(ref->loc, "no HTTPRouteGroup " + s->ref.namespace_ + "/" + name, true);
      continue;
    }
    for (const auto& m : items(at(g->spec, "matches"))) {
      std::string why;
      if (group_match_holds(ctx, m.get(), &why)) return true;
      *reasons +=
          (reasons->empty() ? "" : "; ") + name + "/" + text(at(m.get(), "name")) + ": " + why;
    }
  }
  return false;
}

// The backends of TrafficSplit `split`, with their shares.
std::vector<EvalBackend> split_backends(Context& ctx, const Obj* split) {
  std::vector<EvalBackend> out;
  for (const auto& b : items(at(split->spec, "backends"))) {
    EvalBackend e;
    e.loc = b->loc;
    e.service = text(at(b.get(), "service"));
    e.namespace_ = split->ref.namespace_;
    auto w = milli(at(b.get(), "weight"));
    if (!w)
      ctx.unsupported(
          b->loc,
          "backend weight " + quote(text(at(b.get(), "weight"))) + " is not a number or quantity",
          true);
    e.weight = w.value_or(0);
    ctx.resolve_version(e, nullptr);
    out.push_back(std::move(e));
  }
  fill_shares(out);
  return out;
}

// The outcome of TrafficSplit `split` taking the request: its backends.
void take_split(Context& ctx, const Obj* split) {
  EvalResult& out = *ctx.result;
  out.object = split->ref;
  out.rule_loc = split->ref.loc;
  out.match_loc = split->ref.loc;
  out.rule_name = split->ref.name;
  out.backends = split_backends(ctx, split);
  if (out.backends.empty() || out.backends.front().total == 0) {
    out.outcome = EvalResult::Outcome::kUnrouted;
    out.message = "the TrafficSplit that applies has no backend with weight";
    return;
  }
  out.outcome = EvalResult::Outcome::kRouted;
}

}  // namespace

bool evaluate_smi(Context& ctx) {
  EvalResult& out = *ctx.result;
  if (ctx.target.svc_name.empty()) return false;
  std::vector<const Obj*> splits = splits_of_service(ctx);
  if (splits.empty()) return false;
  out.order = "SMI split selection";
  std::vector<const Obj*> applying, plain;
  for (const Obj* s : splits) {
    if (items(at(s->spec, "matches")).empty()) {
      plain.push_back(s);
      continue;
    }
    std::string reasons;
    if (split_matches_hold(ctx, s, &reasons)) {
      applying.push_back(s);
    } else {
      out.before.push_back({s->ref, -1, -1, reasons.empty() ? "no match" : reasons, s->ref.loc});
    }
  }
  if (applying.size() > 1 || (applying.empty() && plain.size() > 1)) {
    const auto& two = applying.size() > 1 ? applying : plain;
    out.outcome = EvalResult::Outcome::kAmbiguous;
    out.object = two[0]->ref;
    out.message = "two TrafficSplits apply to the request (" + two[0]->ref.str() + ", " +
                  two[1]->ref.str() + ") and SMI defines no order between them";
    return true;
  }
  const Obj* split = applying.empty() ? (plain.empty() ? nullptr : plain[0]) : applying[0];
  if (!split) {
    out.outcome = EvalResult::Outcome::kUnsplit;
    out.object = splits[0]->ref;
    out.message = "no TrafficSplit of " + ctx.target.svc_ns + "/" + ctx.target.svc_name +
                  " applies: the Service alone balances over its endpoints";
    return true;
  }
  take_split(ctx, split);
  return true;
}

// ---------------------------------------------------------------------------------------------
// The static reading (segments.h): each Service's TrafficSplits as request segments.

namespace {

// The conditions of an HTTPRouteGroup match: one RequestMatch per method it lists.
void group_conditions(Context& ctx, const YNode* m, std::vector<RequestMatch>& out) {
  RequestMatch base;
  for (const auto& e : m->entries) {
    const std::string& f = e.first->value;
    if (f != "name" && f != "pathRegex" && f != "methods" && f != "headers")
      ctx.unsupported(e.first->loc, "HTTPRouteGroup match field " + quote(f) + " is not understood",
                      true);
  }
  if (const YNode* p = at(m, "pathRegex")) base.path = value_match("", MatchType::kRegex, p->value);
  for (const auto& [name, re] : header_conditions(at(m, "headers")))
    base.headers.push_back(value_match(name, MatchType::kRegex, re));
  std::vector<std::string> methods;
  for (const auto& x : items(at(m, "methods"))) {
    if (x->value == "*") {
      methods.clear();
      break;
    }
    methods.push_back(x->value);
  }
  if (methods.empty()) out.push_back(base);
  for (const std::string& method : methods) {
    out.push_back(base);
    out.back().method = method;
  }
}

// The matches of split `s` (from the HTTPRouteGroups it names); the groups go to `objects`.
void split_conditions(Context& ctx, const Obj* s, RoutedSegment& seg,
                      std::vector<const YNode*>& objects) {
  for (const auto& ref : items(at(s->spec, "matches"))) {
    std::string kind = text(at(ref.get(), "kind"));
    std::string name = text(at(ref.get(), "name"));
    const Obj* g = ctx.set.find("specs.smi-spec.io", "HTTPRouteGroup", s->ref.namespace_, name);
    if (kind != "HTTPRouteGroup" || !g) {
      ctx.unsupported(ref->loc,
                      kind != "HTTPRouteGroup"
                          ? "TrafficSplit match of kind " + quote(kind) + " is not understood"
                          : "no HTTPRouteGroup " + s->ref.namespace_ + "/" + name,
                      true);
      continue;
    }
    if (std::find(objects.begin(), objects.end(), g->root) == objects.end())
      objects.push_back(g->root);
    for (const auto& m : items(at(g->spec, "matches"))) group_conditions(ctx, m.get(), seg.matches);
  }
}

// The service of splits `splits`: those with matches first (by name: SMI orders none), then
// the one without, the catch-all.
RoutedService split_service(Context& ctx, const std::string& id,
                            const std::vector<const Obj*>& splits) {
  RoutedService out{id, "smi", {}, {}};
  std::vector<const Obj*> sorted = splits, plain;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Obj* a, const Obj* b) { return a->ref.name < b->ref.name; });
  for (const Obj* s : splits) out.objects.push_back(s->root);
  for (const Obj* s : sorted) {
    if (items(at(s->spec, "matches")).empty()) {
      plain.push_back(s);
      continue;
    }
    RoutedSegment seg;
    split_conditions(ctx, s, seg, out.objects);
    add_shares(split_backends(ctx, s), seg.shares);
    out.segments.push_back(std::move(seg));
  }
  if (plain.size() > 1)
    ctx.unsupported(plain[1]->ref.loc,
                    "two TrafficSplits without matches (" + plain[0]->ref.str() + ", " +
                        plain[1]->ref.str() + ") route " + id + " and SMI defines no order",
                    true);
  if (!plain.empty()) {
    RoutedSegment seg;
    seg.catch_all = true;
    add_shares(split_backends(ctx, plain[0]), seg.shares);
    out.segments.push_back(std::move(seg));
  }
  return out;
}

}  // namespace

void routing_smi(Context& ctx, std::vector<RoutedService>& out) {
  std::map<std::string, std::vector<const Obj*>> by_service;
  for (const Obj* s : ctx.set.of_kind("split.smi-spec.io", "TrafficSplit")) {
    std::string svc = text(at(s->spec, "service"));
    by_service[s->ref.namespace_ + "/" + svc.substr(0, svc.find('.'))].push_back(s);
  }
  for (const auto& [id, splits] : by_service) out.push_back(split_service(ctx, id, splits));
}

}  // namespace meshc::eval
