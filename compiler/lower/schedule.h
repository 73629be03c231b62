// Schedules (application.schedule): a rollout as data. Which step is in force, and the spec a
// step makes: the versions as written with the step's fields in place of theirs. Steps are
// independent: each applies to the spec as written, not to the step before it.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/lower/documents.h"
#include "compiler/yaml/yaml_tree.h"

namespace meshc {

// A release's schedule, checked. A spec without a schedule has none (steps empty): it is one
// step, the spec as written.
struct Schedule {
  const YNode* node = nullptr;  // application.schedule, or null
  std::vector<const YNode*> steps;
  std::vector<std::string> names;  // per step: its name, or ""
  size_t current = 0;              // the step in force (schedule.current, or --step)
  std::string app_name;            // what <app> is in the default version names
  std::string path;                // full field path of the schedule ("spec.application.schedule")

  bool empty() const { return steps.empty(); }
  size_t size() const { return steps.empty() ? 1 : steps.size(); }
  // "1 (ten)", or "1" for a step without a name.
  std::string label(size_t step) const;
  // The folder --all-steps writes step `step` to: "1-ten", or "1-step1" without a name.
  std::string folder(size_t step) const;
};

// Checks the schedule of `in` (a release the schema accepted): unique step names, versions a
// step names exist (by versions[].metadata.name, default <app>-<index>, with `app_name` the
// application's name), `current` an index in range or a step name. `step` (--step N|NAME,
// "" = none) overrides current: digits are an index, anything else a name. Returns nullopt
// after reporting errors.
std::optional<Schedule> read_schedule(const ReleaseInput& in, const std::string& app_name,
                                      const std::string& step, DiagnosticSink& sink);

// A release with one step applied. Holds the new values tree; `input` points into it.
struct SteppedInput {
  ReleaseInput input;
  YNodePtr values;
  // Field paths of the replaced fields, and where their text is in the step: a diagnostic
  // about "application.versions[1].weight" is about the step's field.
  std::vector<std::pair<std::string, std::string>> renames;
};

// `in` with step `step` of `schedule` applied: each version the step names gets the step's
// weight, unmatchedWeight and matches/match in place of its own (matches and match replace
// both), the step's strategy replaces application.strategy. The new nodes are the step's own,
// so every location is the step's text.
SteppedInput apply_step(const ReleaseInput& in, const Schedule& schedule, size_t step);

// `path` with the step's field in place of the field it replaced
// ("application.versions[1].weight" -> "application.schedule.steps[2].versions.app-1.weight").
std::string step_field_path(const std::string& path, const SteppedInput& stepped);

// Rewrites the field paths of the routes of `rm` (compiled from `stepped`) the same way, so
// that what cites them (meshc explain, lint) names the step's field for what the step set.
void rename_step_paths(Routemap& rm, const SteppedInput& stepped);

// Rewrites the field path of each diagnostic after the first `from` of `sink` by `renames`,
// and adds the note "in step <label>" to each.
void mark_step_diagnostics(DiagnosticSink& sink, size_t from, const SteppedInput& stepped,
                           const Schedule& schedule, size_t step);

// The application name a release resolves to before lowering (application.metadata.name,
// the document's metadata.name, then `fallback`); "" when none.
std::string release_app_name(const ReleaseInput& in, const std::string& fallback);

}  // namespace meshc
