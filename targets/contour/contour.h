// The contour target: Contour's HTTPProxy (projectcontour.io), for requests that pass through
// Contour's Envoy.
#pragma once

#include "targets/target.h"

namespace meshc {

const Target& contour_target();

}  // namespace meshc
