// action_pool: the node's action runners, which run the calls of actions
// that wait (core.shell, core.sleep, subsystem actions); inline actions never
// come here.
//
// The pool actor queues calls (action_request) in arrival order; each of its
// `runners` runner actors runs one call at a time and pulls the next when it
// is done (ready_atom), so at most `runners` calls run on the node and the
// rest wait in the pool's queue. A task bounds what it asks for (its
// with-items concurrency), so the queue is bounded by the tasks running.
// A caller that gives up on a call sends (cancel_atom, call_id): a queued
// call is dropped, a running one is cancelled through its action. A call's
// timeout_ms counts from when a runner starts it (time queued is not
// counted); on expiry the action is cancelled and the call fails with
// "timeout after Ns". When the pool stops, every caller gets a failure.
//
// In a cluster the coordinator's pool (registered as "wfactions") also
// takes runners on worker nodes (actors/workflow/action_runner.hpp), from
// cluster members only. A call whose request carries a selector goes only
// to a runner whose node's labels include every selector entry (it waits
// in the queue until one is idle, however long); a call without one goes
// to any runner. When a remote runner's node goes down, the calls it held
// go back to the front of the queue and run again elsewhere
// (at-least-once); a late answer from the lost runner is dropped.
//
// A worker keeps the replies its runners produced and hands them back when
// it (re)joins: (replay_atom, std::vector<kept_reply>) -> count. A call
// whose key (action_request::key) has a replayed reply is answered with it
// instead of running again — what a coordinator that restarted, or that
// declared the worker down while it ran calls, gets back once the worker
// returns. A worker that rejoins after another worker's runners took the
// call cannot prevent the second run (at-least-once stays the guarantee).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>

#include "actors/common/action.hpp"
#include "messages/workflow.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe {
class metrics_registry;
}

namespace troupe::workflow {

struct action_pool_options {
  std::size_t runners = 16;  // on this node; 0 = only remote runners run calls
  std::shared_ptr<const action_registry> actions;
  process_service* processes = nullptr;
  std::vector<std::string> labels;           // this node's labels (for selectors)
  const cluster_members* members = nullptr;  // admits remote runners; null = none
  metrics_registry* metrics = nullptr;       // optional
};

// Spawns the pool and its runners (linked to it). Protocol:
// action_pool_actor in messages/workflow.hpp.
action_pool_actor spawn_action_pool(caf::actor_system& sys, action_pool_options options);

}  // namespace troupe::workflow
