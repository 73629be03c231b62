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
  // Appended when new (they are, on a head k8s_object() builds), else replaced.
  auto put = [&metadata](const char* key, const StringMap& m) {
    if (m.empty()) return;
    if (metadata.contains(key))
      metadata[key] = to_object(m);
    else
      append_entry(metadata, key, to_object(m));
  };
  put("labels", rm.labels);
  put("annotations", rm.annotations);
}

Object k8s_object(std::string api_version, std::string kind, std::string name,
                  std::string namespace_, const Routemap& rm, size_t reserve) {
  // Keys appended (they are new) into storage for the usual four (spec, labels, annotations
  // follow), without Object::object()'s initializer list.
  Object o = new_mapping(reserve);
  append_entry(o, "apiVersion", std::move(api_version));
  append_entry(o, "kind", std::move(kind));
  Object meta = new_mapping(2 + !rm.labels.empty() + !rm.annotations.empty());
  append_entry(meta, "name", std::move(name));
  append_entry(meta, "namespace", std::move(namespace_));
  add_application_metadata(rm, meta);
  append_entry(o, "metadata", std::move(meta));
  return o;
}

std::string api_group(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string()
                                         : std::string(api_version.substr(0, slash));
}

namespace {

// "kind[.group] [namespace/]name", appended once into a string of its size.
std::string make_object_id(std::string_view group, std::string_view kind,
                           std::string_view namespace_, std::string_view name) {
  std::string id;
  id.reserve(kind.size() + group.size() + namespace_.size() + name.size() + 3);
  id.append(kind);
  if (!group.empty()) id.append(1, '.').append(group);
  id.append(1, ' ');
  if (!namespace_.empty()) id.append(namespace_).append(1, '/');
  id.append(name);
  return id;
}

// The string at `key` of mapping `m`, or "" when there is none.
std::string_view string_at(const Object& m, const char* key) {
  if (!m.is_object()) return {};
  auto it = m.find(key);
  return it == m.end() ? std::string_view() : std::string_view(it->get_ref<const std::string&>());
}

}  // namespace

std::string object_id(const std::string& group, const std::string& kind,
                      const std::string& namespace_, const std::string& name) {
  return make_object_id(group, kind, namespace_, name);
}

// The four parts appended to one string sized once: the driver makes the id of every object
// it compiles, and the temporaries of object_id(group, kind, ...) cost a single compile 2%
// of its instructions.
std::string object_id(const Object& o) {
  // Read in place: no copies of the fields, nor of the group.
  std::string_view api_version = string_at(o, "apiVersion");
  size_t slash = api_version.find('/');
  std::string_view group =
      slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
  auto md = o.is_object() ? o.find("metadata") : o.end();
  static const Object* kNone = new Object();
  const Object& meta = md == o.end() ? *kNone : *md;
  return make_object_id(group, string_at(o, "kind"), string_at(meta, "namespace"),
                        string_at(meta, "name"));
}

}  // namespace meshc
