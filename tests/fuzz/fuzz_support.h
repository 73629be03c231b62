// Shared checks of the fuzz harnesses. Every check aborts (a libFuzzer finding) when an
// invariant that meshc promises is broken; none of them depends on the input being valid.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "compiler/diag/diagnostics.h"
#include "compiler/yaml/yaml_loader.h"
#include "compiler/yaml/yaml_writer.h"

namespace meshc::fuzz {

[[noreturn]] inline void fail(const std::string& what, const std::string& detail = "") {
  std::fprintf(stderr, "fuzz invariant broken: %s\n%s\n", what.c_str(), detail.c_str());
  std::abort();
}

// Every diagnostic points into its file (a line that exists, a column within that line or just
// past its end) or deliberately has no location; messages are non-empty and one line.
inline void check_diagnostics(const DiagnosticSink& sink) {
  for (const auto& d : sink.all()) {
    if (d.message.empty()) fail("empty diagnostic message");
    if (d.message.find('\n') != std::string::npos) fail("multi-line diagnostic", d.message);
    if (!d.loc.valid()) continue;
    if (d.loc.line > d.loc.file->line_count()) fail("diagnostic line past the end", d.message);
    if (d.loc.line < d.loc.file->line_count() &&
        d.loc.col > d.loc.file->line_text(d.loc.line).size() + 1) {
      fail("diagnostic column past the end of its line", d.loc.str() + " " + d.message);
    }
  }
  // The printer must cope with every diagnostic, in both formats.
  static FILE* devnull = std::fopen("/dev/null", "w");
  PrintOptions text;
  text.show_source = true;
  print_diagnostics(sink.all(), text, devnull);
  PrintOptions json;
  json.format = DiagnosticFormat::kJson;
  print_diagnostics(sink.all(), json, devnull);
}

// JSON equality where NaN equals NaN and an integer equals the same float (the writer may
// print 1.0 as 1.0, which reads back as a float).
inline bool same_value(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() || b.is_number_float()) {
      double x = a.get<double>(), y = b.get<double>();
      return (x != x && y != y) || x == y;
    }
    return a == b;
  }
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto jt = b.find(it.key());
      if (jt == b.end() || !same_value(*it, *jt)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!same_value(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

// The writer's promise: `text` (written by write_yaml_document) reads back, with meshc's own
// loader, as exactly `expected`, one document per object, no error.
inline void check_reads_back(const std::string& text, const std::vector<nlohmann::json>& expected) {
  SourceFile out("output.yaml", text);
  DiagnosticSink sink;
  Limits limits;
  limits.max_alias_expansion = ~0ull;  // the writer never emits aliases; size is the input's
  limits.max_documents = ~0u;
  limits.max_nodes = ~0ull;
  auto docs = load_yaml(out, limits, sink);
  if (sink.has_errors()) {
    fail("writer output does not load: " + sink.all()[0].loc.str() + " " + sink.all()[0].message,
         text.substr(0, 4096));
  }
  if (docs.size() != expected.size()) {
    fail("writer output has " + std::to_string(docs.size()) + " documents, expected " +
             std::to_string(expected.size()),
         text.substr(0, 4096));
  }
  for (size_t i = 0; i < docs.size(); ++i) {
    nlohmann::json back = to_json(*docs[i].root);
    if (!same_value(back, expected[i])) {
      fail("writer output reads back differently (document " + std::to_string(i) + ")",
           text.substr(0, 4096));
    }
  }
}

}  // namespace meshc::fuzz
