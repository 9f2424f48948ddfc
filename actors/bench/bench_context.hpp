// bench_context: what every bench actor is given, and bench_directory, the
// current handles of the bench actors by role, each with its protocol
// (messages/bench.hpp). Actors register at spawn (a restart replaces the
// handle); routes, webhooks and the actors themselves look handles up at
// the moment they need them, so nobody holds a stale one. It keeps weak
// references (addresses): a terminated actor must be able to go away, or
// the actor system would wait for the detached ones forever. The platform
// actors are not in it: they have no protocol (they pull).
#pragma once

#include <caf/actor.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "actors/bench/artifact.hpp"
#include "actors/bench/bench_config.hpp"
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

class bench_directory {
 public:
  void put_scheduler(const bench_scheduler_actor& handle);
  void put_collector(const bench_collector_actor& handle);
  void put_history(const bench_history_actor& handle);
  // The actor of the role, or an invalid handle while it (re)starts.
  bench_scheduler_actor scheduler() const;
  bench_collector_actor collector() const;
  bench_history_actor history() const;

 private:
  void put(const std::string& role, caf::actor_addr addr);
  caf::actor get(const std::string& role) const;

  mutable std::mutex mu_;
  std::map<std::string, caf::actor_addr> actors_;
};

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
  http_client* alerts = nullptr;         // null: no alert webhook
  bench_directory* directory = nullptr;  // required
  // A coordinator's members: the scheduler and the collector take work of
  // other nodes only from members that fit the platform (placement.hpp).
  // Null: no cluster, only this node's platforms.
  const cluster_members* members = nullptr;
  // Wall-clock time for windows and records, steady within the process
  // (runtime/base/clock.hpp steady_wall_now: a clock jump moves no window's close
  // early or late); tests substitute their own.
  std::function<time_point()> now = [] { return steady_wall_now(); };
};

}  // namespace troupe::bench
