// Signals. SIGINT, SIGTERM and SIGHUP are blocked in every thread (call
// block_shutdown_signals() first thing in main, before any thread exists)
// and taken by one watcher thread with sigwait: the first SIGINT or SIGTERM
// starts a graceful shutdown, the second ends the process at once with
// status 128+signal; each SIGHUP calls on_hangup (the node reloads its TLS
// files). Commands other than `troupe node` have no watcher: they ignore
// SIGHUP.
#pragma once

#include <functional>
#include <thread>

namespace troupe {

void block_shutdown_signals();

class signal_watch {
 public:
  // Starts the watcher thread; `on_first(signal)` runs on it once,
  // `on_hangup()` (if set) at every SIGHUP.
  explicit signal_watch(std::function<void(int)> on_first,
                        std::function<void()> on_hangup = {});
  // Detaches the watcher: it keeps guarding against a second signal until exit.
  ~signal_watch();

 private:
  std::thread thread_;
};

}  // namespace troupe
