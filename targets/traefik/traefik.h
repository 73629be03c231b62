// The traefik target: Traefik Proxy's IngressRoute and TraefikService (traefik.io), for requests
// that pass through Traefik.
#pragma once

#include "targets/target.h"

namespace meshc {

const Target& traefik_target();

}  // namespace meshc
