#include "compiler/k8s/object.h"

namespace meshc {

Object to_object(const StringMap& m) {
  Object o = Object::object();
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

void add_application_metadata(const Routemap& rm, Object& metadata) {
  if (!rm.labels.empty()) metadata["labels"] = to_object(rm.labels);
  if (!rm.annotations.empty()) metadata["annotations"] = to_object(rm.annotations);
}

Object k8s_object(const std::string& api_version, const std::string& kind, const std::string& name,
                  const std::string& namespace_, const Routemap& rm) {
  Object o = Object::object();
  o["apiVersion"] = api_version;
  o["kind"] = kind;
  Object meta = Object::object();
  meta["name"] = name;
  meta["namespace"] = namespace_;
  add_application_metadata(rm, meta);
  o["metadata"] = std::move(meta);
  return o;
}

}  // namespace meshc
