// Shutdown signals. SIGINT and SIGTERM are blocked in every thread (call
// block_shutdown_signals() first thing in main, before any thread exists) and
// taken by one watcher thread with sigwait: the first starts a graceful
// shutdown, the second ends the process at once with status 128+signal.
#pragma once

#include <functional>
#include <thread>

namespace troupe {

void block_shutdown_signals();

class signal_watch {
 public:
  // Starts the watcher thread; `on_first(signal)` runs on it once.
  explicit signal_watch(std::function<void(int)> on_first);
  // Detaches the watcher: it keeps guarding against a second signal until exit.
  ~signal_watch();

 private:
  std::thread thread_;
};

}  // namespace troupe
