#include "targets/smi/smi.h"

namespace meshc {

namespace {

class SmiTarget final : public Target {
 public:
  std::string name() const override { return "smi"; }
  std::string description() const override { return "SMI TrafficSplit (OSM, Linkerd via linkerd-smi)"; }
  std::vector<std::string> api_versions() const override { return {"v1alpha2", "v1alpha1", "v1alpha3", "v1alpha4"}; }
  Capabilities capabilities(const std::string& api_version) const override {
    (void)api_version;
    return Capabilities{};  // SCAFFOLD: filled in by the target's implementation
  }
  void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
            std::vector<Object>& out) const override {
    (void)rm, (void)api_version, (void)sink, (void)out;  // SCAFFOLD
  }
};

}  // namespace

const Target& smi_target() {
  static const SmiTarget* t = new SmiTarget();
  return *t;
}

}  // namespace meshc
