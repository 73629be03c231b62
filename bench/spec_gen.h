// Generated inputs for the benchmarks: release specs of three sizes and Helm-like manifest
// streams. Every generator is a pure function of its arguments, so two runs measure the same
// bytes; every spec it returns compiles without errors on every target it names.
#pragma once

#include <cstddef>
#include <string>

namespace meshc::bench {

enum class SpecSize {
  kSmall,    // one version, strategy none (all traffic to it)
  kTypical,  // two versions, canary on a header match (Iter8's httpbin tutorial)
  kLarge,    // 12 versions, labels, annotations, header and path matches, weights
};

const char* size_name(SpecSize size);

// The values form (an Iter8 release chart values file) of release number `index`: app
// "app-<index>" in namespace "ns-<index / 100>", so a batch writes one file per release.
// `environment` picks the default target (deployment-gtw, deployment-istio, deployment-smi);
// the large spec stays within what smi@v1alpha4 can express (no hosts, query parameters,
// ports per version or overlapping matches).
std::string values_spec(SpecSize size, size_t index,
                        const std::string& environment = "deployment-gtw");

// The same release as a `kind: Release` document (apiVersion meshc.dev/v1alpha1), without a
// leading "---".
std::string release_document(SpecSize size, size_t index,
                             const std::string& environment = "deployment-gtw");

// A Helm-like rendered stream of about `bytes` bytes: ordinary manifests (ConfigMaps with
// data, Deployments, Services, each preceded by Helm's "# Source:" comment) with `releases`
// typical Release documents spread evenly through it. Every document starts with "---".
std::string helm_stream(size_t bytes, size_t releases);

}  // namespace meshc::bench
