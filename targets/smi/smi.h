// The smi target: SMI TrafficSplit (OSM, Linkerd via linkerd-smi).
#pragma once

#include "targets/target.h"

namespace meshc {

const Target& smi_target();

}  // namespace meshc
