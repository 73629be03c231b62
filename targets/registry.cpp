// The one place targets are registered. A new target = one folder + one line in all_targets()
// (+ its goldens, and its reader in the routing test oracle).
#include <algorithm>

#include "targets/consul/consul.h"
#include "targets/contour/contour.h"
#include "targets/gateway_api/gateway_api.h"
#include "targets/istio/istio.h"
#include "targets/smi/smi.h"
#include "targets/target.h"
#include "targets/traefik/traefik.h"

namespace meshc {

const std::vector<const Target*>& all_targets() {
  static const std::vector<const Target*>* targets = new std::vector<const Target*>{
      &gateway_api_target(), &istio_target(),   &smi_target(),
      &consul_target(),      &traefik_target(), &contour_target(),
  };
  return *targets;
}

const ApiVersion* TargetInfo::find_version(const std::string& version) const {
  for (const ApiVersion& v : api_versions) {
    if (v.name == version) return &v;
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
    *error = "unknown target " + quote(name) + "; expected one of " + join(names);
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
