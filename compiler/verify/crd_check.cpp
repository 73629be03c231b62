#include "compiler/verify/crd_check.h"

#include <algorithm>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/validator.hpp>

#include "compiler/schema/schema_validator.h"
#include "compiler/verify/crd_index.h"
#include "compiler/verify/object_meta.h"

namespace meshc {

using verify::Definition;
using verify::Segment;

using nlohmann::json;

namespace {

// The object as a tree the explainer can walk; every node is placed at `at`.
YNodePtr to_ynode(const Object& v, const Location& at) {
  auto n = std::make_shared<YNode>();
  n->loc = at;
  if (v.is_object()) {
    n->kind = YNode::Kind::kMapping;
    for (auto it = v.begin(); it != v.end(); ++it) {
      auto key = std::make_shared<YNode>();
      key->kind = YNode::Kind::kScalar;
      key->loc = at;
      key->value = it.key();
      key->plain = false;
      n->entries.emplace_back(std::move(key), to_ynode(*it, at));
    }
  } else if (v.is_array()) {
    n->kind = YNode::Kind::kSequence;
    for (const auto& item : v) n->items.push_back(to_ynode(item, at));
  } else if (v.is_null()) {
    n->kind = YNode::Kind::kNull;
  } else {
    n->kind = YNode::Kind::kScalar;
    if (v.is_string()) {
      n->value = v.get<std::string>();
      n->plain = false;
    } else {
      n->value = v.dump();  // integers, numbers and booleans read back as their type
      n->plain = true;
    }
  }
  return n;
}

std::string object_identity(const Object& obj) {
  std::string kind = obj.contains("kind") && obj["kind"].is_string()
                         ? obj["kind"].get<std::string>()
                         : std::string("object");
  std::string name, ns;
  if (obj.contains("metadata") && obj["metadata"].is_object()) {
    const auto& m = obj["metadata"];
    if (m.contains("name") && m["name"].is_string()) name = m["name"].get<std::string>();
    if (m.contains("namespace") && m["namespace"].is_string()) {
      ns = m["namespace"].get<std::string>();
    }
  }
  if (name.empty()) return kind + " (unnamed)";
  return kind + " " + (ns.empty() ? name : ns + "/" + name);
}

}  // namespace

namespace {

using DefinitionList = std::vector<std::unique_ptr<Definition>>;

// One mistake of an object, as the definitions that found it say it.
struct Finding {
  std::string path, message;
  std::vector<std::string> files;
};

// What a check of one object needs to say where and about what.
struct ObjectCheck {
  const Object& obj;
  Gvk gvk;
  std::string api_version;
  std::string who;  // "HTTPRoute test/app"
  const Location& at;
};

std::string files_of(const DefinitionList& defs) {
  std::string files;
  for (const auto& d : defs) files += (files.empty() ? "" : ", ") + d->file;
  return files;
}

// The versions of `gvk`'s kind the index defines besides `gvk`'s, for "define no X" errors.
std::string other_versions(const CrdSet::Impl& impl, const Gvk& gvk, bool served_only) {
  std::string out;
  for (const auto& [g, defs] : impl.index) {
    if (g.group != gvk.group || g.kind != gvk.kind) continue;
    bool served = !served_only;
    for (const auto& d : defs) served = served || d->served;
    if (served) out += (out.empty() ? "" : ", ") + g.version;
  }
  return out;
}

// A version no definition serves, or that every serving definition deprecates: a warning (the
// files may come from a release not installed yet).
void warn_version_status(const CrdSet::Impl& impl, const ObjectCheck& c, const DefinitionList& defs,
                         DiagnosticSink& sink) {
  bool served = false, all_deprecated = true;
  std::string warning;
  for (const auto& d : defs) {
    served = served || d->served;
    if (d->served) {
      all_deprecated = all_deprecated && d->deprecated;
      if (warning.empty()) warning = d->deprecation_warning;
    }
  }
  if (!served) {
    std::string serving = other_versions(impl, c.gvk, true);
    sink.warning(c.at, "",
                 c.who + ": " + c.api_version + " " + c.gvk.kind + " is not served by this CRD (" +
                     files_of(defs) + "): an API server with it installed rejects the object" +
                     (serving.empty() ? std::string() : "; served versions: " + serving));
  } else if (all_deprecated) {
    sink.warning(c.at, "",
                 c.who + ": " + c.api_version + " " + c.gvk.kind + " is deprecated (" +
                     files_of(defs) + ")" + (warning.empty() ? std::string() : ": " + warning));
  }
}

// Adds the explainer's findings of one definition, once per mistake: the same mistake found by
// several definitions (Gateway API's two channels) names all their files.
void merge_findings(const DiagnosticSink& local, const std::string& file,
                    std::vector<Finding>& findings) {
  for (const auto& diag : local.all()) {
    auto same = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) {
      if (f.path != diag.path) return false;
      if (f.message == diag.message) return true;
      // Channels list different known fields; the unknown field is the same mistake.
      return f.message.rfind("unknown field", 0) == 0 &&
             diag.message.rfind("unknown field", 0) == 0;
    });
    if (same == findings.end()) {
      findings.push_back({diag.path, diag.message, {file}});
    } else if (std::find(same->files.begin(), same->files.end(), file) == same->files.end()) {
      same->files.push_back(file);
    }
  }
}

// Validates the object against one definition's schema and adds what is wrong to `findings`.
void check_definition(CrdSet::Impl& impl, const ObjectCheck& c, Definition& d, const json& instance,
                      YNodePtr& tree, std::vector<Finding>& findings, DiagnosticSink& sink) {
  const valijson::Schema* schema = impl.compiled(d, c.gvk, sink);
  if (!schema) return;
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(instance);
  try {
    if (validator.validate(*schema, adapter, &results)) return;
  } catch (const std::exception& e) {
    sink.error(c.at, "", c.who + ": cannot check against " + d.file + ": " + e.what());
    return;
  }
  if (!tree) tree = to_ynode(c.obj, c.at);
  std::vector<SchemaFailure> failures;
  for (const auto& err : results) failures.push_back({err.context, err.description});
  DiagnosticSink local;
  ExplainOptions options;
  options.quoting_hints = false;
  options.report_unexplained = true;
  size_t explained = 0;
  try {
    explained =
        explain_schema_failures(*d.converted, *d.converted, *tree, failures, options, local);
  } catch (const std::exception&) {
    local.truncate(0);  // a constraint of an odd type: fall back to valijson's words
  }
  if (explained == 0) {
    local.error(c.at, "", "does not match the schema: " + results.begin()->description);
  }
  merge_findings(local, d.file, findings);
}

// Reports ObjectMeta's verdict, then the schemas' findings; ObjectMeta's verdict on a metadata
// field replaces the CRD's restatement of it.
void report_findings(const ObjectCheck& c, const std::vector<Finding>& findings,
                     DiagnosticSink& sink) {
  std::vector<std::pair<std::string, std::string>> meta;
  verify::check_metadata(c.obj, meta);
  for (const auto& [path, message] : meta) {
    sink.error(c.at, "", c.who + ": " + (path.empty() ? "" : path + ": ") + message);
  }
  for (const auto& f : findings) {
    auto said = [&](const auto& m) { return m.first == f.path; };
    if (std::find_if(meta.begin(), meta.end(), said) != meta.end()) continue;
    std::string files;
    for (const auto& x : f.files) files += ", " + x;
    sink.error(c.at, "",
               c.who + ": " + (f.path.empty() ? "" : f.path + ": ") + f.message + " (" +
                   c.api_version + " " + c.gvk.kind + files + ")");
  }
}

}  // namespace

bool CrdSet::check(const std::vector<Object>& objects, const Location& at,
                   DiagnosticSink& sink) const {
  size_t before = sink.error_count();
  std::set<Gvk> version_noted;  // served / deprecated warnings: once per kind and version
  for (const Object& obj : objects) {
    if (!obj.is_object() || !obj.contains("apiVersion") || !obj["apiVersion"].is_string() ||
        !obj.contains("kind") || !obj["kind"].is_string()) {
      sink.error(at, "", object_identity(obj) + ": expected apiVersion and kind strings");
      continue;
    }
    std::string api_version = obj["apiVersion"].get<std::string>();
    ObjectCheck c{obj, verify::gvk_of(api_version, obj["kind"].get<std::string>()), api_version,
                  object_identity(obj), at};
    if (verify::is_builtin_group(c.gvk.group)) continue;
    impl_->ensure(c.gvk.group, c.gvk.kind, sink);
    auto found = impl_->index.find(c.gvk);
    if (found == impl_->index.end()) {
      std::string others = other_versions(*impl_, c.gvk, false);
      sink.error(at, "",
                 c.who + ": the cluster's CRDs in " + impl_->dir + " define no " + c.gvk.kind +
                     " in " + api_version +
                     (others.empty() ? std::string()
                                     : " (they define " + c.gvk.kind + " in " + c.gvk.group +
                                           " versions " + others + ")"));
      continue;
    }
    const DefinitionList& defs = found->second;
    if (version_noted.insert(c.gvk).second) warn_version_status(*impl_, c, defs, sink);
    std::vector<Finding> findings;
    json instance = json::parse(obj.dump());
    YNodePtr tree;
    bool any_schema = false;
    for (const auto& d : defs) {
      if (!d->schema) continue;
      any_schema = true;
      check_definition(*impl_, c, *d, instance, tree, findings, sink);
    }
    if (!any_schema) {
      sink.note(at, "",
                c.who + ": " + api_version + " " + c.gvk.kind + " has no schema in " +
                    files_of(defs) + ": only its metadata is checked");
    }
    report_findings(c, findings, sink);
  }
  return sink.error_count() == before;
}

}  // namespace meshc
