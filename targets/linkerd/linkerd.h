// The linkerd target: Linkerd's own policy.linkerd.io HTTPRoute attached to the root Service,
// for Linkerd clusters without Gateway API routes.
#pragma once

#include "targets/target.h"

namespace meshc {

const Target& linkerd_target();

}  // namespace meshc
