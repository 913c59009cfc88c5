// Where loading spends its wall-clock time, for finding the serial parts
// that leave cores idle: with MESHLINT_DEBUG_PHASES set in the environment,
// LoadInputs writes each phase's time (and, for the parallel ones, how busy
// the worker threads were) to stderr. A debugging aid, not a user flag: off,
// it costs one getenv per run. Loader-internal.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace meshlint {

class PhaseClock {
 public:
  using Clock = std::chrono::steady_clock;

  PhaseClock();
  ~PhaseClock();
  PhaseClock(const PhaseClock&) = delete;
  PhaseClock& operator=(const PhaseClock&) = delete;

  bool on() const { return on_; }
  // Ends the phase that ran since the previous mark (or the clock's start).
  void Mark(const char* phase);
  // Time worker threads spent on units of parallel work, summed: against a
  // phase's wall time times the threads, what was left idle.
  void AddBusy(Clock::duration d) {
    busy_ns_ +=
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
  }
  void SetThreads(unsigned threads) { threads_ = threads; }

 private:
  bool on_ = false;
  unsigned threads_ = 1;
  Clock::time_point start_, last_;
  std::atomic<std::uint64_t> busy_ns_{0};
};

// Times one unit of parallel work into `clock` (nothing when it is off).
class BusyTimer {
 public:
  explicit BusyTimer(PhaseClock* clock)
      : clock_(clock && clock->on() ? clock : nullptr),
        start_(clock_ ? PhaseClock::Clock::now() : PhaseClock::Clock::time_point()) {}
  ~BusyTimer() {
    if (clock_) clock_->AddBusy(PhaseClock::Clock::now() - start_);
  }
  BusyTimer(const BusyTimer&) = delete;
  BusyTimer& operator=(const BusyTimer&) = delete;

 private:
  PhaseClock* clock_;
  PhaseClock::Clock::time_point start_;
};

}  // namespace meshlint
