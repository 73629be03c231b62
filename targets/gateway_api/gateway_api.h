// The gateway-api target: Gateway API HTTPRoute (GAMMA mesh routing; any Gateway API
// implementation).
#pragma once

#include "targets/target.h"

namespace meshc {

const Target& gateway_api_target();

}  // namespace meshc
