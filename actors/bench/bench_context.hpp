// bench_context: what every bench actor is given, and the bench actors'
// names in the node's actor_directory (actors/common/actor_directory.hpp),
// each with its protocol (messages/bench.hpp). Actors put themselves there
// at spawn (a restart replaces the handle); routes, webhooks and the actors
// themselves look handles up at the moment they need them, so nobody holds
// a stale one. The platform actors have no name: they have no protocol
// (they pull).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "actors/bench/artifact.hpp"
#include "actors/bench/bench_config.hpp"
#include "actors/common/actor_directory.hpp"
#include "messages/bench.hpp"
#include "runtime/base/clock.hpp"

namespace troupe {
class cluster_members;
class http_client;
class metrics_registry;
class process_service;
class host_lock;
class store;
}  // namespace troupe

namespace troupe::bench {

// On a coordinator the scheduler and the collector are put with
// reach::cluster: workers' platforms look them up (session.lookup), so
// these two names are also CAF atoms (at most 10 characters).
inline const actor_key<bench_scheduler_actor> scheduler_key{"bsched"};
inline const actor_key<bench_collector_actor> collector_key{"bcollect"};
inline const actor_key<bench_history_actor> history_key{"bhistory"};

struct bench_context {
  bench_settings settings;
  std::vector<platform_config> platforms;
  host_facts host;                       // this node's (read once at start-up)
  std::string history_dir;               // resolved: never empty
  store* db = nullptr;                   // required
  metrics_registry* metrics = nullptr;   // null: no metrics
  process_service* processes = nullptr;  // required by platform actors
  // This machine's host lock: platforms measure under an exclusive lease
  // (unless settings.isolation is "off"), history's analysis and exports
  // run under a shared one. Null: nothing waits.
  host_lock* lock = nullptr;
  http_client* alerts = nullptr;  // null: no alert webhook
  // Whom the scheduler and the collector are put for: other nodes too
  // (reach::cluster) on a coordinator.
  reach scope = reach::node;
  // A coordinator's members: the scheduler and the collector take work of
  // other nodes only from members that fit the platform (placement.hpp).
  // Null: no cluster, only this node's platforms.
  const cluster_members* members = nullptr;
  // Wall-clock time for windows and records, steady within the process
  // (runtime/base/clock.hpp steady_wall_now: a clock jump moves no window's close
  // early or late); tests substitute their own.
  wall_clock now = [] { return steady_wall_now(); };
};

}  // namespace troupe::bench
