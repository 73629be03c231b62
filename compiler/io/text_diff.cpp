#include "compiler/io/text_diff.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace meshc {

namespace {

std::vector<std::string_view> split_lines(const std::string& s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    size_t end = nl == std::string::npos ? s.size() : nl + 1;
    out.push_back(std::string_view(s).substr(pos, end - pos));
    pos = end;
  }
  return out;
}

enum class Op { kKeep, kDelete, kInsert };

// Beyond this many differing lines the frontiers kept for the backtrack (O(D^2) integers)
// would cost too much; the diff then replaces every line.
constexpr int kMaxEditDistance = 3000;

// Myers' O((N+M)D) shortest edit script, recovered from the saved frontier of every step.
std::vector<Op> edit_script(const std::vector<std::string_view>& a,
                            const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max = n + m;
  const int offset = max + 1;
  std::vector<int> v(2 * max + 3, 0);
  std::vector<std::vector<int>> trace;  // trace[d][k + d]: frontier before step d, |k| <= d
  int found_d = -1;
  for (int d = 0; d <= max && found_d < 0; ++d) {
    if (d > kMaxEditDistance) {
      std::vector<Op> all(static_cast<size_t>(n), Op::kDelete);
      all.insert(all.end(), static_cast<size_t>(m), Op::kInsert);
      return all;
    }
    trace.emplace_back(v.begin() + offset - d, v.begin() + offset + d + 1);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                  ? v[offset + k + 1]
                  : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  std::vector<Op> ops;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& pv = trace[d];
    int k = x - y;
    bool down = k == -d || (k != d && pv[k - 1 + d] < pv[k + 1 + d]);
    int pk = down ? k + 1 : k - 1;
    int px = pv[pk + d], py = px - pk;
    while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0)) {
      ops.push_back(Op::kKeep);
      --x, --y;
    }
    ops.push_back(down ? Op::kInsert : Op::kDelete);
    x = px, y = py;
  }
  while (x > 0 && y > 0) {
    ops.push_back(Op::kKeep);
    --x, --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

void append_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range(int start, int count) {
  // diff -u: "l,n"; "l" alone when n is 1; an empty range names the line before it.
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(count == 0 ? start : start + 1) + "," + std::to_string(count);
}

}  // namespace

std::string unified_diff(const std::string& a, const std::string& b, const std::string& a_label,
                         const std::string& b_label, int context) {
  if (a == b) return "";
  auto la = split_lines(a), lb = split_lines(b);
  std::vector<Op> ops = edit_script(la, lb);
  // Positions in a and b before each op.
  std::vector<int> ia(ops.size() + 1), ib(ops.size() + 1);
  for (size_t i = 0; i < ops.size(); ++i) {
    ia[i + 1] = ia[i] + (ops[i] != Op::kInsert);
    ib[i + 1] = ib[i] + (ops[i] != Op::kDelete);
  }
  std::string out = "--- " + a_label + "\n+++ " + b_label + "\n";
  const int total = static_cast<int>(ops.size());
  int i = 0;
  while (i < total) {
    while (i < total && ops[i] == Op::kKeep) ++i;
    if (i == total) break;
    int start = std::max(0, i - context);
    // Extend the hunk while the next change is within 2 * context kept lines.
    int end = i;
    for (;;) {
      while (end < total && ops[end] != Op::kKeep) ++end;
      int keep = end;
      while (keep < total && ops[keep] == Op::kKeep) ++keep;
      if (keep < total && keep - end <= 2 * context) {
        end = keep;
        continue;
      }
      end = std::min(total, end + context);
      break;
    }
    out += "@@ -" + range(ia[start], ia[end] - ia[start]) + " +" +
           range(ib[start], ib[end] - ib[start]) + " @@\n";
    for (int j = start; j < end; ++j) {
      switch (ops[j]) {
        case Op::kKeep:
          append_line(out, ' ', la[ia[j]]);
          break;
        case Op::kDelete:
          append_line(out, '-', la[ia[j]]);
          break;
        case Op::kInsert:
          append_line(out, '+', lb[ib[j]]);
          break;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace meshc
