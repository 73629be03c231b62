// Small blocks handed out from one region: the allocator behind the meshc executable's
// operator new (compiler/cli/operator_new.cpp) while the process has one thread.
//
// A single compile is a short process whose ~1,000 allocations are nearly all fresh: glibc's
// malloc serves each from its top chunk (~85 instructions, its first calls more), which was a
// third of what a compile adds to the process floor (`meshc --version`). Here a request is a
// bump of one offset, or a pop from the free list of its size, and a free is a push.
//
// Layout: every block is a multiple of 16 bytes and starts 8 bytes before a 16-byte boundary;
// its first 8 bytes hold its size class, the rest (from the boundary on) is the caller's. So
// a block costs what a glibc chunk costs (an 8-byte header), the header tells an unsized
// delete the block's size, and a freed block keeps its header and holds the free list's link.
// Freed blocks go back to the list of their class, never to another class and never to the
// system: for a short process, and for a long batch whose documents allocate the same sizes
// again and again, that is what gets reused.
//
// Not thread-safe: the caller uses it from one thread only (operator_new.cpp: only while the
// process has a single thread). Requests it cannot serve (larger than kMaxRequest, or the
// region used up) return nullptr, for the caller to take elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>

namespace meshc {

class SmallBlocks {
 public:
  static constexpr size_t kAlign = 16;
  static constexpr size_t kHeader = 8;
  static constexpr size_t kMaxBlock = 1024;                   // bytes, header included
  static constexpr size_t kMaxRequest = kMaxBlock - kHeader;  // 1,016 bytes
  static constexpr size_t kClasses = kMaxBlock / kAlign + 1;  // class c: blocks of 16 * c bytes

  // `base` must be 16-byte aligned; `size` bytes from it are the region.
  constexpr SmallBlocks(char* base, size_t size) : base_(base), size_(size) {}
  SmallBlocks(const SmallBlocks&) = delete;
  SmallBlocks& operator=(const SmallBlocks&) = delete;

  // `n` bytes aligned to 16, or nullptr when n > kMaxRequest or the region is used up.
  void* allocate(size_t n) noexcept {
    if (n > kMaxRequest) return nullptr;
    const size_t cls = (n + kHeader + kAlign - 1) / kAlign;  // 1..kClasses-1
    if (void* p = free_[cls]) {
      free_[cls] = *static_cast<void**>(p);
      return p;
    }
    const size_t bytes = cls * kAlign;
    if (size_ - used_ < bytes) return nullptr;
    char* block = base_ + used_;
    used_ += bytes;
    *reinterpret_cast<uint64_t*>(block) = cls;
    return block + kHeader;
  }

  // Whether `p` lies in the region (came from allocate()).
  bool owns(const void* p) const noexcept {
    return reinterpret_cast<uintptr_t>(p) - reinterpret_cast<uintptr_t>(base_) < size_;
  }

  // Gives back a block allocate() returned: it serves the next request of its size class.
  void deallocate(void* p) noexcept {
    const uint64_t cls = *reinterpret_cast<const uint64_t*>(static_cast<char*>(p) - kHeader);
    *static_cast<void**>(p) = free_[cls];
    free_[cls] = p;
  }

  // The usable size of a block allocate() returned (at least what was asked for).
  static size_t usable_size(const void* p) noexcept {
    const uint64_t cls = *reinterpret_cast<const uint64_t*>(static_cast<const char*>(p) - kHeader);
    return cls * kAlign - kHeader;
  }

  // Bytes of the region handed out so far (freed blocks included): for tests and reports.
  size_t used() const noexcept { return used_ - kHeader; }

 private:
  char* base_;
  size_t size_;
  // The next block starts here: 8 bytes in, so that every payload is 16-byte aligned.
  size_t used_ = kHeader;
  void* free_[kClasses] = {};
};

}  // namespace meshc
