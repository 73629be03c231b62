#include "compiler/diag/field_path.h"
#include "compiler/ir/capabilities.h"

namespace meshc {

const std::vector<CapabilityField>& capability_fields() {
  using C = Capabilities;
  static const std::vector<CapabilityField>* fields = new std::vector<CapabilityField>{
      {"header match", &C::header_match},
      {"path match", &C::path_match},
      {"query match", &C::query_match},
      {"method match", &C::method_match},
      {"cookie match", &C::cookie_match},
      {"regex match", &C::regex_match},
      {"prefix match", &C::prefix_match},
      {"weighted segment", &C::weighted_segments},
      {"mirror", &C::mirror},
      {"hosts", &C::hosts},
      {"gateway", &C::gateway},
      {"other-namespace version", &C::cross_namespace},
      {"per-version port", &C::per_version_port},
      {"gRPC", &C::grpc},
      {"app-version header", &C::response_headers},
      {"sticky session", &C::sticky},
  };
  return *fields;
}

namespace {

// A route that matches the Host header (on a gateway, or on an ingress proxy) answers, without
// application.hosts, only the Service's in-cluster names: requests from outside carry another
// Host and get a 404. On Gateway API a listener restricted to other hostnames
// ("*.example.com") shares no hostname with the route and does not accept it at all; an Istio
// Gateway server ignores VirtualService hosts outside its own. One warning for every target.
void warn_in_cluster_hosts_only(const Routemap& rm, const Capabilities& caps,
                                const std::string& target, DiagnosticSink& sink) {
  if (!rm.hosts.empty() || !caps.hosts) return;
  bool on_gateway = !rm.gateway.empty() && caps.gateway;
  if (!on_gateway && !caps.ingress) return;
  std::string through = on_gateway ? "the gateway " + quote(rm.gateway) : "its ingress proxy";
  std::string message = target + " routes requests through " + through +
                        " by their Host header, and without application.hosts only the "
                        "Service's in-cluster names (such as " +
                        quote(service_fqdn(rm.name, rm.namespace_)) +
                        ") answer: no external host matches";
  if (on_gateway) {
    message +=
        ", and a gateway listener or server for other hostnames (such as "
        "\"*.example.com\") does not take the route";
  }
  message += "; set application.hosts to the hosts the ";
  message += on_gateway ? "gateway serves" : "proxy serves";
  if (on_gateway) {
    sink.warning(rm.gateway_loc, rm.field_path("gateway"), message);
  } else {
    sink.warning(rm.application_loc.valid() ? rm.application_loc : rm.loc,
                 rm.field_path("application"), message);
  }
}

// One check of a routemap against a target's capabilities: each error names what the target
// cannot express and, when some, the alternative targets that can.
class CapabilityCheck {
 public:
  using Feature = bool Capabilities::*;

  CapabilityCheck(const Routemap& rm, const Capabilities& caps, const std::string& target,
                  const std::vector<CapabilityAlternative>& alternatives, DiagnosticSink& sink)
      : rm_(rm), caps_(caps), target_(target), alternatives_(alternatives), sink_(sink) {}

  void run() {
    check_protocol();
    check_sticky();
    for (const Route& r : rm_.routes) check_route(r);
    check_placement();
    for (const Version& v : rm_.versions) check_version(v);
  }

 private:
  void no(const Location& at, const std::string& path, Feature f, const std::string& what) {
    std::string can;
    for (const auto& alt : alternatives_) {
      if (alt.caps.*f) can += (can.empty() ? "" : ", ") + alt.target;
    }
    sink_.error(at, path,
                target_ + " cannot express " + what + (can.empty() ? "" : "; " + can + " can"));
  }

  // The application's protocol and the app-version header it asks for.
  void check_protocol() {
    if (rm_.protocol == Protocol::kGrpc && !caps_.grpc) {
      no(rm_.protocol_loc, rm_.field_path("application.protocol"), &Capabilities::grpc,
         "gRPC routes (application.protocol: grpc)");
    }
    const Setting& header = rm_.app_version_header;
    if (header.value == "true" && !caps_.response_headers) {
      no(header.loc, header.origin.rfind("--", 0) == 0 ? "" : header.origin,
         &Capabilities::response_headers,
         "the app-version response header (" + header.origin + ": true)");
    }
  }

  // Sticky sessions: reported once, at the field; their cookie routes are then left alone.
  void check_sticky() {
    if (!rm_.sticky_cookie.empty() && !caps_.sticky) {
      no(rm_.sticky_loc, rm_.field_path("application.sticky"), &Capabilities::sticky,
         "sticky sessions (application.sticky: a cookie match per version ahead of each weighted "
         "split, and a Set-Cookie response header on each weighted backend)");
    }
  }

  // Where the routes attach: hosts and a gateway.
  void check_placement() {
    if (!rm_.hosts.empty() && !caps_.hosts) {
      no(rm_.hosts_loc, rm_.field_path("application.hosts"), &Capabilities::hosts,
         "application.hosts (it has no notion of hosts)");
    }
    if (!rm_.gateway.empty() && !caps_.gateway) {
      no(rm_.gateway_loc, rm_.field_path("gateway"), &Capabilities::gateway,
         "gateway (it cannot attach routes to an Istio or Gateway API gateway)");
    }
  }

  void check_route(const Route& r) {
    // The sticky routes are the sticky field's, reported once by check_sticky.
    if (r.sticky_version && !caps_.sticky) return;
    for (const RequestMatch& m : r.matches) {
      check_match_kinds(m);
      if (m.path && caps_.path_match) check_value_type(*m.path, "path");
      if (caps_.header_match) {
        for (const auto& h : m.headers) check_value_type(h, "header");
      }
      if (caps_.query_match) {
        for (const auto& q : m.query_params) check_value_type(q, "query parameter");
      }
    }
    if (!r.matches.empty() && r.destinations.size() > 1 && !caps_.weighted_segments) {
      no(r.loc, r.field_path, &Capabilities::weighted_segments,
         "a weighted split inside a matched segment");
    }
    for (const Mirror& m : r.mirrors) {
      if (!caps_.mirror) no(m.loc, m.field_path, &Capabilities::mirror, "traffic mirroring");
    }
  }

  // The kinds of condition a match uses.
  void check_match_kinds(const RequestMatch& m) {
    if (m.grpc && m.grpc->regex && caps_.grpc && !caps_.regex_match) {
      no(m.grpc->loc, m.grpc->field_path, &Capabilities::regex_match,
         "regular expressions in gRPC service and method matches");
    }
    if (m.path && !caps_.path_match) {
      no(m.path->loc, m.path->field_path, &Capabilities::path_match, "path matches");
    }
    if (!m.headers.empty() && !caps_.header_match) {
      no(m.headers[0].loc, m.headers[0].field_path, &Capabilities::header_match,
         m.is_default ? "header matches (here Iter8's default candidate match traffic: test; "
                        "give the candidate a weight instead)"
                      : "header matches");
    }
    if (!m.query_params.empty() && !caps_.query_match) {
      no(m.query_params[0].loc, m.query_params[0].field_path, &Capabilities::query_match,
         "query parameter matches");
    }
    if (!m.cookies.empty() && !caps_.cookie_match) {
      no(m.cookies[0].loc, m.cookies[0].field_path, &Capabilities::cookie_match, "cookie matches");
    }
    if (!m.method.empty() && !caps_.method_match) {
      no(m.loc, m.field_path, &Capabilities::method_match, "method matches");
    }
  }

  // The match type of one condition (regex, prefix).
  void check_value_type(const ValueMatch& v, const char* what) {
    if (v.type == MatchType::kRegex && !caps_.regex_match) {
      no(v.loc, v.field_path, &Capabilities::regex_match,
         std::string("regular expressions in ") + what + " matches");
    }
    if (v.type == MatchType::kPrefix && !caps_.prefix_match) {
      no(v.loc, v.field_path, &Capabilities::prefix_match,
         std::string("prefix ") + what + " matches");
    }
  }

  void check_version(const Version& v) {
    if (v.namespace_ != rm_.namespace_ && !caps_.cross_namespace) {
      no(v.namespace_loc.valid() ? v.namespace_loc : v.loc,
         join_path(v.field_path, "metadata.namespace"), &Capabilities::cross_namespace,
         "a version in another namespace than the application (" + quote(v.namespace_) + " vs " +
             quote(rm_.namespace_) + ")");
    }
    if (v.port != rm_.versions[0].port && !caps_.per_version_port) {
      no(v.port_loc, v.port_field_path, &Capabilities::per_version_port,
         "versions serving different ports (" + std::to_string(v.port) + " vs " +
             std::to_string(rm_.versions[0].port) + ")");
    }
  }

  const Routemap& rm_;
  const Capabilities& caps_;
  const std::string& target_;
  const std::vector<CapabilityAlternative>& alternatives_;
  DiagnosticSink& sink_;
};

}  // namespace

bool check_capabilities(const Routemap& rm, const Capabilities& caps, const std::string& target,
                        const std::vector<CapabilityAlternative>& alternatives,
                        DiagnosticSink& sink) {
  size_t before = sink.error_count();
  CapabilityCheck(rm, caps, target, alternatives, sink).run();
  // Only for output that can exist: a rejected spec gets its errors alone.
  if (sink.error_count() == before) warn_in_cluster_hosts_only(rm, caps, target, sink);
  return sink.error_count() == before;
}

}  // namespace meshc
