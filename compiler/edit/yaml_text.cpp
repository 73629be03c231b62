#include "compiler/edit/yaml_text.h"

#include <algorithm>

namespace meshc {

size_t offset_of(const Location& loc) {
  if (!loc.file) return 0;
  std::string_view text = loc.file->text();
  if (loc.line >= loc.file->line_count()) return text.size();
  std::string_view line = loc.file->line_text(loc.line);
  return std::min(text.size(), static_cast<size_t>(line.data() - text.data()) + loc.col);
}

size_t line_start_of(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  while (offset > 0 && text[offset - 1] != '\n') --offset;
  return offset;
}

size_t next_line_start(std::string_view text, size_t offset) {
  size_t nl = text.find('\n', offset);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

std::string line_ending_at(std::string_view text, size_t offset) {
  size_t nl = text.find('\n', std::min(offset, text.size()));
  if (nl == std::string_view::npos) nl = text.find('\n');
  if (nl == std::string_view::npos) return "\n";
  return nl > 0 && text[nl - 1] == '\r' ? "\r\n" : "\n";
}

bool is_flow_collection(std::string_view text, const YNode& n) {
  if (!n.is_mapping() && !n.is_sequence()) return false;
  size_t off = offset_of(n.loc);
  return off < text.size() && (text[off] == '{' || text[off] == '[');
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_break(char c) {
  return c == '\n' || c == '\r';
}

// End of a quoted scalar starting at `off` (the quote), or kNoSpan.
size_t quoted_end(std::string_view text, size_t off) {
  char q = text[off];
  for (size_t i = off + 1; i < text.size(); ++i) {
    if (q == '"' && text[i] == '\\') {
      ++i;
      continue;
    }
    if (text[i] != q) continue;
    if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
      ++i;
      continue;
    }
    return i + 1;
  }
  return kNoSpan;
}

// The previous byte that is not white space or a line break, or 0.
char previous_significant(std::string_view text, size_t off) {
  while (off > 0) {
    char c = text[--off];
    if (!is_space(c) && !is_break(c)) return c;
  }
  return 0;
}

// End of a flow collection starting at `off` (its bracket), or kNoSpan.
size_t flow_end(std::string_view text, size_t off) {
  int depth = 0;
  for (size_t i = off; i < text.size(); ++i) {
    char c = text[i];
    if (c == '#' && i > 0 && (is_space(text[i - 1]) || is_break(text[i - 1]))) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if ((c == '"' || c == '\'') &&
        std::string_view("{[,:").find(previous_significant(text, i)) != std::string_view::npos) {
      size_t e = quoted_end(text, i);
      if (e == kNoSpan) return kNoSpan;
      i = e - 1;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return kNoSpan;
}

size_t indent_of(std::string_view text, size_t line_start) {
  size_t i = line_start;
  while (i < text.size() && text[i] == ' ') ++i;
  return i - line_start;
}

}  // namespace

size_t span_end(std::string_view text, const YNode& n, bool in_flow) {
  size_t off = offset_of(n.loc);
  if (off >= text.size()) return kNoSpan;
  char c = text[off];
  if (n.is_mapping() || n.is_sequence())
    return (c == '{' || c == '[') ? flow_end(text, off) : kNoSpan;
  if (c == '"' || c == '\'') return quoted_end(text, off);
  if (c == '|' || c == '>' || c == '!' || c == '&' || c == '*') return kNoSpan;
  size_t i = off;
  while (i < text.size() && !is_break(text[i])) {
    if (text[i] == '#' && i > off && is_space(text[i - 1])) break;
    if (in_flow && (text[i] == ',' || text[i] == ']' || text[i] == '}')) break;
    if (text[i] == ':' && (i + 1 == text.size() || is_space(text[i + 1]) || is_break(text[i + 1])))
      break;
    ++i;
  }
  while (i > off && is_space(text[i - 1])) --i;
  // A plain scalar whose text is not all on this line continues on the next one.
  if (n.is_scalar() && std::string_view(text.data() + off, i - off) != n.value) return kNoSpan;
  return i;
}

size_t block_entry_end(std::string_view text, size_t start, uint32_t col, bool compact_list) {
  size_t end = next_line_start(text, start);
  size_t p = end;
  while (p < text.size()) {
    size_t next = next_line_start(text, p);
    size_t indent = indent_of(text, p);
    size_t first = p + indent;
    bool blank = first >= text.size() || is_break(text[first]) || text[first] == '\t';
    if (!blank && indent > col) {
      end = p = next;
      continue;
    }
    if (blank || text[first] == '#') {
      p = next;
      continue;
    }
    if (compact_list && indent == col && text[first] == '-' &&
        (first + 1 >= text.size() || is_space(text[first + 1]) || is_break(text[first + 1]))) {
      end = p = next;
      continue;
    }
    break;
  }
  return end;
}

std::string reindent(std::string_view s, int delta) {
  std::string out;
  size_t p = 0;
  bool first = true;
  while (p < s.size()) {
    size_t nl = s.find('\n', p);
    size_t e = nl == std::string_view::npos ? s.size() : nl + 1;
    std::string_view line = s.substr(p, e - p);
    bool blank = line.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (first || blank || delta == 0) {
      out += line;
    } else if (delta > 0) {
      out.append(static_cast<size_t>(delta), ' ');
      out += line;
    } else {
      size_t n = 0;
      while (n < static_cast<size_t>(-delta) && n < line.size() && line[n] == ' ') ++n;
      out += line.substr(n);
    }
    first = false;
    p = e;
  }
  return out;
}

bool apply_edits(std::string_view text, std::vector<TextEdit> edits, std::string* out) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const TextEdit& a, const TextEdit& b) { return a.begin < b.begin; });
  std::string r;
  r.reserve(text.size());
  size_t at = 0;
  for (const TextEdit& e : edits) {
    if (e.begin < at || e.end < e.begin || e.end > text.size()) return false;
    r.append(text.substr(at, e.begin - at));
    r += e.text;
    at = e.end;
  }
  r.append(text.substr(at));
  *out = std::move(r);
  return true;
}

}  // namespace meshc
