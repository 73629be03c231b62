// The one place targets are registered. A new target = one folder + one line in all_targets()
// (+ its goldens, and its reader in the routing test oracle).
#include <algorithm>

#include "compiler/diag/suggest.h"
#include "targets/consul/consul.h"
#include "targets/contour/contour.h"
#include "targets/gateway_api/gateway_api.h"
#include "targets/istio/istio.h"
#include "targets/linkerd/linkerd.h"
#include "targets/smi/smi.h"
#include "targets/target.h"
#include "targets/traefik/traefik.h"

namespace meshc {

const std::vector<const Target*>& all_targets() {
  static const std::vector<const Target*>* targets = new std::vector<const Target*>{
      &gateway_api_target(), &istio_target(),   &smi_target(),     &linkerd_target(),
      &consul_target(),      &traefik_target(), &contour_target(),
  };
  return *targets;
}

namespace {
const ImplementationTable& no_implementations() {
  static const ImplementationTable* none = new ImplementationTable();
  return *none;
}
}  // namespace

const std::vector<ImplementationInfo>& TargetInfo::implementations() const {
  return (implementation_table ? implementation_table() : no_implementations()).implementations;
}

const std::vector<std::string>& TargetInfo::implementation_columns() const {
  return (implementation_table ? implementation_table() : no_implementations()).columns;
}

const ApiVersion* TargetInfo::find_version(const std::string& version) const {
  for (const ApiVersion& v : api_versions) {
    if (v.name == version) return &v;
  }
  return nullptr;
}

const ImplementationInfo* TargetInfo::find_implementation(const std::string& wanted) const {
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const ImplementationInfo& i : implementations()) {
    if (lower(i.name) == lower(wanted) || lower(i.alias) == lower(wanted)) return &i;
  }
  return nullptr;
}

const std::string& TargetChoice::name() const {
  static const std::string* none = new std::string();
  return target ? target->info().name : *none;
}

std::string TargetChoice::str() const {
  return target ? target->info().name + "@" + api_version : std::string();
}

const Capabilities& TargetChoice::capabilities() const {
  static const Capabilities* none = new Capabilities();
  const ApiVersion* v = target ? target->info().find_version(api_version) : nullptr;
  return v ? v->caps : *none;
}

const Target* find_target(const std::string& name) {
  for (const Target* t : all_targets()) {
    if (t->info().name == name) return t;
  }
  return nullptr;
}

const Target* find_target_for_environment(const std::string& environment) {
  for (const Target* t : all_targets()) {
    if (t->info().environment == environment) return t;
  }
  return nullptr;
}

namespace {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace

std::optional<TargetChoice> parse_target(const std::string& spec, std::string* error) {
  std::string name = spec, version;
  size_t at = spec.find('@');
  if (at != std::string::npos) name = spec.substr(0, at), version = spec.substr(at + 1);
  const Target* t = find_target(name);
  if (!t) {
    std::vector<std::string> names;
    for (const Target* x : all_targets()) names.push_back(x->info().name);
    *error = "unknown target " + quote(name);
    std::string close = closest_word(name, names);
    if (!close.empty()) *error += " (did you mean " + quote(close) + "?)";
    *error += "; expected one of " + join(names);
    return std::nullopt;
  }
  const TargetInfo& info = t->info();
  if (at == std::string::npos) version = info.api_versions.front().name;
  if (!info.find_version(version)) {
    std::vector<std::string> versions;
    for (const ApiVersion& v : info.api_versions) versions.push_back(v.name);
    *error = "target " + name + " has no API version " + quote(version) + "; expected one of " +
             join(versions);
    return std::nullopt;
  }
  return TargetChoice{t, version};
}

namespace {

// "unknown implementation "x" (did you mean "y"?); expected one of a, b, ..." for the
// implementations of `targets`.
std::string unknown_implementation(const std::string& name,
                                   const std::vector<const Target*>& targets) {
  std::vector<std::string> aliases, words;
  for (const Target* t : targets) {
    for (const ImplementationInfo& i : t->info().implementations()) {
      aliases.push_back(i.alias);
      words.push_back(i.alias);
      words.push_back(i.name);
    }
  }
  std::string msg = "unknown implementation " + quote(name);
  std::string close = closest_word(name, words);
  if (!close.empty()) msg += " (did you mean " + quote(close) + "?)";
  return msg + "; expected an organization/project or an alias (meshc targets " +
         "--implementations): " + join(aliases);
}

}  // namespace

bool check_implementation_option(const std::string& option, const std::string& name,
                                 std::string* error) {
  for (const Target* t : all_targets()) {
    if (t->info().find_implementation(name)) return true;
  }
  *error = option + ": " + unknown_implementation(name, all_targets());
  return false;
}

bool check_implementation_names(const Routemap& rm, const TargetChoice& choice,
                                DiagnosticSink& sink) {
  size_t before = sink.error_count();
  for (const Setting* s : {&rm.implementation, &rm.gateway_implementation}) {
    if (!s->given() || !choice.target) continue;
    const TargetInfo& info = choice.target->info();
    std::string path = s->origin.rfind("--", 0) == 0 ? "" : s->origin;
    if (info.implementations().empty()) {
      std::vector<std::string> with;
      for (const Target* t : all_targets()) {
        if (!t->info().implementations().empty()) with.push_back(t->info().name);
      }
      sink.error(s->loc, path,
                 (path.empty() ? s->origin + " " : std::string()) + "names an implementation " +
                     quote(s->value) + ", but target " + choice.str() +
                     " has no implementations to choose from (only " + join(with) +
                     " has); drop it or compile for " + join(with));
    } else if (!info.find_implementation(s->value)) {
      sink.error(s->loc, path,
                 (path.empty() ? s->origin + ": " : std::string()) +
                     unknown_implementation(s->value, {choice.target}));
    }
  }
  return sink.error_count() == before;
}

std::string target_synopsis() {
  std::string out;
  for (const Target* t : all_targets()) {
    out += (out.empty() ? "" : ", ") + t->info().name + "[";
    bool first = true;
    for (const ApiVersion& v : t->info().api_versions) {
      out += (first ? "@" : "|@") + v.name;
      first = false;
    }
    out += "]";
  }
  return out;
}

std::vector<CapabilityAlternative> capability_alternatives(const TargetChoice& choice) {
  std::vector<CapabilityAlternative> out;
  if (!choice.target) return out;
  for (const ApiVersion& v : choice.target->info().api_versions) {
    if (v.name != choice.api_version) out.push_back({choice.name() + "@" + v.name, v.caps});
  }
  return out;
}

}  // namespace meshc
