// A Kubernetes object as meshc builds it: an ordered tree (keys keep their insertion order,
// which is the order the writer prints them in), and the head every generated object shares.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "compiler/ir/routemap.h"

namespace meshc {

using Object = nlohmann::ordered_json;

// A sorted string map as an Object mapping.
Object to_object(const StringMap& m);

// Adds the application's labels and annotations (if any) to an object's metadata.
void add_application_metadata(const Routemap& rm, Object& metadata);

// The head of a generated object: apiVersion, kind, and metadata with `name`, `namespace_`
// and the application's labels and annotations; callers add the rest.
Object k8s_object(const std::string& api_version, const std::string& kind, const std::string& name,
                  const std::string& namespace_, const Routemap& rm);

// The API group of an apiVersion: "apps" of apps/v1, "" of v1.
std::string api_group(std::string_view api_version);

// "Deployment.apps shop/v1", "Service shop/httpbin": kind.group as kubectl names a resource,
// then namespace/name (no "namespace/" when it is empty). How diagnostics name an object.
std::string object_id(const std::string& group, const std::string& kind,
                      const std::string& namespace_, const std::string& name);
std::string object_id(const Object& o);

}  // namespace meshc
