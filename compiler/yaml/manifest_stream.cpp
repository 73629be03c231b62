#include "compiler/yaml/manifest_stream.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "compiler/support/byte_scan.h"

namespace meshc {

namespace {

constexpr size_t npos = std::string_view::npos;

// The line starting at `pos`: its text without the line end, and where the next line starts.
struct Line {
  std::string_view text;
  size_t next = 0;
};

Line line_at(std::string_view s, size_t pos) {
  // Mostly a marker line ("---"): its first bytes are looked at before memchr is called.
  const char* p = s.data() + pos;
  const char* short_end = p + std::min<size_t>(s.size() - pos, 8);
  while (p != short_end && *p != '\n') ++p;
  const void* nl = p != short_end ? p : std::memchr(p, '\n', s.size() - (p - s.data()));
  size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - s.data()) : s.size();
  size_t next = nl ? end + 1 : s.size();
  if (end > pos && s[end - 1] == '\r') --end;
  return Line{s.substr(pos, end - pos), next};
}

// "---" or "..." at column 0, alone or followed by a space or tab.
bool is_marker(std::string_view line, char c) {
  if (line.size() < 3 || line[0] != c || line[1] != c || line[2] != c) return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The scalar value of a top-level "key: value" line, when it is simple enough to read without
// a parser (plain, or quoted without escapes, optionally followed by a comment). nullopt when
// it is not (empty, a block scalar, an anchor, a tag, a flow collection, escapes ...).
std::optional<std::string> simple_value(std::string_view rest) {
  rest = trim(rest);
  if (rest.empty()) return std::nullopt;
  char q = rest.front();
  if (q == '"' || q == '\'') {
    size_t close = rest.find(q, 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inner = rest.substr(1, close - 1);
    if (q == '"' && inner.find('\\') != std::string_view::npos) return std::nullopt;
    if (q == '\'' && close + 1 < rest.size() && rest[close + 1] == '\'') return std::nullopt;
    std::string_view after = trim(rest.substr(close + 1));
    if (!after.empty() && after.front() != '#') return std::nullopt;
    return std::string(inner);
  }
  if (std::strchr("&*!|>{[%@`#", q)) return std::nullopt;
  size_t comment = rest.find(" #");
  if (comment == std::string_view::npos) comment = rest.find("\t#");
  std::string_view value = trim(rest.substr(0, comment));
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

}  // namespace

StreamSplitter::StreamSplitter(std::string_view text) : data_(text.data()) {
  extend(text.size(), true);
}

void StreamSplitter::extend(size_t available, bool complete) {
  size_ = available;
  complete_ = complete;
}

// Notes in cur_ a "meshc.dev/" that starts in [group_from_, end) and has arrived whole. The
// search for markers (next()) looks for it on its way; this looks at the offsets it did not
// pass: the marker lines it stops at and the last bytes of a stream that is still arriving.
void StreamSplitter::note_group(size_t end) {
  constexpr size_t k = kGroup.size();
  size_t limit = std::min(end, size_ >= k ? size_ - k + 1 : 0);  // the starts that fit
  if (group_from_ >= limit) return;
  if (!cur_.mentions_meshc_group) {
    // Mostly a marker line ("---"): a look at each offset costs less than a call of memmem.
    if (limit - group_from_ <= 16) {
      for (const char *q = data_ + group_from_, *stop = data_ + limit; q != stop; ++q) {
        if (*q == 'm' && std::memcmp(q, kGroup.data(), k) == 0) {
          cur_.mentions_meshc_group = true;
          break;
        }
      }
    } else {
      cur_.mentions_meshc_group =
          find_bytes(std::string_view(data_, limit + k - 1), kGroup, group_from_) != npos;
    }
  }
  group_from_ = limit;
}

bool StreamSplitter::close_at(size_t end, size_t end_line, StreamSegment* out) {
  // It cannot straddle two segments: it holds no newline, and segments start at line starts.
  note_group(end);
  cur_.end = end;
  bool emitted = cur_.end > cur_.begin;
  if (emitted) *out = cur_;
  cur_ = StreamSegment{};
  cur_.begin = end;
  cur_.begin_line = static_cast<uint32_t>(end_line);
  return emitted;
}

// The next line start at or after scan_ that holds '-' or '.', noting on the way whether
// "meshc.dev/" starts before it; line_no_ + the newlines passed into *line_no.
size_t StreamSplitter::scan_lines(size_t* line_no) {
  const std::string_view text(data_, size_);
  note_group(scan_);  // what the last search could not look at yet
  *line_no = line_no_;
  bool found = false;
  size_t pos = find_line_start_noting(text, scan_, '-', '.', line_no, kGroup, &found);
  if (group_from_ == scan_) {  // else no whole "meshc.dev/" fits after scan_ yet
    cur_.mentions_meshc_group |= found;
    size_t end = pos == npos ? size_ : pos;
    group_from_ = std::max(group_from_,
                           std::min(end, size_ >= kGroup.size() ? size_ - kGroup.size() + 1 : 0));
  }
  return pos;
}

bool StreamSplitter::next(StreamSegment* out) {
  const std::string_view text(data_, size_);
  // Only a line starting with '-' or '.' can be a marker; the others are skipped 32 bytes at
  // a time (post-render splits 50 MB streams of short lines), their newlines counted on the way.
  while (!done_) {
    size_t line_no = 0;
    size_t pos = scan_lines(&line_no);
    if (pos == npos) {
      if (!complete_) {  // more may come: resume at the first byte not looked at
        scan_ = size_, line_no_ = line_no;
        return false;
      }
      done_ = true;
      return close_at(size_, 0, out);
    }
    Line line = line_at(text, pos);
    if (!complete_ && line.next == size_ && text.back() != '\n') {
      scan_ = pos, line_no_ = line_no;  // the line is not whole yet
      return false;
    }
    scan_ = line.next, line_no_ = line_no + 1;  // line.next follows the newline ending the line
    bool emitted = false;
    if (is_marker(line.text, '-')) {
      emitted = close_at(pos, line_no, out);
      cur_.starts_with_marker = true;
    } else if (is_marker(line.text, '.')) {
      cur_.ends_with_end_marker = true;
      emitted = close_at(line.next, line_no + 1, out);
    }
    if (line.next >= size_ && complete_) {
      done_ = true;
      if (!emitted) return close_at(size_, 0, out);
      pending_final_ = true;
    }
    if (emitted) return true;
  }
  if (!pending_final_) return false;
  pending_final_ = false;
  return close_at(size_, 0, out);
}

std::vector<StreamSegment> split_yaml_stream(std::string_view text) {
  std::vector<StreamSegment> out;
  StreamSplitter splitter(text);
  StreamSegment seg;
  while (splitter.next(&seg)) out.push_back(seg);
  return out;
}

ReleaseScan scan_for_release(std::string_view doc) {
  if (find_bytes(doc, "meshc.dev/") == std::string_view::npos) return ReleaseScan::kNo;
  std::optional<std::string> kind, api_version;
  bool ambiguous = false;
  bool first = true;
  for (size_t pos = 0; pos < doc.size();) {
    Line line = line_at(doc, pos);
    pos = line.next;
    std::string_view t = line.text;
    if (first && is_marker(t, '-')) {
      first = false;
      std::string_view rest = trim(t.substr(3));
      if (!rest.empty() && rest.front() != '#') ambiguous = true;  // content on the "---" line
      continue;
    }
    first = false;
    if (t.empty() || t[0] == ' ' || t[0] == '\t' || t[0] == '#' || is_marker(t, '.')) continue;
    if (t[0] == '%') continue;  // a directive
    bool is_kind = t.rfind("kind:", 0) == 0;
    bool is_api = t.rfind("apiVersion:", 0) == 0;
    if (!is_kind && !is_api) {
      // Keys written quoted, flow collections or anything else at the root: ask the parser.
      if (t.rfind("\"kind\"", 0) == 0 || t.rfind("'kind'", 0) == 0 ||
          t.rfind("\"apiVersion\"", 0) == 0 || t.rfind("'apiVersion'", 0) == 0 || t[0] == '{' ||
          t[0] == '[' || t[0] == '?' || t[0] == '&' || t[0] == '!' || t[0] == '"' || t[0] == '\'') {
        ambiguous = true;
      }
      continue;
    }
    std::optional<std::string>& slot = is_kind ? kind : api_version;
    auto value = simple_value(t.substr(is_kind ? 5 : 11));
    if (!value || slot) {
      ambiguous = true;  // unreadable without a parser, or a duplicate key
      continue;
    }
    slot = std::move(value);
  }
  if (ambiguous || !kind) return ReleaseScan::kMaybe;
  if (*kind != "Release") return ReleaseScan::kNo;
  if (!api_version) return ReleaseScan::kMaybe;
  return api_version->rfind("meshc.dev/", 0) == 0 ? ReleaseScan::kYes : ReleaseScan::kNo;
}

}  // namespace meshc
