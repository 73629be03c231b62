// ObjectMeta as Kubernetes validates it (CRD schemas say only `type: object`).
#include "compiler/verify/object_meta.h"

#include <re2/re2.h>

#include "compiler/diag/diagnostics.h"
#include "compiler/diag/field_path.h"
#include "compiler/diag/suggest.h"

namespace meshc::verify {

using nlohmann::json;

namespace {

const char* const kObjectMetaFields[] = {"annotations",
                                         "creationTimestamp",
                                         "deletionGracePeriodSeconds",
                                         "deletionTimestamp",
                                         "finalizers",
                                         "generateName",
                                         "generation",
                                         "labels",
                                         "managedFields",
                                         "name",
                                         "namespace",
                                         "ownerReferences",
                                         "resourceVersion",
                                         "selfLink",
                                         "uid"};

constexpr size_t kMaxAnnotationBytes = 256 * 1024;

const char* const kDns1123Label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const char* const kDns1123Subdomain =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const char* const kLabelName = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

std::string describe_json(const json& v) {
  if (v.is_string()) return "string " + quote(v.get<std::string>());
  if (v.is_boolean()) return std::string("boolean ") + (v.get<bool>() ? "true" : "false");
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer " + v.dump();
  if (v.is_number()) return "number " + v.dump();
  if (v.is_null()) return "null";
  if (v.is_array()) return "a list";
  return "a mapping";
}

// What is wrong with `key` as a qualified name (label or annotation key), or "".
std::string check_qualified_name(const std::string& key) {
  static const RE2* prefix_re = new RE2(kDns1123Subdomain);
  static const RE2* name_re = new RE2(kLabelName);
  std::string prefix, name = key;
  size_t slash = key.find('/');
  if (slash != std::string::npos) prefix = key.substr(0, slash), name = key.substr(slash + 1);
  if (slash != std::string::npos) {
    if (prefix.empty() || prefix.size() > 253 || !RE2::FullMatch(prefix, *prefix_re)) {
      return "expected a key prefix that is a DNS-1123 subdomain of at most 253 characters "
             "(lower-case letters, digits, '-' and '.'), got " +
             quote(prefix);
    }
  }
  if (name.empty() || name.size() > 63 || !RE2::FullMatch(name, *name_re)) {
    return "expected a qualified name: at most 63 letters, digits, '-', '_' and '.', starting "
           "and ending alphanumeric, after an optional DNS-subdomain prefix and '/', got " +
           quote(key);
  }
  return "";
}

using Findings = std::vector<std::pair<std::string, std::string>>;

void check_unknown_fields(const json& meta, Findings& out) {
  std::vector<std::string> known(std::begin(kObjectMetaFields), std::end(kObjectMetaFields));
  for (auto f = meta.begin(); f != meta.end(); ++f) {
    if (std::find(known.begin(), known.end(), f.key()) != known.end()) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    std::string msg = "unknown field, expected one of " + list;
    std::string near = closest_word(f.key(), known);
    if (!near.empty()) msg += " (did you mean " + quote(near) + "?)";
    out.emplace_back(append_path("metadata", f.key()), msg);
  }
}

void check_name(const json& meta, Findings& out) {
  static const RE2* subdomain_re = new RE2(kDns1123Subdomain);
  auto name = meta.find("name");
  if (name == meta.end()) {
    out.emplace_back("metadata", "missing required field \"name\"");
  } else if (!name->is_string()) {
    out.emplace_back("metadata.name", "expected string, got " + describe_json(*name));
  } else {
    const std::string& n = name->get<std::string>();
    if (n.empty() || n.size() > 253 || !RE2::FullMatch(n, *subdomain_re)) {
      out.emplace_back("metadata.name",
                       "expected a DNS-1123 subdomain of at most 253 characters (lower-case "
                       "letters, digits, '-' and '.', starting and ending with a letter or "
                       "digit), got " +
                           describe_json(*name));
    }
  }
}

void check_namespace(const json& meta, Findings& out) {
  static const RE2* label_re = new RE2(kDns1123Label);
  auto ns = meta.find("namespace");
  if (ns == meta.end()) return;
  if (!ns->is_string()) {
    out.emplace_back("metadata.namespace", "expected string, got " + describe_json(*ns));
    return;
  }
  const std::string& n = ns->get<std::string>();
  if (n.empty() || n.size() > 63 || !RE2::FullMatch(n, *label_re)) {
    out.emplace_back("metadata.namespace",
                     "expected a DNS-1123 label of at most 63 characters (lower-case "
                     "letters, digits and '-', starting and ending with a letter or "
                     "digit), got " +
                         describe_json(*ns));
  }
}

// metadata.labels or metadata.annotations: qualified-name keys, string values; label values
// have a syntax of their own, annotations a total size.
void check_string_map(const json& meta, const char* field, Findings& out) {
  static const RE2* value_re = new RE2(std::string("(") + kLabelName + ")?");
  auto m = meta.find(field);
  if (m == meta.end()) return;
  std::string base = std::string("metadata.") + field;
  if (!m->is_object()) {
    out.emplace_back(base, "expected a mapping, got " + describe_json(*m));
    return;
  }
  bool labels = std::string(field) == "labels";
  size_t total = 0;
  for (auto e = m->begin(); e != m->end(); ++e) {
    std::string path = append_path(base, e.key());
    std::string why = check_qualified_name(e.key());
    if (!why.empty()) out.emplace_back(path, why);
    if (!e->is_string()) {
      out.emplace_back(path, "expected string, got " + describe_json(*e));
      continue;
    }
    const std::string& v = e->get<std::string>();
    total += e.key().size() + v.size();
    if (labels && (v.size() > 63 || !RE2::FullMatch(v, *value_re))) {
      out.emplace_back(path,
                       "expected a label value: at most 63 letters, digits, '-', '_' and '.', "
                       "starting and ending alphanumeric, got " +
                           describe_json(*e));
    }
  }
  if (!labels && total > kMaxAnnotationBytes) {
    out.emplace_back(base, "expected annotations of at most " +
                               std::to_string(kMaxAnnotationBytes) + " bytes in total, got " +
                               std::to_string(total));
  }
}

}  // namespace

// Reports ObjectMeta mistakes of `meta` as (path, message) pairs.
void check_metadata(const json& obj, std::vector<std::pair<std::string, std::string>>& out) {
  auto it = obj.find("metadata");
  if (it == obj.end()) {
    out.emplace_back("", "missing required field \"metadata\"");
    return;
  }
  const json& meta = *it;
  if (!meta.is_object()) return;  // the schema reports the type
  check_unknown_fields(meta, out);
  check_name(meta, out);
  check_namespace(meta, out);
  for (const char* field : {"labels", "annotations"}) check_string_map(meta, field, out);
}

}  // namespace meshc::verify
