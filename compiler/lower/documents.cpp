#include "compiler/lower/documents.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "compiler/diag/field_path.h"

namespace meshc {

namespace {

// An integer written with a leading zero whose value YAML 1.1 and YAML 1.2 disagree on: the
// octal reading (YAML 1.1: Helm reading a values file, kubectl reading a manifest) when it
// differs from the decimal one (YAML 1.2, meshc). `010`: 8 and 10; `007` and `08` agree.
bool octal_differs(const YNode& n, uint64_t* octal, uint64_t* decimal) {
  if (!n.is_scalar() || !(n.plain || n.tag == "int")) return false;
  const std::string& s = n.value;
  size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (s.size() < i + 2 || s[i] != '0' || s.size() - i > 20) return false;
  *octal = 0, *decimal = 0;
  for (size_t k = i; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '7') return false;
    *octal = *octal * 8 + static_cast<uint64_t>(s[k] - '0');
    *decimal = *decimal * 10 + static_cast<uint64_t>(s[k] - '0');
  }
  return *octal != *decimal;
}

// Walks a release document for such integers. Most documents hold none, so the field path is
// built only for one that is reported: the walk keeps the keys and indices leading to the node.
class LeadingZeroCheck {
 public:
  explicit LeadingZeroCheck(DiagnosticSink& sink) : sink_(sink) {}
  bool ok = true;

  // `shared`: the node has more than one parent (an alias), so it is looked at, and reported,
  // once.
  void walk(const YNode& n, bool shared) {
    if (shared && !seen_.insert(&n).second) return;
    if (n.is_mapping()) {
      for (const auto& [k, v] : n.entries) {
        steps_.push_back({&k->value, 0});
        walk(*v, v.use_count() > 1);
        steps_.pop_back();
      }
    } else if (n.is_sequence()) {
      for (size_t i = 0; i < n.items.size(); ++i) {
        steps_.push_back({nullptr, i});
        walk(*n.items[i], n.items[i].use_count() > 1);
        steps_.pop_back();
      }
    } else {
      report(n);
    }
  }

 private:
  struct Step {
    const std::string* key;  // a mapping key, or null for the sequence index `index`
    size_t index;
  };

  std::string path() const {
    std::string out;
    for (const Step& s : steps_) {
      out = s.key ? join_path(out, *s.key) : out + "[" + std::to_string(s.index) + "]";
    }
    return out;
  }

  void report(const YNode& n) {
    uint64_t octal, decimal;
    if (!octal_differs(n, &octal, &decimal)) return;
    const std::string sign = n.value[0] == '-' ? "-" : "";
    ok = false;
    sink_.error(n.loc, path(),
                "the integer " + n.value + " has a leading zero: YAML 1.2 (meshc) reads it as " +
                    sign + std::to_string(decimal) +
                    ", YAML 1.1 (Helm reading values, kubectl reading manifests) as octal " + sign +
                    std::to_string(octal) + "; write " + sign + std::to_string(decimal) +
                    " (decimal) or " + sign + "0o" + n.value.substr(n.value.find('0') + 1) +
                    " (octal), or quote it for a string");
  }

  DiagnosticSink& sink_;
  std::vector<Step> steps_;
  std::unordered_set<const YNode*> seen_;
};

}  // namespace

bool check_leading_zero_integers(const ReleaseInput& in, DiagnosticSink& sink) {
  LeadingZeroCheck check(sink);
  check.walk(*in.document, false);
  return check.ok;
}

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
