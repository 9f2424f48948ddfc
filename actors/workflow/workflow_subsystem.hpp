// workflow_subsystem: plugs the workflow engine into a node (see
// actors/common/subsystem.hpp): the [workflow] section, tables wf_executions and
// wf_tasks, a "workflow" supervisor holding the action pool and the workflow
// service (registered as "workflow"), and the /api/v1/runs and
// /api/v1/workflows endpoints.
//
//   [workflow]
//   workflows-dir="config/workflows"  ; <name>.json/.yaml/.yml runnable by name
//   action-runners=16                 ; action calls running at once on the node
//   default-concurrency=10            ; with-items in flight when a task sets none
//   max-executions=1000               ; live executions; past it the API answers 429
//   [workflow.secrets]                ; named secret files for core.http
//   github_token="/etc/troupe/github-token"   (workflow_secrets.hpp)
#pragma once

#include <memory>

#include "actors/common/action.hpp"
#include "actors/common/subsystem.hpp"
#include "actors/workflow/reply_keeper.hpp"

namespace troupe::workflow {

struct workflow_settings {
  std::string workflows_dir;
  std::size_t action_runners = 16;
  std::size_t default_concurrency = 10;
  std::size_t max_executions = 1000;
};

class workflow_subsystem : public subsystem {
 public:
  workflow_subsystem();
  std::string name() const override { return "workflow"; }
  void declare(node_config& cfg) override;
  status check(const node_config& cfg) override;
  std::vector<migration> migrations() const override;
  supervisor_actor start(node_services& services) override;
  void routes(http_server& server, node_services& services) override;
  // On a worker with the "runner" role: [workflow] action-runners runners
  // that pull calls from the coordinator's pool.
  std::vector<caf::actor> attach(const cluster_session& session,
                                 node_services& services) override;
  std::vector<std::string> cluster_lookups() const override;
  std::vector<readiness_name> readiness(const node_config& cfg) const override;

  // Where other subsystems add their actions (fleet.scale, bench.submit)
  // before start().
  action_registry& actions() { return *actions_; }
  const workflow_settings& settings() const { return settings_; }

 private:
  workflow_settings settings_;
  std::shared_ptr<action_registry> actions_;
  std::shared_ptr<std::atomic<std::uint64_t>> call_ids_;
  std::shared_ptr<reply_keeper> keeper_;  // a worker's replies, across sessions
};

}  // namespace troupe::workflow
