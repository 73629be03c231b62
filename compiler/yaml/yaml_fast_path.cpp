#include "compiler/yaml/yaml_fast_path.h"

#include <cstring>

namespace meshc {

namespace {

using Kind = FastYamlEvent::Kind;

// yaml-cpp's nulls: a plain scalar spelled like this is reported by OnNull.
bool is_null_word(std::string_view v) {
  return v == "~" || v == "null" || v == "Null" || v == "NULL";
}

bool one_of(char c, const char* set) {
  return c != '\0' && std::strchr(set, c) != nullptr;
}

// Recursive descent over lines. Every function returns false as soon as the text leaves the
// subset (the caller then declines the whole input); on true, the events of what it consumed
// have been appended. Offsets are into the text; `cur_` is the line being read.
class FastParser {
 public:
  FastParser(std::string_view text, uint32_t max_depth, std::vector<FastYamlEvent>* out)
      : t_(text), max_depth_(max_depth), out_(out) {}

  bool run() {
    const size_t n = t_.size();
    if (n == 0 || std::memchr(t_.data(), '\t', n) || std::memchr(t_.data(), '\r', n) ||
        static_cast<unsigned char>(t_[0]) == 0xEF) {
      return false;  // tabs, CR line ends, a byte order mark: yaml-cpp's business
    }
    for (size_t b = 0;;) {
      const void* nl = std::memchr(t_.data() + b, '\n', n - b);
      size_t e = nl ? static_cast<size_t>(static_cast<const char*>(nl) - t_.data()) : n;
      Line l{b, e, 0, false};
      while (b + l.indent < e && t_[b + l.indent] == ' ') ++l.indent;
      l.blank = b + l.indent == e || t_[b + l.indent] == '#';
      lines_.push_back(l);
      if (!nl) break;
      b = e + 1;
    }
    size_t documents = 0;
    skip_blank();
    while (!at_end()) {
      const Line* l = &lines_[cur_];
      emit(Kind::kDocumentStart, cur_, l->begin);  // the marker line, or the first token
      if (starts_document_marker(*l)) {
        if (text_of(*l) != "---") return false;  // "...", or content after the marker
        ++cur_;
        skip_blank();
        if (at_end()) return false;  // an empty document
        l = &lines_[cur_];
      }
      if (l->indent != 0 || t_[l->begin] == '%' || starts_document_marker(*l)) return false;
      size_t o = l->begin;
      if (is_dash(o, l->end)) {
        if (!block_seq(0, false)) return false;
      } else if (!block_map(0, o)) {
        return false;
      }
      skip_blank();
      if (!at_end() && text_of(lines_[cur_]) != "---") return false;
      FastYamlEvent end;
      end.kind = Kind::kDocumentEnd;
      out_->push_back(std::move(end));
      ++documents;
    }
    return documents > 0;
  }

 private:
  struct Line {
    size_t begin;     // offset of its first byte
    size_t end;       // offset of its '\n', or the text's end
    uint32_t indent;  // leading spaces
    bool blank;       // nothing but spaces, or a comment after them
  };

  bool at_end() const { return cur_ >= lines_.size(); }
  void skip_blank() {
    while (cur_ < lines_.size() && lines_[cur_].blank) ++cur_;
  }
  std::string_view text_of(const Line& l) const { return t_.substr(l.begin, l.end - l.begin); }
  // A line at column 0 starting "---" or "...": a document marker or something the subset
  // leaves to yaml-cpp; either way it ends every collection.
  bool starts_document_marker(const Line& l) const {
    std::string_view s = text_of(l);
    return l.indent == 0 && s.size() >= 3 &&
           (s.compare(0, 3, "---") == 0 || s.compare(0, 3, "...") == 0);
  }
  // A block sequence entry "- ..." (or a lone "-") at offset o of a line ending at e.
  bool is_dash(size_t o, size_t e) const {
    return o < e && t_[o] == '-' && (o + 1 == e || t_[o + 1] == ' ');
  }

  void emit(Kind kind, size_t line, size_t offset, bool quoted = false, bool flow = false,
            std::string value = std::string()) {
    FastYamlEvent ev;
    ev.kind = kind;
    ev.quoted = quoted;
    ev.flow = flow;
    ev.mark.pos = static_cast<int>(offset);
    ev.mark.line = static_cast<int>(line);
    ev.mark.column = static_cast<int>(offset - lines_[line].begin);
    ev.value = std::move(value);
    out_->push_back(std::move(ev));
  }
  void emit_plain(size_t line, size_t offset, std::string_view v) {
    if (is_null_word(v)) {
      emit(Kind::kNull, line, offset);
    } else {
      emit(Kind::kScalar, line, offset, false, false, std::string(v));
    }
  }
  // Keys longer than this are left to yaml-cpp, which rejects those over 1024 characters.
  static constexpr size_t kMaxKey = 1000;

  // The end of a collection (yaml-cpp gives it no mark).
  void emit_end(Kind kind) {
    FastYamlEvent ev;
    ev.kind = kind;
    out_->push_back(std::move(ev));
    --depth_;
  }
  // Opening a collection: declined well before the loader's own depth limit would fire.
  bool enter() { return ++depth_ + 1 < max_depth_; }

  // A plain block key at o: text up to a ':' followed by a space or the line's end. Sets
  // *colon. Declines keys that start with an indicator, hold quotes, flow indicators, ':' or
  // a comment, end in a space, or read as null.
  bool key_at(size_t o, size_t e, size_t* colon) const {
    if (o >= e || one_of(t_[o], "-?:,[]{}#&*!|>'\"%@`<~ ")) return false;
    // yaml-cpp cannot read an implicit key of more than 1024 characters: look no further.
    for (size_t i = o; i < e && i - o <= kMaxKey; ++i) {
      char c = t_[i];
      if (c == ':') {
        if (i + 1 < e && t_[i + 1] != ' ') return false;
        if (t_[i - 1] == ' ' || is_null_word(t_.substr(o, i - o))) return false;
        *colon = i;
        return true;
      }
      if (one_of(c, ",[]{}\"'") || (c == '#' && t_[i - 1] == ' ')) return false;
    }
    return false;
  }

  // A block mapping whose first key is at offset o of the current line, at column c.
  bool block_map(uint32_t c, size_t o) {
    if (!enter()) return false;
    emit(Kind::kMapStart, cur_, o);
    for (;;) {
      const Line& l = lines_[cur_];
      size_t colon;
      if (!key_at(o, l.end, &colon)) return false;
      emit(Kind::kScalar, cur_, o, false, false, std::string(t_.substr(o, colon - o)));
      size_t v = colon + 1;
      while (v < l.end && t_[v] == ' ') ++v;
      if (v == l.end || t_[v] == '#') {
        // The value is a collection on the lines below (an empty value is declined).
        ++cur_;
        skip_blank();
        if (at_end()) return false;
        const Line& n = lines_[cur_];
        if (starts_document_marker(n)) return false;
        size_t no = n.begin + n.indent;
        if (n.indent > c) {
          if (is_dash(no, n.end) ? !block_seq(n.indent, false) : !block_map(n.indent, no)) {
            return false;
          }
        } else if (n.indent == c && is_dash(no, n.end)) {
          if (!block_seq(c, true)) return false;  // a list at its key's column
        } else {
          return false;
        }
      } else {
        if (!inline_value(v, l.end)) return false;
        ++cur_;
      }
      skip_blank();
      if (at_end()) break;
      const Line& n = lines_[cur_];
      if (starts_document_marker(n) || n.indent < c) break;
      if (n.indent > c) return false;  // a continuation line, or bad indentation
      o = n.begin + c;
    }
    emit_end(Kind::kMapEnd);
    return true;
  }

  // A block sequence whose entries start with '-' at column c, the first on the current line.
  // `at_key_column`: it is the value of a key at the same column, and a line at column c that
  // is not an entry ends it (the mapping goes on); otherwise such a line is declined.
  bool block_seq(uint32_t c, bool at_key_column) {
    if (!enter()) return false;
    emit(Kind::kSeqStart, cur_, lines_[cur_].begin + c);
    for (;;) {
      const Line& l = lines_[cur_];
      size_t v = l.begin + c + 2;  // "- " then the entry
      if (v >= l.end || t_[v - 1] != ' ' || t_[v] == ' ' || t_[v] == '#' || is_dash(v, l.end)) {
        return false;
      }
      size_t colon;
      if (key_at(v, l.end, &colon)) {
        if (!block_map(c + 2, v)) return false;
      } else {
        if (!inline_value(v, l.end)) return false;
        ++cur_;
      }
      skip_blank();
      if (at_end()) break;
      const Line& n = lines_[cur_];
      if (starts_document_marker(n) || n.indent < c) break;
      if (n.indent > c) return false;
      if (!is_dash(n.begin + c, n.end)) {
        if (at_key_column) break;
        return false;
      }
    }
    emit_end(Kind::kSeqEnd);
    return true;
  }

  // After a block value ending at i: spaces, then the line's end or a comment.
  bool rest_is_comment(size_t i, size_t e) const {
    size_t j = i;
    while (j < e && t_[j] == ' ') ++j;
    return j == e || (t_[j] == '#' && j > i);
  }

  // A value on the rest of the current line (from v to e) after "key: " or "- ".
  bool inline_value(size_t v, size_t e) {
    char c = t_[v];
    if (c == '[' || c == '{') {
      size_t end;
      return flow_node(v, e, &end) && rest_is_comment(end, e);
    }
    if (c == '"' || c == '\'') {
      size_t end;
      std::string value;
      if (!quoted(v, e, &end, &value)) return false;
      emit(Kind::kScalar, cur_, v, true, false, std::move(value));
      return rest_is_comment(end, e);
    }
    if (one_of(c, "-?:,]}#&*!|>%@`")) return false;
    // Plain: to a comment or the line's end, trailing spaces dropped.
    size_t end = e;
    for (size_t i = v + 1; i < e; ++i) {
      if (t_[i] == '#' && t_[i - 1] == ' ') {
        end = i;
        break;
      }
    }
    while (end > v && t_[end - 1] == ' ') --end;
    std::string_view value = t_.substr(v, end - v);
    for (size_t i = 0; i < value.size(); ++i) {
      char x = value[i];
      if (one_of(x, ",[]{}") || (x == ':' && (i + 1 == value.size() || value[i + 1] == ' '))) {
        return false;
      }
    }
    if (value.compare(0, 3, "---") == 0 || value.compare(0, 3, "...") == 0) return false;
    emit_plain(cur_, v, value);
    return true;
  }

  // A quoted scalar starting at v that closes on the same line: double quotes without
  // escapes, or single quotes ('' is a quote). Sets *end past the closing quote.
  bool quoted(size_t v, size_t e, size_t* end, std::string* value) const {
    char q = t_[v];
    for (size_t i = v + 1; i < e; ++i) {
      char c = t_[i];
      if (q == '"' && c == '\\') return false;
      if (c != q) {
        value->push_back(c);
        continue;
      }
      if (q == '\'' && i + 1 < e && t_[i + 1] == '\'') {
        value->push_back('\'');
        ++i;
        continue;
      }
      *end = i + 1;
      return true;
    }
    return false;
  }

  // A plain scalar inside a flow collection: letters, digits, non-ASCII and "._/-+=~" only
  // (yaml-cpp gives other characters meanings here that the subset does not follow).
  static bool flow_plain_char(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u >= 0x80 || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') ||
           one_of(c, "._/-+=~");
  }
  bool flow_plain(size_t i, size_t e, size_t* end) const {
    if (i >= e || t_[i] == '-') return false;
    size_t j = i;
    while (j < e && flow_plain_char(t_[j])) ++j;
    if (j == i) return false;
    std::string_view v = t_.substr(i, j - i);
    if (v.compare(0, 3, "---") == 0 || v.compare(0, 3, "...") == 0) return false;
    *end = j;
    return true;
  }

  bool flow_value(size_t i, size_t e, size_t* next) {
    if (i >= e) return false;
    char c = t_[i];
    if (c == '[' || c == '{') return flow_node(i, e, next);
    if (c == '"' || c == '\'') {
      std::string value;
      if (!quoted(i, e, next, &value)) return false;
      emit(Kind::kScalar, cur_, i, true, false, std::move(value));
      return true;
    }
    if (!flow_plain(i, e, next)) return false;
    emit_plain(cur_, i, t_.substr(i, *next - i));
    return true;
  }

  // A flow mapping or sequence opening at o and closing on the same line; *end past it.
  bool flow_node(size_t o, size_t e, size_t* end) {
    if (!enter()) return false;
    const bool map = t_[o] == '{';
    const char close = map ? '}' : ']';
    emit(map ? Kind::kMapStart : Kind::kSeqStart, cur_, o, false, true);
    size_t i = o + 1;
    while (i < e && t_[i] == ' ') ++i;
    if (i < e && t_[i] == close) {
      ++i;
    } else {
      for (;;) {
        if (map) {
          size_t key_end;
          if (!flow_plain(i, e, &key_end) || key_end + 1 >= e || t_[key_end] != ':' ||
              t_[key_end + 1] != ' ' || key_end - i > kMaxKey) {
            return false;
          }
          std::string_view key = t_.substr(i, key_end - i);
          if (is_null_word(key)) return false;
          emit(Kind::kScalar, cur_, i, false, false, std::string(key));
          i = key_end + 1;
          while (i < e && t_[i] == ' ') ++i;
        }
        if (!flow_value(i, e, &i)) return false;
        while (i < e && t_[i] == ' ') ++i;
        if (i < e && t_[i] == ',') {
          ++i;
          while (i < e && t_[i] == ' ') ++i;
          if (i < e && t_[i] == close) return false;  // a trailing comma
          continue;
        }
        if (i < e && t_[i] == close) {
          ++i;
          break;
        }
        return false;
      }
    }
    emit_end(map ? Kind::kMapEnd : Kind::kSeqEnd);
    *end = i;
    return true;
  }

  std::string_view t_;
  uint32_t max_depth_;
  std::vector<FastYamlEvent>* out_;
  std::vector<Line> lines_;
  size_t cur_ = 0;
  uint32_t depth_ = 0;
};

}  // namespace

bool parse_yaml_fast(std::string_view text, uint32_t max_depth,
                     std::vector<FastYamlEvent>* events) {
  events->clear();
  return FastParser(text, max_depth, events).run();
}

bool FastYamlReplay::HandleNextDocument(YAML::EventHandler& handler) {
  static const std::string kPlain = "?", kQuoted = "!";
  if (next_ >= events_.size()) return false;
  while (next_ < events_.size()) {
    const FastYamlEvent& e = events_[next_++];
    const YAML::EmitterStyle::value style =
        e.flow ? YAML::EmitterStyle::Flow : YAML::EmitterStyle::Block;
    switch (e.kind) {
      case Kind::kDocumentStart:
        handler.OnDocumentStart(e.mark);
        break;
      case Kind::kScalar:
        handler.OnScalar(e.mark, e.quoted ? kQuoted : kPlain, YAML::NullAnchor, e.value);
        break;
      case Kind::kNull:
        handler.OnNull(e.mark, YAML::NullAnchor);
        break;
      case Kind::kMapStart:
        handler.OnMapStart(e.mark, kPlain, YAML::NullAnchor, style);
        break;
      case Kind::kMapEnd:
        handler.OnMapEnd();
        break;
      case Kind::kSeqStart:
        handler.OnSequenceStart(e.mark, kPlain, YAML::NullAnchor, style);
        break;
      case Kind::kSeqEnd:
        handler.OnSequenceEnd();
        break;
      case Kind::kDocumentEnd:
        handler.OnDocumentEnd();
        return true;
    }
  }
  return true;
}

}  // namespace meshc
