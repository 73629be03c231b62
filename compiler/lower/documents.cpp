#include "compiler/lower/documents.h"

#include "compiler/diag/field_path.h"

namespace meshc {

std::optional<ReleaseInput> classify_document(const YNode& doc, DiagnosticSink& sink) {
  if (doc.is_null()) return std::nullopt;
  if (!doc.is_mapping()) {
    sink.error(doc.loc, "",
               "expected a release spec (a mapping with environment and application), got " +
                   describe(doc));
    return std::nullopt;
  }
  ReleaseInput in;
  in.document = &doc;
  const YNode* kind = doc.get("kind");
  if (!kind && !doc.get("apiVersion")) {
    in.values = &doc;
    in.form = SpecForm::kValues;
    return in;
  }
  if (!kind || !kind->is_scalar() || kind->value != "Release") {
    const YNode* at = kind ? kind : doc.key_node("apiVersion");
    sink.error(
        at->loc, kind ? "kind" : "",
        kind ? "expected kind Release (apiVersion meshc.dev/v1alpha1), got " + describe(*kind)
             : "a resource without kind; expected kind Release (apiVersion meshc.dev/v1alpha1)");
    return std::nullopt;
  }
  in.form = SpecForm::kReleaseDocument;
  in.values = doc.get("spec");
  in.path_prefix = "spec";
  return in;
}

std::string why_not_a_release(const YNode& doc) {
  if (doc.is_null()) return "empty";
  if (!doc.is_mapping()) return describe(doc) + ", not a mapping";
  const YNode* kind = doc.get("kind");
  const YNode* api = doc.get("apiVersion");
  if (kind || api) {
    const bool meshc_api = api && api->is_scalar() && api->value.rfind("meshc.dev/", 0) == 0;
    const bool release_kind = kind && kind->is_scalar() && kind->value == "Release";
    if (meshc_api || release_kind) return "";
    std::string what = kind && kind->is_scalar() ? "kind " + kind->value : "a resource";
    if (api && api->is_scalar()) what += " (" + api->value + ")";
    return what + ", not a meshc.dev Release";
  }
  if (doc.get("environment") || doc.get("application")) return "";
  return "neither environment nor application at the top level";
}

bool check_environment(const ReleaseInput& in, DiagnosticSink& sink) {
  if (!in.values || !in.values->is_mapping()) return true;  // the schema reports it
  const YNode* env = in.values->get("environment");
  if (!env || !env->is_scalar()) return true;
  const std::string& e = env->value;
  if (e.rfind("kserve", 0) == 0 || e.rfind("mm-", 0) == 0) {
    std::string known;
    for (const std::string& k : SchemaValidator::environments())
      known += (known.empty() ? "" : ", ") + k;
    sink.error(env->loc, join_path(in.path_prefix, "environment"),
               "KServe environments are not supported: meshc compiles Kubernetes Deployment "
               "releases (" +
                   known + "), got " + quote(e));
    return false;
  }
  return true;
}

}  // namespace meshc
