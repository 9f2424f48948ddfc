// task_actor: the workflow-task actor, one per task execution ("check#0").
//
// It renders the task's input against the context it was given (an O(1)
// copy of the execution's context at dispatch), runs the action — inline on
// itself for inline actions, through the action pool otherwise — and
// reports one task_report to its workflow actor, then quits.
//
// with-items: the items are the rendered `with_items` array; each item's
// input is rendered with `item` and `index` bound (the item value is shared,
// not copied); at most `concurrency` items are in flight; the result is the
// list of item results in item order. A failed item (after its retries)
// fails the task once the items in flight have finished; no new item starts
// after a failure. Inline items run in slices (1,024 per message) so a
// million-item task never holds a scheduler thread for long.
//
// Retry and timeout apply to each action attempt (of each item): a failed
// attempt is retried after retry.delay_before(k); an attempt that takes
// longer than `timeout` is cancelled and fails with "timeout after Ns" (for
// pooled actions the pool counts from when a runner starts the attempt).
// Actions that only wait for other actors (needs_runner() false) run from
// this actor directly.
// (cancel_atom) from the workflow actor cancels every call in flight and
// reports the task canceled.
#pragma once

#include <atomic>
#include <caf/actor.hpp>
#include <caf/local_actor.hpp>
#include <memory>

#include "actors/common/action.hpp"
#include "actors/workflow/definition.hpp"
#include "messages/workflow.hpp"

namespace troupe::workflow {

struct task_actor_args {
  definition_ptr def;
  std::size_t task = 0;
  std::uint32_t seq = 0;
  json context;
  std::string execution;
  task_parent_actor workflow;  // receives the task_report and progress
  action_pool_actor pool;      // the action pool
  std::shared_ptr<const action_registry> actions;
  std::size_t default_concurrency = 10;
  std::shared_ptr<std::atomic<std::uint64_t>> call_ids;  // node-wide, from 1
};

// Spawns the actor, monitored by and linked to `parent` (it ends when its
// workflow actor ends; its own end is reported through the monitor).
workflow_task_actor spawn_task_actor(caf::local_actor* parent, task_actor_args args);

}  // namespace troupe::workflow
