#include "targets/gateway_api/gateway_api.h"

namespace meshc {

namespace {

class GatewayApiTarget final : public Target {
 public:
  std::string name() const override { return "gateway-api"; }
  std::string description() const override { return "Gateway API HTTPRoute (GAMMA mesh routing; any Gateway API implementation)"; }
  std::vector<std::string> api_versions() const override { return {"v1", "v1beta1"}; }
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

const Target& gateway_api_target() {
  static const GatewayApiTarget* t = new GatewayApiTarget();
  return *t;
}

}  // namespace meshc
