// How many threads a run may use by default.
#pragma once

#include <cstddef>

namespace meshc {

// The CPUs this process may run on (its affinity mask: taskset, a container's cpuset), or
// std::thread::hardware_concurrency() when that cannot be read; at least 1, at most
// kMaxDefaultJobs (a batch splits into chunks of specs; past a few dozen threads the
// bookkeeping of the chunks costs more than it saves).
constexpr size_t kMaxDefaultJobs = 32;
size_t available_cpus();

}  // namespace meshc
