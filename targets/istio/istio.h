// The istio target: Istio DestinationRule + VirtualService.
#pragma once

#include "targets/target.h"

namespace meshc {

const Target& istio_target();

}  // namespace meshc
