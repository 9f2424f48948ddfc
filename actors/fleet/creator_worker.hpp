// creator_worker: performs one provider call at a time for its pool. It
// pulls: it tells the pool it is ready, the pool hands it a fleet_job when
// admission allows, and it answers with a fleet_job_result, which also means
// "ready for the next one". A call that outlasts `timeout` is answered as a
// transport timeout; the provider's late answer is ignored.
//
//   pool → worker: (fleet_job)          worker → pool: (ready_atom) once at start,
//                                                      (fleet_job_result) per job
//
// A remote worker (on a member node, spawned by fleet_member) first enlists
// with its pool and sends ready only once admitted; it monitors the pool and
// ends when the pool goes down (a refusal ends it too, logged), and counts
// each job in `work` (the node's load in its heartbeats).
#pragma once

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <chrono>
#include <memory>

#include "actors/fleet/provider.hpp"
#include "messages/fleet.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe::fleet {

struct worker_context {
  caf::actor pool;
  std::shared_ptr<runner_provider> provider;
  std::string pool_name;
  std::vector<std::string> labels;
  std::string owner;
  std::chrono::nanoseconds timeout;
  bool remote = false;
  std::shared_ptr<cluster_work> work;  // remote only; may be null
};

caf::behavior creator_worker(caf::event_based_actor* self, worker_context ctx);

// Conversions between the message and classify's report.
fleet_job_result to_result(const fleet_job& job, const call_report& report,
                           std::chrono::nanoseconds latency);
call_report to_report(const fleet_job_result& result);

}  // namespace troupe::fleet
