// A Kubernetes object as meshc builds it: an ordered tree (keys keep their insertion order,
// which is the order the writer prints them in), and the head every generated object shares.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "compiler/ir/routemap.h"

namespace meshc {

using Object = nlohmann::ordered_json;

// Building blocks that put a tree together without nlohmann's initializer lists (which build
// a temporary array per entry and copy what they hold) or operator[] (a search per key):
// new_mapping(n) and new_list(n) reserve room for n entries; append_entry() adds a key the
// mapping does not hold yet.
inline Object new_mapping(size_t size) {
  Object o(Object::value_t::object);
  o.get_ref<Object::object_t&>().reserve(size);
  return o;
}

inline Object new_list(size_t size) {
  Object o(Object::value_t::array);
  o.get_ref<Object::array_t&>().reserve(size);
  return o;
}

// Appends `key: value` to mapping `map` (the key must be new); returns the value's place.
inline Object& append_entry(Object& map, std::string key, Object value) {
  return map.get_ref<Object::object_t&>().emplace_back(std::move(key), std::move(value)).second;
}

// Appends `item` to list `items`; returns its place.
inline Object& append_item(Object& items, Object item) {
  return items.get_ref<Object::array_t&>().emplace_back(std::move(item));
}

// A sorted string map as an Object mapping.
Object to_object(const StringMap& m);

// Adds the application's labels and annotations (if any) to an object's metadata.
void add_application_metadata(const Routemap& rm, Object& metadata);

// The head of a generated object: apiVersion, kind, and metadata with `name`, `namespace_`
// and the application's labels and annotations; callers add the rest.
// Takes the strings by value: a caller's temporary is moved into the tree, not copied.
Object k8s_object(std::string api_version, std::string kind, std::string name,
                  std::string namespace_, const Routemap& rm, size_t reserve = 4);

// The API group of an apiVersion: "apps" of apps/v1, "" of v1.
std::string api_group(std::string_view api_version);

// "Deployment.apps shop/v1", "Service shop/httpbin": kind.group as kubectl names a resource,
// then namespace/name (no "namespace/" when it is empty). How diagnostics name an object.
std::string object_id(const std::string& group, const std::string& kind,
                      const std::string& namespace_, const std::string& name);
std::string object_id(const Object& o);

}  // namespace meshc
