#include "compiler/ir/match_regex.h"

#include <re2/re2.h>

#include <algorithm>
#include <numeric>

namespace meshc {

std::string regex_escape(const std::string& s) {
  static const std::string kMeta = "\\.+*?()|[]{}^$";
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (kMeta.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string exact_regex(const std::string& value) {
  return "^" + regex_escape(value) + "$";
}

std::string literal_prefix_regex(const std::string& prefix) {
  return "^" + regex_escape(prefix) + ".*$";
}

std::string path_prefix_regex(const std::string& prefix) {
  std::string base = path_prefix_base(prefix);
  if (base.empty()) return "^/.*$";
  return "^" + regex_escape(base) + "(/.*)?$";
}

std::string anchored_regex(const std::string& expr) {
  return "^(?:" + expr + ")$";
}

std::string condition_regex(const ValueMatch& m) {
  switch (m.type) {
    case MatchType::kExact:
      return exact_regex(m.value);
    case MatchType::kPrefix:
      return literal_prefix_regex(m.value);
    case MatchType::kPathPrefix:
      return path_prefix_regex(m.value);
    case MatchType::kRegex:
      return anchored_regex(m.value);
  }
  return anchored_regex(m.value);
}

ValueMatch grpc_path_condition(const GrpcMethodMatch& g) {
  ValueMatch m;
  m.loc = g.loc;
  if (!g.regex && !g.service.empty() && !g.method.empty()) {
    m.type = MatchType::kExact;
    m.value = "/" + g.service + "/" + g.method;
  } else if (!g.regex && g.method.empty()) {
    m.type = MatchType::kPrefix;
    m.value = "/" + g.service + "/";
  } else {
    auto part = [&](const std::string& name) {
      if (name.empty()) return std::string("[^/]+");
      return g.regex ? "(?:" + name + ")" : regex_escape(name);
    };
    m.type = MatchType::kRegex;
    m.value = "^/" + part(g.service) + "/" + part(g.method) + "$";
  }
  return m;
}

std::string cookie_header_regex(const std::vector<ValueMatch>& cookies) {
  // One order of the pairs: any cookies, pair 1, any cookies, pair 2 ... any cookies, with
  // optional spaces around the ';' separators (RFC 6265 writes "; ", some clients ";").
  auto one_order = [&](const std::vector<size_t>& order) {
    std::string r = "(.*; *)?";
    for (size_t k = 0; k < order.size(); ++k) {
      if (k > 0) r += " *; *(.*; *)?";
      const ValueMatch& c = cookies[order[k]];
      r += regex_escape(c.name + "=" + c.value);
    }
    return r + " *(;.*)?";
  };
  std::vector<size_t> order(cookies.size());
  std::iota(order.begin(), order.end(), 0);
  if (order.size() <= 1) return "^" + one_order(order) + "$";
  std::string alternatives;
  do {
    alternatives += (alternatives.empty() ? "" : "|") + one_order(order);
  } while (std::next_permutation(order.begin(), order.end()));
  return "^(?:" + alternatives + ")$";
}

int regex_program_size(const std::string& expr) {
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 re(expr, opts);
  return re.ok() ? re.ProgramSize() : 0;
}

}  // namespace meshc
