#include "model/shared_text.h"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace meshlint {

namespace {

struct Pool {
  std::mutex mutex;
  // A deque's elements stay where they are as it grows: the pointers handed
  // out stay valid, and the index's keys view them.
  std::deque<std::string> texts;
  std::unordered_map<std::string_view, const std::string*> index;
};

Pool& ThePool() {
  static Pool* pool = new Pool;  // never destroyed: holders may outlive static destruction
  return *pool;
}

}  // namespace

SharedText::SharedText(std::string_view text) {
  if (text.empty()) return;
  // The same text comes again and again (one apiVersion for every object of
  // a kind): each thread remembers the last it was given.
  thread_local const std::string* last = nullptr;
  if (last && *last == text) {
    text_ = last;
    return;
  }
  Pool& pool = ThePool();
  std::lock_guard<std::mutex> lock(pool.mutex);
  auto it = pool.index.find(text);
  if (it == pool.index.end()) {
    const std::string& kept = pool.texts.emplace_back(text);
    it = pool.index.emplace(kept, &kept).first;
  }
  text_ = it->second;
  last = text_;
}

}  // namespace meshlint
