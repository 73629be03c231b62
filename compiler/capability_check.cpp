#include "compiler/capabilities.h"

#include "compiler/schema_validator.h"

namespace meshc {

bool check_capabilities(const Routemap& rm, const Capabilities& caps, const std::string& target,
                        DiagnosticSink& sink) {
  size_t before = sink.error_count();
  auto no = [&](const Location& at, const std::string& feature) {
    sink.error(at, "", target + " cannot express " + feature);
  };
  for (const Route& r : rm.routes) {
    for (const RequestMatch& m : r.matches) {
      if (m.path && !caps.path_match) no(m.path->loc, "path matches");
      if (!m.headers.empty() && !caps.header_match) {
        no(m.headers[0].loc, m.is_default ? "header matches (Iter8's default candidate match "
                                            "traffic: test; give the candidate a weight instead)"
                                          : "header matches");
      }
      if (!m.query_params.empty() && !caps.query_match) no(m.query_params[0].loc, "query parameter matches");
      if (!m.cookies.empty() && !caps.cookie_match) no(m.cookies[0].loc, "cookie matches");
      if (!m.method.empty() && !caps.method_match) no(m.loc, "method matches");
      auto each = [&](const ValueMatch& v, const char* what) {
        if (v.type == MatchType::kRegex && !caps.regex_match) {
          no(v.loc, std::string("regular expressions in ") + what + " matches");
        }
        if (v.type == MatchType::kPrefix && !caps.prefix_match) {
          no(v.loc, std::string("prefix ") + what + " matches");
        }
      };
      if (m.path && caps.path_match) each(*m.path, "path");
      if (caps.header_match) for (const auto& h : m.headers) each(h, "header");
      if (caps.query_match) for (const auto& q : m.query_params) each(q, "query parameter");
    }
    if (!r.matches.empty() && r.destinations.size() > 1 && !caps.weighted_segments) {
      no(r.loc, "a weighted split inside a matched segment");
    }
    for (const Mirror& m : r.mirrors) {
      if (!caps.mirror) no(m.loc, "traffic mirroring");
    }
  }
  if (!rm.hosts.empty() && !caps.hosts) no(rm.hosts_loc, "application.hosts (it has no notion of hosts)");
  if (!rm.gateway.empty() && !caps.gateway) no(rm.gateway_loc, "gateway (it has no notion of gateways)");
  for (const Version& v : rm.versions) {
    if (v.namespace_ != rm.namespace_ && !caps.cross_namespace) {
      no(v.namespace_loc.valid() ? v.namespace_loc : v.loc,
         "a version in another namespace than the application (" + quote(v.namespace_) + " vs " +
             quote(rm.namespace_) + ")");
    }
    if (v.port != rm.versions[0].port && !caps.per_version_port) {
      no(v.port_loc.valid() ? v.port_loc : v.loc,
         "versions serving different ports (" + std::to_string(v.port) + " vs " +
             std::to_string(rm.versions[0].port) + ")");
    }
  }
  return sink.error_count() == before;
}

}  // namespace meshc
