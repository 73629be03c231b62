// The routemap as a YAML-ready object: what `meshc routemap` prints and golden files pin.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "compiler/ir/routemap.h"

namespace meshc {

// `default_target` names the target the spec's environment selects ("" for none): the
// routemap holds no target, so the caller, who knows the registry, says which.
nlohmann::ordered_json routemap_to_object(const Routemap& rm, const std::string& default_target);

}  // namespace meshc
