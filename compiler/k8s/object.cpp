#include "compiler/k8s/object.h"

namespace meshc {

Object to_object(const StringMap& m) {
  Object o = Object::object();
  // The keys are unique: appended in one allocation, without o[k]'s search for each.
  auto& entries = o.get_ref<Object::object_t&>();
  entries.reserve(m.size());
  for (const auto& [k, v] : m) entries.emplace_back(k, v);
  return o;
}

void add_application_metadata(const Routemap& rm, Object& metadata) {
  if (!rm.labels.empty()) metadata["labels"] = to_object(rm.labels);
  if (!rm.annotations.empty()) metadata["annotations"] = to_object(rm.annotations);
}

Object k8s_object(const std::string& api_version, const std::string& kind, const std::string& name,
                  const std::string& namespace_, const Routemap& rm) {
  Object o = Object::object();
  o.get_ref<Object::object_t&>().reserve(4);  // and the spec the caller adds
  o["apiVersion"] = api_version;
  o["kind"] = kind;
  Object meta = Object::object();
  meta.get_ref<Object::object_t&>().reserve(4);
  meta["name"] = name;
  meta["namespace"] = namespace_;
  add_application_metadata(rm, meta);
  o["metadata"] = std::move(meta);
  return o;
}

std::string api_group(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string()
                                         : std::string(api_version.substr(0, slash));
}

std::string object_id(const std::string& group, const std::string& kind,
                      const std::string& namespace_, const std::string& name) {
  return kind + (group.empty() ? "" : "." + group) + " " +
         (namespace_.empty() ? "" : namespace_ + "/") + name;
}

std::string object_id(const Object& o) {
  const Object& md = o["metadata"];
  return object_id(api_group(o.value("apiVersion", "")), o.value("kind", ""),
                   md.value("namespace", ""), md.value("name", ""));
}

}  // namespace meshc
