#include "compiler/support/byte_scan.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define MESHC_AVX2_DISPATCH 1  // AVX2 versions, used when the CPU has it
// glibc's header is C (it uses _Bool), which clang++ rejects: clang builds (the sanitizer and
// fuzz builds) ask __builtin_cpu_supports instead.
#if !defined(__clang__) && __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#define MESHC_AVX2_FROM_GLIBC 1
#endif
#endif

namespace meshc {

namespace {

constexpr size_t npos = std::string_view::npos;

// Each search below runs in up to three steps over the same offsets: 32 bytes at a time
// (AVX2, when glibc says the CPU has it), then 16 (SSE2), then one; each step starts where the
// previous one stopped, so all of them together look at every offset once.

#if defined(MESHC_AVX2_DISPATCH)
// glibc's answer, from the CPUID it ran at start-up anyway. (libgcc's __builtin_cpu_supports
// would link a constructor that runs CPUID again in every process: each one traps to the
// hypervisor on a virtual machine, about 5% of a single compile.)
bool cpu_has_avx2() {
#if defined(MESHC_AVX2_FROM_GLIBC)
  static const bool yes = CPU_FEATURE_ACTIVE(AVX2);
#else
  static const bool yes = __builtin_cpu_supports("avx2");
#endif
  return yes;
}

__attribute__((target("avx2"))) inline __m256i load32(const char* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

__attribute__((target("avx2"))) size_t count_byte_avx2(const char* p, size_t n, char c, size_t* i) {
  const __m256i needle = _mm256_set1_epi8(c), zero = _mm256_setzero_si256();
  size_t count = 0;
  while (*i + 32 <= n) {
    __m256i lanes = zero;  // a match is -1: subtracting counts it; summed before it can wrap
    for (int k = 0; k < 255 && *i + 32 <= n; ++k, *i += 32) {
      lanes = _mm256_sub_epi8(lanes, _mm256_cmpeq_epi8(load32(p + *i), needle));
    }
    __m256i sums = _mm256_sad_epu8(lanes, zero);  // four 64-bit sums of eight lanes each
    count += static_cast<size_t>(_mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1) +
                                 _mm256_extract_epi64(sums, 2) + _mm256_extract_epi64(sums, 3));
  }
  return count;
}

// Advances *i over 32-byte steps; returns the match or npos.
__attribute__((target("avx2"))) size_t find_bytes_avx2(const char* p, size_t n,
                                                       std::string_view needle, size_t* i) {
  const size_t k = needle.size();
  const __m256i first = _mm256_set1_epi8(needle[0]), last = _mm256_set1_epi8(needle[k - 1]);
  for (; *i + k - 1 + 32 <= n; *i += 32) {
    unsigned m = static_cast<unsigned>(
        _mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(load32(p + *i), first),
                                              _mm256_cmpeq_epi8(load32(p + *i + k - 1), last))));
    while (m != 0) {
      size_t j = static_cast<size_t>(__builtin_ctz(m));
      if (std::memcmp(p + *i + j + 1, needle.data() + 1, k - 2) == 0) return *i + j;
      m &= m - 1;
    }
  }
  return npos;
}

// Newlines in the bits of `m` up to and including bit j.
inline size_t newlines_through(unsigned m, unsigned j) {
  return static_cast<size_t>(__builtin_popcountll(m & ((uint64_t{2} << j) - 1)));
}

__attribute__((target("avx2"))) size_t find_line_start_avx2(const char* p, size_t n, char a, char b,
                                                            size_t* i, size_t* newlines) {
  const __m256i nl = _mm256_set1_epi8('\n'), va = _mm256_set1_epi8(a), vb = _mm256_set1_epi8(b);
  for (; *i + 1 + 32 <= n; *i += 32) {
    __m256i next = load32(p + *i + 1);
    __m256i lines = _mm256_cmpeq_epi8(load32(p + *i), nl);
    unsigned m = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_and_si256(
        lines, _mm256_or_si256(_mm256_cmpeq_epi8(next, va), _mm256_cmpeq_epi8(next, vb)))));
    if (newlines) {
      unsigned all = static_cast<unsigned>(_mm256_movemask_epi8(lines));
      *newlines += m != 0 ? newlines_through(all, static_cast<unsigned>(__builtin_ctz(m)))
                          : static_cast<size_t>(__builtin_popcount(all));
    }
    if (m != 0) return *i + static_cast<size_t>(__builtin_ctz(m)) + 1;
  }
  return npos;
}

// Whether one of the candidates in `c` (bit j: needle[0] at p[j] and its last byte where it
// would end) is the whole needle.
inline bool some_candidate_is(const char* p, unsigned c, std::string_view needle) {
  for (; c != 0; c &= c - 1) {
    size_t j = static_cast<size_t>(__builtin_ctz(c));
    if (std::memcmp(p + j + 1, needle.data() + 1, needle.size() - 2) == 0) return true;
  }
  return false;
}

// The two searches of find_line_start_noting over the 32 offsets at p: bit j of `hits` is a
// newline at p[j] followed by a or b, of `candidates` the needle's first byte at p[j] and its
// last byte where it would end, of `lines` a newline at p[j].
struct NotingStep {
  __m256i hits, candidates, lines;
};
struct NotingBytes {
  __m256i nl, a, b, first, last;
  size_t k;  // the needle's size
};

__attribute__((target("avx2"))) inline NotingStep noting_step(const char* p, const NotingBytes& v) {
  __m256i here = load32(p), next = load32(p + 1);
  __m256i lines = _mm256_cmpeq_epi8(here, v.nl);
  __m256i hits = _mm256_and_si256(
      lines, _mm256_or_si256(_mm256_cmpeq_epi8(next, v.a), _mm256_cmpeq_epi8(next, v.b)));
  __m256i candidates = _mm256_and_si256(_mm256_cmpeq_epi8(here, v.first),
                                        _mm256_cmpeq_epi8(load32(p + v.k - 1), v.last));
  return NotingStep{hits, candidates, lines};
}

__attribute__((target("avx2"))) inline unsigned bits(__m256i m) {
  return static_cast<unsigned>(_mm256_movemask_epi8(m));
}

// The sum of the 32 bytes of `counts`.
__attribute__((target("avx2"))) inline size_t lane_sum(__m256i counts) {
  __m256i sums = _mm256_sad_epu8(counts, _mm256_setzero_si256());  // four sums of eight
  return static_cast<size_t>(_mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1) +
                             _mm256_extract_epi64(sums, 2) + _mm256_extract_epi64(sums, 3));
}

// The 32 offsets at p + i one by one, as far as the answer: the answer or npos, with the
// newlines and *found updated.
__attribute__((target("avx2"))) size_t noting_exact(const char* p, size_t i, const NotingStep& s,
                                                    std::string_view needle, size_t* newlines,
                                                    bool* found) {
  unsigned m = bits(s.hits), c = bits(s.candidates), all = bits(s.lines);
  // Candidates up to the newline before the answer (the needle holds no newline).
  unsigned upto = m != 0 ? (2u << __builtin_ctz(m)) - 1 : ~0u;
  if (!*found && some_candidate_is(p + i, c & upto, needle)) *found = true;
  *newlines += static_cast<size_t>(__builtin_popcount(all & upto));
  return m != 0 ? i + static_cast<size_t>(__builtin_ctz(m)) + 1 : npos;
}

// find_line_start_avx2 that also looks for `needle` at the offsets it passes (those before
// the answer): each byte is loaded once for both searches, 64 at a time while neither finds
// anything; a step where one does is looked at again exactly (noting_exact).
__attribute__((target("avx2"))) size_t find_line_start_noting_avx2(const char* p, size_t n, char a,
                                                                   char b, std::string_view needle,
                                                                   size_t* at, size_t* newlines,
                                                                   bool* found) {
  const NotingBytes v{_mm256_set1_epi8('\n'),
                      _mm256_set1_epi8(a),
                      _mm256_set1_epi8(b),
                      _mm256_set1_epi8(needle[0]),
                      _mm256_set1_epi8(needle.back()),
                      needle.size()};
  const size_t reach = v.k - 1 + 32;  // the bytes a step at i reads: [i, i + reach)
  size_t i = *at, lines = 0;
  while (i + reach <= n) {
    // The newlines of the steps without a find are counted in the byte lanes of `counts`
    // (each newline subtracts 1: -1 is a match), at most 2 a step: summed every 127 steps.
    __m256i counts = _mm256_setzero_si256();
    // The steps of 64 bytes that fit, at most 127 (one pointer compared with one bound).
    const size_t fit = n - i >= 32 + reach ? (n - i - 32 - reach) / 64 + 1 : 0;
    const size_t steps = fit < 127 ? fit : 127;
    const char* q = p + i;
    for (const char* stop = q + steps * 64; q != stop; q += 64) {
      NotingStep lo = noting_step(q, v), hi = noting_step(q + 32, v);
      __m256i any = _mm256_or_si256(_mm256_or_si256(lo.hits, hi.hits),
                                    _mm256_or_si256(lo.candidates, hi.candidates));
      if (!_mm256_testz_si256(any, any)) break;
      counts = _mm256_sub_epi8(_mm256_sub_epi8(counts, lo.lines), hi.lines);
    }
    lines += lane_sum(counts);
    const bool full = steps == 127 && q == p + i + steps * 64;
    i = static_cast<size_t>(q - p);
    if (full) continue;  // only the count was full
    // Something in the next 64 bytes (or fewer than 64 + 31 + k left): 32 at a time.
    for (int step = 0; step < 2 && i + reach <= n; ++step, i += 32) {
      size_t hit = noting_exact(p, i, noting_step(p + i, v), needle, &lines, found);
      if (hit != npos) {
        *newlines += lines, *at = i;
        return hit;
      }
    }
  }
  *newlines += lines, *at = i;
  return npos;
}
#endif

#if defined(__SSE2__)
inline __m128i load16(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
inline unsigned mask_of(__m128i v) {
  return static_cast<unsigned>(_mm_movemask_epi8(v));
}
#endif

}  // namespace

size_t count_byte(std::string_view s, char c) {
  const char* p = s.data();
  size_t n = s.size(), i = 0, count = 0;
#if defined(MESHC_AVX2_DISPATCH)
  if (cpu_has_avx2()) count += count_byte_avx2(p, n, c, &i);
#endif
#if defined(__SSE2__)
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
  if (k >= 2) {
    // Candidates: the needle's first byte at i + j and its last byte at i + j + k - 1.
#if defined(MESHC_AVX2_DISPATCH)
    if (cpu_has_avx2()) {
      size_t hit = find_bytes_avx2(p, n, needle, &i);
      if (hit != npos) return hit;
    }
#endif
#if defined(__SSE2__)
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
#endif
  }
  // The rest (or everything, without SSE2): memmem over what is left.
  const void* hit = memmem(p + i, n - i, needle.data(), k);
  return hit ? static_cast<size_t>(static_cast<const char*>(hit) - p) : npos;
}

size_t find_line_start_with(std::string_view s, size_t from, char a, char b) {
  return find_line_start_with(s, from, a, b, nullptr);
}

size_t find_line_start_with(std::string_view s, size_t from, char a, char b, size_t* newlines) {
  const size_t n = s.size();
  const char* p = s.data();
  if (from >= n) return npos;
  if ((from == 0 || p[from - 1] == '\n') && (p[from] == a || p[from] == b)) return from;
  // Every other answer q > from has p[q - 1] == '\n': look for "\n" followed by a or b,
  // with the newline at i >= from.
  size_t i = from;
#if defined(MESHC_AVX2_DISPATCH)
  if (cpu_has_avx2()) {
    size_t hit = find_line_start_avx2(p, n, a, b, &i, newlines);
    if (hit != npos) return hit;
  }
#endif
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n'), va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
  for (; i + 1 + 16 <= n; i += 16) {
    __m128i next = load16(p + i + 1);
    __m128i lines = _mm_cmpeq_epi8(load16(p + i), nl);
    unsigned m = mask_of(
        _mm_and_si128(lines, _mm_or_si128(_mm_cmpeq_epi8(next, va), _mm_cmpeq_epi8(next, vb))));
    if (newlines) {
      unsigned all = mask_of(lines);
      if (m != 0) all &= (2u << __builtin_ctz(m)) - 1;  // bits up to the hit (at most bit 15)
      *newlines += static_cast<size_t>(__builtin_popcount(all));
    }
    if (m != 0) return i + static_cast<size_t>(__builtin_ctz(m)) + 1;
  }
#endif
  for (; i + 1 < n; ++i) {
    if (p[i] != '\n') continue;
    if (newlines) ++*newlines;
    if (p[i + 1] == a || p[i + 1] == b) return i + 1;
  }
  // The last byte: a newline there starts no line within `s`.
  if (newlines && i < n && p[i] == '\n') ++*newlines;
  return npos;
}

size_t find_line_start_noting(std::string_view s, size_t from, char a, char b, size_t* newlines,
                              std::string_view needle, bool* found) {
  *found = false;
  const size_t n = s.size();
  const char* p = s.data();
  if (from >= n) return npos;
  if ((from == 0 || s[from - 1] == '\n') && (s[from] == a || s[from] == b)) return from;
  size_t i = from;
#if defined(MESHC_AVX2_DISPATCH)
  if (cpu_has_avx2() && needle.size() >= 2) {
    size_t hit = find_line_start_noting_avx2(p, n, a, b, needle, &i, newlines, found);
    if (hit != npos) return hit;
  }
#endif
  // The rest, from i (the vector loop looked at the needle's offsets before i and at the line
  // starts up to i): the two searches one after the other.
  size_t hit = find_line_start_with(s, i, a, b, newlines);
  if (!*found) *found = find_bytes(s.substr(0, hit == npos ? n : hit), needle, i) != npos;
  return hit;
}

}  // namespace meshc
