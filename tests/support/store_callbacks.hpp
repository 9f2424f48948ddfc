// The store's callbacks, held for the test thread. A store normally runs its
// callbacks on its writer thread; a test whose actors run on CAF's
// deterministic scheduler must not let that thread enqueue into them, since
// that scheduler is single-threaded. attach() the options given to
// store::open, then call drain() or settle() from the test thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/services/store/store.hpp"
#include "tests/support/deterministic.hpp"

namespace troupe::testing {

class store_callbacks {
 public:
  // Sets options.run_callback to queue here.
  void attach(store_options& options);

  // Runs the callbacks queued so far, in order, on the calling thread;
  // returns how many ran.
  std::size_t drain();

  // Runs the actors, lets `db` commit and runs its callbacks, until neither
  // has anything left to do.
  void settle(deterministic& actors, store& db);

 private:
  struct queue {
    std::mutex mtx;
    std::vector<std::function<void()>> waiting;
  };
  std::shared_ptr<queue> queue_ = std::make_shared<queue>();
};

}  // namespace troupe::testing
