// meshc as a KRM function (the kustomize / kpt function protocol): a ResourceList
// (config.kubernetes.io/v1) in, a ResourceList out.
#pragma once

#include <functional>
#include <string>

#include "compiler/diag/source.h"
#include "compiler/driver/driver.h"

namespace meshc {

struct KrmSettings {
  Limits limits;
  ReleaseDefaults defaults;  // --name, --namespace
  std::string target;        // --target ("" = each Release's environment)
  bool warnings_as_errors = false;
  // Called on the driver that compiles the releases, before any is compiled (--check-against).
  std::function<void(Driver&)> configure;
};

// Runs the function on the ResourceList in `input`:
// - every Release in `items` is replaced, in place, by its compiled objects; other items are
//   kept as they were written, comments included, when `items` is a block sequence (as kpt and
//   kustomize send it), else re-written by the YAML writer (same keys, order and values);
// - a Release given as `functionConfig` (a kustomize generator, `kpt fn eval --fn-config`) is
//   compiled too and its objects appended, unless the same Release is also an item;
// - a ConfigMap `functionConfig` (what `kpt fn eval ... -- key=value` sends) sets options:
//   data keys `target`, `name`, `namespace`, `implementation`, `gatewayImplementation`,
//   `appVersionHeader` override the settings; other keys are errors;
// - every diagnostic becomes a `results` entry (severity, message, resourceRef, field.path,
//   file.path/index from the item's config.kubernetes.io annotations) and goes to `sink` too.
// Compiled objects carry no config.kubernetes.io path annotations: kpt files new resources
// itself (one file per object), and a path shared with other items would need indexes that
// cannot be chosen without knowing the rest of that file.
// Returns the ResourceList to print and sets `failed` when any error was reported, or any
// warning with `warnings_as_errors`: then its `items` is empty and only `results` say what
// went wrong.
std::string run_krm_function(const SourceFile& input, const KrmSettings& settings,
                             DiagnosticSink& sink, bool* failed);

}  // namespace meshc
