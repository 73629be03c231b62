// The one place that turns objects into YAML text. Key order is the objects' insertion
// order; quoting is decided here so that no value can change the structure of the output;
// no comments, no timestamps: the same objects always give the same bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace meshc {

// Appends `doc` as one YAML document, starting with "---\n".
void write_yaml_document(const nlohmann::ordered_json& doc, std::string& out);

// Appends a scalar as it would appear in a block context (quoted when needed).
void write_yaml_scalar(const nlohmann::ordered_json& value, std::string& out);

// True when `s` can be written as a plain scalar and reads back as the same string.
bool is_plain_safe(const std::string& s);

}  // namespace meshc
