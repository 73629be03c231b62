#include "compiler/byte_scan.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace meshc {

namespace {

constexpr size_t npos = std::string_view::npos;

#if defined(__SSE2__)
inline __m128i load16(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
inline unsigned mask_of(__m128i v) { return static_cast<unsigned>(_mm_movemask_epi8(v)); }
#endif

}  // namespace

size_t count_byte(std::string_view s, char c) {
  const char* p = s.data();
  size_t n = s.size(), i = 0, count = 0;
#if defined(__SSE2__)
  // Per-lane counters (a match is -1, so subtracting counts it), summed before they can wrap.
  const __m128i needle = _mm_set1_epi8(c), zero = _mm_setzero_si128();
  while (i + 16 <= n) {
    __m128i lanes = zero;
    for (int k = 0; k < 255 && i + 16 <= n; ++k, i += 16) {
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(load16(p + i), needle));
    }
    __m128i sums = _mm_sad_epu8(lanes, zero);  // two 64-bit sums of eight lanes each
    count += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i < n; ++i) count += p[i] == c;
  return count;
}

size_t find_bytes(std::string_view s, std::string_view needle, size_t from) {
  const size_t n = s.size(), k = needle.size();
  if (from > n || k > n - from) return npos;
  if (k == 0) return from;
  const char* p = s.data();
  size_t i = from;
#if defined(__SSE2__)
  if (k >= 2) {
    // Candidates: the needle's first byte at i + j and its last byte at i + j + k - 1.
    const __m128i first = _mm_set1_epi8(needle[0]);
    const __m128i last = _mm_set1_epi8(needle[k - 1]);
    for (; i + k - 1 + 16 <= n; i += 16) {
      unsigned m = mask_of(_mm_and_si128(_mm_cmpeq_epi8(load16(p + i), first),
                                         _mm_cmpeq_epi8(load16(p + i + k - 1), last)));
      while (m != 0) {
        size_t j = static_cast<size_t>(__builtin_ctz(m));
        if (std::memcmp(p + i + j + 1, needle.data() + 1, k - 2) == 0) return i + j;
        m &= m - 1;
      }
    }
  }
#endif
  // The rest (or everything, without SSE2): memmem over what is left.
  const void* hit = memmem(p + i, n - i, needle.data(), k);
  return hit ? static_cast<size_t>(static_cast<const char*>(hit) - p) : npos;
}

size_t find_line_start_with(std::string_view s, size_t from, char a, char b) {
  const size_t n = s.size();
  const char* p = s.data();
  if (from >= n) return npos;
  if ((from == 0 || p[from - 1] == '\n') && (p[from] == a || p[from] == b)) return from;
  // Every other answer q > from has p[q - 1] == '\n': look for "\n" followed by a or b,
  // with the newline at i >= from.
  size_t i = from;
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n'), va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
  for (; i + 1 + 16 <= n; i += 16) {
    __m128i next = load16(p + i + 1);
    unsigned m = mask_of(_mm_and_si128(_mm_cmpeq_epi8(load16(p + i), nl),
                                       _mm_or_si128(_mm_cmpeq_epi8(next, va),
                                                    _mm_cmpeq_epi8(next, vb))));
    if (m != 0) return i + static_cast<size_t>(__builtin_ctz(m)) + 1;
  }
#endif
  for (; i + 1 < n; ++i) {
    if (p[i] == '\n' && (p[i + 1] == a || p[i + 1] == b)) return i + 1;
  }
  return npos;
}

}  // namespace meshc
