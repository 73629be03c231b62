// The target back-end interface. A target turns a routemap into the routing objects of one
// mesh API. What a target (at one API version) can express is data, checked before emit.
#pragma once

#include <string>
#include <vector>

#include "compiler/capabilities.h"
#include "compiler/diagnostics.h"
#include "compiler/routemap.h"
#include "compiler/yaml_writer.h"

namespace meshc {

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  // Supported API versions; the first is the default.
  virtual std::vector<std::string> api_versions() const = 0;
  virtual Capabilities capabilities(const std::string& api_version) const = 0;
  // Appends the routing objects of `rm` at `api_version` to `out`. Pure; reports what the
  // API cannot express (beyond the declared capabilities) to `sink`.
  virtual void emit(const Routemap& rm, const std::string& api_version, DiagnosticSink& sink,
                    std::vector<Object>& out) const = 0;
};

// Every target, in the order `meshc targets` lists them (targets/registry.cpp).
const std::vector<const Target*>& all_targets();
const Target* find_target(const std::string& name);

}  // namespace meshc
