// process_spec and process_result: what the process service is asked to run
// and what it reports back (runtime/services/process/process_service.hpp). Plain
// values with no CAF types; the actor adapter copies them into messages.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/services/process/host_lock.hpp"

namespace troupe {

// One child process to start. Never run through a shell: argv[0] is the
// program, the rest are its arguments, passed literally.
struct process_spec {
  // Program and arguments; must not be empty. An argv[0] without '/' is
  // looked up in the PATH of the node's own environment (posix_spawnp); one
  // with '/' is used as is, relative paths counted from `cwd`.
  std::vector<std::string> argv;
  // Working directory of the child; empty = the node's.
  std::string cwd;
  // Environment overrides (name, value), applied in order on top of the
  // node's environment, or on top of an empty one when `clear_env` is set.
  std::vector<std::pair<std::string, std::string>> env;
  bool clear_env = false;
  // Bytes written to the child's stdin, which is then closed; nullopt
  // connects stdin to /dev/null.
  std::optional<std::string> stdin_data;
  // Wall-clock limit from the start; 0 = none. On expiry the process group
  // gets SIGTERM, then SIGKILL after `kill_grace`.
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds kill_grace{2000};
  // At most this many bytes of stdout and of stderr are kept each; the rest
  // is read and discarded (the result's *_truncated flags say so).
  std::size_t max_output_bytes = 1 << 20;
  // After the process has exited, how long its pipes may stay open (held by
  // processes it left behind) before they are closed and the result is
  // reported.
  std::chrono::milliseconds exit_drain{200};
  // When the process exits, kill (SIGKILL) whatever is left in its process
  // group before reporting, so a task leaves nothing running behind. A
  // process that timed out or was terminated always has its group killed.
  bool kill_group_on_exit = true;
  // How the process uses the host, when the service has a host lock
  // (runtime/services/process/host_lock.hpp): it is spawned once a lease of this use
  // is granted, and the lease ends when it is reported; terminate() while it
  // waits reports it cancelled. nullopt: spawned at once, whatever measures
  // (long-lived runner processes, which would starve measurements; or a
  // caller that holds a lease of its own for the process).
  std::optional<host_use> host = host_use::shared;
  // Where the lease shows in the lock's state ("" = argv[0]).
  std::string host_holder;
  // CPUs the process may run on (sched_setaffinity, inherited by everything
  // it starts); empty = every CPU the node may use. A CPU the node may not
  // use makes the spawn fail, naming it.
  std::vector<int> cpus;
};

// How one process ended. Exactly one of these holds: spawn_failed (with
// `error`), exited (exit_code >= 0), killed by a signal (term_signal > 0),
// or lost (`error` set, pid > 0, neither of the others: abandoned at
// shutdown because it survived SIGKILL, or reaped by someone else).
struct process_result {
  std::uint64_t id = 0;  // the id start() returned
  int pid = -1;          // -1 when it never started
  bool spawn_failed = false;
  std::string error;       // why it failed to start (names argv[0]), or was abandoned
  int exit_code = -1;      // when it exited normally
  int term_signal = 0;     // when a signal ended it
  bool timed_out = false;  // the spec's timeout expired and the group was terminated
  bool cancelled = false;  // terminate() or shutdown ended it (or it never started)
  std::string out, err;    // captured stdout and stderr, bounded
  bool out_truncated = false, err_truncated = false;
  // From the start until the process was seen to exit.
  std::chrono::nanoseconds duration{};
  // CPU time (user + system) of the process and of the descendants it
  // waited for; 0 when it was not reaped here.
  std::chrono::nanoseconds cpu{};

  // True when the process ran and exited with status 0.
  bool ok() const { return !spawn_failed && exit_code == 0 && term_signal == 0; }
};

}  // namespace troupe
