// meshc promote: moving a release's schedule to another step, or finishing the rollout, as a
// targeted edit of the spec file (yaml_text.h): only the bytes that must change do.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/routemap.h"
#include "compiler/lower/documents.h"
#include "compiler/lower/lower.h"

namespace meshc {

struct PromoteRequest {
  std::string release;    // --release NAME: which release of the file ("" = the only one)
  std::string to;         // --to N|NAME ("" = the next step)
  bool back = false;      // --back: the step before the current one
  bool finish = false;    // --finish: finish the rollout whatever the current step
  std::string candidate;  // --candidate NAME: the candidate that becomes the primary
};

// One release of the file, as the frontend accepted it (schema and semantics).
struct PromoteRelease {
  ReleaseInput input;  // points into the file's tree
  Routemap routemap;   // the spec as written
};

struct PromoteResult {
  std::string text;     // the whole file, edited
  std::string summary;  // what was done, for stderr
  bool changed = true;  // false: nothing to do (--to the current step)
  bool finished = false;
  size_t release = 0;  // index into the releases given
};

// Plans the edit of `file` asked for by `req`. On a refusal, reports located errors to `sink`
// and returns nullopt. `defaults` are those the releases were lowered with (to lower the last
// step when finishing).
std::optional<PromoteResult> plan_promote(const SourceFile& file,
                                          const std::vector<PromoteRelease>& releases,
                                          const PromoteRequest& req,
                                          const ReleaseDefaults& defaults, DiagnosticSink& sink);

// Why `rm` does not send every request (and no copy) to version `version` alone: "" when it
// does; else what it does instead ("route \"default\" sends 50% to httpbin-0").
std::string routing_not_all_to(const Routemap& rm, size_t version);

}  // namespace meshc
