#include "compiler/diag/diagnostics.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace meshc {

Diagnostic& Diagnostic::note(const Location& at, std::string text) {
  notes.push_back({at, std::move(text)});
  return *this;
}

std::string Diagnostic::message_with_notes() const {
  std::string out = message;
  for (const Note& n : notes) {
    out += "; note: " + n.message;
    if (n.loc.valid()) out += " (" + n.loc.str() + ")";
  }
  return out;
}

Diagnostic& DiagnosticSink::add(Diagnostic d) {
  if (d.severity == Severity::kError) ++errors_;
  diags_.push_back(std::move(d));
  return diags_.back();
}

Diagnostic& DiagnosticSink::error(const Location& loc, std::string path, std::string message) {
  return add({Severity::kError, loc, std::move(path), std::move(message), {}});
}

Diagnostic& DiagnosticSink::warning(const Location& loc, std::string path, std::string message) {
  return add({Severity::kWarning, loc, std::move(path), std::move(message), {}});
}

Diagnostic& DiagnosticSink::note(const Location& loc, std::string path, std::string message) {
  return add({Severity::kNote, loc, std::move(path), std::move(message), {}});
}

void DiagnosticSink::truncate(size_t n) {
  while (diags_.size() > n) {
    if (diags_.back().severity == Severity::kError) --errors_;
    diags_.pop_back();
  }
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

std::string quote(const std::string& s) {
  constexpr size_t kMax = 80;
  std::string shown = s.size() > kMax ? s.substr(0, kMax) : s;
  // Do not cut a UTF-8 sequence in half.
  while (shown.size() < s.size() && !shown.empty() &&
         (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) {
    shown.pop_back();
  }
  if (shown.size() < s.size() && !shown.empty() &&
      (static_cast<unsigned char>(shown.back()) & 0xC0) == 0xC0) {
    shown.pop_back();
  }
  std::string out =
      nlohmann::json(shown).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (shown.size() < s.size()) out += "...";
  return out;
}

static std::vector<const Diagnostic*> sorted(const std::vector<Diagnostic>& diags) {
  std::map<const SourceFile*, size_t> file_order;
  for (const auto& d : diags) file_order.emplace(d.loc.file, file_order.size());
  std::vector<const Diagnostic*> out;
  for (const auto& d : diags) out.push_back(&d);
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic* a, const Diagnostic* b) {
    size_t fa = file_order[a->loc.file], fb = file_order[b->loc.file];
    if (fa != fb) return fa < fb;
    if (a->loc.line != b->loc.line) return a->loc.line < b->loc.line;
    return a->loc.col < b->loc.col;
  });
  return out;
}

namespace {

nlohmann::json position_json(const Location& loc, nlohmann::json& j) {
  j["file"] = loc.file ? nlohmann::json(loc.file->name()) : nlohmann::json(nullptr);
  j["line"] = loc.file ? nlohmann::json(loc.line + 1) : nlohmann::json(nullptr);
  j["column"] = loc.file ? nlohmann::json(loc.col + 1) : nlohmann::json(nullptr);
  return j;
}

void print_json(const std::vector<const Diagnostic*>& order, bool rules, FILE* out) {
  nlohmann::json arr = nlohmann::json::array();
  for (const Diagnostic* d : order) {
    nlohmann::json j;
    position_json(d->loc, j);
    j["severity"] = severity_name(d->severity);
    if (rules && !d->rule.empty()) j["rule"] = d->rule;
    j["path"] = d->path;
    j["message"] = d->message;
    if (!d->notes.empty()) {
      nlohmann::json notes = nlohmann::json::array();
      for (const Note& n : d->notes) {
        nlohmann::json nj;
        position_json(n.loc, nj);
        nj["message"] = n.message;
        notes.push_back(std::move(nj));
      }
      j["notes"] = std::move(notes);
    }
    arr.push_back(std::move(j));
  }
  std::string text = arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  fprintf(out, "%s\n", text.c_str());
}

// The source line of `loc` and a caret under its column. A long line (a minified or hostile
// input) is shown as a window around the column.
void print_source_line(const Location& loc, FILE* out) {
  std::string_view line = loc.file->line_text(loc.line);
  constexpr size_t kWindow = 100;
  size_t col = std::min<size_t>(loc.col, line.size());
  size_t from = col > kWindow ? col - kWindow : 0;
  size_t to = std::min(line.size(), col + kWindow);
  while (from > 0 && from < line.size() && (static_cast<unsigned char>(line[from]) & 0xC0) == 0x80)
    --from;
  while (to < line.size() && (static_cast<unsigned char>(line[to]) & 0xC0) == 0x80) ++to;
  std::string prefix = from > 0 ? "..." : "";
  std::string caret(prefix.size(), ' ');
  for (size_t i = from; i < col; ++i) caret += line[i] == '\t' ? '\t' : ' ';
  fprintf(out, "%s%.*s%s\n%s^\n", prefix.c_str(), static_cast<int>(to - from), line.data() + from,
          to < line.size() ? "..." : "", caret.c_str());
}

// One "head: severity: body" line, and the source line under it when asked for. In colour as
// clang and gcc print it: the head bold, the severity bold in its colour.
void print_line(const Location& loc, const char* severity, const std::string& body,
                const PrintOptions& opts, FILE* out) {
  std::string head = loc.valid() ? loc.str() : opts.program;
  if (opts.color) {
    std::string_view sv(severity);
    const char* colour = sv == "error"     ? "\033[1;31m"
                         : sv == "warning" ? "\033[1;35m"
                                           : "\033[1;36m";
    fprintf(out, "\033[1m%s:\033[0m %s%s:\033[0m %s\n", head.c_str(), colour, severity,
            body.c_str());
  } else {
    fprintf(out, "%s: %s: %s\n", head.c_str(), severity, body.c_str());
  }
  if (opts.show_source && loc.valid()) print_source_line(loc, out);
}

// GitHub Actions workflow commands: % and line breaks escaped in the message, also : and ,
// in property values.
std::string github_escape(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void print_github(const std::vector<const Diagnostic*>& order, bool rules, FILE* out) {
  for (const Diagnostic* d : order) {
    const char* command = d->severity == Severity::kError     ? "error"
                          : d->severity == Severity::kWarning ? "warning"
                                                              : "notice";
    std::string props;
    if (d->loc.valid()) {
      props = " file=" + github_escape(d->loc.file->name(), true) +
              ",line=" + std::to_string(d->loc.line + 1) + ",col=" + std::to_string(d->loc.col + 1);
    }
    if (rules && !d->rule.empty()) {
      props += std::string(props.empty() ? " " : ",") + "title=" + github_escape(d->rule, true);
    }
    std::string text = d->path.empty() ? d->message : d->path + ": " + d->message;
    for (const Note& n : d->notes) {
      text += "\nnote: " + n.message + (n.loc.valid() ? " (" + n.loc.str() + ")" : "");
    }
    fprintf(out, "::%s%s::%s\n", command, props.c_str(), github_escape(text, false).c_str());
  }
}

// SARIF columns count Unicode code points here (run.columnKind); locations hold bytes.
nlohmann::json sarif_location(const Location& loc) {
  std::string_view line = loc.file->line_text(loc.line);
  uint32_t col = 1;
  for (size_t i = 0; i < loc.col && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
  }
  nlohmann::json region = {{"startLine", loc.line + 1}, {"startColumn", col}};
  return {{"physicalLocation",
           {{"artifactLocation", {{"uri", loc.file->name()}}}, {"region", region}}}};
}

void print_sarif(const std::vector<const Diagnostic*>& order, bool rules, FILE* out) {
  nlohmann::json results = nlohmann::json::array();
  std::set<std::string> rule_ids;
  for (const Diagnostic* d : order) {
    nlohmann::json r;
    if (rules && !d->rule.empty()) {
      r["ruleId"] = d->rule;
      rule_ids.insert(d->rule);
    }
    r["level"] = d->severity == Severity::kError     ? "error"
                 : d->severity == Severity::kWarning ? "warning"
                                                     : "note";
    r["message"] = {{"text", d->path.empty() ? d->message : d->path + ": " + d->message}};
    if (d->loc.valid()) r["locations"] = nlohmann::json::array({sarif_location(d->loc)});
    nlohmann::json related = nlohmann::json::array();
    for (const Note& n : d->notes) {
      if (!n.loc.valid()) continue;
      nlohmann::json l = sarif_location(n.loc);
      l["id"] = related.size();
      l["message"] = {{"text", n.message}};
      related.push_back(std::move(l));
    }
    if (!related.empty()) r["relatedLocations"] = std::move(related);
    if (!d->path.empty()) r["properties"] = {{"fieldPath", d->path}};
    results.push_back(std::move(r));
  }
  nlohmann::json rule_list = nlohmann::json::array();
  for (const std::string& id : rule_ids) rule_list.push_back({{"id", id}});
  nlohmann::json driver = {{"name", "meshc"}, {"rules", std::move(rule_list)}};
  nlohmann::json run = {{"tool", {{"driver", driver}}},
                        {"columnKind", "unicodeCodePoints"},
                        {"results", std::move(results)}};
  nlohmann::json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                        {"version", "2.1.0"},
                        {"runs", nlohmann::json::array({std::move(run)})}};
  std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  fprintf(out, "%s\n", text.c_str());
}

// A path can hold a key of any length (an explicit key of a megabyte): shorten it.
std::string shown_path(const std::string& path) {
  if (path.size() <= 200) return path;
  size_t cut = 200;
  while (cut > 0 && (static_cast<unsigned char>(path[cut]) & 0xC0) == 0x80) --cut;
  return path.substr(0, cut) + "...";
}

}  // namespace

std::vector<Diagnostic> unique_diagnostics(const std::vector<Diagnostic>& diags) {
  std::vector<Diagnostic> unique;
  std::set<std::string> seen;
  for (const Diagnostic& d : diags) {
    std::string key = d.loc.str() + '\n' + d.path + '\n' + severity_name(d.severity) + '\n' +
                      d.message + '\n' + d.rule;
    if (seen.insert(key).second) unique.push_back(d);
  }
  return unique;
}

void print_diagnostics(const std::vector<Diagnostic>& diags, const PrintOptions& opts, FILE* out) {
  auto order = sorted(diags);
  if (opts.errors_only) {
    order.erase(std::remove_if(order.begin(), order.end(),
                               [](const Diagnostic* d) { return d->severity != Severity::kError; }),
                order.end());
  }
  if (opts.format == DiagnosticFormat::kJson) return print_json(order, opts.show_rules, out);
  if (opts.format == DiagnosticFormat::kSarif) return print_sarif(order, opts.show_rules, out);
  if (opts.format == DiagnosticFormat::kGithub) return print_github(order, opts.show_rules, out);
  size_t shown = 0;
  for (const Diagnostic* d : order) {
    if (opts.max_shown != 0 && shown == opts.max_shown) {
      fprintf(out, "%s: error: %zu more diagnostics not shown (limit of %zu printed)\n",
              opts.program.c_str(), order.size() - shown, opts.max_shown);
      break;
    }
    ++shown;
    std::string path = shown_path(d->path);
    std::string rule = opts.show_rules && !d->rule.empty() ? " [" + d->rule + "]" : "";
    print_line(d->loc, severity_name(d->severity),
               (path.empty() ? d->message : path + ": " + d->message) + rule, opts, out);
    for (const Note& n : d->notes) print_line(n.loc, "note", n.message, opts, out);
  }
}

}  // namespace meshc
