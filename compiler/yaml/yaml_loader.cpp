#include "compiler/yaml/yaml_loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "compiler/yaml/yaml_fast_path.h"

namespace meshc {

namespace {

bool is_ascii_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

// Whether the 8 bytes at `p` are all printable ASCII (0x20-0x7E): none with the high bit,
// below 0x20 or equal to 0x7F, tested on the word at once (no byte can borrow from another
// once those with the high bit are out).
bool printable_ascii_word(const unsigned char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  const uint64_t below_space = (w - 0x20 * kOnes) & ~w;
  const uint64_t x = w ^ (0x7F * kOnes);
  const uint64_t del = (x - kOnes) & ~x;
  return ((w | below_space | del) & kHigh) == 0;
}

// Decodes the UTF-8 sequence at s[i] (its first byte not ASCII) into `cp` and `len`; false
// when it is not well-formed (a bad lead or continuation byte, cut short, an overlong form, a
// surrogate or a value past U+10FFFF).
bool decode_utf8(const unsigned char* s, size_t i, size_t n, uint32_t* cp, size_t* len) {
  unsigned char c = s[i];
  if ((c & 0xE0) == 0xC0)
    *len = 2, *cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0)
    *len = 3, *cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0)
    *len = 4, *cp = c & 0x07;
  else
    return false;
  if (i + *len > n) return false;
  for (size_t k = 1; k < *len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) return false;
    *cp = (*cp << 6) | (s[i + k] & 0x3F);
  }
  return !((*len == 2 && *cp < 0x80) || (*len == 3 && *cp < 0x800) ||
           (*len == 4 && *cp < 0x10000) || (*cp >= 0xD800 && *cp <= 0xDFFF) || *cp > 0x10FFFF);
}

// Characters YAML 1.2 does not allow in text (C1 controls, U+FFFE, U+FFFF), and those that
// YAML 1.1 readers (Helm, kubectl) take for line breaks while yaml-cpp does not (NEL, LS, PS):
// the same file would mean different things to different tools. A BOM is only allowed as the
// first character. Returns why `cp` may not stand at offset `at`, or "" when it may.
std::string code_point_problem(uint32_t cp, size_t at) {
  if (!((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFFFE ||
        cp == 0xFFFF || (cp == 0xFEFF && at != 0))) {
    return "";
  }
  char buf[160];
  const char* what = cp == 0x85     ? "next-line character U+0085 (a line break to YAML 1.1)"
                     : cp == 0x2028 ? "line separator U+2028 (a line break to YAML 1.1)"
                     : cp == 0x2029 ? "paragraph separator U+2029 (a line break to YAML 1.1)"
                     : cp == 0xFEFF ? "byte order mark U+FEFF after the start of the input"
                     : cp <= 0x9F   ? "control character"
                                    : "non-character";
  if (cp == 0xFEFF || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
    snprintf(buf, sizeof buf,
             "%s is not allowed in YAML text; write it as \\u%04X in a "
             "double-quoted string",
             what, static_cast<unsigned>(cp));
  } else {
    snprintf(buf, sizeof buf, "%s U+%04X is not allowed in YAML text", what,
             static_cast<unsigned>(cp));
  }
  return buf;
}

}  // namespace

size_t find_invalid_text(std::string_view text, std::string* why) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  for (size_t i = 0; i < n;) {
    if (n - i >= 8 && printable_ascii_word(s + i)) {
      i += 8;  // most of a spec: no byte to look at one by one
      continue;
    }
    unsigned char c = s[i];
    if (c < 0x80) {
      if (is_ascii_control(c)) {
        char buf[64];
        snprintf(buf, sizeof buf, "control character U+%04X is not allowed in YAML text", c);
        *why = buf;
        return i;
      }
      // A lone CR (classic Mac OS line ends) is a line break to YAML 1.1 and 1.2 readers
      // (Helm, kubectl) but not to yaml-cpp, which reads the lines as one.
      if (c == '\r' && (i + 1 == n || s[i + 1] != '\n')) {
        *why =
            "carriage return without a line feed (a line break to other YAML readers, not "
            "to meshc); end lines with LF or CRLF";
        return i;
      }
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (!decode_utf8(s, i, n, &cp, &len)) {
      char buf[80];
      snprintf(buf, sizeof buf, "input is not valid UTF-8 (byte 0x%02x)", c);
      *why = buf;
      return i;
    }
    if (std::string problem = code_point_problem(cp, i); !problem.empty()) {
      *why = problem;
      return i;
    }
    i += len;
  }
  return std::string::npos;
}

namespace {

// Offset of the first byte at or after `from` that does not begin a well-formed UTF-8
// sequence (overlong forms, surrogates and values past U+10FFFF included), or npos.
size_t find_invalid_utf8(const std::string& s, size_t from) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = from, n = s.size(); i < n;) {
    unsigned char c = p[i];
    size_t len = c < 0x80             ? 1
                 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 0;
    if (len == 0 || i + len > n) return i;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return i;
    }
    i += len;
  }
  return std::string::npos;
}

// yaml-cpp 0.7 writes the escapes \N (U+0085) and \_ (U+00A0) as the single bytes 0x85 and
// 0xA0 instead of their UTF-8 encodings. The text around them is UTF-8 (checked before
// parsing; yaml-cpp encodes every other escape), so such a byte can only come from one of
// these escapes: re-encode it. False when `s` is still not UTF-8 afterwards.
bool repair_escapes(std::string* s) {
  size_t bad = find_invalid_utf8(*s, 0);
  if (bad == std::string::npos) return true;
  std::string out(*s, 0, bad);
  for (size_t i = bad; i < s->size();) {
    unsigned char c = static_cast<unsigned char>((*s)[i]);
    if (c != 0x85 && c != 0xA0) return false;
    out += '\xC2';
    out += static_cast<char>(c);
    size_t next = find_invalid_utf8(*s, ++i);
    out.append(*s, i, next == std::string::npos ? std::string::npos : next - i);
    if (next == std::string::npos) break;
    i = next;
  }
  *s = std::move(out);
  return true;
}

// Thrown out of the event handler to stop the parser at the first loader error.
struct LoadStop {};

class TreeBuilder : public YAML::EventHandler {
 public:
  // Marks are relative to the parsed text, which starts at 0-based line `base_line` of `file`.
  TreeBuilder(const SourceFile& file, uint32_t base_line, const Limits& limits,
              DiagnosticSink& sink)
      : file_(file), base_line_(base_line), limits_(limits), sink_(sink) {}

  YNodePtr take_root() { return std::move(root_); }
  // Where the last document started (its "---", or its first token).
  const Location& document_start() const { return document_start_; }
  void reset() {
    root_.reset();
    stack_.clear();
    anchors_.clear();
    alias_added_ = 0;
    alias_added_bytes_ = 0;
  }

  void OnDocumentStart(const YAML::Mark& mark) override { document_start_ = loc(mark); }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto n = std::make_shared<YNode>();
    count_node(mark);
    n->kind = YNode::Kind::kNull;
    n->loc = loc(mark);
    add(n, anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(loc(mark), "alias refers to an unknown anchor");
    const YNodePtr& target = it->second;
    alias_added_ += target->expanded_size;
    alias_added_bytes_ += target->expanded_bytes;
    if (alias_added_bytes_ > limits_.max_alias_expansion_bytes) {
      // One anchored long string repeated by aliases is a bomb of few nodes.
      fail(loc(mark), "aliases expand this document by more than " +
                          std::to_string(limits_.max_alias_expansion_bytes) +
                          " bytes of text (limit of alias expansion)");
    }
    if (alias_added_ > limits_.max_alias_expansion) {
      fail(loc(mark), "aliases expand this document by more than " +
                          std::to_string(limits_.max_alias_expansion) +
                          " nodes (limit of alias expansion)");
    }
    attach(target, loc(mark));
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    auto n = std::make_shared<YNode>();
    count_node(mark);
    n->kind = YNode::Kind::kScalar;
    n->loc = loc(mark);
    n->value = value;
    if (!repair_escapes(&n->value)) {
      fail(n->loc, "escape sequence gives text that is not valid UTF-8");
    }
    n->plain = tag == "?";
    if (tag != "?" && tag != "!") {
      n->tag = core_tag(tag, n->loc);
      n->plain = false;
      check_tagged_value(*n);
    }
    add(n, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YNode::Kind::kSequence, mark, tag, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YNode::Kind::kMapping, mark, tag, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    std::shared_ptr<YNode> node;
    YAML::anchor_t anchor;
    YNodePtr pending_key;  // mappings: the key waiting for its value
    std::unordered_map<std::string, Location> keys;
  };

  // Every node built counts against Limits::max_nodes for the whole input (all documents):
  // memory and the work of every later stage are proportional to it.
  void count_node(const YAML::Mark& mark) {
    if (++nodes_ > limits_.max_nodes) {
      fail(loc(mark), "more than " + std::to_string(limits_.max_nodes) +
                          " YAML nodes in one input (limit of nodes)");
    }
  }

  Location loc(const YAML::Mark& m) const {
    Location l;
    l.file = &file_;
    l.line = base_line_ + (m.line < 0 ? 0 : static_cast<uint32_t>(m.line));
    l.col = m.column < 0 ? 0 : static_cast<uint32_t>(m.column);
    return l;
  }

  [[noreturn]] void fail(const Location& l, std::string msg) {
    sink_.error(l, "", std::move(msg));
    throw LoadStop{};
  }

  std::string core_tag(const std::string& tag, const Location& l) {
    static const std::map<std::string, std::string> kCore = {
        {"tag:yaml.org,2002:str", "str"},     {"tag:yaml.org,2002:int", "int"},
        {"tag:yaml.org,2002:bool", "bool"},   {"tag:yaml.org,2002:null", "null"},
        {"tag:yaml.org,2002:float", "float"}, {"tag:yaml.org,2002:map", "map"},
        {"tag:yaml.org,2002:seq", "seq"}};
    auto it = kCore.find(tag);
    if (it == kCore.end()) fail(l, "unsupported YAML tag " + quote(tag));
    return it->second;
  }

  void check_tagged_value(const YNode& n) {
    if (n.tag == "map" || n.tag == "seq") fail(n.loc, "tag !!" + n.tag + " on a scalar");
    if (n.tag == "str") return;
    YNode probe = n;
    probe.tag.clear();
    probe.plain = true;
    nlohmann::json j = scalar_to_json(probe);
    bool fits = (n.tag == "null" && j.is_null()) || (n.tag == "bool" && j.is_boolean()) ||
                (n.tag == "int" && j.is_number_integer()) || (n.tag == "float" && j.is_number());
    if (!fits) fail(n.loc, "value " + quote(n.value) + " does not fit its tag !!" + n.tag);
  }

  void open(YNode::Kind kind, const YAML::Mark& mark, const std::string& tag,
            YAML::anchor_t anchor) {
    auto n = std::make_shared<YNode>();
    count_node(mark);
    n->kind = kind;
    n->loc = loc(mark);
    if (tag != "?" && tag != "!" && !tag.empty()) {
      std::string t = core_tag(tag, n->loc);
      if ((kind == YNode::Kind::kMapping) != (t == "map") || (t != "map" && t != "seq")) {
        fail(n->loc, "tag !!" + t + " does not fit a " +
                         (kind == YNode::Kind::kMapping ? "mapping" : "list"));
      }
    }
    if (stack_.size() >= limits_.max_depth) {
      fail(n->loc,
           "nesting is deeper than the limit of " + std::to_string(limits_.max_depth) + " levels");
    }
    stack_.push_back(Frame{n, anchor, nullptr, {}});
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.pending_key) fail(f.pending_key->loc, "mapping key without a value");
    add(f.node, f.anchor);
  }

  // A freshly built node: record its anchor, then attach it to its parent.
  void add(const std::shared_ptr<YNode>& n, YAML::anchor_t anchor) {
    if (n->kind == YNode::Kind::kSequence) {
      for (const auto& c : n->items) {
        n->expanded_size += c->expanded_size;
        n->expanded_bytes += c->expanded_bytes;
      }
    } else if (n->kind == YNode::Kind::kMapping) {
      for (const auto& [k, v] : n->entries) {
        n->expanded_size += k->expanded_size + v->expanded_size;
        n->expanded_bytes += k->expanded_bytes + v->expanded_bytes;
      }
    } else {
      n->expanded_bytes = n->value.size();
    }
    if (anchor != YAML::NullAnchor) anchors_[anchor] = n;
    attach(n, n->loc);
  }

  void attach(const YNodePtr& n, const Location& at) {
    if (stack_.empty()) {
      root_ = n;
      return;
    }
    Frame& top = stack_.back();
    if (top.node->kind == YNode::Kind::kSequence) {
      top.node->items.push_back(n);
      return;
    }
    if (!top.pending_key) {
      if (n->kind != YNode::Kind::kScalar) {
        fail(at, n->kind == YNode::Kind::kNull
                     ? "mapping key is null"
                     : "mapping keys must be scalars, got " + describe(*n));
      }
      if (n->plain && n->value == "<<") fail(at, "merge keys (<<) are not supported");
      auto [it, inserted] = top.keys.emplace(n->value, at);
      if (!inserted) {
        sink_.error(at, "", "duplicate key " + quote(n->value))
            .note(it->second, "first defined here");
        throw LoadStop{};
      }
      // Keys are stored with the location they appear at (an aliased key keeps its alias site).
      auto key = std::make_shared<YNode>(*n);
      key->loc = at;
      top.pending_key = key;
      return;
    }
    YNodePtr value = at_key_if_empty(n, *top.pending_key);
    top.node->entries.emplace_back(std::move(top.pending_key), std::move(value));
    top.pending_key = nullptr;
  }

  const SourceFile& file_;
  uint32_t base_line_;
  const Limits& limits_;
  DiagnosticSink& sink_;
  YNodePtr root_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, YNodePtr> anchors_;
  uint64_t alias_added_ = 0;
  uint64_t alias_added_bytes_ = 0;
  uint64_t nodes_ = 0;  // not reset between documents
  Location document_start_;
};

// A tab that indents the line of the error, or the last line with content before it (yaml-cpp
// may only notice at the next key): YAML forbids tabs in indentation, and yaml-cpp reports
// them as a map it cannot close. Earlier lines are not searched, so that a tab in a block
// scalar's content is not blamed for an unrelated error further down. Lines from `first` on.
bool find_indenting_tab(const SourceFile& file, uint32_t first, uint32_t last, Location* at) {
  for (uint32_t line = last + 1, tried = 0; line-- > first && tried < 2;) {
    std::string_view text = file.line_text(line);
    size_t n = text.find_first_not_of(" \t");
    if (n == std::string_view::npos || text[n] == '#' || text[n] == '\r') continue;
    ++tried;
    size_t tab = text.substr(0, n).find('\t');
    if (tab == std::string_view::npos) continue;
    at->line = line;
    at->col = static_cast<uint32_t>(tab);
    return true;
  }
  return false;
}

// Reports what yaml-cpp threw, at its mark (kept inside the input), in meshc's words.
void report_yaml_error(const YAML::Exception& e, const SourceFile& file, uint32_t base_line,
                       const Limits& limits, DiagnosticSink& sink) {
  Location l{&file, base_line, 0};
  if (!e.mark.is_null()) {
    l.line = base_line + static_cast<uint32_t>(e.mark.line < 0 ? 0 : e.mark.line);
    l.col = static_cast<uint32_t>(e.mark.column < 0 ? 0 : e.mark.column);
    // At the end of the input yaml-cpp may put the mark past the last character.
    if (l.line >= file.line_count()) l.line = file.line_count() - 1;
    l.col = std::min<uint32_t>(l.col, static_cast<uint32_t>(file.line_text(l.line).size()));
  }
  std::string msg = e.msg;
  if (dynamic_cast<const YAML::DeepRecursion*>(&e)) {
    msg = "nesting is deeper than the limit of " + std::to_string(limits.max_depth) + " levels";
  } else if (find_indenting_tab(file, base_line, l.line, &l)) {
    // yaml-cpp says "end of map not found" or "illegal map value" about a tab.
    msg = "invalid YAML: a tab in the indentation; YAML indents with spaces only";
  } else {
    msg = "invalid YAML: " + msg;
    // yaml-cpp (like libyaml) reads an implicit key of at most 1024 characters; a longer
    // one shows up as a map value it cannot place.
    if (e.msg == YAML::ErrorMsg::MAP_VALUE && !e.mark.is_null() && e.mark.column > 1024) {
      msg += " (a key longer than 1024 characters must be written as an explicit key, \"? key\")";
    }
  }
  sink.error(l, "", msg);
}

}  // namespace

std::vector<YamlDocument> load_yaml(const SourceFile& file, const Limits& limits,
                                    DiagnosticSink& sink) {
  return load_yaml_range(file, 0, file.text().size(), limits, sink);
}

std::vector<YamlDocument> load_yaml_range(const SourceFile& file, size_t begin, size_t end,
                                          const Limits& limits, DiagnosticSink& sink) {
  std::vector<YamlDocument> docs;
  std::string why;
  const std::string_view text = file.text().substr(begin, end - begin);
  uint32_t base_line = 0, base_col = 0;
  file.position_of(begin, &base_line, &base_col);
  size_t bad = find_invalid_text(text, &why);
  if (bad != std::string::npos) {
    Location l{&file, 0, 0};
    file.position_of(begin + bad, &l.line, &l.col);
    sink.error(l, "", why);
    return docs;
  }
  // The block-style subset most specs are written in is parsed without yaml-cpp, straight
  // into trees; failing that (or to report an error in it), into the very events yaml-cpp
  // would give (yaml_fast_path.h); anything else goes to yaml-cpp.
  if (load_yaml_fast(text, file, base_line, limits, &docs)) return docs;
  std::vector<FastYamlEvent> fast;
  const bool use_fast = parse_yaml_fast(text, limits.max_depth, &fast);
  FastYamlReplay replay(fast);
  std::optional<std::istringstream> in;
  if (!use_fast) in.emplace(std::string(text));
  TreeBuilder builder(file, base_line, limits, sink);
  try {
    std::optional<YAML::Parser> parser;
    if (!use_fast) parser.emplace(*in);
    for (;;) {
      builder.reset();
      if (!(use_fast ? replay.HandleNextDocument(builder) : parser->HandleNextDocument(builder))) {
        break;
      }
      YNodePtr root = builder.take_root();
      if (!root) {
        auto n = std::make_shared<YNode>();
        n->loc = Location{&file, base_line, 0};
        root = n;
      }
      if (docs.size() >= limits.max_documents) {
        sink.error(builder.document_start(), "",
                   "more than " + std::to_string(limits.max_documents) +
                       " YAML documents in one input (limit of documents)");
        return docs;
      }
      docs.push_back(YamlDocument{root, root->loc});
    }
  } catch (const LoadStop&) {
  } catch (const YAML::Exception& e) {
    report_yaml_error(e, file, base_line, limits, sink);
  }
  return docs;
}

}  // namespace meshc
