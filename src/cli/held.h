// What a command builds and keeps to its end (the model, the egress
// analysis) is millions of small allocations: on 100k objects, freeing them
// one at a time takes about 40 ms of a 0.45 s pre-commit run, all of it on
// one core, after the report is written. When the process ends as the
// command returns, the system takes all its memory back at once, so a Held
// value is then left in place instead. Everywhere else (the tests, which run
// many commands in one process) it is freed as usual.
#pragma once

#include <memory>
#include <utility>

namespace meshlint {

// main's promise that the process ends when RunCli returns. Before any
// command runs; there is no way back.
void EndProcessAfterCommand();
bool ProcessEndsAfterCommand();
// Keeps `p` reachable until the process ends (so that leak checkers see it
// is not lost), never freed.
void KeepUntilExit(const void* p);

struct FreeUnlessExiting {
  template <class T>
  void operator()(T* p) const {
    if (ProcessEndsAfterCommand()) KeepUntilExit(p);
    else delete p;
  }
};

template <class T>
using Held = std::unique_ptr<T, FreeUnlessExiting>;

template <class T, class... Args>
Held<T> MakeHeld(Args&&... args) {
  return Held<T>(new T(std::forward<Args>(args)...));
}

}  // namespace meshlint
