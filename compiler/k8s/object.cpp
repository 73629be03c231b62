#include "compiler/k8s/object.h"

namespace meshc {

Object to_object(const StringMap& m) {
  Object o(Object::value_t::object);  // Object::object() goes through an initializer list
  auto& entries = o.get_ref<Object::object_t&>();
  entries.reserve(m.size());
  // The map's keys are unique: append them without the search operator[] makes.
  for (const auto& [k, v] : m) entries.emplace_back(k, v);
  return o;
}

void add_application_metadata(const Routemap& rm, Object& metadata) {
  if (!rm.labels.empty()) metadata["labels"] = to_object(rm.labels);
  if (!rm.annotations.empty()) metadata["annotations"] = to_object(rm.annotations);
}

Object k8s_object(const std::string& api_version, const std::string& kind, const std::string& name,
                  const std::string& namespace_, const Routemap& rm) {
  // Keys appended (they are new) into storage for the usual four (spec, labels, annotations
  // follow), without Object::object()'s initializer list.
  Object o(Object::value_t::object);
  auto& entries = o.get_ref<Object::object_t&>();
  entries.reserve(4);
  entries.emplace_back("apiVersion", api_version);
  entries.emplace_back("kind", kind);
  Object meta(Object::value_t::object);
  auto& meta_entries = meta.get_ref<Object::object_t&>();
  meta_entries.reserve(4);
  meta_entries.emplace_back("name", name);
  meta_entries.emplace_back("namespace", namespace_);
  add_application_metadata(rm, meta);
  entries.emplace_back("metadata", std::move(meta));
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

namespace {

// The string `o` holds at `key`, or "" when it has none: Object::value(key, "") without the
// copy it returns.
std::string_view string_at(const Object& o, std::string_view key) {
  for (const auto& [k, v] : o.get_ref<const Object::object_t&>()) {
    if (k == key) return v.get_ref<const std::string&>();
  }
  return {};
}

}  // namespace

// The four parts appended to one string sized once: the driver makes the id of every object
// it compiles, and the temporaries of object_id(group, kind, ...) cost a single compile 2%
// of its instructions.
std::string object_id(const Object& o) {
  const Object& md = o["metadata"];
  std::string_view api_version = string_at(o, "apiVersion");
  const size_t slash = api_version.find('/');
  std::string_view group =
      slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
  std::string_view kind = string_at(o, "kind");
  std::string_view namespace_ = string_at(md, "namespace");
  std::string_view name = string_at(md, "name");
  std::string id;
  id.reserve(kind.size() + 1 + group.size() + 1 + namespace_.size() + 1 + name.size());
  id.append(kind);
  if (!group.empty()) id.append(".").append(group);
  id.append(" ");
  if (!namespace_.empty()) id.append(namespace_).append("/");
  id.append(name);
  return id;
}

}  // namespace meshc
