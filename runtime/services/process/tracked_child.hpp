// tracked_child: one started child as the process service's loop sees it:
// its descriptors, the stdin still to write, the output captured so far, and
// how far its termination got. Used only on the service thread.
//
// Life of a child: running → exited (its pidfd became readable; it is a
// zombie and still holds its pid and process group id, so signalling the
// group stays safe) → finished (pipes closed, leftovers killed, reaped and
// reported). The zombie is reaped only in finish(), after the last signal
// to its group.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "runtime/services/process/output_buffer.hpp"
#include "runtime/services/process/process_spec.hpp"
#include "runtime/services/process/spawn.hpp"

namespace troupe {

class tracked_child {
 public:
  using clock = std::chrono::steady_clock;

  // Which descriptor an event is about.
  enum class channel : std::uint64_t { exit = 0, out = 1, err = 2, in = 3 };

  // Takes over `proc`, started from `spec` at `started`. Every descriptor
  // it deregisters goes out of `epoll_fd`, which must outlive the child.
  tracked_child(std::uint64_t id, const process_spec& spec, spawned_process proc,
                std::function<void(process_result)> on_exit, int epoll_fd,
                clock::time_point started);
  tracked_child(const tracked_child&) = delete;
  tracked_child& operator=(const tracked_child&) = delete;

  std::uint64_t id() const { return id_; }
  int pid() const { return proc_.pid; }
  const spawned_process& proc() const { return proc_; }

  // Reads what stdout or stderr holds (a bounded amount per call, for
  // fairness between children); closes the pipe at EOF or on error.
  void read(channel which);
  // Writes as much of the stdin data as the pipe takes; closes stdin once
  // all is written or the child stopped reading.
  void write_stdin();
  // The child has exited (its pidfd is readable): stop watching the pidfd.
  void mark_exited(clock::time_point now);
  bool exited() const { return exited_; }
  bool pipes_closed() const { return !proc_.out && !proc_.err; }

  // Sends SIGTERM to the process group, once; marks the result as timed out
  // (`timed_out`) or cancelled. Returns false if already terminating.
  bool begin_termination(bool timed_out);
  bool terminating() const { return term_sent_; }
  // Sends SIGKILL to the process group, once.
  void kill_group();

  // Drains what the pipes hold, closes every descriptor, kills what is left
  // of the group (if the spec or a termination asks), reaps the zombie and
  // returns the result. The child is spent afterwards.
  process_result finish();
  // For shutdown when the child never exited, even after SIGKILL: closes the
  // descriptors and reports it with `reason`, without reaping.
  process_result abandon(const std::string& reason);

  std::function<void(process_result)>& on_exit() { return on_exit_; }
  std::chrono::milliseconds kill_grace() const { return kill_grace_; }
  std::chrono::milliseconds exit_drain() const { return exit_drain_; }

 private:
  void close(unique_fd& fd);
  void collect_output();

  std::uint64_t id_;
  spawned_process proc_;
  std::function<void(process_result)> on_exit_;
  int epoll_fd_;
  std::string stdin_data_;
  std::size_t stdin_written_ = 0;
  output_buffer out_, err_;
  std::chrono::milliseconds kill_grace_;
  std::chrono::milliseconds exit_drain_;
  bool kill_group_on_exit_;
  clock::time_point started_, exited_at_;
  bool exited_ = false;
  bool term_sent_ = false;
  bool kill_sent_ = false;
  process_result result_;
};

}  // namespace troupe
