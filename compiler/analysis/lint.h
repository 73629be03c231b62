// `meshc lint`: routing a spec asks for that no request can reach, or that a request can
// reach in more than one way. Findings are diagnostics with a stable rule id
// (Diagnostic::rule), at the spec location they are about:
//
//   unreachable-candidate    a candidate whose every match an earlier candidate takes (the
//                            lowering's warning), or whose weight in its segment is 0
//   zero-weight-version      a version that no route gives any share and nothing mirrors to
//   unreachable-default      the catch-all route: an earlier candidate takes every request
//   overlapping-segments     two candidates' matches one request can satisfy both; says which
//                            candidate takes it (the earlier one: list order, on every target)
//   reordered-by-precedence  the target's own precedence (Gateway API, Linkerd, Contour, SMI's
//                            unordered splits) would give such a request to the later candidate:
//                            the target refuses the spec
//   unsupported-by-target    something else the target cannot express (the capability check)
//   target-warning           a warning of the target's checks
#pragma once

#include <set>
#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "targets/target.h"

namespace meshc {

// The findings that hold on every target (rules unreachable-candidate for a zero weight,
// zero-weight-version, unreachable-default, overlapping-segments), added to `out`. The
// shadowed-candidate finding is the lowering's warning, which the caller already holds.
// `served_in_some_step`: versions (by name) that another step of the release's schedule
// gives traffic; a version dark in this step but ramped in another is not a finding.
void lint_routemap(const Routemap& rm, DiagnosticSink& out,
                   const std::set<std::string>& served_in_some_step = {});

// The versions (by name) that `rm` gives a share above 0 or mirrors to.
std::set<std::string> versions_served(const Routemap& rm);

// What `choice` makes of `rm`: the target's checks and emit run into a scratch sink, and
// their diagnostics added to `out` as findings (a rule the target set, or
// unsupported-by-target / target-warning).
void lint_target(const Routemap& rm, const TargetChoice& choice, DiagnosticSink& out);

}  // namespace meshc
