// workflow_actor: one per execution. It owns the execution's state (a
// troupe::workflow::execution), spawns a workflow-task actor per task
// execution it dispatches, and reacts to their reports: each report is
// evaluated at once (transitions, publish, joins), persisted as one atomic
// step, and — as soon as that step is durable — its successors are
// dispatched. Nothing polls; the only timers are the workflow's timeout.
//
// Protocol (execution_actor in messages/workflow.hpp): run_atom starts a fresh execution
// (the reply comes once its first step is durable); restored_atom resumes a
// restored one; status/wait/cancel/pause/resume as the service forwards
// them. The actor quits once the execution's final state is durable, after
// answering everyone waiting.
//
// Persistence: with a store, a step is durable before anything it scheduled
// starts, so a crash never loses a finished task whose successor ran; tasks
// that were running at a crash run again (at-least-once). Without a store
// (`troupe run`, benchmarks of the engine alone) steps are "durable" at once.
#pragma once

#include <atomic>
#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>

#include "actors/common/action.hpp"
#include "actors/workflow/execution.hpp"
#include "actors/workflow/workflow_metrics.hpp"
#include "messages/workflow.hpp"
#include "runtime/base/clock.hpp"

namespace troupe {
class store;
}

namespace troupe::workflow {

// What every workflow actor of a node shares.
struct engine_services {
  store* db = nullptr;     // nullptr: no persistence
  action_pool_actor pool;  // the action pool
  std::shared_ptr<const action_registry> actions;
  std::shared_ptr<workflow_metrics> metrics;
  std::shared_ptr<std::atomic<std::uint64_t>> call_ids;
  std::size_t default_concurrency = 10;
  // Wall-clock time for what executions store and show (start, finish,
  // task times) and for workflow timeouts counted from the start; tests
  // substitute their own.
  wall_clock now = [] { return std::chrono::system_clock::now(); };
};

// A fresh execution (not stored yet) starts on (run_atom); a restored one
// resumes on (restored_atom). `owner` (the service) gets (ended_atom,
// run_status) just before the actor quits.
execution_actor spawn_workflow_actor(caf::actor_system& sys, engine_services services,
                                     execution e, std::string source,
                                     execution_owner_actor owner);

}  // namespace troupe::workflow
