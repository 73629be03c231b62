// The objects of the istio target, one builder per kind (internal to this folder).
#pragma once

#include <string>

#include "compiler/ir/routemap.h"
#include "compiler/k8s/object.h"

namespace meshc::istio {

// Which traffic a VirtualService binds: sidecars (the mesh) or the ingress gateway.
enum class Binding { kMesh, kGateway };

// The DestinationRule of the root Service: one subset per version in the application's
// namespace, selected by the version label. `api_version`: v1, v1beta1 or v1alpha3.
Object destination_rule(const Routemap& rm, const std::string& api_version);

// The VirtualService: http routes in the routemap's (first-match) order.
Object virtual_service(const Routemap& rm, const std::string& api_version, Binding binding);

}  // namespace meshc::istio
