// meshc as a KRM function (the kustomize / kpt function protocol): a ResourceList
// (config.kubernetes.io/v1) in, a ResourceList out.
#pragma once

#include <string>

#include "compiler/driver.h"
#include "compiler/source.h"

namespace meshc {

// Runs the function on the ResourceList in `input`:
// - every Release in `items` is replaced, in place, by its compiled objects; other items are
//   kept (re-written by the YAML writer: same keys, order and values; comments are not kept);
// - a Release given as `functionConfig` (a kustomize generator, `kpt fn eval --fn-config`) is
//   compiled too and its objects appended, unless the same Release is also an item;
// - every diagnostic becomes a `results` entry (severity, message, resourceRef, field.path,
//   file.path/index from the item's config.kubernetes.io annotations).
// Objects compiled from an item keep its path annotations, so kpt writes them where it was.
// Returns the ResourceList to print and sets `failed` when any error was reported (see
// driver.sink()), or any warning with `warnings_as_errors`: then its `items` is empty and only
// `results` say what went wrong.
std::string run_krm_function(const SourceFile& input, const Limits& limits, Driver& driver,
                             bool warnings_as_errors, bool* failed);

}  // namespace meshc
