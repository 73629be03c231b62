// Checking generated objects against the CustomResourceDefinitions a cluster has
// (`meshc compile --check-against DIR`, and the suite's check of every golden output).
//
// What is checked, per object whose apiVersion names a CRD group (a group with a dot that is
// not a built-in Kubernetes group such as networking.k8s.io):
//   - some CRD in the directory defines its (group, version, kind); if none does, that is an
//     error: the cluster lacks the API;
//   - the object validates against the `openAPIV3Schema` of every definition of that
//     (group, version, kind) that has one (several files may define it: Gateway API's standard
//     and experimental channels, three SMI upstreams), with Kubernetes' structural-schema
//     meaning: an object schema that declares no `additionalProperties` and no
//     `x-kubernetes-preserve-unknown-fields: true` rejects fields it does not declare (an API
//     server prunes them, or rejects them under strict field validation, as kubectl applies);
//     `x-kubernetes-int-or-string` accepts an integer or a string; `nullable` accepts null;
//     `x-kubernetes-list-type: set` requires unique items; a required field with a `default`
//     may be left out (the server fills it in); apiVersion, kind and metadata are always
//     allowed at the top;
//   - metadata as Kubernetes' ObjectMeta validation sees it (CRD schemas say only `type:
//     object`): only ObjectMeta fields; `name` present and a DNS-1123 subdomain of at most
//     253 characters; `namespace` a DNS-1123 label; label keys qualified names and values
//     valid label values; annotation keys qualified names, all annotations together at most
//     256 KiB.
// What is not checked, because meshc cannot evaluate it as an API server would:
//   - CEL rules (`x-kubernetes-validations`) are ignored;
//   - `format` is ignored (Kubernetes parses date-time, ipv4 ... with its own parsers);
//   - the key uniqueness of `x-kubernetes-list-type: map` lists;
//   - a `not` or `oneOf` whose branches hold a constraint above is skipped as a whole (dropping
//     the constraint inside would make the rule stricter, and wrong).
// Patterns run on RE2, the engine of Go's regexp that an API server uses (schema_patterns.h).
//
// Versions: a (group, version, kind) that no definition serves (`served: false`) is a warning,
// not an error, and the object is still validated against its schema: the files may come from
// a release that is not installed yet, but on a cluster with these CRDs `kubectl apply` fails
// with "no matches for kind" (make it fatal with --warnings-as-errors). Likewise a version that
// every serving definition marks `deprecated`. Core kinds (apiVersion v1, apps/v1 ...) are not
// CRDs and are not checked here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/k8s/object.h"

namespace meshc {

class CrdSet {
 public:
  // Finds every CustomResourceDefinition (apiextensions.k8s.io v1 or v1beta1, as a document
  // or as an item of a List document, which is what `kubectl get crd -o yaml` prints) in the
  // *.yaml / *.yml files below `dir`, recursively, in sorted path order; other documents are
  // skipped. Fast on large directories: files are read and cut into documents here, but a
  // document is parsed only when a check needs a kind and group its text mentions, so errors
  // in CRD files are reported by the check that first reads them (located in the CRD file; the
  // set owns the files, so keep it while the diagnostics are used). Reports an unreadable
  // directory or file, and a directory where no document mentions CustomResourceDefinition.
  // Never returns null; the set is fit for check() only when no error was reported.
  static std::unique_ptr<CrdSet> load(const std::string& dir, DiagnosticSink& sink);

  // Checks `objects` (the output of one release). Every diagnostic is reported at `at` (the
  // release: generated objects have no source text; only errors in a CRD file point there)
  // and its message names the object, the field path inside it and the CRD file(s), e.g.
  // `HTTPRoute test/app: spec.rules[0].wieght: unknown field, expected one of ...
  // (gateway.networking.k8s.io/v1 HTTPRoute, DIR/x.yaml)`. One error per mistake, even when
  // several definitions reject it. True when no error.
  bool check(const std::vector<Object>& objects, const Location& at, DiagnosticSink& sink) const;

  // The directory as given, and how many (group, version, kind) definitions the files hold
  // (this parses every file not parsed yet; errors found doing so are not reported).
  const std::string& dir() const;
  size_t definition_count() const;

  ~CrdSet();
  struct Impl;

 private:
  CrdSet();
  std::unique_ptr<Impl> impl_;
};

}  // namespace meshc
