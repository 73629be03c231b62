// Lowering of a version's request matches, in the Gateway API HTTPRouteMatch form (`matches`)
// and Iter8's Istio HTTPMatchRequest form (`match`), with the checks on their values.
#include <re2/re2.h>

#include "compiler/ir/match_regex.h"
#include "compiler/lower/lowerer.h"

namespace meshc::lowering {

namespace {

MatchType gateway_value_type(const YNode* type_node, const char* dflt) {
  std::string type = type_node ? type_node->value : dflt;
  if (type == "Exact") return MatchType::kExact;
  if (type == "RegularExpression") return MatchType::kRegex;
  if (type == "Prefix") return MatchType::kPrefix;
  return MatchType::kPathPrefix;
}

// An Istio StringMatch ({exact|prefix|regex: value}) of the condition at `path`.
ValueMatch istio_string_match(const YNode& sm, const std::string& name, const Location& name_loc,
                              const std::string& path) {
  const auto& [k, v] = sm.entries.front();
  ValueMatch vm;
  vm.name = name;
  vm.name_loc = name_loc;
  vm.value = v->value;
  vm.type = k->value == "exact"    ? MatchType::kExact
            : k->value == "prefix" ? MatchType::kPrefix
                                   : MatchType::kRegex;
  vm.loc = sm.loc;  // the StringMatch, which `path` names
  vm.field_path = path;
  vm.value_loc = v->loc;
  vm.value_field_path = append_path(path, k->value);
  return vm;
}

// Why RE2 refuses `expr`, or "" when it compiles. RE2 only says "invalid perl operator: (?="
// for a lookaround, which does not tell that the feature itself is missing.
std::string regex_error(const std::string& expr) {
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 re(expr, opts);
  if (re.ok()) return "";
  std::string why = re.error();
  for (const char* op : {"(?=", "(?!", "(?<=", "(?<!"}) {
    if (expr.find(op) != std::string::npos) {
      why += "; RE2, Envoy's regular expression engine, has no lookahead or lookbehind";
      break;
    }
  }
  return why;
}

}  // namespace

void Lowerer::check_regex(const std::string& expr, const Location& at, const std::string& path) {
  check_regex_at(expr, at, full(path));
}

void Lowerer::check_regex_at(const std::string& expr, const Location& at,
                             const std::string& full_path) {
  std::string why = regex_error(expr);
  if (!why.empty()) {
    sink_.error(at, full_path,
                "expected an RE2 regular expression, got " + quote(expr) + " (" + why + ")");
  }
}

// The checks on one match's conditions that the schema cannot make. Paths are checked by
// the caller (their field differs between the two forms).
void Lowerer::check_match(RequestMatch& m, const std::string& path) {
  auto check_list = [&](std::vector<ValueMatch>& list, const char* field, bool case_insensitive) {
    std::map<std::string, size_t> names;
    for (size_t i = 0; i < list.size(); ++i) {
      ValueMatch& c = list[i];
      std::string key = c.name;
      if (case_insensitive) {
        for (auto& ch : key) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
      }
      std::string item = append_index(path + "." + field, i);
      auto [it, fresh] = names.emplace(key, i);
      if (!fresh) {
        // Only the list form can name a header twice (a map key cannot repeat).
        error(c.name_loc, item + ".name",
              "expected each name once per match, got " + quote(c.name) + " again (also item " +
                  std::to_string(it->second) + "); conditions in one match are ANDed");
      }
      // At the value and under its own path: "headers[0].value" in the list form,
      // "headers.x-user.regex" in Iter8's Istio form.
      if (c.type == MatchType::kRegex) check_regex_at(c.value, c.value_loc, c.value_field_path);
    }
  };
  check_list(m.headers, "headers", true);
  check_list(m.query_params, "queryParams", false);
  check_list(m.cookies, "cookies", false);
  if (m.cookies.size() > kMaxCookiesPerMatch) {
    error(m.cookies[kMaxCookiesPerMatch].loc, append_index(path + ".cookies", kMaxCookiesPerMatch),
          "expected at most " + std::to_string(kMaxCookiesPerMatch) +
              " cookie conditions in one match (they become one regular expression over the "
              "Cookie header), got " +
              std::to_string(m.cookies.size()));
  }
  for (const ValueMatch& h : m.headers) {
    if (!m.cookies.empty() && (h.name == "cookie" || h.name == "Cookie" || h.name == "COOKIE")) {
      sink_.error(h.loc, h.field_path,
                  "expected cookie conditions under cookies only, got a Cookie header match beside "
                  "cookies");
      break;
    }
  }
}

// A Gateway API-form path condition (`path` is its field path).
ValueMatch Lowerer::lower_path(const YNode& p, const std::string& path) {
  ValueMatch vm;
  vm.type = gateway_value_type(p.get("type"), "PathPrefix");
  const YNode* value = p.get("value");
  vm.value = value->value;
  vm.loc = vm.value_loc = value->loc;
  vm.field_path = vm.value_field_path = full(path + ".value");
  if (vm.type == MatchType::kRegex) {
    check_regex(vm.value, vm.loc, path + ".value");
  } else if (vm.value.empty() || vm.value[0] != '/') {
    error(vm.loc, path + ".value", "expected a path starting with '/', got " + quote(vm.value));
  } else if (vm.value.find_first_of("?#") != std::string::npos) {
    // A request's path holds neither: they start its query and fragment. Targets whose
    // prefix reads the path with its query (Istio, Consul, Contour, Traefik) would match
    // "/a?x/y" against "/a?x".
    error(vm.loc, path + ".value",
          "expected a path without '?' or '#' (they begin the query string and the "
          "fragment; match query parameters with queryParams), got " +
              quote(vm.value));
  } else if (vm.type == MatchType::kPathPrefix && vm.value.size() > 2 &&
             vm.value.compare(vm.value.size() - 2, 2, "//") == 0) {
    // Gateway API ignores one trailing '/' ("/a//" would be "/a/"), Linkerd's proxy and
    // the prefix lowerings every one ("/a"): the targets would disagree.
    error(vm.loc, path + ".value",
          "expected a path prefix ending in at most one '/' (APIs ignore one or all of "
          "them, so their readings differ), got " +
              quote(vm.value));
  }
  return vm;
}

std::vector<RequestMatch> Lowerer::lower_matches(const YNode& list, const std::string& path) {
  std::vector<RequestMatch> out;
  out.reserve(list.items.size());
  for (size_t i = 0; i < list.items.size(); ++i) {
    const YNode& m = *list.items[i];
    std::string mpath = append_index(path, i);
    RequestMatch rm;
    rm.loc = m.loc;
    rm.field_path = full(mpath);
    if (protocol_ == Protocol::kGrpc) check_grpc_match_fields(m, mpath);
    if (const YNode* g = m.get("grpc")) {
      if (protocol_ != Protocol::kGrpc) {
        error(m.key_node("grpc")->loc, mpath + ".grpc",
              "expected grpc matches only in a gRPC release; set application.protocol: grpc");
      } else {
        lower_grpc_match(*g, mpath + ".grpc", rm);
      }
    }
    if (const YNode* p = m.get("path")) rm.path = lower_path(*p, mpath + ".path");
    auto pairs = [&](const char* field, std::vector<ValueMatch>& into) {
      const YNode* l = m.get(field);
      for (size_t j = 0; l && j < l->items.size(); ++j) {
        const YNode& item = *l->items[j];
        std::string ipath = append_index(mpath + "." + field, j);
        ValueMatch vm;
        vm.name = item.get("name")->value;
        vm.value = item.get("value")->value;
        vm.type = gateway_value_type(item.get("type"), "Exact");
        vm.loc = item.loc;
        vm.name_loc = item.get("name")->loc;
        vm.field_path = full(ipath);
        vm.value_loc = item.get("value")->loc;
        vm.value_field_path = full(ipath + ".value");
        into.push_back(std::move(vm));  // moved: its paths are long strings
      }
    };
    pairs("headers", rm.headers);
    pairs("queryParams", rm.query_params);
    pairs("cookies", rm.cookies);
    if (const YNode* meth = m.get("method")) rm.method = meth->value;
    check_match(rm, mpath);
    out.push_back(std::move(rm));
  }
  return out;
}

// A gRPC call is a POST to /<service>/<method>: only grpc and headers say which.
void Lowerer::check_grpc_match_fields(const YNode& m, const std::string& path) {
  for (const char* key : {"path", "queryParams", "method", "cookies"}) {
    if (const YNode* k = m.key_node(key)) {
      error(k->loc, path + "." + key,
            std::string("expected only grpc and headers in a match of a gRPC release "
                        "(application.protocol: grpc), got ") +
                key);
    }
  }
}

void Lowerer::lower_grpc_match(const YNode& g, const std::string& path, RequestMatch& out) {
  GrpcMethodMatch gm;
  gm.loc = g.loc;
  gm.field_path = full(path);
  const YNode* type = g.get("type");
  gm.regex = type && type->value == "RegularExpression";
  const YNode* service = g.get("service");
  const YNode* method = g.get("method");
  if (service) gm.service = service->value;
  if (method) gm.method = method->value;
  if (gm.service.empty() && gm.method.empty()) {
    error(g.loc, path, "expected a service or a method (or both), got neither");
    return;
  }
  // The GRPCRoute CRD's rules for Exact names (a proto package-qualified service, a method
  // identifier); a regex must compile with RE2.
  static const RE2* kService = new RE2("(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*");
  static const RE2* kMethod = new RE2("[A-Za-z_][A-Za-z_0-9]*");
  auto check = [&](const YNode* n, const char* field, const RE2& re, const char* expected) {
    if (!n || n->value.empty()) return;
    std::string p = path + "." + field;
    if (gm.regex) {
      check_regex(n->value, n->loc, p);
    } else if (!RE2::FullMatch(n->value, re)) {
      error(n->loc, p, std::string("expected ") + expected + ", got " + quote(n->value));
    }
  };
  check(service, "service", *kService,
        "a gRPC service name (dot-separated identifiers such as helloworld.Greeter)");
  check(method, "method", *kMethod, "a gRPC method name (an identifier such as SayHello)");
  out.grpc = gm;
}

std::vector<RequestMatch> Lowerer::lower_istio_matches(const YNode& list, const std::string& path) {
  std::vector<RequestMatch> out;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const YNode& m = *list.items[i];
    std::string mpath = append_index(path, i);
    RequestMatch rm;
    rm.loc = m.loc;
    rm.field_path = full(mpath);
    if (const YNode* h = m.get("headers")) {
      for (const auto& [k, v] : h->entries) {
        rm.headers.push_back(istio_string_match(*v, k->value, k->loc,
                                                full(append_path(mpath + ".headers", k->value))));
      }
    }
    if (const YNode* u = m.get("uri"))
      rm.path = istio_string_match(*u, "", u->loc, full(mpath + ".uri"));
    if (const YNode* q = m.get("queryParams")) {
      for (const auto& [k, v] : q->entries) {
        rm.query_params.push_back(istio_string_match(
            *v, k->value, k->loc, full(append_path(mpath + ".queryParams", k->value))));
      }
    }
    if (const YNode* meth = m.get("method")) rm.method = meth->get("exact")->value;
    // Istio's uri prefix is a plain string prefix: "/api" also matches "/apix".
    if (rm.path && rm.path->type == MatchType::kRegex) {
      check_regex_at(rm.path->value, rm.path->value_loc, rm.path->value_field_path);
    } else if (rm.path && (rm.path->value.empty() || rm.path->value[0] != '/')) {
      sink_.error(rm.path->value_loc, rm.path->value_field_path,
                  "expected a path starting with '/', got " + quote(rm.path->value));
    }
    check_match(rm, mpath);
    out.push_back(std::move(rm));
  }
  return out;
}

}  // namespace meshc::lowering
