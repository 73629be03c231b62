#include "tests/routing/request_table.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace routing {
namespace {

std::string Scalar(const YAML::Node& node, const char* key, const std::string& fallback) {
  if (!node[key] || node[key].IsNull()) return fallback;
  if (!node[key].IsScalar()) throw std::runtime_error(std::string(key) + " must be a scalar");
  return node[key].as<std::string>();
}

std::map<std::string, double> Shares(const YAML::Node& node, const std::string& ctx) {
  std::map<std::string, double> out;
  if (!node.IsMap()) throw std::runtime_error(ctx + " must map version -> percent");
  for (const auto& kv : node) out[kv.first.as<std::string>()] = kv.second.as<double>();
  return out;
}

Expectation ParseExpectation(const YAML::Node& expect, const YAML::Node& mirror,
                             const std::string& ctx) {
  Expectation e;
  if (!expect) throw std::runtime_error(ctx + ": missing expect");
  if (expect.IsScalar()) {
    const std::string word = expect.as<std::string>();
    if (word != "unrouted" && word != "unsplit") {
      throw std::runtime_error(ctx + ": expect must be a map, \"unrouted\" or \"unsplit\"");
    }
    e.unrouted = word == "unrouted";
    e.unsplit = word == "unsplit";
  } else {
    e.versions = Shares(expect, ctx + ".expect");
    double total = 0;
    for (const auto& [v, pct] : e.versions) total += pct;
    if (std::fabs(total - 100) > 1e-6) throw std::runtime_error(ctx + ": expect must sum to 100");
  }
  if (mirror) e.mirrors = Shares(mirror, ctx + ".mirror");
  return e;
}

void SplitQuery(const std::string& text, Request* r) {
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, '&');) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    r->query.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
  }
}

std::string Describe(const Request& r) {
  std::ostringstream out;
  out << r.via << " " << r.method << " " << r.FullPath();
  if (!r.host.empty()) out << " host=" << r.host;
  for (const auto& [n, v] : r.headers) out << " [" << n << ": " << v << "]";
  return out.str();
}

}  // namespace

Table LoadTable(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  Table table;
  const std::string service = Scalar(root, "service", "");
  const std::string ns = Scalar(root, "namespace", "default");
  const std::string gateway = Scalar(root, "gateway", "");
  const std::string gateway_host = Scalar(root, "host", "");
  table.implementation = Scalar(root, "implementation", "");
  table.sticky_cookie = Scalar(root, "sticky_cookie", "");
  const bool app_version = Scalar(root, "app_version", "true") == "true";
  if (!root["requests"] || !root["requests"].IsSequence() || root["requests"].size() == 0) {
    throw std::runtime_error(path + ": no requests");
  }
  for (const auto& known : root) {
    const std::string key = known.first.as<std::string>();
    if (key != "service" && key != "namespace" && key != "gateway" && key != "host" &&
        key != "requests" && key != "implementation" && key != "app_version" &&
        key != "sticky_cookie") {
      throw std::runtime_error(path + ": unknown key " + key);
    }
  }
  size_t index = 0;
  for (const auto& item : root["requests"]) {
    const std::string ctx = path + ": requests[" + std::to_string(index++) + "]";
    try {
      for (const auto& kv : item) {
        static const char* const kKeys[] = {"name",       "via",         "service", "namespace",
                                            "gateway",    "host",        "method",  "path",
                                            "headers",    "cookie",      "expect",  "mirror",
                                            "expect_for", "app_version", "grpc"};
        const std::string key = kv.first.as<std::string>();
        bool ok = false;
        for (const char* k : kKeys) ok = ok || key == k;
        if (!ok) throw std::runtime_error("unknown key " + key);
      }
      TableRequest t;
      t.name = Scalar(item, "name", "");
      if (t.name.empty()) throw std::runtime_error("a request needs a name");
      Request& r = t.request;
      r.via = Scalar(item, "via", "mesh");
      r.service = Scalar(item, "service", service);
      r.ns = Scalar(item, "namespace", ns);
      r.gateway = Scalar(item, "gateway", gateway);
      r.host = Scalar(item, "host", r.via != "mesh" && r.via != "bypass" ? gateway_host : "");
      r.method = Scalar(item, "method", "GET");
      const std::string path_and_query = Scalar(item, "path", "/");
      const auto q = path_and_query.find('?');
      r.path = path_and_query.substr(0, q);
      if (q != std::string::npos) SplitQuery(path_and_query.substr(q + 1), &r);
      if (item["headers"]) {
        for (const auto& kv : item["headers"]) {
          const std::string name = kv.first.as<std::string>();
          if (kv.second.IsSequence()) {
            for (const auto& v : kv.second) r.headers.emplace_back(name, v.as<std::string>());
          } else {
            r.headers.emplace_back(name, kv.second.as<std::string>());
          }
        }
      }
      if (item["cookie"]) r.headers.emplace_back("Cookie", item["cookie"].as<std::string>());
      if (item["grpc"]) {
        // A gRPC call: POST /<service>/<method> with content-type application/grpc.
        const YAML::Node g = item["grpc"];
        r.grpc = true;
        r.method = "POST";
        r.path = "/" + Scalar(g, "service", "") + "/" + Scalar(g, "method", "");
        r.headers.emplace_back("content-type", "application/grpc");
      }
      t.app_version = Scalar(item, "app_version", app_version ? "true" : "false") == "true";
      t.expect = ParseExpectation(item["expect"], item["mirror"], t.name);
      if (item["expect_for"]) {
        for (const auto& kv : item["expect_for"]) {
          t.expect_for[kv.first.as<std::string>()] =
              ParseExpectation(kv.second["expect"], kv.second["mirror"], t.name);
        }
      }
      table.requests.push_back(t);
    } catch (const std::exception& e) {
      throw std::runtime_error(ctx + ": " + e.what());
    } catch (...) {
      throw std::runtime_error(ctx + ": unreadable");
    }
  }
  return table;
}

std::vector<std::string> CheckTable(const Table& table, const Cluster& cluster,
                                    const std::string& target, bool verbose,
                                    std::vector<std::string>* log) {
  std::vector<std::string> failures;
  const auto api = ApiFromTargetName(target);
  if (!api) return {"unknown target " + target};
  // Traefik sets no app-version header (docs/targets.md): a per-backend response header needs
  // service middlewares, which only Traefik 3.7 has.
  const bool app_version_contract = *api != Api::kSmi && *api != Api::kTraefik;
  for (const auto& t : table.requests) {
    // A request to an ingress proxy means nothing to a mesh API: not checked there.
    if (t.request.via == "ingress" && !IsIngressApi(*api)) continue;
    auto it = t.expect_for.find(target);
    if (it == t.expect_for.end()) it = t.expect_for.find(target.substr(0, target.find('@')));
    const Expectation& want = it != t.expect_for.end() ? it->second : t.expect;
    const Outcome got = cluster.Route(t.request, *api, table.implementation);
    std::string problem;
    if (want.unrouted) {
      if (got.kind != Outcome::Kind::kUnrouted) problem = "expected unrouted";
    } else if (want.unsplit) {
      if (got.kind != Outcome::Kind::kUnsplit) problem = "expected unsplit";
    } else if (got.kind != Outcome::Kind::kRouted || !SameShares(got.versions, want.versions)) {
      problem = "expected " + FormatShares(want.versions);
    }
    if (problem.empty() && !SameShares(got.mirrors, want.mirrors)) {
      problem = "expected mirror " + FormatShares(want.mirrors);
    }
    // A client bypassing the mesh gets no route's response headers: none to check.
    if (problem.empty() && app_version_contract && got.kind == Outcome::Kind::kRouted &&
        t.request.via != "bypass") {
      for (const auto& [version, share] : got.versions) {
        auto header = got.app_version.find(version);
        const std::string value = header == got.app_version.end() ? "" : header->second;
        const std::string expected = t.app_version ? version : "";
        if (value != expected) {
          problem = "responses of " + version + " carry app-version \"" + value + "\", expected " +
                    (expected.empty() ? "none" : "\"" + expected + "\"");
        }
      }
    }
    // Sticky sessions: the responses of a split name the version in the sticky cookie; no
    // other response sets one (a pinned or sticky answer keeps the client's cookie).
    if (problem.empty() && got.kind == Outcome::Kind::kRouted && t.request.via != "bypass") {
      for (const auto& [version, share] : got.versions) {
        auto header = got.set_cookie.find(version);
        const std::string value = header == got.set_cookie.end() ? "" : header->second;
        const bool split = got.versions.size() > 1 && !table.sticky_cookie.empty();
        const std::string expected = split ? table.sticky_cookie + "=" + version : "";
        const bool ok =
            split ? value == expected || value.rfind(expected + ";", 0) == 0 : value.empty();
        if (!ok) {
          problem = "responses of " + version + " set the cookie \"" + value + "\", expected " +
                    (split ? "\"" + expected + "; ...\"" : std::string("none"));
        }
      }
    }
    const std::string line =
        target + " | " + t.name + " | " + Describe(t.request) + " -> " + got.Summary();
    if (!problem.empty()) failures.push_back(line + "\n      " + problem);
    if (verbose && log) log->push_back((problem.empty() ? "ok   " : "FAIL ") + line);
  }
  return failures;
}

}  // namespace routing
