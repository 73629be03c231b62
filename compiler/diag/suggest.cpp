#include "compiler/diag/suggest.h"

#include <algorithm>
#include <cctype>

namespace meshc {

static size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (tolower(a[i - 1]) == tolower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {

// Lower case, without the separators '-', '_', '.' and ' '.
std::string squash(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == '_' || c == '.' || c == ' ') continue;
    out += static_cast<char>(tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// `a` abbreviates `b`: shorter, same first letter, every letter of `a` in `b` in order.
bool abbreviates(const std::string& a, const std::string& b) {
  if (a.size() < 3 || a.size() >= b.size() || a[0] != b[0]) return false;
  size_t j = 0;
  for (char c : b) {
    if (j < a.size() && c == a[j]) ++j;
  }
  return j == a.size();
}

}  // namespace

std::string closest_word(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string w = squash(word);
  for (const auto& c : candidates) {
    if (!w.empty() && squash(c) == w) return c;
  }
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    // The distance is at least the difference in length: a megabyte-long unknown key costs
    // nothing to rule out.
    size_t gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (gap >= best_d) continue;
    size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  if (!best.empty()) return best;  // a typo ("nmae" -> "name", not "namespace")
  std::string abbreviated;
  size_t count = 0;
  for (const auto& c : candidates) {
    if (abbreviates(w, squash(c))) abbreviated = c, ++count;
  }
  return count == 1 ? abbreviated : "";
}

}  // namespace meshc
