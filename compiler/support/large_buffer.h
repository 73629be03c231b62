// Buffers for inputs of tens of megabytes (post-render and krm read Helm streams of 50 MB).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace meshc {

// Makes `s` able to hold `capacity` bytes without growing. A buffer of 8 MiB or more is also
// offered to the kernel for transparent huge pages (madvise MADV_HUGEPAGE, where the kernel
// has them): filling 50 MB then takes a few dozen page faults instead of 12,800, which on a
// virtual machine cost more than reading the bytes. Smaller buffers are left alone, so a small
// input does not pay for zeroing a 2 MiB page.
void reserve_large(std::string& s, size_t capacity);

// Maps the first `size` bytes of the regular file open as `fd` read-only, or returns null
// (errno set). Reading a 50 MB Helm stream this way costs neither the copy out of the page
// cache nor the zeroing of 50 MB of fresh memory, which are most of read()'s cost. A file
// truncated by another process while meshc reads it would raise SIGBUS: the first mapping
// installs a handler that reports that on stderr and exits 1. Until the final write nothing
// has reached stdout; a truncation during that write (writev copies from the mapping) is a
// write error (EFAULT), reported like any other.
const char* map_file_readonly(int fd, size_t size, const char* display_name);
void unmap_file(const char* data, size_t size);

// A stream (a pipe) read whole into memory of its own, without the copy from a read buffer
// into a growing string: read(2) fills an anonymous mapping of `limit` + 1 bytes in place
// (address space only; pages are used as bytes arrive, huge pages advised past the first
// MiB). A pipe's buffer is raised to 1 MiB first (F_SETPIPE_SZ, where allowed), so the writer
// and meshc take turns 16 times less often. Returns the bytes (nullptr when nothing was read
// or no mapping could be had, then `size` is 0), unmapped by unmap_file(data, size); `size`
// is at most limit + 1, and more than `limit` means the stream was longer. `error` is errno
// of a failed read (0 when none). `on_read` (when set) is called after each read with the
// bytes read so far (at the address returned at the end), so that a caller can look at them
// while they are still in the cache and while the writer writes the next ones.
using OnRead = std::function<void(const char* data, size_t size)>;
const char* read_stream_mapped(int fd, size_t limit, size_t* size, int* error,
                               const OnRead& on_read = {});

// Memory handed out in order from one reservation of address space, for a list that grows
// to megabytes (post-render's list of the ~48,000 documents of a 50 MB stream): past its
// first 256 KiB the kernel is offered huge pages, so 1.5 MB costs a few page faults instead
// of ~375 (half a millisecond on a virtual machine). A small list stays on small pages.
// Freed all at once when the arena goes; a request it cannot serve comes from operator new.
class LargeArena {
 public:
  LargeArena() = default;
  LargeArena(const LargeArena&) = delete;
  LargeArena& operator=(const LargeArena&) = delete;
  ~LargeArena();
  void* allocate(size_t bytes);
  void deallocate(void* p);  // only what operator new gave is freed before the end

 private:
  void reserve();
  char* raw_ = nullptr;   // the reservation
  char* base_ = nullptr;  // the arena within it
  size_t used_ = 0;
  bool failed_ = false;  // no reservation could be had: operator new serves all
};

// An allocator for standard containers that takes its memory from a LargeArena.
template <typename T>
struct ArenaAllocator {
  using value_type = T;
  LargeArena* arena;
  explicit ArenaAllocator(LargeArena* a) : arena(a) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& other) : arena(other.arena) {}
  T* allocate(size_t n) { return static_cast<T*>(arena->allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t) { arena->deallocate(p); }
  template <typename U>
  bool operator==(const ArenaAllocator<U>& o) const {
    return arena == o.arena;
  }
  template <typename U>
  bool operator!=(const ArenaAllocator<U>& o) const {
    return arena != o.arena;
  }
};

// Raises the buffer of the pipe open as `fd` to 1 MiB when it is a pipe (a hint: failures
// are ignored), before writing a large output to it.
void enlarge_pipe(int fd);

}  // namespace meshc
