// Diagnostics: what every stage reports into, and the one printer that turns them into text.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "compiler/diag/source.h"

namespace meshc {

enum class Severity { kError, kWarning, kNote };

struct Diagnostic {
  Severity severity = Severity::kError;
  Location loc;
  std::string path;     // field path such as "application.versions[1].weight"; may be empty
  std::string message;  // lower-case, no final period: what was expected, what was found
};

// Collects diagnostics from all stages. Stages never print; the driver prints once at the end.
class DiagnosticSink {
 public:
  void error(const Location& loc, std::string path, std::string message);
  void warning(const Location& loc, std::string path, std::string message);
  void note(const Location& loc, std::string path, std::string message);
  void add(Diagnostic d);

  size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  // Drops every diagnostic added after the first `n` (used to discard a speculative pass).
  void truncate(size_t n);

 private:
  std::vector<Diagnostic> diags_;
  size_t errors_ = 0;
};

enum class DiagnosticFormat { kText, kJson };

struct PrintOptions {
  DiagnosticFormat format = DiagnosticFormat::kText;
  bool show_source = false;  // the source line and a caret under the column (text format)
  // Text format: at most this many diagnostics are printed, then one line saying how many
  // more there were (a hostile input can produce millions). 0 = no limit. JSON prints all.
  size_t max_shown = 1000;
  std::string program = "meshc";
};

// Prints `diags` in a stable order: by file (in order of first appearance), line, column,
// then insertion order. Text: "file:line:col: error: path: message" (1-based), one per line.
// JSON: one array of objects {file, line, column, severity, path, message}.
void print_diagnostics(const std::vector<Diagnostic>& diags, const PrintOptions& opts, FILE* out);

// "expected X, got Y" helpers shared by the validator and the semantic checks.
std::string quote(const std::string& s);  // "s" with JSON escapes, truncated if very long

}  // namespace meshc
