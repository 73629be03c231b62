// Buffers for inputs of tens of megabytes (post-render and krm read Helm streams of 50 MB).
#pragma once

#include <cstddef>
#include <string>

namespace meshc {

// Makes `s` able to hold `capacity` bytes without growing. A buffer of 8 MiB or more is also
// offered to the kernel for transparent huge pages (madvise MADV_HUGEPAGE, where the kernel
// has them): filling 50 MB then takes a few dozen page faults instead of 12,800, which on a
// virtual machine cost more than reading the bytes. Smaller buffers are left alone, so a small
// input does not pay for zeroing a 2 MiB page.
void reserve_large(std::string& s, size_t capacity);

}  // namespace meshc
