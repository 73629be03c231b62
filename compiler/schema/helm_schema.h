// The Helm chart's values.schema.json, derived from the release schema (one source of truth):
// charts/release/values.schema.json is this text, checked in because Helm reads it from the
// chart, and a test fails when the two drift.
#pragma once

#include <string>

namespace meshc {

// The schema of the chart's values: the release schema's values form (definitions/values,
// with every definition it refers to, plus Helm's `global` for use as a subchart), at the
// root and unconditional, so that Helm prints one line per mistake. KServe environments
// (kserve*, mm-*) fail its environment enum. JSON, 2-space indent, ending in a newline.
std::string helm_values_schema();

}  // namespace meshc
