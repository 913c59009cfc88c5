// Runs independent pieces of work on a few threads. Callers give each piece
// its own output slot and merge the slots in index order, so what they
// produce never depends on the number of threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <system_error>
#include <thread>
#include <vector>

namespace meshlint {

// `jobs` as the command line gives it: 0 means the machine's cores.
inline unsigned EffectiveJobs(unsigned jobs) {
  return jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
}

// fn(0) ... fn(n - 1) on up to `jobs` threads (this one among them), each
// index once, taken in order as threads come free: work listed first starts
// first.
template <typename Fn>
void ParallelForEach(std::size_t n, unsigned jobs, Fn fn) {
  jobs = static_cast<unsigned>(std::min<std::size_t>(EffectiveJobs(jobs), n));
  if (jobs <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  // A thread the system will not give (a process limit) only means fewer
  // helpers: this thread works too, so the loop ends with none at all.
  for (unsigned t = 1; t < jobs; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;
    }
  }
  work();
  for (auto& th : pool) th.join();
}

}  // namespace meshlint
