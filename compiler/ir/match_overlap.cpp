#include "compiler/ir/match_overlap.h"

#include <re2/re2.h>

#include <algorithm>

#include "compiler/ir/match_regex.h"

namespace meshc {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

// A path that satisfies the PathPrefix `prefix` and is as short as possible.
std::string prefix_witness(const std::string& prefix) {
  std::string base = path_prefix_base(prefix);
  return base.empty() ? "/" : base;
}

bool regex_full_match(const std::string& value, const std::string& expr) {
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 re(expr, opts);
  return re.ok() && RE2::FullMatch(value, re);
}

// True when `value` satisfies condition `m` (for a path, `value` is the path).
bool satisfies(const ValueMatch& m, const std::string& value) {
  switch (m.type) {
    case MatchType::kExact:
      return value == m.value;
    case MatchType::kPrefix:
      return starts_with(value, m.value);
    case MatchType::kPathPrefix:
      return path_matches(m, value);
    case MatchType::kRegex:
      return regex_full_match(value, m.value);
  }
  return true;
}

// Whether one value (or path) can satisfy both conditions.
bool values_may_overlap(const ValueMatch& x, const ValueMatch& y) {
  using T = MatchType;
  if (x.type == T::kExact) return satisfies(y, x.value);
  if (y.type == T::kExact) return satisfies(x, y.value);
  if (x.type == T::kRegex || y.type == T::kRegex) return true;  // not decided: assume they do
  if (x.type == T::kPrefix && y.type == T::kPrefix) {
    return starts_with(x.value, y.value) || starts_with(y.value, x.value);
  }
  if (x.type == T::kPathPrefix && y.type == T::kPathPrefix) {
    return path_matches(x, prefix_witness(y.value)) || path_matches(y, prefix_witness(x.value));
  }
  // A segment-aware prefix p and a plain prefix s: either s itself lies under p, or p's
  // shortest path starts with s; otherwise no path has both.
  const ValueMatch& p = x.type == T::kPathPrefix ? x : y;
  const ValueMatch& s = x.type == T::kPathPrefix ? y : x;
  return path_matches(p, s.value) || starts_with(prefix_witness(p.value), s.value);
}

// Whether the conditions on named values (headers or query parameters) can all hold at once.
bool named_may_overlap(const std::vector<ValueMatch>& a, const std::vector<ValueMatch>& b,
                       bool case_insensitive_names) {
  for (const ValueMatch& x : a) {
    for (const ValueMatch& y : b) {
      bool same = case_insensitive_names ? to_lower(x.name) == to_lower(y.name) : x.name == y.name;
      if (same && !values_may_overlap(x, y)) return false;
    }
  }
  return true;
}

// True only when every value (or path) satisfying `y` satisfies `x`. False when unsure.
bool value_covers(const ValueMatch& x, const ValueMatch& y) {
  using T = MatchType;
  if (x.type == y.type && x.value == y.value) return true;
  if (y.type == T::kExact) return satisfies(x, y.value);
  switch (x.type) {
    case T::kExact:
      return false;  // y selects more than one value
    case T::kPrefix:
      // Every value y selects starts with y's literal prefix (a path prefix's base, or "/").
      if (y.type == T::kPrefix) return starts_with(y.value, x.value);
      if (y.type == T::kPathPrefix) return starts_with(prefix_witness(y.value), x.value);
      return false;
    case T::kPathPrefix:
      if (path_prefix_base(x.value).empty()) return true;  // "/": every path
      // Every path under y's base lies under x's when the base itself does.
      if (y.type == T::kPathPrefix) return path_matches(x, prefix_witness(y.value));
      return false;
    case T::kRegex:
      return false;
  }
  return false;
}

// True when every condition of `x` is implied by a condition of `y` on the same name.
bool named_covers(const std::vector<ValueMatch>& x, const std::vector<ValueMatch>& y,
                  bool case_insensitive_names) {
  for (const ValueMatch& c : x) {
    bool implied = false;
    for (const ValueMatch& d : y) {
      bool same = case_insensitive_names ? to_lower(c.name) == to_lower(d.name) : c.name == d.name;
      if (same && value_covers(c, d)) {
        implied = true;
        break;
      }
    }
    if (!implied) return false;
  }
  return true;
}

}  // namespace

bool covers(const RequestMatch& earlier, const RequestMatch& later) {
  const RequestMatch& e = earlier;
  const RequestMatch& l = later;
  if (!e.method.empty() && e.method != l.method) return false;
  if (e.path && !(l.path && value_covers(*e.path, *l.path))) return false;
  if (e.grpc &&
      !(l.grpc && value_covers(grpc_path_condition(*e.grpc), grpc_path_condition(*l.grpc)))) {
    return false;
  }
  if (!named_covers(e.headers, l.headers, true)) return false;
  if (!named_covers(e.query_params, l.query_params, false)) return false;
  // Cookie pairs are exact name=value: the earlier's must each be among the later's.
  for (const ValueMatch& c : e.cookies) {
    bool among = false;
    for (const ValueMatch& d : l.cookies) among = among || (c.name == d.name && c.value == d.value);
    if (!among) return false;
  }
  return true;
}

bool path_matches(const ValueMatch& m, const std::string& path) {
  switch (m.type) {
    case MatchType::kExact:
      return path == m.value;
    case MatchType::kPrefix:
      return starts_with(path, m.value);
    case MatchType::kPathPrefix: {
      std::string base = path_prefix_base(m.value);
      return base.empty() || path == base || starts_with(path, base + "/");
    }
    case MatchType::kRegex:
      return regex_full_match(path, m.value);
  }
  return false;
}

void for_each_segment_overlap(const Routemap& rm,
                              const std::function<bool(const SegmentOverlap&)>& conflicts,
                              const std::function<void(const SegmentOverlap&)>& report,
                              RepeatedValues repeated) {
  for (size_t j = 0; j < rm.routes.size(); ++j) {
    const Route& later = rm.routes[j];
    if (!later.segment_of) continue;
    for (const RequestMatch& b : later.matches) {
      bool found = false;
      for (size_t i = 0; i < j && !found; ++i) {
        const Route& earlier = rm.routes[i];
        if (!earlier.segment_of) continue;
        // A weighted route's sticky routes never conflict with it or with each other: each is
        // the route's match plus a cookie (so it outranks the route's own match wherever both
        // hold), and they differ only in that cookie's value, which a client holds once.
        if (earlier.sticky_version &&
            (later.name == earlier.sticky_of || later.sticky_of == earlier.sticky_of)) {
          continue;
        }
        for (const RequestMatch& a : earlier.matches) {
          SegmentOverlap pair{later, b, earlier, a};
          if (!may_overlap(a, b, repeated) || !conflicts(pair)) continue;
          report(pair);
          found = true;
          break;
        }
      }
    }
  }
}

std::string overlap_advice(const SegmentOverlap& pair, RepeatedValues repeated) {
  if (repeated == RepeatedValues::kOne || may_overlap(pair.earlier, pair.later)) {
    return "; make the matches exclusive or list the more specific candidate first";
  }
  return "; different values of one header or query parameter do not make matches exclusive "
         "(Linkerd tests each value of a repeated one, and a request may carry both): make "
         "them exclusive by path or method, or list the more specific candidate first";
}

bool may_overlap(const RequestMatch& a, const RequestMatch& b, RepeatedValues repeated) {
  if (!a.method.empty() && !b.method.empty() && a.method != b.method) return false;
  if (a.path && b.path && !values_may_overlap(*a.path, *b.path)) return false;
  if (a.grpc && b.grpc &&
      !values_may_overlap(grpc_path_condition(*a.grpc), grpc_path_condition(*b.grpc))) {
    return false;
  }
  if (repeated == RepeatedValues::kOne) {
    if (!named_may_overlap(a.headers, b.headers, true)) return false;
    if (!named_may_overlap(a.query_params, b.query_params, false)) return false;
  }
  // Cookies never exclude each other: one Cookie header may carry a name twice ("v=1; v=2").
  return true;
}

}  // namespace meshc
