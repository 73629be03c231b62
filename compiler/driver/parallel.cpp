// The parallel halves of Driver::add_input and Driver::run (issue 15: a batch of 10,000 specs
// on every CPU). Each chunk of inputs is compiled with a RunState of its own; the result is
// kept only when it is, to the byte, what one thread would have produced.
#include <algorithm>
#include <exception>
#include <thread>

#include "compiler/driver/driver.h"
#include "compiler/driver/jobs.h"

namespace meshc {

namespace {

// Fewer inputs than this are compiled (or read) by the calling thread alone: a thread costs
// more than a few specs, and a single compile must never start one.
constexpr size_t kParallelMinInputs = 64;
// Each thread gets at least this many inputs.
constexpr size_t kMinChunk = 16;

// How many threads `n` inputs are worth with `jobs` allowed (0 = one per CPU): 1 = the
// caller alone.
size_t threads_for(size_t n, size_t jobs) {
  if (n < kParallelMinInputs || jobs == 1) return 1;
  if (jobs == 0) jobs = available_cpus();
  return std::max<size_t>(1, std::min(jobs, n / kMinChunk));
}

// Runs work(0) .. work(threads - 1), work(0) on the calling thread. An exception thrown by
// any of them (std::bad_alloc) is rethrown here once all have finished.
template <typename Work>
void run_chunks(size_t threads, const Work& work) {
  std::vector<std::exception_ptr> errors(threads);
  auto guarded = [&](size_t c) {
    try {
      work(c);
    } catch (...) {
      errors[c] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (size_t c = 1; c < threads; ++c) pool.emplace_back(guarded, c);
  guarded(0);
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// Chunk `c` of `threads` over `n` items: [begin, end).
std::pair<size_t, size_t> chunk_range(size_t n, size_t threads, size_t c) {
  return {n * c / threads, n * (c + 1) / threads};
}

}  // namespace

void Driver::read_in_parallel(const std::vector<InputFile>& files, std::vector<ReadInput>& reads,
                              std::vector<DiagnosticSink>& sinks) const {
  const size_t threads = threads_for(files.size(), jobs_);
  if (threads < 2) return;  // add_input reads them in turn
  reads.resize(files.size());
  sinks.resize(files.size());
  const size_t limit = limits_.max_input_bytes;
  run_chunks(threads, [&](size_t c) {
    auto [begin, end] = chunk_range(files.size(), threads, c);
    for (size_t i = begin; i < end; ++i) reads[i] = read_input(files[i].path, limit, sinks[i]);
  });
}

bool Driver::run_parallel(Stage stage, RunOutput& out) {
  // The simple rule: a chunk that reports anything (an error, a warning, a -v note) could
  // depend on an earlier chunk (an object generated twice) or be ordered differently; then
  // the whole run is done again by one thread, so the diagnostics are exactly its own.
  const size_t n = sources_.size();
  const size_t threads = threads_for(n, jobs_);
  // --check-against parses the CRD files and their schemas as releases need them, reporting
  // a broken one to the release that needed it first: not shared between threads, and not
  // reported again by a second run. Such a run stays on one thread.
  if (threads < 2 || !state_.generated.empty() || crds_) return false;
  struct Chunk {  // what one chunk produced, in a state of its own
    RunState state;
    RunOutput out;
  };
  std::vector<Chunk> chunks(threads);
  run_chunks(threads, [&](size_t c) {
    auto [begin, end] = chunk_range(n, threads, c);
    run_sources(begin, end, stage, chunks[c].state, chunks[c].out);
  });
  for (const auto& chunk : chunks) {
    if (!chunk.state.sink.all().empty() || !chunk.state.failed_steps.empty()) return false;
  }
  // An object two chunks generate is one the later chunk would have reported.
  std::unordered_map<std::string, Generated> generated = std::move(chunks[0].state.generated);
  for (size_t c = 1; c < threads; ++c) {
    generated.merge(chunks[c].state.generated);  // leaves the ids already there behind
    if (!chunks[c].state.generated.empty()) return false;
  }
  state_.generated = std::move(generated);
  size_t releases = 0;
  for (const auto& chunk : chunks) releases += chunk.out.releases.size();
  out.releases.reserve(releases);
  for (auto& chunk : chunks) {
    std::move(chunk.out.releases.begin(), chunk.out.releases.end(),
              std::back_inserter(out.releases));
    out.with_release.insert(out.with_release.end(), chunk.out.with_release.begin(),
                            chunk.out.with_release.end());
  }
  return true;
}

}  // namespace meshc
