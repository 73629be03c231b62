// The meshc executable's operator new and delete (linked into it alone, not into the stage
// libraries the tests link): small requests come from SmallBlocks while the process has a
// single thread, which is every run but a parallel batch (`-j`), and everything else from
// malloc as before. See compiler/support/small_blocks.h for why; docs/benchmarks.md has the
// numbers.
//
// - The region is 64 MiB of zero-initialised data: address space only, no system call to set
//   it up, pages used as blocks are first written. A run that outgrows it goes on with malloc.
// - Once a second thread exists (glibc clears __libc_single_threaded before it starts), new
//   requests go to malloc, and a block of the region freed from then on is left unused rather
//   than put on a list another thread could be reading.
// - Under a sanitizer the replacement is compiled out, so that AddressSanitizer keeps seeing
//   every allocation; the allocator itself is tested on its own (tests/unit).
#include <sys/single_threaded.h>

#include <cstdlib>
#include <new>

#include "compiler/support/small_blocks.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MESHC_SMALL_BLOCKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define MESHC_SMALL_BLOCKS 0
#endif
#endif
#ifndef MESHC_SMALL_BLOCKS
#define MESHC_SMALL_BLOCKS 1
#endif

#if MESHC_SMALL_BLOCKS

namespace {

constexpr size_t kRegionBytes = size_t{64} << 20;
// In .lbss, which the linker places after .bss: in .bss the region would split the other
// zero-initialised variables in two, and a run would touch a page on each side of it.
alignas(4096) [[gnu::section(".lbss")]] char g_region[kRegionBytes];
meshc::SmallBlocks g_blocks(g_region, kRegionBytes);

// malloc (`align` 0) or aligned_alloc with operator new's contract: the new-handler is called
// until it gives up, then std::bad_alloc; a zero-byte request still gets a pointer of its own.
[[gnu::noinline]] void* allocate_from_libc(size_t n, size_t align) {
  if (align != 0) {
    // aligned_alloc wants a size that is a multiple of the alignment.
    const size_t rounded = (n + align - 1) & ~(align - 1);
    if (rounded < n) throw std::bad_alloc();
    n = rounded == 0 ? align : rounded;
  }
  for (;;) {
    if (void* p = align ? std::aligned_alloc(align, n) : std::malloc(n == 0 ? 1 : n)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

inline void* allocate(size_t n) {
  if (__libc_single_threaded) {
    if (void* p = g_blocks.allocate(n)) return p;
  }
  return allocate_from_libc(n, 0);
}

inline void* allocate_aligned(size_t n, std::align_val_t al) {
  const size_t align = static_cast<size_t>(al);
  return align <= meshc::SmallBlocks::kAlign ? allocate(n) : allocate_from_libc(n, align);
}

// The nothrow forms: the same allocation, null instead of std::bad_alloc.
template <typename Allocate>
void* or_null(Allocate allocate) noexcept {
  try {
    return allocate();
  } catch (...) {
    return nullptr;
  }
}

inline void release(void* p) noexcept {
  if (g_blocks.owns(p)) {
    if (__libc_single_threaded) g_blocks.deallocate(p);
    return;
  }
  std::free(p);  // null included
}

}  // namespace

void* operator new(size_t n) {
  return allocate(n);
}
void* operator new[](size_t n) {
  return allocate(n);
}
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  return or_null([n] { return allocate(n); });
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  return or_null([n] { return allocate(n); });
}
void* operator new(size_t n, std::align_val_t al) {
  return allocate_aligned(n, al);
}
void* operator new[](size_t n, std::align_val_t al) {
  return allocate_aligned(n, al);
}
void* operator new(size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return or_null([n, al] { return allocate_aligned(n, al); });
}
void* operator new[](size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return or_null([n, al] { return allocate_aligned(n, al); });
}

void operator delete(void* p) noexcept {
  release(p);
}
void operator delete[](void* p) noexcept {
  release(p);
}
void operator delete(void* p, size_t) noexcept {
  release(p);
}
void operator delete[](void* p, size_t) noexcept {
  release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  release(p);
}
void operator delete(void* p, size_t, std::align_val_t) noexcept {
  release(p);
}
void operator delete[](void* p, size_t, std::align_val_t) noexcept {
  release(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  release(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  release(p);
}

#endif  // MESHC_SMALL_BLOCKS
