// creator_worker: performs one provider call at a time for its pool. It
// pulls: it tells the pool it is ready, the pool hands it a fleet_job when
// admission allows, and it answers with a fleet_job_result, which also means
// "ready for the next one". A call that outlasts `timeout` is answered as a
// transport timeout; the provider's late answer is ignored.
//
// Protocol: creator_actor and pool_pull_actor in messages/fleet.hpp.
//
// A remote worker (on a member node, spawned by fleet_member) first enlists
// with its pool and sends ready only once admitted; it monitors the pool and
// ends when the pool goes down (a refusal ends it too, logged), and counts
// each job in `work` (the node's load in its heartbeats).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>
#include <memory>

#include "actors/fleet/provider.hpp"
#include "messages/fleet.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe::fleet {

struct worker_context {
  pool_pull_actor pool;
  std::shared_ptr<runner_provider> provider;
  std::string pool_name;
  std::vector<std::string> labels;
  std::string owner;
  std::chrono::nanoseconds timeout;
  bool remote = false;
  std::shared_ptr<cluster_work> work;  // remote only; may be null
};

creator_actor spawn_creator(caf::actor_system& sys, worker_context ctx);

// Conversions between the message and classify's report.
fleet_job_result to_result(const fleet_job& job, const call_report& report,
                           std::chrono::nanoseconds latency);
call_report to_report(const fleet_job_result& result);

}  // namespace troupe::fleet
