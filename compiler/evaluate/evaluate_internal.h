// What the evaluator's readers of each API share (not part of the stage's interface).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/evaluate/evaluate.h"
#include "compiler/evaluate/segments.h"

namespace re2 {
class RE2;
}

namespace meshc::eval {

// One object of the stream.
struct Obj {
  ObjectRef ref;
  const YNode* root = nullptr;
  const YNode* spec = nullptr;  // spec (may be null)
  std::string group;            // of apiVersion ("" for core)
  std::string version;          // of apiVersion
};

// A scalar's text, or "" (also for non-scalars).
std::string text(const YNode* n);
const YNode* at(const YNode* n, const char* key);
// The items of a sequence (empty for anything else).
const std::vector<YNodePtr>& items(const YNode* n);
// A non-negative integer scalar, or nullopt.
std::optional<int64_t> integer(const YNode* n);
std::optional<double> number(const YNode* n);
std::string lower(std::string s);
std::string quote(const std::string& s);  // "abc" as a JSON string

// The request as the readers see it: the host resolved to a Service, when it names one.
struct Target {
  std::string host;  // lower-case, without port
  int64_t port = 0;  // the host's port, 0 = none
  std::string svc_ns;
  std::string svc_name;  // "" = the host is no in-cluster Service name (an application host)
};

// Regular expressions, compiled once per evaluation (RE2, whole-value match).
class Regexes {
 public:
  Regexes();
  ~Regexes();
  // Whether `re` matches the whole of `value`; false with `*error` set when it does not
  // compile.
  bool full_match(const std::string& re, const std::string& value, std::string* error);

 private:
  std::map<std::string, std::unique_ptr<re2::RE2>> cache_;
};

struct Context {
  const ManifestSet::Impl& set;
  const EvalRequest& req;
  Target target;
  std::string default_ns;
  Regexes regexes;
  EvalResult* result = nullptr;
  EvalOptions options;
  void unsupported(Location loc, std::string what, bool affects) {
    result->unsupported.push_back({loc, std::move(what), affects});
  }
  // Turns a backend Service (+ Istio subset labels) into the version it reaches.
  void resolve_version(EvalBackend& b, const std::map<std::string, std::string>* subset_labels);
};

// Each API's reader: fills ctx.result and returns true when one of its objects applies to the
// request.
bool evaluate_gateway_api(Context& ctx);
bool evaluate_istio(Context& ctx);
bool evaluate_smi(Context& ctx);

// Shares from weights: fills total and percent of each backend.
void fill_shares(std::vector<EvalBackend>& backends);

// The static readings (segments.h): each API's routed services, appended to `out`; what they
// cannot read goes to ctx.result->unsupported.
void routing_gateway_api(Context& ctx, std::vector<RoutedService>& out);
void routing_istio(Context& ctx, std::vector<RoutedService>& out);
void routing_smi(Context& ctx, std::vector<RoutedService>& out);
// Backends (and mirrors) as segment shares: label -> percent.
void add_shares(const std::vector<EvalBackend>& backends,
                std::vector<std::pair<std::string, double>>& out);
// A condition on a named value (header, query parameter; name "" for the path).
ValueMatch value_match(const std::string& name, MatchType type, const std::string& value);
// What evaluate() reports before any API answers: the objects of kinds no reader understands.
std::vector<EvalUnsupported> unknown_kinds(const ManifestSet::Impl& impl);

}  // namespace meshc::eval

namespace meshc {
struct ManifestSet::Impl {
  std::vector<YNodePtr> keep;  // the documents (keeps the nodes alive)
  std::vector<eval::Obj> objects;
  // kinds the evaluator reads (routing) by kind name, and those it skips knowingly
  std::vector<const eval::Obj*> of_kind(const std::string& group, const std::string& kind) const;
  const eval::Obj* find(const std::string& group, const std::string& kind, const std::string& ns,
                        const std::string& name) const;
};
}  // namespace meshc
