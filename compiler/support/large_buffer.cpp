#include "compiler/support/large_buffer.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

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

}  // namespace meshc
