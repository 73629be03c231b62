#include "compiler/ir/routemap.h"

#include <algorithm>
#include <numeric>

#include "compiler/diag/field_path.h"

namespace meshc {

const char* strategy_name(Strategy s) {
  switch (s) {
    case Strategy::kNone:
      return "none";
    case Strategy::kCanary:
      return "canary";
    case Strategy::kBlueGreen:
      return "blue-green";
    case Strategy::kMirror:
      return "mirror";
  }
  return "none";
}

const char* protocol_name(Protocol p) {
  return p == Protocol::kGrpc ? "grpc" : "http";
}

const char* match_type_name(MatchType t) {
  switch (t) {
    case MatchType::kExact:
      return "Exact";
    case MatchType::kPrefix:
      return "Prefix";
    case MatchType::kPathPrefix:
      return "PathPrefix";
    case MatchType::kRegex:
      return "RegularExpression";
  }
  return "Exact";
}

std::string service_fqdn(const std::string& name, const std::string& namespace_) {
  return name + "." + namespace_ + ".svc.cluster.local";
}

std::vector<std::string> in_cluster_hosts(const Routemap& rm) {
  return {rm.name, rm.name + "." + rm.namespace_, rm.name + "." + rm.namespace_ + ".svc",
          service_fqdn(rm.name, rm.namespace_)};
}

std::string sticky_set_cookie(const Routemap& rm, const Version& v) {
  return rm.sticky_cookie + "=" + v.name + "; Path=/; HttpOnly";
}

std::vector<int> normalise_weights(const std::vector<uint64_t>& weights, int total) {
  std::vector<int> out(weights.size(), 0);
  uint64_t sum = std::accumulate(weights.begin(), weights.end(), uint64_t{0});
  if (sum == 0) return out;
  std::vector<uint64_t> remainder(weights.size());
  int given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    // weights are bounded by the schema (<= 1e6, <= 64 versions): no overflow here.
    uint64_t scaled = weights[i] * static_cast<uint64_t>(total);
    out[i] = static_cast<int>(scaled / sum);
    remainder[i] = scaled % sum;
    given += out[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainder[a] > remainder[b]; });
  for (size_t k = 0; given < total && k < order.size(); ++k, ++given) ++out[order[k]];
  return out;
}

std::string Routemap::field_path(const std::string& path) const {
  return join_path(path_prefix, path);
}

std::string path_prefix_base(const std::string& prefix) {
  std::string base = prefix;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace meshc
