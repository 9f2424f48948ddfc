// spawn_process: starts one child with posix_spawn, the way the process
// service wants it (see runtime/services/process/process_service.hpp for the rules it
// serves). No shell is involved, ever.
//
// The child gets:
//   - stdin: a pipe (when spec.stdin_data is set) or /dev/null;
//   - stdout and stderr: one pipe each;
//   - no other descriptor of the node (everything from 3 up is closed);
//   - its own process group (pgid = pid), so the group can be signalled;
//   - an empty signal mask and default dispositions for every signal (the
//     node blocks SIGINT/SIGTERM in all threads; children must not inherit
//     that, nor any ignored signal);
//   - spec.cwd and the environment built from spec.env / spec.clear_env;
//   - the CPU affinity spec.cpus, when set (set on the spawning thread for
//     the spawn, so the child starts on those CPUs and keeps them).
#pragma once

#include <sys/types.h>

#include "runtime/base/status.hpp"
#include "runtime/services/process/process_spec.hpp"
#include "runtime/services/process/unique_fd.hpp"

namespace troupe {

// The parent's ends of a started child. All descriptors are close-on-exec
// and non-blocking.
struct spawned_process {
  pid_t pid = -1;
  unique_fd pidfd;  // pidfd_open(pid): readable once the child has exited
  unique_fd in;     // write end of its stdin; invalid when stdin is /dev/null
  unique_fd out;    // read end of its stdout
  unique_fd err;    // read end of its stderr
};

// Starts `spec`. The child is NOT reaped by anyone else: the caller owns it
// and must eventually wait for it. Errors (empty argv, a bad environment
// name, program not found or not executable, a working directory that
// cannot be entered, out of descriptors) name argv[0] and the cause.
result<spawned_process> spawn_process(const process_spec& spec);

// OK when every CPU in `cpus` is one this process may run on; otherwise an
// error naming the first that is not, and those that are.
status check_cpus(const std::vector<int>& cpus);

}  // namespace troupe
