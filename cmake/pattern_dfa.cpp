// A schema pattern -> Thompson NFA over bytes -> DFA by subset construction (see pattern_dfa.h
// for the syntax accepted and whose semantics it keeps).
#include "pattern_dfa.h"

#include <algorithm>
#include <bitset>
#include <cctype>
#include <map>

namespace meshc::pattern_dfa {

namespace {

using ByteSet = std::bitset<256>;

// A set of characters: ASCII members, and whether it holds every character past ASCII (the only
// non-ASCII sets the accepted syntax can make).
struct CharSet {
  std::bitset<128> ascii;
  bool high = false;
};

CharSet digits() {
  CharSet s;
  for (int c = '0'; c <= '9'; ++c) s.ascii.set(c);
  return s;
}

CharSet word() {
  CharSet s = digits();
  for (int c = 'a'; c <= 'z'; ++c) s.ascii.set(c).set(c - 'a' + 'A');
  s.ascii.set('_');
  return s;
}

CharSet space() {  // RE2's \s: [\t\n\f\r ]
  CharSet s;
  for (int c : {'\t', '\n', '\f', '\r', ' '}) s.ascii.set(c);
  return s;
}

CharSet negate(CharSet s) {
  s.ascii.flip();
  s.high = !s.high;
  return s;
}

ByteSet bytes(int lo, int hi) {
  ByteSet b;
  for (int c = lo; c <= hi; ++c) b.set(c);
  return b;
}

struct NState {
  ByteSet on;   // bytes leading to `to`
  int to = -1;  // -1: no byte edge
  std::vector<int> eps;
};

// A piece of the NFA: entered at `in`, left from `out` (which has no byte edge yet).
struct Frag {
  int in, out;
};

class Nfa {
 public:
  std::vector<NState> states;

  int add() {
    states.emplace_back();
    return static_cast<int>(states.size() - 1);
  }
  void eps(int a, int b) { states[a].eps.push_back(b); }
  // A state has at most one byte edge; a second one leaves from a new state reached by epsilon.
  void edge(int a, int b, const ByteSet& on) {
    if (states[a].to >= 0) {
      int m = add();
      eps(a, m);
      a = m;
    }
    states[a].on = on;
    states[a].to = b;
  }
  Frag empty() {
    int s = add();
    return {s, s};
  }
  Frag chain(int from, const std::vector<ByteSet>& steps, int to) {
    int at = from;
    for (size_t i = 0; i + 1 < steps.size(); ++i) {
      int next = add();
      edge(at, next, steps[i]);
      at = next;
    }
    edge(at, to, steps.back());
    return {from, to};
  }
  // RE2's UTF-8 program for a class: ASCII bytes, and for 80-10FFFF its simplified sequences.
  Frag chars(const CharSet& c) {
    int in = add(), out = add();
    ByteSet ascii;
    for (int b = 0; b < 128; ++b) ascii[b] = c.ascii[b];
    if (ascii.any()) edge(in, out, ascii);
    if (c.high) {
      const ByteSet cont = bytes(0x80, 0xBF);
      chain(in, {bytes(0xC2, 0xDF), cont}, out);
      chain(in, {bytes(0xE0, 0xEF), cont, cont}, out);
      chain(in, {bytes(0xF0, 0xF4), cont, cont, cont}, out);
    }
    return {in, out};
  }
  Frag cat(Frag a, Frag b) {
    eps(a.out, b.in);
    return {a.in, b.out};
  }
  Frag alt(Frag a, Frag b) {
    int s = add(), e = add();
    eps(s, a.in);
    eps(s, b.in);
    eps(a.out, e);
    eps(b.out, e);
    return {s, e};
  }
  Frag repeat(Frag f, char q) {
    int s = add(), e = add();
    eps(s, f.in);
    if (q != '+') eps(s, e);         // * and ?: zero times
    if (q != '?') eps(f.out, f.in);  // * and +: again
    eps(f.out, e);
    return {s, e};
  }
};

// What an escape or a class member stands for: one character (`single` >= 0) or a set.
struct Atom {
  CharSet set;
  int single = -1;
};

class Parser {
 public:
  Parser(const std::string& p, Nfa& nfa) : p_(p), nfa_(nfa) {}

  bool anchored_start = false, anchored_end = false;

  Frag parse() {
    for (unsigned char c : p_) {
      if (c < 0x20 || c >= 0x7f) fail("a byte outside printable ASCII", 0);
    }
    Frag f = alternation();
    if (i_ < p_.size()) fail("an unmatched )", i_);
    if ((anchored_start || anchored_end) && top_alternation_)
      fail("^ or $ with | at the top level (group the alternatives)", 0);
    return f;
  }

 private:
  [[noreturn]] void fail(const std::string& what, size_t at) const {
    throw PatternError(what + " at offset " + std::to_string(at) + " of pattern \"" + p_ +
                       "\" is not supported by cmake/pattern_dfa.cpp");
  }
  bool at(char c) const { return i_ < p_.size() && p_[i_] == c; }

  Frag alternation() {
    Frag f = concatenation();
    while (at('|')) {
      ++i_;
      if (depth_ == 0) top_alternation_ = true;
      f = nfa_.alt(f, concatenation());
    }
    return f;
  }

  Frag concatenation() {
    Frag f = nfa_.empty();
    while (i_ < p_.size() && !at('|') && !at(')')) {
      if (at('^')) {
        if (i_ != 0) fail("^ not at the start of the pattern", i_);
        anchored_start = true;
        ++i_;
      } else if (at('$')) {
        if (i_ + 1 != p_.size() || depth_ != 0) fail("$ not at the end of the pattern", i_);
        anchored_end = true;
        ++i_;
      } else {
        f = nfa_.cat(f, repetition());
      }
    }
    return f;
  }

  static bool quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

  Frag repetition() {
    Frag f = atom();
    if (i_ >= p_.size() || !quantifier(p_[i_])) return f;
    if (at('{')) fail("counted repetition {n,m}", i_);
    f = nfa_.repeat(f, p_[i_++]);
    if (at('?')) ++i_;  // lazy: the same strings match
    if (i_ < p_.size() && quantifier(p_[i_])) fail("a quantifier after a quantifier", i_);
    return f;
  }

  Frag atom() {
    const size_t start = i_;
    const char c = p_[i_++];
    switch (c) {
      case '(':
        return group();
      case '[':
        return nfa_.chars(char_class());
      case '.': {
        CharSet s = negate(CharSet{});
        s.ascii.reset('\n');
        return nfa_.chars(s);
      }
      case '\\': {
        Atom a = escape();
        return nfa_.chars(set_of(a));
      }
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        fail(std::string("an unescaped ") + c, start);
      default: {
        CharSet s;
        s.ascii.set(static_cast<unsigned char>(c));
        return nfa_.chars(s);
      }
    }
  }

  Frag group() {
    if (at('?')) {
      if (i_ + 1 >= p_.size() || p_[i_ + 1] != ':') fail("a group with flags or a name", i_);
      i_ += 2;
    }
    ++depth_;
    Frag f = alternation();
    if (!at(')')) fail("a missing )", i_);
    ++i_;
    --depth_;
    return f;
  }

  static CharSet set_of(const Atom& a) {
    if (a.single < 0) return a.set;
    CharSet s;
    s.ascii.set(a.single);
    return s;
  }

  Atom escape() {
    if (i_ >= p_.size()) fail("a trailing \\", i_);
    const char c = p_[i_++];
    Atom a;
    if (std::ispunct(static_cast<unsigned char>(c)) && c != '_') {  // RE2: \_ is an error
      a.single = static_cast<unsigned char>(c);
      return a;
    }
    static const std::string kControls = "t\tn\nr\rf\fv\v";
    if (size_t k = kControls.find(c); k != std::string::npos && k % 2 == 0) {
      a.single = kControls[k + 1];
      return a;
    }
    switch (std::tolower(static_cast<unsigned char>(c))) {
      case 'd':
        a.set = digits();
        break;
      case 's':
        a.set = space();
        break;
      case 'w':
        a.set = word();
        break;
      default:
        fail(std::string("the escape \\") + c, i_ - 2);
    }
    if (std::isupper(static_cast<unsigned char>(c))) a.set = negate(a.set);
    return a;
  }

  Atom class_member() {
    if (at('[') && i_ + 1 < p_.size() && p_[i_ + 1] == ':') fail("a POSIX class [:...:]", i_);
    if (at('\\')) {
      ++i_;
      return escape();
    }
    Atom a;
    a.single = static_cast<unsigned char>(p_[i_++]);
    return a;
  }

  // After '[': the members up to ']', negated for [^...]. '-' is a literal first or last, a
  // range between two characters, and refused elsewhere.
  CharSet char_class() {
    const bool negated = at('^');
    if (negated) ++i_;
    CharSet set;
    for (bool first = true;; first = false) {
      if (i_ >= p_.size()) fail("a missing ]", i_);
      if (at(']') && !first) break;
      if (at('-') && !first && !(i_ + 1 < p_.size() && p_[i_ + 1] == ']'))
        fail("a - inside a class that is not a range (escape it)", i_);
      add_member(set);
    }
    ++i_;
    return negated ? negate(set) : set;
  }

  void add_member(CharSet& set) {
    Atom lo = class_member();
    if (lo.single >= 0 && at('-') && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
      const size_t dash = i_++;
      Atom hi = class_member();
      if (hi.single < 0 || hi.single < lo.single) fail("a bad class range", dash);
      for (int c = lo.single; c <= hi.single; ++c) set.ascii.set(c);
      return;
    }
    CharSet s = set_of(lo);
    set.ascii |= s.ascii;
    set.high = set.high || s.high;
  }

  const std::string& p_;
  Nfa& nfa_;
  size_t i_ = 0;
  int depth_ = 0;
  bool top_alternation_ = false;
};

using StateSet = std::vector<int>;  // sorted NFA states, closed under epsilon

StateSet closure(const Nfa& nfa, std::vector<int> todo) {
  std::vector<bool> seen(nfa.states.size());
  StateSet out;
  while (!todo.empty()) {
    int s = todo.back();
    todo.pop_back();
    if (seen[s]) continue;
    seen[s] = true;
    out.push_back(s);
    for (int e : nfa.states[s].eps) todo.push_back(e);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Subset construction over all 256 bytes: rows[state][byte]; state 0 is the empty set.
struct Subsets {
  std::vector<std::array<uint32_t, 256>> rows;
  std::vector<uint8_t> accept;
  uint32_t start = 0;
};

Subsets determinize(const Nfa& nfa, int start, int accept) {
  Subsets d;
  std::map<StateSet, uint32_t> ids;
  std::vector<StateSet> sets;
  auto id_of = [&](StateSet s) {
    auto [it, fresh] = ids.emplace(s, static_cast<uint32_t>(sets.size()));
    if (fresh) sets.push_back(std::move(s));
    return it->second;
  };
  id_of({});
  d.start = id_of(closure(nfa, {start}));
  for (size_t i = 0; i < sets.size(); ++i) {
    std::array<uint32_t, 256> row{};
    for (int b = 0; b < 256; ++b) {
      std::vector<int> moved;
      for (int s : sets[i]) {
        if (nfa.states[s].to >= 0 && nfa.states[s].on[b]) moved.push_back(nfa.states[s].to);
      }
      row[b] = moved.empty() ? 0 : id_of(closure(nfa, std::move(moved)));
    }
    d.rows.push_back(row);
    d.accept.push_back(std::binary_search(sets[i].begin(), sets[i].end(), accept));
  }
  return d;
}

// Bytes that lead every state to the same state share a class.
Dfa compress(const Subsets& d) {
  Dfa out;
  std::map<std::vector<uint32_t>, uint8_t> classes;
  std::vector<std::vector<uint32_t>> columns;
  for (int b = 0; b < 256; ++b) {
    std::vector<uint32_t> column;
    for (const auto& row : d.rows) column.push_back(row[b]);
    auto [it, fresh] = classes.emplace(column, static_cast<uint8_t>(columns.size()));
    if (fresh) columns.push_back(column);
    out.byte_class[b] = it->second;
  }
  out.classes = static_cast<uint32_t>(columns.size());
  out.start = d.start;
  out.accept = d.accept;
  for (size_t s = 0; s < d.rows.size(); ++s) {
    for (const auto& column : columns) out.next.push_back(column[s]);
  }
  return out;
}

}  // namespace

Dfa compile(const std::string& pattern) {
  Nfa nfa;
  Parser parser(pattern, nfa);
  Frag f = parser.parse();
  int start = f.in;
  if (!parser.anchored_start) {  // PartialMatch: the match may begin at any byte
    start = nfa.add();
    nfa.edge(start, start, ByteSet().set());
    nfa.eps(start, f.in);
  }
  if (!parser.anchored_end) {  // ... and end before any byte: once matched, stay matched
    nfa.edge(f.out, f.out, ByteSet().set());
  }
  return compress(determinize(nfa, start, f.out));
}

bool matches(const Dfa& dfa, std::string_view s) {
  uint32_t state = dfa.start;
  for (unsigned char c : s) {
    state = dfa.next[state * dfa.classes + dfa.byte_class[c]];
    if (state == 0) return false;
  }
  return dfa.accept[state] != 0;
}

}  // namespace meshc::pattern_dfa
