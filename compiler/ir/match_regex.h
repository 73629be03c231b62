// Request conditions as RE2 regular expressions, for targets whose API cannot state a
// condition directly: a literal prefix, a segment-aware path prefix, cookie pairs inside the
// Cookie header. Each expression means exactly what the condition means.
//
// Every regular expression returned here is anchored (^...$), so it means the same under
// whole-value matching (Envoy, RE2::FullMatch) and under search semantics.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/routemap.h"

namespace meshc {

// `s` with every RE2 metacharacter escaped, so that it matches itself literally.
std::string regex_escape(const std::string& s);

// ^<escaped value>$: the whole value equals `value`.
std::string exact_regex(const std::string& value);

// ^<escaped prefix>.*$: the value starts with `prefix` (case-sensitive, plain string prefix).
std::string literal_prefix_regex(const std::string& prefix);

// A Gateway API PathPrefix as a regex over the path: "/api" (or "/api/") matches "/api",
// "/api/" and "/api/x", not "/apix"; "/" matches every path.
std::string path_prefix_regex(const std::string& prefix);

// ^(?:<expr>)$: a user's expression, which must match the whole value, made explicit.
std::string anchored_regex(const std::string& expr);

// The value types of one condition as a regex over the value (exact, prefix, path prefix,
// or the user's regex anchored).
std::string condition_regex(const ValueMatch& m);

// The path condition a gRPC method match means (a call is a POST to /<service>/<method>):
// service and method exact -> Exact "/S/M"; the service alone -> the plain prefix "/S/";
// otherwise an anchored regex, "[^/]+" standing for a name not given.
ValueMatch grpc_path_condition(const GrpcMethodMatch& g);

// Most cookie conditions one match may hold: the Cookie-header regex enumerates their orders.
constexpr size_t kMaxCookiesPerMatch = 4;

// A regex over the Cookie request header that holds when every `cookies` pair (exact
// name=value) is among the header's ';'-separated cookies, in any order. At most
// kMaxCookiesPerMatch pairs (the lowering rejects more).
std::string cookie_header_regex(const std::vector<ValueMatch>& cookies);

// RE2's estimate of how costly `expr` is to run (its program size); 0 when it does not compile.
// Envoy rejects expressions above 100 unless its runtime raises re2.max_program_size.
int regex_program_size(const std::string& expr);
constexpr int kEnvoyDefaultMaxProgramSize = 100;

// The header name cookie conditions are lowered onto.
inline const char* cookie_header_name() {
  return "cookie";
}

}  // namespace meshc
