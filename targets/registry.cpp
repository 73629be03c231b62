// The one place targets are registered. A new target = one folder + one line here.
#include "targets/gateway_api/gateway_api.h"
#include "targets/istio/istio.h"
#include "targets/smi/smi.h"
#include "targets/target.h"

namespace meshc {

const std::vector<const Target*>& all_targets() {
  static const std::vector<const Target*>* targets = new std::vector<const Target*>{
      &gateway_api_target(),
      &istio_target(),
      &smi_target(),
  };
  return *targets;
}

const Target* find_target(const std::string& name) {
  for (const Target* t : all_targets()) {
    if (t->name() == name) return t;
  }
  return nullptr;
}

}  // namespace meshc
