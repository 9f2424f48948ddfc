// pool_actor: the pool supervisor of one runner pool. It reconciles desired
// vs actual runners (pool_model), hands creations and deletions to its
// creator-workers as they ask for work (pull), admits calls through the
// concurrency controller and the circuit breaker, retries with backoff,
// persists intents before creating (so a restart knows every name that may
// exist), recovers after a restart by listing the provider, and reports its
// state, events, metrics and progress.
//
// Protocol: pool_actor in messages/fleet.hpp. Its local creator-workers
// (`local-creators`) are linked to it: a worker that dies takes the pool
// down, and the fleet supervisor restarts it (it then recovers from the
// store and the provider). Creator-workers of member nodes enlist
// (pool_members.cpp, docs/fleet.md): the pool monitors them, hands a job it
// had given to one that goes down back (retried), and when a node's last
// creator is gone, counts the runners that lived on that node (process and
// sim pools) as finished, so the pool replaces them.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>
#include <string>

#include "actors/fleet/fleet_config.hpp"
#include "actors/fleet/provider.hpp"
#include "messages/fleet.hpp"
#include "runtime/base/clock.hpp"

namespace troupe {
class cluster_members;
class metrics_registry;
class store;
}  // namespace troupe

namespace troupe::fleet {

struct pool_context {
  pool_config config;
  fleet_settings settings;
  std::shared_ptr<runner_provider> provider;
  std::string owner;                         // this node's name (ownership label)
  store* db = nullptr;                       // null: no persistence (unit tests)
  metrics_registry* metrics = nullptr;       // null: no metrics
  const cluster_members* members = nullptr;  // admits remote creators; null: none
  // Wall-clock time for what the pool stores and shows (runner rows, events,
  // scale reports) and for Retry-After dates; tests substitute their own.
  // Timers and the controllers run on CAF's actor clock (self->clock()).
  wall_clock now = [] { return std::chrono::system_clock::now(); };
};

pool_actor spawn_pool(caf::actor_system& sys, pool_context ctx);

}  // namespace troupe::fleet
