#include "tests/support/store_callbacks.hpp"

namespace troupe::testing {

void store_callbacks::attach(store_options& options) {
  // The store may outlive this object by a callback or two: share the queue.
  options.run_callback = [q = queue_](std::function<void()> f) {
    std::lock_guard<std::mutex> guard{q->mtx};
    q->waiting.push_back(std::move(f));
  };
}

std::size_t store_callbacks::drain() {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> guard{queue_->mtx};
    ready.swap(queue_->waiting);
  }
  for (auto& f : ready) f();
  return ready.size();
}

void store_callbacks::settle(deterministic& actors, store& db) {
  do {
    actors.run();
    db.flush();
  } while (drain() > 0);
  actors.run();
}

}  // namespace troupe::testing
