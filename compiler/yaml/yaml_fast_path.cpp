#include "compiler/yaml/yaml_fast_path.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <memory>

namespace meshc {

namespace {

using Kind = FastYamlEvent::Kind;

// yaml-cpp's nulls: a plain scalar spelled like this is reported by OnNull.
bool is_null_word(std::string_view v) {
  return v == "~" || v == "null" || v == "Null" || v == "NULL";
}

// The byte classes the subset tests, one bit each in a table of the 256 bytes: tested with
// one load, where a strchr per byte of every key and value cost the fast path a tenth of
// its instructions.
class ByteClasses {
 public:
  constexpr ByteClasses() : bits_{} {
    add(kKeyStart, "-?:,[]{}#&*!|>'\"%@`<~ ");  // what a plain block key may not start with
    add(kInKey, ",[]{}\"'");                    // or hold
    add(kValueStart, "-?:,]}#&*!|>%@`");        // what a plain value may not start with
    add(kFlowIndicator, ",[]{}");               // or hold
    add(kFlowPlain, "._/-+=~");  // the punctuation of a plain scalar in a flow collection
  }
  enum : uint8_t {
    kKeyStart = 1,
    kInKey = 2,
    kValueStart = 4,
    kFlowIndicator = 8,
    kFlowPlain = 16
  };
  constexpr bool has(uint8_t cls, char c) const {
    return (bits_[static_cast<unsigned char>(c)] & cls) != 0;
  }

 private:
  constexpr void add(uint8_t cls, const char* bytes) {
    for (; *bytes; ++bytes) bits_[static_cast<unsigned char>(*bytes)] |= cls;
  }
  uint8_t bits_[256];
};
constexpr ByteClasses kBytes;

bool key_start_indicator(char c) {
  return kBytes.has(ByteClasses::kKeyStart, c);
}
bool breaks_key(char c) {
  return kBytes.has(ByteClasses::kInKey, c);
}
bool value_start_indicator(char c) {
  return kBytes.has(ByteClasses::kValueStart, c);
}
bool flow_indicator(char c) {
  return kBytes.has(ByteClasses::kFlowIndicator, c);
}
bool flow_plain_punctuation(char c) {
  return kBytes.has(ByteClasses::kFlowPlain, c);
}

// Recursive descent over lines. Every function returns false as soon as the text leaves the
// subset, or the sink declines an event (the caller then declines the whole input); on true,
// the events of what it consumed have gone to the sink. Offsets are into the text; `cur_` is
// the line being read. The sink has `bool event(Kind, const YAML::Mark&, bool quoted, bool
// flow, std::string_view value)`: EventSink keeps the events, TreeSink builds the trees.
template <typename Sink>
class FastParser {
 public:
  FastParser(std::string_view text, uint32_t max_depth, Sink& sink)
      : t_(text), max_depth_(max_depth), sink_(sink) {}

  bool run() {
    const size_t n = t_.size();
    if (n == 0 || std::memchr(t_.data(), '\t', n) || std::memchr(t_.data(), '\r', n) ||
        static_cast<unsigned char>(t_[0]) == 0xEF) {
      return false;  // tabs, CR line ends, a byte order mark: yaml-cpp's business
    }
    lines_.reserve(n / 24 + 8);  // about a spec's line length: few regrowths, little waste
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
      // The marker line, or the first token.
      if (!emit(Kind::kDocumentStart, cur_, l->begin)) return false;
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
      if (!sink_.event(Kind::kDocumentEnd, YAML::Mark(), false, false, {})) return false;
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

  bool emit(Kind kind, size_t line, size_t offset, bool quoted = false, bool flow = false,
            std::string_view value = {}) {
    YAML::Mark mark;
    mark.pos = static_cast<int>(offset);
    mark.line = static_cast<int>(line);
    mark.column = static_cast<int>(offset - lines_[line].begin);
    return sink_.event(kind, mark, quoted, flow, value);
  }
  bool emit_plain(size_t line, size_t offset, std::string_view v) {
    if (is_null_word(v)) return emit(Kind::kNull, line, offset);
    return emit(Kind::kScalar, line, offset, false, false, v);
  }
  // Keys longer than this are left to yaml-cpp, which rejects those over 1024 characters.
  static constexpr size_t kMaxKey = 1000;

  // The end of a collection (yaml-cpp gives it no mark).
  bool emit_end(Kind kind) {
    --depth_;
    return sink_.event(kind, YAML::Mark(), false, false, {});
  }
  // Opening a collection: declined well before the loader's own depth limit would fire.
  bool enter() { return ++depth_ + 1 < max_depth_; }

  // A plain block key at o: text up to a ':' followed by a space or the line's end. Sets
  // *colon. Declines keys that start with an indicator, hold quotes, flow indicators, ':' or
  // a comment, end in a space, or read as null.
  bool key_at(size_t o, size_t e, size_t* colon) const {
    if (o >= e || key_start_indicator(t_[o])) return false;
    // yaml-cpp cannot read an implicit key of more than 1024 characters: look no further.
    for (size_t i = o; i < e && i - o <= kMaxKey; ++i) {
      char c = t_[i];
      if (c == ':') {
        if (i + 1 < e && t_[i + 1] != ' ') return false;
        if (t_[i - 1] == ' ' || is_null_word(t_.substr(o, i - o))) return false;
        *colon = i;
        return true;
      }
      if (breaks_key(c) || (c == '#' && t_[i - 1] == ' ')) return false;
    }
    return false;
  }

  // A block mapping whose first key is at offset o of the current line, at column c.
  bool block_map(uint32_t c, size_t o) {
    if (!enter()) return false;
    if (!emit(Kind::kMapStart, cur_, o)) return false;
    for (;;) {
      const Line& l = lines_[cur_];
      size_t colon;
      if (!key_at(o, l.end, &colon)) return false;
      if (!emit(Kind::kScalar, cur_, o, false, false, t_.substr(o, colon - o))) return false;
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
    return emit_end(Kind::kMapEnd);
  }

  // A block sequence whose entries start with '-' at column c, the first on the current line.
  // `at_key_column`: it is the value of a key at the same column, and a line at column c that
  // is not an entry ends it (the mapping goes on); otherwise such a line is declined.
  bool block_seq(uint32_t c, bool at_key_column) {
    if (!enter()) return false;
    if (!emit(Kind::kSeqStart, cur_, lines_[cur_].begin + c)) return false;
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
    return emit_end(Kind::kSeqEnd);
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
      return emit(Kind::kScalar, cur_, v, true, false, value) && rest_is_comment(end, e);
    }
    if (value_start_indicator(c)) return false;
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
      if (flow_indicator(x) || (x == ':' && (i + 1 == value.size() || value[i + 1] == ' '))) {
        return false;
      }
    }
    if (value.compare(0, 3, "---") == 0 || value.compare(0, 3, "...") == 0) return false;
    return emit_plain(cur_, v, value);
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
           flow_plain_punctuation(c);
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
      return emit(Kind::kScalar, cur_, i, true, false, value);
    }
    if (!flow_plain(i, e, next)) return false;
    return emit_plain(cur_, i, t_.substr(i, *next - i));
  }

  // A flow mapping or sequence opening at o and closing on the same line; *end past it.
  bool flow_node(size_t o, size_t e, size_t* end) {
    if (!enter()) return false;
    const bool map = t_[o] == '{';
    const char close = map ? '}' : ']';
    if (!emit(map ? Kind::kMapStart : Kind::kSeqStart, cur_, o, false, true)) return false;
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
          if (!emit(Kind::kScalar, cur_, i, false, false, key)) return false;
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
    *end = i;
    return emit_end(map ? Kind::kMapEnd : Kind::kSeqEnd);
  }

  std::string_view t_;
  uint32_t max_depth_;
  Sink& sink_;
  std::vector<Line> lines_;
  size_t cur_ = 0;
  uint32_t depth_ = 0;
};

// Keeps the events (parse_yaml_fast).
class EventSink {
 public:
  explicit EventSink(std::vector<FastYamlEvent>* out) : out_(out) {}
  bool event(Kind kind, const YAML::Mark& mark, bool quoted, bool flow, std::string_view value) {
    FastYamlEvent& ev = out_->emplace_back();
    ev.kind = kind;
    ev.quoted = quoted;
    ev.flow = flow;
    ev.mark = mark;
    ev.value = value;
    return true;
  }

 private:
  std::vector<FastYamlEvent>* out_;
};

// Builds the loader's trees straight from the events, as its TreeBuilder would from the same
// events replayed (FastYamlReplay), and declines where the TreeBuilder would report an error:
// a duplicate key, more than Limits::max_nodes nodes or max_documents documents. The children
// of the open collections wait on one stack (keys and values alternating for a mapping), so
// each collection gets its vector in one allocation of the right size when it closes.
class TreeSink {
 public:
  TreeSink(const SourceFile& file, uint32_t base_line, const Limits& limits,
           std::vector<YamlDocument>* docs)
      : file_(file), base_line_(base_line), limits_(limits), docs_(docs) {
    // A spec's depth and widest open collections: no regrowth on the way.
    open_.reserve(16);
    children_.reserve(64);
  }

  bool event(Kind kind, const YAML::Mark& mark, bool quoted, bool, std::string_view value) {
    switch (kind) {
      case Kind::kDocumentStart:
        return true;
      case Kind::kScalar:
      case Kind::kNull: {
        auto n = node(kind == Kind::kNull ? YNode::Kind::kNull : YNode::Kind::kScalar, mark);
        if (!n) return false;
        n->value = value;
        n->plain = !quoted;
        n->expanded_bytes = n->value.size();
        children_.push_back(std::move(n));
        return true;
      }
      case Kind::kMapStart:
      case Kind::kSeqStart: {
        auto n =
            node(kind == Kind::kMapStart ? YNode::Kind::kMapping : YNode::Kind::kSequence, mark);
        if (!n) return false;
        open_.push_back(Open{std::move(n), children_.size()});
        return true;
      }
      case Kind::kMapEnd:
      case Kind::kSeqEnd:
        return close();
      case Kind::kDocumentEnd:
        return end_document();
    }
    return false;
  }

 private:
  struct Open {
    std::shared_ptr<YNode> node;
    size_t first;  // its first child in children_
  };

  // A new node, counted against Limits::max_nodes (for the whole input, as the TreeBuilder
  // counts); nullptr past the limit.
  std::shared_ptr<YNode> node(YNode::Kind kind, const YAML::Mark& mark) {
    if (++nodes_ > limits_.max_nodes) return nullptr;
    auto n = std::make_shared<YNode>();
    n->kind = kind;
    n->loc = Location{&file_, base_line_ + static_cast<uint32_t>(mark.line),
                      static_cast<uint32_t>(mark.column)};
    return n;
  }

  bool close() {
    Open o = std::move(open_.back());
    open_.pop_back();
    YNode& n = *o.node;
    const auto first = children_.begin() + static_cast<std::ptrdiff_t>(o.first);
    for (auto it = first; it != children_.end(); ++it) {
      n.expanded_size += (*it)->expanded_size;
      n.expanded_bytes += (*it)->expanded_bytes;
    }
    if (n.kind == YNode::Kind::kSequence) {
      n.items.assign(std::make_move_iterator(first), std::make_move_iterator(children_.end()));
    } else {
      if (has_duplicate_key(first)) return false;
      n.entries.reserve(static_cast<size_t>(children_.end() - first) / 2);
      for (auto it = first; it != children_.end(); it += 2) {
        n.entries.emplace_back(std::move(it[0]), at_key_if_empty(std::move(it[1]), *it[0]));
      }
    }
    children_.erase(first, children_.end());
    children_.push_back(std::move(o.node));
    return true;
  }

  // Whether two keys of the mapping whose keys and values start at `first` are the same.
  bool has_duplicate_key(std::vector<YNodePtr>::iterator first) {
    const size_t n = static_cast<size_t>(children_.end() - first) / 2;
    if (n <= 16) {
      for (size_t i = 1; i < n; ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (first[2 * i]->value == first[2 * j]->value) return true;
        }
      }
      return false;
    }
    keys_.clear();
    for (size_t i = 0; i < n; ++i) keys_.push_back(first[2 * i]->value);
    std::sort(keys_.begin(), keys_.end());
    return std::adjacent_find(keys_.begin(), keys_.end()) != keys_.end();
  }

  bool end_document() {
    if (docs_->size() >= limits_.max_documents || children_.size() != 1) return false;
    YNodePtr root = std::move(children_.back());
    children_.clear();
    docs_->push_back(YamlDocument{root, root->loc});
    return true;
  }

  const SourceFile& file_;
  uint32_t base_line_;
  const Limits& limits_;
  std::vector<YamlDocument>* docs_;
  std::vector<Open> open_;
  std::vector<YNodePtr> children_;
  std::vector<std::string_view> keys_;
  uint64_t nodes_ = 0;
};

}  // namespace

bool load_yaml_fast(std::string_view text, const SourceFile& file, uint32_t base_line,
                    const Limits& limits, std::vector<YamlDocument>* docs) {
  TreeSink sink(file, base_line, limits, docs);
  if (FastParser<TreeSink>(text, limits.max_depth, sink).run()) return true;
  docs->clear();
  return false;
}

bool parse_yaml_fast(std::string_view text, uint32_t max_depth,
                     std::vector<FastYamlEvent>* events) {
  events->clear();
  EventSink sink(events);
  return FastParser<EventSink>(text, max_depth, sink).run();
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
