#include "compiler/support/large_buffer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

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

namespace {

char g_mapped_name[256];

extern "C" void input_truncated(int) {
  // Only async-signal-safe calls: the message is assembled from fixed parts with write(2).
  static const char a[] = "meshc: error: ", b[] = ": the file shrank while meshc read it\n";
  ssize_t ignored = ::write(STDERR_FILENO, a, sizeof a - 1);
  ignored = ::write(STDERR_FILENO, g_mapped_name, ::strlen(g_mapped_name));
  ignored = ::write(STDERR_FILENO, b, sizeof b - 1);
  (void)ignored;
  ::_exit(1);
}

}  // namespace

const char* map_file_readonly(int fd, size_t size, const char* display_name) {
  if (size == 0) return nullptr;
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  if (p == MAP_FAILED) return nullptr;
  ::strncpy(g_mapped_name, display_name, sizeof g_mapped_name - 1);
  struct sigaction sa {};
  sa.sa_handler = input_truncated;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGBUS, &sa, nullptr);
  return static_cast<const char*>(p);
}

void unmap_file(const char* data, size_t size) {
  ::munmap(const_cast<char*>(data), size);
}

void enlarge_pipe(int fd) {
#ifdef F_SETPIPE_SZ
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
  (void)fd;
#endif
}

const char* read_stream_mapped(int fd, size_t limit, size_t* size, int* error,
                               const OnRead& on_read) {
  *size = 0;
  *error = 0;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t capacity = limit + 1;
  const size_t mapped = (capacity + page - 1) / page * page;
  void* p = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  char* data = static_cast<char*>(p);
  enlarge_pipe(fd);
  constexpr size_t kChunk = size_t{1} << 20;
  bool advised = false;
  size_t n = 0;
  while (n < capacity) {
    ssize_t got = ::read(fd, data + n, std::min(capacity - n, kChunk));
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      *error = errno;
      break;
    }
    n += static_cast<size_t>(got);
    if (on_read) on_read(data, n);
#ifdef MADV_HUGEPAGE
    // Small inputs stay on small pages; from 1 MiB on, the rest is offered huge pages.
    if (!advised && n >= kChunk) {
      constexpr size_t kHugePage = size_t{2} << 20;
      uintptr_t first = (reinterpret_cast<uintptr_t>(data) + n + kHugePage - 1) & ~(kHugePage - 1);
      uintptr_t last = (reinterpret_cast<uintptr_t>(data) + mapped) & ~(kHugePage - 1);
      if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
      advised = true;
    }
#endif
  }
  // The pages past the text go back now; unmap_file(data, n) releases the rest.
  size_t used = (n + page - 1) / page * page;
  if (used < mapped) ::munmap(data + used, mapped - used);
  if (n == 0) return nullptr;
  *size = n;
  return data;
}

namespace {
constexpr size_t kArenaReserve = size_t{256} << 20;  // address space only
constexpr size_t kArenaSmall = size_t{256} << 10;    // small pages up to here
constexpr size_t kArenaAlign = 64;
}  // namespace

constexpr uintptr_t kHugePage = uintptr_t{2} << 20;

LargeArena::~LargeArena() {
  if (raw_) ::munmap(raw_, kArenaReserve + kHugePage);
}

// Reserves the address space, placed so that its first 256 KiB end at a huge page boundary,
// from which on huge pages are advised.
void LargeArena::reserve() {
  void* p = ::mmap(nullptr, kArenaReserve + kHugePage, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  failed_ = p == MAP_FAILED;
  if (failed_) return;
  raw_ = static_cast<char*>(p);
  uintptr_t huge =
      (reinterpret_cast<uintptr_t>(raw_) + kArenaSmall + kHugePage - 1) & ~(kHugePage - 1);
  base_ = reinterpret_cast<char*>(huge - kArenaSmall);
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void*>(huge), kArenaReserve - kArenaSmall, MADV_HUGEPAGE);  // a hint
#endif
}

void* LargeArena::allocate(size_t bytes) {
  if (!base_ && !failed_) reserve();
  size_t rounded = (bytes + kArenaAlign - 1) / kArenaAlign * kArenaAlign;
  if (base_ && rounded <= kArenaReserve - used_) {
    void* p = base_ + used_;
    used_ += rounded;
    return p;
  }
  return ::operator new(bytes);
}

void LargeArena::deallocate(void* p) {
  const char* c = static_cast<const char*>(p);
  if (base_ && c >= base_ && c < base_ + kArenaReserve) return;  // freed with the arena
  ::operator delete(p);
}

}  // namespace meshc
