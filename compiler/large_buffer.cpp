#include "compiler/large_buffer.h"

#include <sys/mman.h>

#include <cstdint>

namespace meshc {

void reserve_large(std::string& s, size_t capacity) {
  s.reserve(capacity);
  constexpr size_t kHugePage = size_t{2} << 20;
  if (s.capacity() < (size_t{8} << 20)) return;
#ifdef MADV_HUGEPAGE
  // Only whole huge pages inside the buffer; the advice is a hint and its failure harmless.
  uintptr_t begin = reinterpret_cast<uintptr_t>(s.data());
  uintptr_t end = begin + s.capacity();
  uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  uintptr_t last = end & ~(kHugePage - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
}

}  // namespace meshc
