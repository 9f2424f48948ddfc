// fleet's configuration: the [fleet] section (defaults for every pool) and
// the pools, declared under [fleet.pools] one map per pool:
//
//   [fleet.pools]
//   linux-x64={
//     min=0
//     max=100
//     desired=0
//     labels=["self-hosted","linux","x64"]
//     provider="process"                 ; process | kubernetes | sim
//     command=["/opt/runner/run.sh","--name","{name}"]
//   }
//
// (CAF 0.17's INI reader loses sections nested three deep such as
// [fleet.pools.linux-x64], so pools are maps inside [fleet.pools].)
// Every key of a pool is listed in config/reference.ini.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/config/node_config.hpp"

namespace troupe::fleet {

// [fleet]: defaults for every pool, and fleet-wide settings.
struct fleet_settings {
  std::size_t creation_concurrency = 10;  // calls in flight, at most
  std::chrono::nanoseconds creation_timeout = std::chrono::seconds(30);
  bool adaptive = true;     // adaptive concurrency (up to creation_concurrency)
  bool sequential = false;  // one call at a time, the old behaviour
  std::size_t max_attempts = 6;
  std::chrono::nanoseconds backoff_base = std::chrono::milliseconds(200);
  std::chrono::nanoseconds backoff_cap = std::chrono::seconds(30);
  std::size_t breaker_threshold = 10;  // consecutive failures that open it
  std::chrono::nanoseconds breaker_cooldown = std::chrono::seconds(10);
  std::string webhook_secret_file;  // GitHub webhook secret; empty = webhooks off
};

// One pool.
struct pool_config {
  std::string name;
  std::uint32_t min = 0, max = 10, desired = 0;
  std::vector<std::string> labels;
  std::string provider = "process";
  // process: argv template; {name} {pool} {slot} {generation} {labels} expand.
  std::vector<std::string> command;
  // kubernetes
  std::string api_server;     // http(s)://host:port
  std::string resource_path;  // e.g. /api/v1/namespaces/ci/pods
  std::string api_version = "v1";
  std::string kind = "Pod";
  std::string token_file;
  std::string ca_file;
  std::string object_template;  // JSON merged into the created object's spec
  // sim (in-process simulated API, for tests and the quick benchmark)
  std::chrono::nanoseconds sim_latency = std::chrono::milliseconds(50);
  std::chrono::nanoseconds sim_jitter{0};
  double sim_rate = 0;          // creates/s allowed, 0 = unlimited
  double sim_error_rate = 0;    // probability of a 5xx
  std::uint32_t sim_quota = 0;  // 0 = none
  // creation (defaults from [fleet])
  std::size_t creation_concurrency = 10;
  std::chrono::nanoseconds creation_timeout = std::chrono::seconds(30);
  bool adaptive = true;
  bool sequential = false;
  // placement (docs/fleet.md, "Placement in a cluster"): member labels ("key=value") a
  // worker node must carry to create for this pool; creator-workers on this
  // node (the coordinator or a standalone node); creator-workers on each
  // admitted worker node. The concurrency controller bounds calls in flight
  // across all of them.
  std::vector<std::string> node_labels;
  std::optional<std::size_t> local_creators;  // unset: local_creator_count's default
  std::size_t worker_creators = 4;
};

// Creator-workers a pool runs on its own node: `local-creators` when set,
// else creation_concurrency (1 when sequential).
std::size_t local_creator_count(const pool_config& p);

// Declares [fleet] on `cfg` and marks [fleet.pools] as a dynamic section.
void declare_fleet_options(node_config& cfg, fleet_settings& settings);

// Reads and validates the pools from `cfg.content`, with `defaults` from
// [fleet]; errors name the place ("file:line: fleet.pools.x.max ...").
result<std::vector<pool_config>> read_pools(const node_config& cfg,
                                            const fleet_settings& defaults);

// Checks [fleet] itself.
status check_fleet_settings(const node_config& cfg, const fleet_settings& s);

// Validates one pool (also used for changes made through the API).
status check_pool(const pool_config& p);

}  // namespace troupe::fleet
