// process_service: the node's one process service. It starts child
// processes (shell tasks, benchmark commands, runner processes) from argv
// vectors, never through a shell, and reports each one's end through a
// callback. One thread multiplexes all children with epoll (pidfds, pipes,
// an eventfd for requests; deadlines as epoll_wait's timeout), so a thousand
// children cost one thread, and nothing polls.
//
// Every child runs in its own process group with default signal handling
// and no descriptor of the node but its stdin/stdout/stderr (see
// runtime/services/process/spawn.hpp). A timeout or terminate() sends SIGTERM to the
// group, then SIGKILL after the spec's kill_grace. Output is captured up to
// spec.max_output_bytes per stream; the rest is drained and dropped. A child
// is reported after it exited and its pipes reached EOF, or after the drain
// window (spec.exit_drain) when something it left behind holds them open
// (runtime/services/process/process_loop.hpp has the details).
//
// Callbacks run ON THE SERVICE THREAD, one at a time: they must be cheap and
// must not block (a caf::anon_send to the asking actor is the intended
// shape). They may call start() and terminate(); shutdown() from a callback
// only begins the shutdown, and the destructor must not run there. An
// exception thrown by a callback is logged and swallowed.
//
// With a host lock (runtime/services/process/host_lock.hpp), a start whose spec asks
// for a use of the host (process_spec::host, shared by default) is spawned
// only once that lease is granted: while a benchmark measures, the node's
// other processes wait. running() counts waiting starts too.
//
// The service must be the only one to wait for its children: a process-wide
// waitpid(-1) elsewhere, or SIGCHLD set to SIG_IGN, steals their exit status
// (the result then carries an error instead of the exit code).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "runtime/services/process/process_spec.hpp"

namespace troupe {

class process_service {
 public:
  using callback = std::function<void(process_result)>;

  // Starts the service thread. If the kernel refuses an epoll instance or
  // an eventfd, there is no thread and every start() reports that error as
  // a spawn failure, at once on the calling thread. `host` (may be null: no
  // waiting for the host) must outlive the service. With an `owner`, every
  // child gets TROUPE_NODE=<owner> in its environment, which the next start
  // of the node looks for (runtime/services/process/leftovers.hpp).
  explicit process_service(host_lock* host = nullptr, std::string owner = {});
  // shutdown(default_shutdown_grace) and joins the service thread.
  ~process_service();
  process_service(const process_service&) = delete;
  process_service& operator=(const process_service&) = delete;

  static constexpr std::chrono::milliseconds default_shutdown_grace{2000};

  // Queues `spec` to be started and returns its id (never 0, never reused).
  // `on_exit` is called exactly once, with that id, on the service thread,
  // even for a spawn failure. After shutdown() it is refused: `on_exit` gets
  // spawn_failed + cancelled at once, on the calling thread. Thread-safe;
  // does not block on the spawn.
  std::uint64_t start(process_spec spec, callback on_exit);

  // Asks process `id` to stop: SIGTERM to its group, SIGKILL after the
  // spec's kill_grace; its result says cancelled. No-op when the process
  // already exited or is unknown. Thread-safe, asynchronous.
  void terminate(std::uint64_t id);

  // Processes started and not yet reported (their callback not yet called).
  // Thread-safe.
  std::size_t running() const;

  // Refuses new starts, terminates every child (SIGTERM to its group,
  // SIGKILL after `grace` or its own kill_grace, whichever is shorter),
  // waits until all are reported, and stops the service thread. Bounded: a
  // child that does not die even after SIGKILL is reported as abandoned
  // (error set) a few seconds later. Idempotent and thread-safe; later calls
  // return once the first is done. Called from a callback it only begins the
  // shutdown and returns.
  void shutdown(std::chrono::milliseconds grace);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace troupe
