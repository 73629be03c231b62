// The consul target: Consul service mesh config entries as consul-k8s serves them
// (consul.hashicorp.com ServiceDefaults, ServiceResolver, ServiceSplitter, ServiceRouter).
#pragma once

#include "targets/target.h"

namespace meshc {

const Target& consul_target();

}  // namespace meshc
