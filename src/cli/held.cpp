#include "cli/held.h"

#include <atomic>
#include <mutex>
#include <vector>

namespace meshlint {

namespace {

std::atomic<bool> ends_after_command{false};

}  // namespace

void EndProcessAfterCommand() { ends_after_command.store(true, std::memory_order_relaxed); }

bool ProcessEndsAfterCommand() { return ends_after_command.load(std::memory_order_relaxed); }

void KeepUntilExit(const void* p) {
  static std::mutex mutex;
  // Never destroyed either: it is what keeps the values reachable.
  static auto* kept = new std::vector<const void*>;
  std::lock_guard<std::mutex> lock(mutex);
  kept->push_back(p);
}

}  // namespace meshlint
