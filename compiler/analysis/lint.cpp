#include "compiler/analysis/lint.h"

#include <set>

#include "compiler/analysis/traffic.h"
#include "compiler/ir/match_overlap.h"

namespace meshc {

namespace {

// True when some route gives version `v` a share above 0, or mirrors to it.
bool receives_traffic(const Routemap& rm, size_t v) {
  for (const Route& r : rm.routes) {
    for (const Destination& d : r.destinations) {
      if (d.version == v && d.weight > 0) return true;
    }
    for (const Mirror& m : r.mirrors) {
      if (m.version == v && m.percent > 0) return true;
    }
  }
  return false;
}

// True when every match of `later` is covered by a match of an earlier segment (the lowering
// then warns that its candidate never receives traffic).
bool shadowed(const Routemap& rm, size_t j) {
  const Route& later = rm.routes[j];
  if (later.matches.empty()) return false;
  for (const RequestMatch& b : later.matches) {
    bool covered = false;
    for (size_t i = 0; i < j && !covered; ++i) {
      if (!rm.routes[i].segment_of) continue;
      for (const RequestMatch& a : rm.routes[i].matches) covered = covered || covers(a, b);
    }
    if (!covered) return false;
  }
  return true;
}

// True when `m` selects every request: no condition, or only a path prefix every path has.
bool every_request(const RequestMatch& m) {
  if (m.empty()) return true;
  if (m.grpc || !m.path || !m.headers.empty() || !m.query_params.empty() || !m.cookies.empty() ||
      !m.method.empty()) {
    return false;
  }
  const ValueMatch& p = *m.path;
  return (p.type == MatchType::kPathPrefix && path_prefix_base(p.value).empty()) ||
         (p.type == MatchType::kPrefix && p.value == "/");
}

}  // namespace

std::set<std::string> versions_served(const Routemap& rm) {
  std::set<std::string> out;
  for (size_t v = 0; v < rm.versions.size(); ++v) {
    if (receives_traffic(rm, v)) out.insert(rm.versions[v].name);
  }
  return out;
}

// unreachable-candidate: a segment whose candidate has weight 0. Fills `reported` with the
// versions a finding names (or that the lowering's shadowing warning does) and `hidden` with
// the routes no request reaches.
void lint_dark_segments(const Routemap& rm, DiagnosticSink& out,
                        const std::set<std::string>& served_in_some_step,
                        std::set<size_t>& reported, std::set<size_t>& hidden) {
  for (size_t j = 0; j < rm.routes.size(); ++j) {
    const Route& r = rm.routes[j];
    if (!r.segment_of) continue;
    size_t c = *r.segment_of;
    if (shadowed(rm, j)) {
      reported.insert(c);  // the lowering's warning says so
      hidden.insert(j);
      continue;
    }
    std::string words;
    for (const RequestMatch& m : r.matches)
      words += (words.empty() ? "" : ", or ") + describe_match(m);
    for (const Destination& d : r.destinations) {
      if (d.version != c || d.weight != 0) continue;
      // Dark in this step of a schedule, ramped in another: the rollout means it.
      if (served_in_some_step.count(rm.versions[c].name)) {
        reported.insert(c);
        continue;
      }
      out.warning(r.loc, r.field_path,
                  quote(rm.versions[c].name) +
                      " has weight 0 in its segment: every request its matches select (" + words +
                      ") goes to the primary " + quote(rm.versions[0].name))
          .with_rule("unreachable-candidate");
      reported.insert(c);
    }
  }
}

// unreachable-default: the catch-all route after a segment that takes every request.
void lint_unreachable_default(const Routemap& rm, DiagnosticSink& out,
                              const std::set<size_t>& hidden) {
  const Route& fallback = rm.routes.back();
  if (fallback.segment_of || rm.routes.size() <= 1) return;
  for (size_t i = 0; i + 1 < rm.routes.size(); ++i) {
    const Route& r = rm.routes[i];
    if (!r.segment_of || hidden.count(i)) continue;
    const RequestMatch* all = nullptr;
    for (const RequestMatch& m : r.matches) {
      if (!all && every_request(m)) all = &m;
    }
    if (!all) continue;
    out.warning(all->loc, all->field_path,
                "this match of " + quote(rm.versions[*r.segment_of].name) +
                    " selects every request, so no request reaches the routes after it or "
                    "the catch-all route (" +
                    quote(rm.versions[0].name) +
                    " and the weighted candidates receive nothing); give it a condition")
        .with_rule("unreachable-default");
    break;
  }
}

// zero-weight-version: a version no route (in no step) sends traffic to, unless reported.
void lint_zero_weight(const Routemap& rm, DiagnosticSink& out,
                      const std::set<std::string>& served_in_some_step,
                      const std::set<size_t>& reported) {
  for (size_t v = 0; v < rm.versions.size(); ++v) {
    if (reported.count(v) || receives_traffic(rm, v) ||
        served_in_some_step.count(rm.versions[v].name)) {
      continue;
    }
    const Version& ver = rm.versions[v];
    out.warning(ver.loc, ver.field_path,
                quote(ver.name) + " receives no traffic: every route gives it weight 0" +
                    (rm.strategy == Strategy::kBlueGreen
                         ? " (fine for a finished blue-green switch-over; remove the version "
                           "when it is done)"
                         : std::string()))
        .with_rule("zero-weight-version");
  }
}

// overlapping-segments: a request two segments' matches select, the earlier taking it.
void lint_overlaps(const Routemap& rm, DiagnosticSink& out, const std::set<size_t>& hidden) {
  for_each_segment_overlap(
      rm,
      [&](const SegmentOverlap& p) {
        // A later segment no request reaches is reported already.
        for (size_t j : hidden) {
          if (&rm.routes[j] == &p.later_route) return false;
        }
        return true;
      },
      [&](const SegmentOverlap& p) {
        const std::string& later = rm.versions[*p.later_route.segment_of].name;
        const std::string& owner = rm.versions[*p.earlier_route.segment_of].name;
        out.warning(p.later.loc, p.later.field_path,
                    "a request may match both this match of " + quote(later) + " (" +
                        describe_match(p.later) + ") and the earlier match of " + quote(owner) +
                        " (" + describe_match(p.earlier) + "); " + quote(owner) +
                        " takes it, because candidates are tried in list order; make the "
                        "matches exclusive if " +
                        quote(later) + " should have it")
            .with_rule("overlapping-segments")
            .note(p.earlier.loc, "the earlier match of " + quote(owner) + " is here");
      });
}

void lint_routemap(const Routemap& rm, DiagnosticSink& out,
                   const std::set<std::string>& served_in_some_step) {
  // The strategy none deploys candidates without traffic on purpose: nothing to say.
  if (rm.strategy == Strategy::kNone) return;
  std::set<size_t> reported;  // versions an unreachable-candidate finding names
  std::set<size_t> hidden;    // routes no request reaches
  lint_dark_segments(rm, out, served_in_some_step, reported, hidden);
  lint_unreachable_default(rm, out, hidden);
  lint_zero_weight(rm, out, served_in_some_step, reported);
  lint_overlaps(rm, out, hidden);
}

void lint_target(const Routemap& rm, const TargetChoice& choice, DiagnosticSink& out) {
  if (!choice.target) return;
  DiagnosticSink scratch;
  bool ok = check_capabilities(rm, choice.capabilities(), choice.str(),
                               capability_alternatives(choice), scratch);
  ok = check_implementation_names(rm, choice, scratch) && ok;
  if (ok && !scratch.has_errors()) {
    std::vector<Object> objects;
    choice.target->emit(rm, choice.api_version, scratch, objects);
  }
  for (Diagnostic d : scratch.all()) {
    if (d.severity == Severity::kNote) continue;
    if (d.rule.empty()) {
      d.rule = d.severity == Severity::kError ? "unsupported-by-target" : "target-warning";
    }
    out.add(std::move(d));
  }
}

}  // namespace meshc
