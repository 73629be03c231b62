#include "compiler/ir/routemap_print.h"

namespace meshc {

using Object = nlohmann::ordered_json;

namespace {

Object map_object(const StringMap& m) {
  Object o = Object::object();
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

Object condition(const char* kind, const ValueMatch& m, bool named) {
  Object o = Object::object();
  o["kind"] = kind;
  if (named) o["name"] = m.name;
  o["type"] = match_type_name(m.type);
  o["value"] = m.value;
  o["source"] = m.loc.str();
  return o;
}

// One request match: its conditions under allOf (AND). No condition matches every request.
Object request_match(const RequestMatch& m) {
  Object all = Object::array();
  if (m.grpc) {
    Object g = Object::object();
    g["kind"] = "grpcMethod";
    if (!m.grpc->service.empty()) g["service"] = m.grpc->service;
    if (!m.grpc->method.empty()) g["method"] = m.grpc->method;
    g["type"] = m.grpc->regex ? "RegularExpression" : "Exact";
    g["source"] = m.grpc->loc.str();
    all.push_back(g);
  }
  if (m.path) all.push_back(condition("path", *m.path, false));
  for (const auto& x : m.headers) all.push_back(condition("header", x, true));
  for (const auto& x : m.query_params) all.push_back(condition("queryParam", x, true));
  for (const auto& x : m.cookies) all.push_back(condition("cookie", x, true));
  if (!m.method.empty()) all.push_back(Object{{"kind", "method"}, {"value", m.method}});
  Object o = Object::object();
  if (m.is_default) o["default"] = true;
  o["allOf"] = all;
  o["source"] = m.loc.str();
  return o;
}

Object application_object(const Routemap& rm, const std::string& default_target) {
  Object app = Object::object();
  app["name"] = rm.name;
  app["namespace"] = rm.namespace_;
  app["environment"] = rm.environment;
  app["defaultTarget"] = default_target.empty() ? Object(nullptr) : Object(default_target);
  app["strategy"] = strategy_name(rm.strategy);
  app["port"] = rm.port;
  if (rm.protocol != Protocol::kHttp) app["protocol"] = protocol_name(rm.protocol);
  auto setting = [&](const char* key, const Setting& s) {
    if (s.given()) app[key] = Object{{"value", s.value}, {"origin", s.origin}};
  };
  setting("implementation", rm.implementation);
  setting("gatewayImplementation", rm.gateway_implementation);
  setting("appVersionHeader", rm.app_version_header);
  if (!rm.sticky_cookie.empty()) app["stickyCookie"] = rm.sticky_cookie;
  if (!rm.hosts.empty()) app["hosts"] = rm.hosts;
  if (!rm.gateway.empty()) app["gateway"] = rm.gateway;
  if (!rm.labels.empty()) app["labels"] = map_object(rm.labels);
  if (!rm.annotations.empty()) app["annotations"] = map_object(rm.annotations);
  app["source"] = rm.loc.str();
  return app;
}

Object version_object(const Version& v) {
  Object x = Object::object();
  x["name"] = v.name;
  x["index"] = v.index;
  x["role"] = v.index == 0 ? "primary" : "candidate";
  x["namespace"] = v.namespace_;
  x["service"] = Object{{"name", v.name}, {"port", v.port}};
  if (!v.image.empty()) x["image"] = v.image;
  if (!v.labels.empty()) x["labels"] = map_object(v.labels);
  if (v.pod_version() != v.name) x["versionLabel"] = v.pod_version();
  if (!v.annotations.empty()) x["annotations"] = map_object(v.annotations);
  if (!v.deployment_spec.is_null()) x["deploymentSpecification"] = true;
  if (!v.service_spec.is_null()) x["serviceSpecification"] = true;
  x["source"] = v.loc.str();
  return x;
}

Object route_object(const Routemap& rm, const Route& r) {
  Object x = Object::object();
  x["name"] = r.name;
  if (r.matches.empty()) {
    x["matches"] = "any";
  } else {
    Object ms = Object::array();
    for (const auto& m : r.matches) ms.push_back(request_match(m));
    x["matches"] = Object{{"anyOf", ms}};
  }
  Object ds = Object::array();
  for (const auto& d : r.destinations) {
    Object dx = Object{{"version", rm.versions[d.version].name}, {"weight", d.weight}};
    if (d.set_cookie) dx["setCookie"] = true;
    ds.push_back(std::move(dx));
  }
  x["destinations"] = ds;
  if (!r.mirrors.empty()) {
    Object ms = Object::array();
    for (const auto& m : r.mirrors) {
      ms.push_back(Object{{"version", rm.versions[m.version].name}, {"percent", m.percent}});
    }
    x["mirrors"] = ms;
  }
  x["source"] = r.loc.str();
  return x;
}

}  // namespace

Object routemap_to_object(const Routemap& rm, const std::string& default_target) {
  Object o = Object::object();
  o["apiVersion"] = "meshc.dev/v1alpha1";
  o["kind"] = "Routemap";
  o["application"] = application_object(rm, default_target);
  Object versions = Object::array();
  for (const Version& v : rm.versions) versions.push_back(version_object(v));
  o["versions"] = versions;
  Object routes = Object::array();
  for (const Route& r : rm.routes) routes.push_back(route_object(rm, r));
  o["routes"] = routes;
  return o;
}

}  // namespace meshc
