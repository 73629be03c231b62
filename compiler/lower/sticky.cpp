// Sticky sessions (application.sticky: true): a client stays on the version that answered it
// first. Every weighted route (one whose requests go to more than one version) gets, just ahead
// of it, one route per version of its split taking the route's own requests that carry the
// cookie meshc-<app>=<version> to that version alone; the split's responses set that cookie.
// A route ahead of the weighted one (a candidate's segment) still wins, as it did before.
#include "compiler/lower/lowerer.h"

namespace meshc::lowering {

namespace {

// The cookie condition naming version `v`, located at the sticky field.
ValueMatch sticky_condition(const Routemap& rm, const Version& v, const std::string& path) {
  ValueMatch c;
  c.name = rm.sticky_cookie;
  c.type = MatchType::kExact;
  c.value = v.name;
  c.loc = c.value_loc = c.name_loc = rm.sticky_loc;
  c.field_path = c.value_field_path = path;
  return c;
}

// The route ahead of weighted route `r` that takes its requests carrying the cookie of
// destination `d`'s version to that version alone.
Route sticky_route(const Routemap& rm, const Route& r, const Destination& d,
                   const std::string& field_path) {
  const Version& v = rm.versions[d.version];
  Route s;
  s.name = r.name + ".sticky." + v.name;  // '.' is in no version name: no clash
  s.sticky_version = d.version;
  s.sticky_of = r.name;
  s.segment_of = r.segment_of ? r.segment_of : std::optional<size_t>(d.version);
  s.loc = rm.sticky_loc;
  s.field_path = field_path;
  ValueMatch cookie = sticky_condition(rm, v, s.field_path);
  if (r.matches.empty()) {
    RequestMatch m;
    m.loc = s.loc;
    m.field_path = s.field_path;
    m.cookies.push_back(cookie);
    s.matches.push_back(std::move(m));
  } else {
    for (const RequestMatch& rmatch : r.matches) {
      RequestMatch m = rmatch;
      m.loc = s.loc;  // what is said of this match is said of the sticky field
      m.field_path = s.field_path;
      m.cookies.push_back(cookie);
      s.matches.push_back(std::move(m));
    }
  }
  s.destinations.push_back({d.version, 100, 100});
  return s;
}

// Puts the sticky routes ahead of each weighted route; whether there was one.
bool insert_sticky_routes(Routemap& rm, const std::string& field_path) {
  std::vector<Route> routes;
  bool any = false;
  for (Route& r : rm.routes) {
    size_t weighted = 0;
    for (const Destination& d : r.destinations) weighted += d.weight > 0;
    if (weighted < 2) {
      routes.push_back(std::move(r));
      continue;
    }
    any = true;
    for (Destination& d : r.destinations) {
      if (d.weight == 0) continue;
      d.set_cookie = true;
      routes.push_back(sticky_route(rm, r, d, field_path));
    }
    routes.push_back(std::move(r));
  }
  rm.routes = std::move(routes);
  return any;
}

}  // namespace

void Lowerer::add_sticky_routes(Routemap& rm, const YNode* app) {
  const YNode* node = app->get("sticky");
  if (!node) return;
  nlohmann::json value = scalar_to_json(*node);
  if (!value.is_boolean() || !value.get<bool>()) return;
  const std::string path = "application.sticky";
  if (rm.protocol == Protocol::kGrpc) {
    error(node->loc, path,
          "expected no sticky sessions in a gRPC release (application.protocol: grpc), got "
          "sticky: true (gRPC clients keep no cookies)");
    return;
  }
  rm.sticky_cookie = "meshc-" + rm.name;
  rm.sticky_loc = node->loc;
  if (!insert_sticky_routes(rm, full(path))) {
    rm.sticky_cookie.clear();
    bool unsplit = rm.strategy == Strategy::kNone || rm.strategy == Strategy::kMirror;
    warning(node->loc, path,
            std::string("sticky has no effect: ") +
                (unsplit ? std::string("the ") + strategy_name(rm.strategy) +
                               " strategy splits no requests by weight"
                         : std::string("no route splits requests between versions by weight")));
  }
}

}  // namespace meshc::lowering
