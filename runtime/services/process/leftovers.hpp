// leftovers: the processes a node started and did not see end, because the
// node died (kill -9, a crash, the OOM killer). The process service marks
// every child with TROUPE_NODE=<owner> in its environment (the node's data
// directory: one per node on a host), which what it starts inherits; the next
// start of the node finds the marked processes in /proc and ends them, whole
// process groups, before any subsystem starts, so that nothing a dead node
// started (a workflow's shell, a benchmark suite, a runner) overlaps its own
// re-run. One mechanism for every subsystem.
//
// A process that clears its environment escapes the mark but not its process
// group, which is ended with the marked process that leads it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace troupe {

// The environment variable that marks a node's children.
inline constexpr const char* owner_variable = "TROUPE_NODE";

struct leftover {
  pid_t pid = 0;
  pid_t group = 0;      // its process group, ended with it
  std::string command;  // its command line, for the log
};

// The live processes (not this one, no zombies) whose environment holds
// TROUPE_NODE=<owner>.
std::vector<leftover> find_leftovers(const std::string& owner);

// Ends every leftover of `owner`: SIGKILL to its process group and to
// itself (through a pidfd, so a reused pid is never hit), then waits up to
// `limit` until each has exited. Returns the ones it ended; the ones still
// alive after `limit` are in `*survivors` when given.
std::vector<leftover> end_leftovers(const std::string& owner,
                                    std::chrono::milliseconds limit,
                                    std::vector<leftover>* survivors = nullptr);

}  // namespace troupe
