// Diagnostics: what every stage reports into, and the one printer that turns them into text.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "compiler/diag/source.h"

namespace meshc {

enum class Severity { kError, kWarning, kNote };
// "error", "warning", "note": as the printer writes them.
const char* severity_name(Severity s);

// A remark attached to a diagnostic, at another place ("first defined here").
struct Note {
  Location loc;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  Location loc;
  std::string path;         // field path such as "application.versions[1].weight"; may be empty
  std::string message;      // lower-case, no final period: what was expected, what was found
  std::vector<Note> notes;  // printed right after it, in order
  // A stable id of what kind of finding this is ("unreachable-candidate"), for `meshc lint`;
  // "" for most. Printed only with PrintOptions::show_rules.
  std::string rule;

  // Attaches a note; returns *this so that notes chain after sink.error(...).
  Diagnostic& note(const Location& at, std::string text);
  // Sets `rule`; returns *this.
  Diagnostic& with_rule(std::string id) {
    rule = std::move(id);
    return *this;
  }
  // The message followed by its notes ("...; note: first defined here (f.yaml:3:5)"), for
  // outputs that hold one line per diagnostic (KRM results).
  std::string message_with_notes() const;
};

// Collects diagnostics from all stages. Stages never print; the driver prints once at the end.
class DiagnosticSink {
 public:
  // Each returns the diagnostic added, to attach notes to (valid until the next add).
  Diagnostic& error(const Location& loc, std::string path, std::string message);
  Diagnostic& warning(const Location& loc, std::string path, std::string message);
  Diagnostic& note(const Location& loc, std::string path, std::string message);
  Diagnostic& add(Diagnostic d);

  size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  // Diagnostic `i`, to change its path or notes (never its severity).
  Diagnostic& at(size_t i) { return diags_[i]; }
  // Drops every diagnostic added after the first `n` (used to discard a speculative pass).
  void truncate(size_t n);

 private:
  std::vector<Diagnostic> diags_;
  size_t errors_ = 0;
};

// text: "file:line:col: error: ..." lines; json: one array; github: GitHub Actions workflow
// commands (::error file=...,line=...,col=...::message), shown inline on a pull request;
// sarif: SARIF 2.1.0, for code scanning.
enum class DiagnosticFormat { kText, kJson, kGithub, kSarif };

// json and sarif are one document per run, printed also when there is nothing to report
// ([] / no results), so that a tool always reads a document.
inline bool structured(DiagnosticFormat f) {
  return f == DiagnosticFormat::kJson || f == DiagnosticFormat::kSarif;
}

struct PrintOptions {
  DiagnosticFormat format = DiagnosticFormat::kText;
  bool show_source = false;  // the source line and a caret under the column (text format)
  bool color = false;        // text format: the location bold, the severity in colour
  // Text format: at most this many diagnostics are printed, then one line saying how many
  // more there were (a hostile input can produce millions). 0 = no limit. JSON prints all.
  size_t max_shown = 1000;
  // -q: only errors are printed (warnings and notes are left out), in every format.
  bool errors_only = false;
  std::string program = "meshc";
  // Print each diagnostic's rule id (`meshc lint`): text " [rule]" after the message, json
  // "rule", sarif "ruleId", github "title".
  bool show_rules = false;
};

// Prints `diags` in a stable order: by file (in order of first appearance), line, column,
// then insertion order; each diagnostic's notes follow it. Text: "file:line:col: error: path:
// message" (1-based), one per line, then "file:line:col: note: message" per note. JSON: one
// array of objects {file, line, column, severity, path, message}, with "notes": [{file, line,
// column, message}] when there are notes. The only place positions become 1-based.
void print_diagnostics(const std::vector<Diagnostic>& diags, const PrintOptions& opts, FILE* out);

// `diags` without repeats, in order: a diagnostic with the location, field path, severity,
// message and rule of an earlier one is left out (the same file compiled twice, a finding
// several schedule steps share).
std::vector<Diagnostic> unique_diagnostics(const std::vector<Diagnostic>& diags);

// "expected X, got Y" helpers shared by the validator and the semantic checks.
std::string quote(const std::string& s);  // "s" with JSON escapes, truncated if very long

}  // namespace meshc
