// HTTPRouteGroups: the requests of one canary segment. A group's matches are alternatives;
// within one match, the path regex, methods and every header regex must all hold. SMI's
// path regex is anchored only at the start of the path, and header regexes are
// implementation-defined, so every regex written here is anchored at both ends.
#include "compiler/ir/match_overlap.h"
#include "compiler/ir/match_regex.h"
#include "compiler/k8s/workloads.h"
#include "targets/smi/objects.h"

namespace meshc::smi {

Object http_route_group(const Routemap& rm, const Route& r, const std::string& api_version) {
  Object group = k8s_object("specs.smi-spec.io/" + api_version, "HTTPRouteGroup",
                            segment_name(rm, r), rm.namespace_, rm);
  Object matches = Object::array();
  for (size_t i = 0; i < r.matches.size(); ++i) {
    const RequestMatch& m = r.matches[i];
    Object match = Object::object();
    match["name"] = rm.versions[*r.segment_of].name + "-" + std::to_string(i);
    if (m.path) match["pathRegex"] = condition_regex(*m.path);
    if (!m.method.empty()) match["methods"] = Object::array({m.method});
    Object headers = Object::array();
    for (const ValueMatch& h : m.headers) headers.push_back(Object{{h.name, condition_regex(h)}});
    if (!m.cookies.empty()) {
      headers.push_back(Object{{cookie_header_name(), cookie_header_regex(m.cookies)}});
    }
    if (!headers.empty()) match["headers"] = std::move(headers);
    matches.push_back(std::move(match));
  }
  group["spec"] = Object{{"matches", matches}};
  return group;
}

}  // namespace meshc::smi
