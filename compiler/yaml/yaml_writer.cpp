#include "compiler/yaml/yaml_writer.h"

#include <re2/re2.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string_view>
#include <utility>

namespace meshc {

using Object = nlohmann::ordered_json;  // any tree the writer prints

namespace {

// What each byte means to is_plain_safe, one table for every test it makes per byte.
enum : unsigned char {
  kNeverPlain = 1,    // controls, non-ASCII (quoted) and the flow indicators ,[]{}
  kColonOrHash = 2,   // ':' or '#': plain unless beside a space
  kBadFirst = 4,      // may not start a plain scalar: -?:,[]{}#&*!|>'"%@` space tab
  kWordFirst = 8,     // starts one of looks_special's words: ~nNtTfFyYoO=<
  kNumberFirst = 16,  // starts what the number pattern can match: sign, dot or digit
};

constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20 || c == 0x7F || c >= 0x80) t[c] |= kNeverPlain;  // non-ASCII is quoted
  }
  for (unsigned char c : {',', '[', ']', '{', '}'}) t[c] |= kNeverPlain;  // flow-safe
  t[':'] |= kColonOrHash;
  t['#'] |= kColonOrHash;
  for (const char* p = "-?:,[]{}#&*!|>'\"%@` \t"; *p; ++p) {
    t[static_cast<unsigned char>(*p)] |= kBadFirst;
  }
  for (const char* p = "~nNtTfFyYoO=<"; *p; ++p) t[static_cast<unsigned char>(*p)] |= kWordFirst;
  for (const char* p = "-+.0123456789"; *p; ++p) {
    t[static_cast<unsigned char>(*p)] |= kNumberFirst;
  }
  return t;
}();

unsigned char byte_class(char c) {
  return kByteClass[static_cast<unsigned char>(c)];
}

bool looks_special(const std::string& s) {
  // Words that YAML 1.1 or 1.2 readers (go-yaml v2 in Helm and kubectl, yaml-cpp, PyYAML)
  // resolve to something other than a string, by length (none is longer than 5 characters):
  // a key such as "name" is compared with the six words of its length, not all 28.
  static constexpr std::string_view kWords1[] = {"~", "y", "Y", "n", "N", "="};
  static constexpr std::string_view kWords2[] = {"no", "No", "NO", "on", "On", "ON", "<<"};
  static constexpr std::string_view kWords3[] = {"yes", "Yes", "YES", "off", "Off", "OFF"};
  static constexpr std::string_view kWords4[] = {"null", "Null", "NULL", "true", "True", "TRUE"};
  static constexpr std::string_view kWords5[] = {"false", "False", "FALSE"};
  static constexpr std::pair<const std::string_view*, size_t> kWords[] = {
      {nullptr, 0},
      {kWords1, std::size(kWords1)},
      {kWords2, std::size(kWords2)},
      {kWords3, std::size(kWords3)},
      {kWords4, std::size(kWords4)},
      {kWords5, std::size(kWords5)}};
  const unsigned char cls = byte_class(s.front());
  if (s.size() <= 5 && (cls & kWordFirst)) {
    const auto [words, count] = kWords[s.size()];
    for (size_t i = 0; i < count; ++i) {
      if (words[i].front() == s.front() && words[i] == s) return true;
    }
  }
  // Every string the pattern below matches starts with a sign, a dot or a digit; the writer
  // sees mostly names, so the others are decided here without running (or building) the RE2.
  if (!(cls & kNumberFirst)) return false;
  // Numbers, timestamps and sexagesimals as YAML 1.1 (go-yaml v2: Helm, kubectl) or 1.2
  // (yaml-cpp, PyYAML core) would read them: such strings must be quoted.
  static const RE2* kNumberLike = new RE2(
      "[-+]?(0b[0-1_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|"
      "\\.[0-9_]+([eE][-+]?[0-9]+)?|\\.(inf|Inf|INF)|[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?)|"
      "\\.(nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");
  return RE2::FullMatch(s, *kNumberLike);
}

}  // namespace

namespace {

// is_plain_safe() for the strings the fast test leaves undecided.
bool plain_safe_slow(const std::string& s) {
  // Cheapest tests first; the result is their conjunction, so the order changes nothing.
  const char first = s.front();
  if (byte_class(first) & kBadFirst) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  const char* p = s.data();
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char cls = byte_class(p[i]) & (kNeverPlain | kColonOrHash);
    if (cls == 0) continue;
    if (cls & kNeverPlain) return false;
    if (p[i] == ':' && i + 1 < n && p[i + 1] == ' ') return false;
    if (p[i] == '#' && i > 0 && p[i - 1] == ' ') return false;
  }
  if (n >= 3 && (first == '-' || first == '.') && s[1] == first && s[2] == first) {
    return false;  // "---" or "..." would start or end a document
  }
  return !looks_special(s);
}

// is_plain_safe(), inlined into the writer.
inline bool plain_safe(const std::string& s) {
  const size_t n = s.size();
  if (n == 0) return false;
  // Most strings (names, keys) hold no byte that needs a second look and start with one that
  // begins no special word or number: one pass ORs the bytes' classes, without a branch per
  // byte, and decides them; the others take the full test.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  // Four bytes a step into four accumulators: no step waits on the one before.
  unsigned char a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 |= kByteClass[p[i]];
    a1 |= kByteClass[p[i + 1]];
    a2 |= kByteClass[p[i + 2]];
    a3 |= kByteClass[p[i + 3]];
  }
  for (; i < n; ++i) a0 |= kByteClass[p[i]];
  const unsigned char any = a0 | a1 | a2 | a3;
  if (any & (kNeverPlain | kColonOrHash)) return plain_safe_slow(s);
  // No byte needs a look at its neighbours: what is left of plain_safe_slow's tests.
  const unsigned char first = kByteClass[p[0]];
  if ((first & kBadFirst) || p[n - 1] == ' ') return false;
  if ((first & (kWordFirst | kNumberFirst)) == 0) return true;
  if (n >= 3 && p[0] == '.' && p[1] == '.' && p[2] == '.') return false;  // "---": '-' is bad
  return !looks_special(s);
}

}  // namespace

bool is_plain_safe(const std::string& s) {
  return plain_safe(s);
}

// Decodes the UTF-8 sequence at s[i]; returns its length, or 0 when it is not well-formed.
static size_t decode_utf8(const std::string& s, size_t i, uint32_t* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
  if (len == 0 || i + len > s.size()) return 0;
  *cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    unsigned char b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) ||
      (*cp >= 0xD800 && *cp <= 0xDFFF) || *cp > 0x10FFFF) {
    return 0;
  }
  return len;
}

// A double-quoted scalar that every YAML reader (yaml-cpp, go-yaml v2/v3 in Helm and kubectl,
// PyYAML, libyaml) reads back as exactly `s`. Escaped, besides '"' and '\\': ASCII controls;
// C1 controls including NEL (U+0085); LS and PS (U+2028, U+2029); the BOM (U+FEFF) and the
// non-characters U+FFFE, U+FFFF. YAML 1.1 readers treat NEL, LS and PS as line breaks and fold
// them to spaces inside quotes, and reject C1 controls and non-characters outright. Escapes are
// \uXXXX (yaml-cpp mis-decodes \N and \_). `s` is UTF-8 (the loader guarantees it); a byte
// that is not is written as U+FFFD, never raw.
static void write_quoted(const std::string& s, std::string& out) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char buf[16];
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t len = decode_utf8(s, i, &cp);
    if (len == 0) {
      out += "\\uFFFD";
      ++i;
      continue;
    }
    if (cp <= 0x9F || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE ||
        cp == 0xFFFF) {
      snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s, i, len);  // printable UTF-8 passes through inside quotes
    }
    i += len;
  }
  out += '"';
}

namespace {

// Appends to a string through its spare size: the writer puts a few bytes at a time, hundreds
// of times per object, and std::string's append is a call with its own checks each time. The
// string is grown ahead (as append would) and cut to what was written when the Writer goes.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out), len_(out.size()) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  ~Writer() { out_.resize(len_); }

  void put(char c) {
    room(1);
    out_[len_++] = c;
  }
  void put(std::string_view s) {
    room(s.size());
    copy(&out_[len_], s.data(), s.size());
    len_ += s.size();
  }
  // Up to kSlack bytes of a constant: the whole of the constant's buffer is copied (room()
  // leaves the slack behind the end), then the length counts only `n` of them.
  template <size_t N>
  void put_fixed(const char (&s)[N]) {
    static_assert(N - 1 <= kSlack);
    room(N - 1);
    std::memcpy(&out_[len_], s, N);
    len_ += N - 1;
  }
  void spaces(int n) {
    static constexpr char kSpaces[] =
        "                                                                ";
    const auto count = static_cast<size_t>(n);
    room(count);
    if (count <= kSlack) {
      std::memcpy(&out_[len_], kSpaces, kSlack);  // a fixed size: a few stores, no call
    } else {
      std::memset(&out_[len_], ' ', count);
    }
    len_ += count;
  }
  // For the rare paths that append to the string itself: done() gives it exactly as written so
  // far; after appending, resume() takes the writer on from its end.
  std::string& done() {
    out_.resize(len_);
    return out_;
  }
  void resume() { len_ = out_.size(); }

  void scalar(const Object& v);
  void str(const std::string& s);  // a string scalar, or a key
  void key(const std::string& k) { str(k); }
  void node(const Object& v, int indent);
  void mapping(const Object& m, int indent, bool first_inline);
  void value(const Object& val, int indent);

 private:
  // Room for n bytes and kSlack more, which fixed-size copies may write over.
  void room(size_t n) {
    if (len_ + n + kSlack > out_.size()) out_.resize(len_ + n + kSlack + 1024);
  }
  // memcpy of a short string without a call: two overlapping moves of 8 (or 4) bytes.
  static void copy(char* d, const char* s, size_t n) {
    if (n >= 8 && n <= 16) {
      uint64_t a, b;
      std::memcpy(&a, s, 8);
      std::memcpy(&b, s + n - 8, 8);
      std::memcpy(d, &a, 8);
      std::memcpy(d + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) {
      uint32_t a, b;
      std::memcpy(&a, s, 4);
      std::memcpy(&b, s + n - 4, 4);
      std::memcpy(d, &a, 4);
      std::memcpy(d + n - 4, &b, 4);
    } else if (n > 0 && n < 4) {
      d[0] = s[0];
      d[n / 2] = s[n / 2];
      d[n - 1] = s[n - 1];
    } else if (n > 16) {
      std::memcpy(d, s, n);
    }
  }
  static constexpr size_t kSlack = 64;
  void quoted(const std::string& s) {
    write_quoted(s, done());
    resume();
  }
  template <typename Int>
  void integer(Int i) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, i);
    (void)ec;  // 24 bytes hold every 64-bit integer
    put(std::string_view(buf, static_cast<size_t>(end - buf)));
  }

  std::string& out_;
  size_t len_;  // bytes of out_ written; the rest is room
};

void Writer::scalar(const Object& v) {
  switch (v.type()) {
    case Object::value_t::boolean:
      put(v.get<bool>() ? "true" : "false");
      return;
    case Object::value_t::number_integer:
      integer(v.get<int64_t>());
      return;
    case Object::value_t::number_unsigned:
      integer(v.get<uint64_t>());
      return;
    case Object::value_t::number_float: {
      double d = v.get<double>();
      if (std::isnan(d))
        put_fixed(".nan");
      else if (std::isinf(d))
        put(d > 0 ? ".inf" : "-.inf");
      else
        put(v.dump());  // shortest round-trip form
      return;
    }
    case Object::value_t::string:
      str(v.get_ref<const std::string&>());
      return;
    case Object::value_t::array:
      put_fixed("[]");
      return;
    case Object::value_t::object:
      put_fixed("{}");
      return;
    default:  // null, and anything else
      put_fixed("null");
      return;
  }
}

bool is_block(const Object& v) {
  return (v.is_object() || v.is_array()) && !v.empty();
}

// Inlined into its callers: it is most of the writer's calls, each a few instructions.
inline __attribute__((always_inline)) void Writer::str(const std::string& s) {
  if (plain_safe(s))
    put(s);
  else
    quoted(s);
}

// A key longer than kMaxImplicitKey characters as written is put in YAML's explicit form
// ("? key" then ": value" on the next line, the value indented below it when it is a block):
// yaml-cpp and go-yaml (libyaml) cannot read an implicit key of more than 1024 characters.
constexpr size_t kMaxImplicitKey = 1000;
// A key of at most this many bytes is written straight to the output: quoting writes at most 6
// characters per byte ("\uFFFD" for a byte that is not UTF-8), so it cannot pass the limit.
constexpr size_t kMaxShortKey = (kMaxImplicitKey - 2) / 6;

// Writes the entries of a non-empty mapping; the first line's indentation is already written
// when `first_inline` is true (a mapping as a list item).
void Writer::mapping(const Object& m, int indent, bool first_inline) {
  bool first = true;
  for (const auto& [k, val] : m.get_ref<const Object::object_t&>()) {
    if (!(first && first_inline)) spaces(indent);
    first = false;
    if (k.size() <= kMaxShortKey) {
      key(k);
      value(val, indent);
      continue;
    }
    std::string written;
    Writer(written).key(k);
    if (written.size() <= kMaxImplicitKey) {
      put(written);
      value(val, indent);
      continue;
    }
    put_fixed("? ");
    put(written);
    put('\n');
    spaces(indent);
    if (is_block(val)) {
      put_fixed(":\n");
      node(val, indent + 2);
    } else {
      put_fixed(": ");
      scalar(val);
      put('\n');
    }
  }
}

// The rest of an entry whose key (at `indent`) has just been written.
void Writer::value(const Object& val, int indent) {
  switch (val.type()) {
    case Object::value_t::string:  // the most common: one test
      put_fixed(": ");
      str(val.get_ref<const std::string&>());
      put('\n');
      return;
    case Object::value_t::object:
      if (val.get_ref<const Object::object_t&>().empty()) break;
      put_fixed(":\n");
      mapping(val, indent + 2, false);
      return;
    case Object::value_t::array:
      if (val.get_ref<const Object::array_t&>().empty()) break;
      put_fixed(":\n");
      node(val, indent);  // lists sit at their key's indentation (kubectl style)
      return;
    default:
      break;
  }
  put_fixed(": ");
  scalar(val);
  put('\n');
}

void Writer::node(const Object& v, int indent) {
  if (v.is_object() && !v.empty()) {
    mapping(v, indent, false);
    return;
  }
  if (v.is_array() && !v.empty()) {
    for (const Object& item : v.get_ref<const Object::array_t&>()) {
      spaces(indent);
      if (item.is_object() && !item.empty()) {
        put_fixed("- ");
        mapping(item, indent + 2, true);
      } else if (item.is_array() && !item.empty()) {
        put_fixed("-\n");  // "-" alone on its line, the nested list below it
        node(item, indent + 2);
      } else {
        put_fixed("- ");
        scalar(item);
        put('\n');
      }
    }
    return;
  }
  spaces(indent);
  scalar(v);
  put('\n');
}

}  // namespace

void write_yaml_scalar(const Object& v, std::string& out) {
  Writer(out).scalar(v);
}

void write_yaml_document(const Object& doc, std::string& out) {
  Writer w(out);
  w.put_fixed("---\n");
  w.node(doc, 0);
}

}  // namespace meshc
