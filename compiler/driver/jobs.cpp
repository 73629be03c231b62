#include "compiler/driver/jobs.h"

#include <sched.h>

#include <algorithm>
#include <thread>

namespace meshc {

size_t available_cpus() {
  size_t n = 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) n = static_cast<size_t>(CPU_COUNT(&set));
  if (n == 0) n = std::thread::hardware_concurrency();
  return std::clamp<size_t>(n, 1, kMaxDefaultJobs);
}

}  // namespace meshc
