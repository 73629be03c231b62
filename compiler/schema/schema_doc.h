// The field reference of the release spec, generated from the schema (docs/spec-reference.md).
#pragma once

#include <string>

namespace meshc {

// Markdown: one table row per field path, with type, constraints and description, walking the
// schema from its root (values form) and then the Release document's own fields.
std::string schema_markdown();

}  // namespace meshc
