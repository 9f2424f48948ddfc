// process_loop: the single-threaded core of the process service. One epoll
// instance watches, for every child, its pidfd (exit), its stdout and stderr
// pipes (output and EOF) and its stdin pipe (room to write), plus one eventfd
// that other threads use to wake the loop. Deadlines (timeouts, the SIGKILL
// after a grace period, the drain window after an exit) sit in a min-heap
// whose earliest entry is epoll_wait's timeout: nothing polls or sleeps.
//
// A child is reported once it has exited AND both its output pipes reached
// EOF. Processes it left behind may hold the pipes open: then the pipes get
// spec.exit_drain after the exit, are read one last time, closed, and the
// child is reported anyway (with kill_group_on_exit, which is the default,
// the leftovers in its process group are killed first).
//
// Not thread-safe: everything but wake() runs on the service thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/process/process_spec.hpp"
#include "runtime/services/process/tracked_child.hpp"
#include "runtime/services/process/unique_fd.hpp"

namespace troupe {

class process_loop {
 public:
  using clock = std::chrono::steady_clock;
  using callback = std::function<void(process_result)>;

  // `running` (must outlive the loop) is decremented right before each
  // report. If creating the epoll instance or the eventfd failed, setup()
  // says why and the loop must not be run.
  explicit process_loop(std::atomic<std::size_t>* running);
  ~process_loop();
  process_loop(const process_loop&) = delete;
  process_loop& operator=(const process_loop&) = delete;

  const status& setup() const { return setup_; }

  // Makes the current or next run_once() return true. Any thread.
  void wake();

  // Spawns `spec` as process `id`; a spawn failure is reported at once.
  void start(std::uint64_t id, const process_spec& spec, callback on_exit);
  // Reports process `id` as never started (spawn_failed, cancelled, `why`).
  void refuse(std::uint64_t id, callback on_exit, const std::string& why);
  // SIGTERM to the group of `id`, SIGKILL after its kill_grace; no-op if the
  // process is unknown, already exited or already terminating.
  void terminate(std::uint64_t id);
  // Terminates every child with SIGKILL after `grace` (or its own shorter
  // kill_grace) and makes finished() true once all are reported. A child
  // that still has not exited well after that is reported as abandoned.
  void begin_shutdown(std::chrono::milliseconds grace);

  // Waits for the next event or deadline and handles everything due;
  // returns true if wake() was called since the last return of true.
  bool run_once();
  // After begin_shutdown(), once every child has been reported.
  bool finished() const { return stopping_ && children_.empty(); }

 private:
  enum class deadline_kind { timeout, kill, drain, abandon };
  struct deadline {
    clock::time_point when;
    std::uint64_t id;  // 0 for abandon (all children)
    deadline_kind kind;
    bool operator>(const deadline& other) const { return when > other.when; }
  };

  void schedule(clock::time_point when, std::uint64_t id, deadline_kind kind);
  // Removes and returns the earliest deadline.
  deadline pop_deadline();
  // Drops the deadlines of reported children.
  void compact_deadlines();
  int next_timeout_ms(clock::time_point now) const;
  void handle_event(std::uint64_t key, clock::time_point now);
  void handle_deadline(const deadline& d);
  tracked_child* find(std::uint64_t id);
  // Watches the child's descriptors; on failure the child is killed.
  status watch(tracked_child& child);
  // Exit + EOF reached (or the drain window is over): reap and report.
  void finish(tracked_child& child);
  void abandon_all();
  void report(callback& on_exit, process_result result);

  std::atomic<std::size_t>* running_;
  status setup_;
  unique_fd epoll_;
  unique_fd wake_;
  std::unordered_map<std::uint64_t, std::unique_ptr<tracked_child>> children_;
  // A min-heap (std::push_heap with std::greater). Entries of reported
  // children are skipped when they come due, and dropped in bulk when they
  // outnumber the live ones, so long timeouts of short processes do not pile
  // up.
  std::vector<deadline> deadlines_;
  bool stopping_ = false;
};

}  // namespace troupe
