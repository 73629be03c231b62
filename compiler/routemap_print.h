// The routemap as a YAML-ready object: what `meshc routemap` prints and golden files pin.
#pragma once

#include "compiler/routemap.h"
#include "compiler/yaml_writer.h"

namespace meshc {

Object routemap_to_object(const Routemap& rm);

}  // namespace meshc
