// provider_process: a runner is a local child process started from the
// pool's argv template through the node's process service (never a shell).
// Template values {name} {pool} {slot} {generation} {labels} expand inside
// arguments; the environment also carries TROUPE_RUNNER_NAME, TROUPE_POOL,
// TROUPE_RUNNER_SLOT, TROUPE_RUNNER_LABELS and TROUPE_OWNER. When the process
// exits, the runner is finished (exit listener) and the pool refills.
//
// Process runners do not outlive their node: a graceful stop ends them with
// the process service; after a crash, the node's next start ends them with
// everything else the dead node started (runtime/services/process/leftovers.hpp), so
// list() finds none and the pool starts fresh children it can watch.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/fleet/provider.hpp"

namespace troupe {
class process_service;
}

namespace troupe::fleet {

class process_provider : public runner_provider,
                         public std::enable_shared_from_this<process_provider> {
 public:
  // `processes` must outlive this provider.
  process_provider(process_service& processes, std::vector<std::string> command);

  void create(const runner_spec& spec, call_done done) override;
  void remove(const std::string& pool, const std::string& name, call_done done) override;
  void list(const std::string& pool, const std::string& owner, list_done done) override;
  void on_exit(exit_listener listener) override;

  // argv with the template values of `spec` expanded.
  static std::vector<std::string> expand(const std::vector<std::string>& command,
                                         const runner_spec& spec);

 private:
  process_service& processes_;
  std::vector<std::string> command_;
  std::mutex mu_;
  struct child {
    std::uint64_t id;  // process service id
    runner_spec spec;
  };
  std::map<std::string, child> running_;  // by runner name
  exit_listener listener_;
};

}  // namespace troupe::fleet
