// action_runner: runs one action call at a time for an action pool and
// pulls the next when it is done. It announces itself with (ready_atom);
// the pool sends an action_request; the runner answers the pool with the
// action_reply, which also means "ready again". A call's timeout_ms counts
// from here; on expiry the action is cancelled and the reply says
// "timeout after Ns". (cancel_atom, call_id) cancels the running call.
//
// A runner on a worker node serves the coordinator's pool across the
// network: it monitors the pool and, when the pool is gone (coordinator
// lost or restarted), finishes the call it holds and ends. `work` (optional)
// counts the calls in hand for the node's heartbeats; `keeper` (optional)
// keeps every reply by its call's key, so that the worker can hand it to
// the coordinator again after a lost link (reply_keeper.hpp).
#pragma once

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <memory>

#include "actors/common/action.hpp"
#include "actors/workflow/reply_keeper.hpp"
#include "messages/workflow.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe::workflow {

struct action_runner_options {
  action_pool_pull_actor pool;
  std::shared_ptr<const action_registry> actions;
  process_service* processes = nullptr;
  std::shared_ptr<cluster_work> work;    // null on the pool's own node
  std::shared_ptr<reply_keeper> keeper;  // null on the pool's own node
};

// Spawns a runner linked to `parent` (the pool's own runners).
action_runner_actor spawn_linked_runner(caf::local_actor* parent,
                                        action_runner_options options);

// Spawns a free-standing runner for a remote pool.
action_runner_actor spawn_remote_runner(caf::actor_system& sys,
                                        action_runner_options options);

}  // namespace troupe::workflow
