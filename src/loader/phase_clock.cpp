#include "loader/phase_clock.h"

#include <cstdio>
#include <cstdlib>

namespace meshlint {

namespace {

double Milliseconds(PhaseClock::Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

PhaseClock::PhaseClock() {
  const char* env = std::getenv("MESHLINT_DEBUG_PHASES");
  on_ = env && *env;
  if (on_) start_ = last_ = Clock::now();
}

PhaseClock::~PhaseClock() {
  if (on_)
    std::fprintf(stderr, "phase %-12s %8.2f ms\n", "load total", Milliseconds(last_ - start_));
}

void PhaseClock::Mark(const char* phase) {
  if (!on_) return;
  const Clock::time_point now = Clock::now();
  const double wall = Milliseconds(now - last_);
  const std::uint64_t busy = busy_ns_.exchange(0);
  if (busy == 0) {
    std::fprintf(stderr, "phase %-12s %8.2f ms\n", phase, wall);
  } else {
    // Busy time over the threads' wall time: 100% is no core idle.
    const double share =
        wall > 0 ? 100.0 * (static_cast<double>(busy) / 1e6) / (wall * threads_) : 0;
    std::fprintf(stderr, "phase %-12s %8.2f ms  workers busy %5.1f%% of %u threads\n", phase, wall,
                 share, threads_);
  }
  last_ = now;
}

}  // namespace meshlint
