// The static reading of a manifest stream: each API's routed services (gateway_api.cpp,
// istio.cpp, smi.cpp), a service routed by two APIs reported, and the other objects.
#include "compiler/evaluate/segments.h"

#include <algorithm>
#include <set>

#include "compiler/evaluate/evaluate_internal.h"

namespace meshc {

namespace {

// Services that objects of two APIs route: which answers depends on the mesh installed.
void report_two_apis(const std::vector<RoutedService>& services,
                     std::vector<EvalUnsupported>& out) {
  for (size_t i = 1; i < services.size(); ++i) {
    const RoutedService& a = services[i - 1];
    const RoutedService& b = services[i];
    if (a.id != b.id) continue;
    Location loc = b.objects.empty() ? Location{} : b.objects.front()->loc;
    out.push_back({loc,
                   "objects of two APIs (" + a.api + ", " + b.api + ") route " + b.id +
                       ": which one answers depends on the mesh installed",
                   true});
  }
}

std::vector<const YNode*> other_objects(const ManifestSet::Impl& impl,
                                        const std::vector<RoutedService>& services) {
  std::set<const YNode*> used;
  for (const RoutedService& s : services) used.insert(s.objects.begin(), s.objects.end());
  std::vector<const YNode*> out;
  for (const auto& o : impl.objects)
    if (!used.count(o.root)) out.push_back(o.root);
  return out;
}

}  // namespace

StreamRouting stream_routing(const ManifestSet& objects, const EvalOptions& options) {
  const ManifestSet::Impl& impl = objects.impl();
  EvalRequest none;
  EvalResult found;
  eval::Context ctx{impl, none, {}, "default", {}, &found, options};
  StreamRouting out;
  out.unsupported = eval::unknown_kinds(impl);
  eval::routing_gateway_api(ctx, out.services);
  eval::routing_istio(ctx, out.services);
  eval::routing_smi(ctx, out.services);
  std::stable_sort(out.services.begin(), out.services.end(),
                   [](const RoutedService& a, const RoutedService& b) { return a.id < b.id; });
  report_two_apis(out.services, out.unsupported);
  out.unsupported.insert(out.unsupported.end(), found.unsupported.begin(), found.unsupported.end());
  out.other_objects = other_objects(impl, out.services);
  return out;
}

}  // namespace meshc
