#include "targets/istio/istio.h"

namespace meshc {

namespace {

class IstioTarget final : public Target {
 public:
  std::string name() const override { return "istio"; }
  std::string description() const override { return "Istio DestinationRule + VirtualService"; }
  std::vector<std::string> api_versions() const override { return {"v1", "v1beta1", "v1alpha3"}; }
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

const Target& istio_target() {
  static const IstioTarget* t = new IstioTarget();
  return *t;
}

}  // namespace meshc
