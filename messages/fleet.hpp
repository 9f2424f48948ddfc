// fleet's messages: what the API, webhooks and CLI ask of pools, what pools
// answer, and the pull protocol between a pool and its creator-workers.
//
//   API/webhooks → pool:  (scale_atom, uint32 replicas) -> pool_status
//                         (status_atom) -> pool_status
//                         (status_atom, uint64 since) -> pool_status   long poll:
//                             answers once the pool's version passes `since`
//                         (events_atom) -> std::vector<pool_event>
//                         (job_event) a GitHub workflow_job for this pool
//   worker → pool:        (ready_atom)              idle, wants a job
//   pool → worker:        (fleet_job)
//   worker → pool:        (fleet_job_result)
//   provider → pool:      (runner_exit_atom, std::string name, int32 code)
//
// Placement (a coordinator's pools, creator-workers on member nodes; see
// docs/fleet.md, "Placement in a cluster"):
//   worker node's fleet member → "fleetpools" (the coordinator's placement
//   actor):               (placement_atom) -> std::vector<pool_placement>
//                             the pools this member may create for, with the
//                             pool actors' current handles; not_a_member
//                             for a node that did not join
//   remote creator → pool: (enlist_atom) -> bool
//                             before its first ready_atom; the pool monitors
//                             it from then on; not_a_member for a non-member
//                             or a member whose roles/labels the pool refuses
//   fleet member → pool:   (runner_exit_atom, ...) for runners on its node
#pragma once

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/atoms.hpp"

namespace troupe {

using scale_atom = caf::atom_constant<caf::atom("scale")>;
using events_atom = caf::atom_constant<caf::atom("events")>;
using runner_exit_atom = caf::atom_constant<caf::atom("runnerexit")>;
// Internal to a pool: a backoff delay, an admission pause or a long poll ended.
using retry_due_atom = caf::atom_constant<caf::atom("retrydue")>;
using admit_atom = caf::atom_constant<caf::atom("admit")>;
using progress_atom = caf::atom_constant<caf::atom("progress")>;
// Internal to a pool: restart recovery steps and a persisted intent.
using stored_atom = caf::atom_constant<caf::atom("stored")>;
using relist_atom = caf::atom_constant<caf::atom("relist")>;
using listed_atom = caf::atom_constant<caf::atom("listed")>;
using intent_atom = caf::atom_constant<caf::atom("intent")>;
using saved_atom = caf::atom_constant<caf::atom("saved")>;
using placement_atom = caf::atom_constant<caf::atom("placement")>;
using enlist_atom = caf::atom_constant<caf::atom("enlist")>;

// Something that happened to a pool (scaled, breaker_opened, quota_exhausted…).
struct pool_event {
  std::int64_t time_ms = 0;  // unix milliseconds
  std::string kind;
  std::string message;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_event& x) {
  return f(caf::meta::type_name("troupe::pool_event"), x.time_ms, x.kind, x.message);
}

// The latest scale operation: "created N of M", with each failure's reason.
struct scale_report {
  std::uint64_t id = 0;
  std::uint32_t from = 0;        // desired before
  std::uint32_t to = 0;          // desired after
  std::uint32_t to_create = 0;   // creations the operation needed (M)
  std::uint32_t created = 0;     // N
  std::uint32_t failed = 0;
  std::uint32_t deleted = 0;
  bool done = false;
  std::int64_t started_ms = 0;
  std::int64_t finished_ms = 0;
  std::vector<std::string> failures;  // "runner: reason"
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scale_report& x) {
  return f(caf::meta::type_name("troupe::scale_report"), x.id, x.from, x.to, x.to_create,
           x.created, x.failed, x.deleted, x.done, x.started_ms, x.finished_ms, x.failures);
}

// One pool as GET /api/v1/pools/<pool> shows it.
struct pool_status {
  std::string name;
  std::string provider;
  bool ready = false;  // false until the provider's runners were listed after a start
  std::uint32_t min = 0, max = 0, desired = 0;
  // Runners by state; pending = queued + backoff + creating, running = idle + busy.
  std::uint32_t queued = 0, backoff = 0, creating = 0, idle = 0, busy = 0, deleting = 0;
  // Totals since the pool started.
  std::uint64_t created = 0, failed = 0, finished = 0, deleted = 0, cancelled = 0;
  std::uint64_t retries = 0, throttled = 0;
  std::uint32_t in_flight = 0;      // provider calls now
  std::uint32_t concurrency = 0;    // current limit on calls in flight
  std::string mode;                 // adaptive | fixed | sequential
  std::string breaker;              // closed | open | half_open
  std::vector<std::string> last_errors;
  std::uint64_t version = 0;        // grows with every change
  scale_report last_scale;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_status& x) {
  return f(caf::meta::type_name("troupe::pool_status"), x.name, x.provider, x.ready, x.min, x.max,
           x.desired, x.queued, x.backoff, x.creating, x.idle, x.busy, x.deleting, x.created,
           x.failed, x.finished, x.deleted, x.cancelled, x.retries, x.throttled, x.in_flight,
           x.concurrency, x.mode, x.breaker, x.last_errors, x.version, x.last_scale);
}

// A creation or deletion handed to a creator-worker.
struct fleet_job {
  std::uint8_t kind = 0;  // 0 create, 1 remove
  std::string name;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::uint32_t attempt = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fleet_job& x) {
  return f(caf::meta::type_name("troupe::fleet_job"), x.kind, x.name, x.slot, x.generation,
           x.attempt);
}

// What a creator-worker's provider call returned: fleet::call_report's fields
// (actors/fleet/classify.hpp), as a message.
struct fleet_job_result {
  fleet_job job;
  std::uint8_t transport = 0;  // fleet::transport_error
  std::int32_t http_status = 0;
  std::string retry_after;
  std::string status_reason;
  std::string status_message;
  std::int32_t status_retry_after_seconds = -1;  // -1: none
  std::int64_t latency_ns = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fleet_job_result& x) {
  return f(caf::meta::type_name("troupe::fleet_job_result"), x.job, x.transport,
           x.http_status, x.retry_after, x.status_reason, x.status_message,
           x.status_retry_after_seconds, x.latency_ns);
}

// A runner as the store or a provider listing knows it (restart recovery).
struct runner_record {
  std::string name;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::string state;  // store: creating | idle | busy | deleting; listing: idle | busy
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, runner_record& x) {
  return f(caf::meta::type_name("troupe::runner_record"), x.name, x.slot, x.generation,
           x.state);
}

// A GitHub workflow_job event for a pool: queued jobs raise demand, completed
// ones lower it; in_progress names the runner that took the job.
struct job_event {
  std::string action;       // queued | in_progress | completed
  std::string runner_name;  // for in_progress / completed
  std::int64_t job_id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_event& x) {
  return f(caf::meta::type_name("troupe::job_event"), x.action, x.runner_name, x.job_id);
}

// A pool as a member node needs it to run creator-workers for it: the
// provider definition from the coordinator's INI (fleet_config.hpp's
// pool_config, durations in nanoseconds), the pool actor to pull from and
// the owner label its runners carry (the coordinator's node name).
struct pool_placement {
  std::string name;
  caf::actor pool;
  std::string owner;
  std::string provider;  // process | kubernetes | sim
  std::vector<std::string> labels;       // runner labels
  std::vector<std::string> node_labels;  // member labels the pool requires
  std::vector<std::string> command;
  std::string api_server, resource_path, api_version, kind, token_file, ca_file,
      object_template;
  std::int64_t sim_latency_ns = 0, sim_jitter_ns = 0;
  double sim_rate = 0, sim_error_rate = 0;
  std::uint32_t sim_quota = 0;
  std::int64_t creation_timeout_ns = 0;
  std::uint32_t creation_concurrency = 0;
  std::uint32_t worker_creators = 0;  // creator-workers per member node
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_placement& x) {
  return f(caf::meta::type_name("troupe::pool_placement"), x.name, x.pool, x.owner, x.provider,
           x.labels, x.node_labels, x.command, x.api_server, x.resource_path, x.api_version,
           x.kind, x.token_file, x.ca_file, x.object_template, x.sim_latency_ns,
           x.sim_jitter_ns, x.sim_rate, x.sim_error_rate, x.sim_quota, x.creation_timeout_ns,
           x.creation_concurrency, x.worker_creators);
}

}  // namespace troupe
