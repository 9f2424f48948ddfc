// fleet's protocols: what the API, webhooks and actions ask of pools, what
// pools answer, the pull protocol between a pool and its creator-workers, and
// how member nodes find the coordinator's pools. The typed interfaces at the
// end of this file are the contracts; an actor's internal messages (timers,
// store callbacks) are private types of its implementation, so neither
// another actor nor another node can send them.
//
// Placement (a coordinator's pools, creator-workers on member nodes) is in
// docs/fleet.md, "Placement in a cluster".
#pragma once

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/atoms.hpp"

namespace troupe {

using scale_atom = caf::atom_constant<caf::atom("scale")>;
using events_atom = caf::atom_constant<caf::atom("events")>;
using runner_exit_atom = caf::atom_constant<caf::atom("runnerexit")>;
using placement_atom = caf::atom_constant<caf::atom("placement")>;
using enlist_atom = caf::atom_constant<caf::atom("enlist")>;

// What a creator-worker does with a runner.
enum class fleet_job_kind : std::uint8_t { create, remove };

// How a provider call failed below HTTP (none: it got an HTTP answer).
enum class transport_error : std::uint8_t {
  none,
  timeout,
  connection_refused,
  connection_reset,
  dns,
  tls,
  other
};

// "none", "timeout", "connection_refused", ... (logs, metrics, messages).
const char* to_string(transport_error x);

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
  std::uint32_t from = 0;       // desired before
  std::uint32_t to = 0;         // desired after
  std::uint32_t to_create = 0;  // creations the operation needed (M)
  std::uint32_t created = 0;    // N
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
           x.created, x.failed, x.deleted, x.done, x.started_ms, x.finished_ms,
           x.failures);
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
  std::uint32_t in_flight = 0;    // provider calls now
  std::uint32_t concurrency = 0;  // current limit on calls in flight
  std::string mode;               // adaptive | fixed | sequential
  std::string breaker;            // closed | open | half_open
  std::vector<std::string> last_errors;
  std::uint64_t version = 0;  // grows with every change
  scale_report last_scale;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pool_status& x) {
  return f(caf::meta::type_name("troupe::pool_status"), x.name, x.provider, x.ready,
           x.min, x.max, x.desired, x.queued, x.backoff, x.creating, x.idle, x.busy,
           x.deleting, x.created, x.failed, x.finished, x.deleted, x.cancelled, x.retries,
           x.throttled, x.in_flight, x.concurrency, x.mode, x.breaker, x.last_errors,
           x.version, x.last_scale);
}

// A creation or deletion handed to a creator-worker.
struct fleet_job {
  fleet_job_kind kind = fleet_job_kind::create;
  std::string name;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::uint32_t attempt = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fleet_job& x) {
  return f(caf::meta::type_name("troupe::fleet_job"), x.kind, x.name, x.slot,
           x.generation, x.attempt);
}

// What a creator-worker's provider call returned: fleet::call_report's fields
// (actors/fleet/classify.hpp), as a message.
struct fleet_job_result {
  fleet_job job;
  transport_error transport = transport_error::none;
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

// The pull side of a pool: what its creator-workers send it, on this node or
// on a member node (pool_placement carries this handle, not the whole pool).
//   (enlist_atom) -> bool
//       a remote creator, before its first ready_atom; the pool monitors it
//       from then on; not_a_member for a non-member or a member whose roles
//       or labels the pool refuses
//   (ready_atom)          idle, wants a job (the pool answers with a
//                         fleet_job to the sender, a creator_actor, when
//                         admission allows)
//   (fleet_job_result)    the job's outcome, and ready for the next one
//   (runner_exit_atom, std::string runner, std::int32_t code)
//                         a runner ended (its provider's callback, or the
//                         fleet member of the node it ran on)
using pool_pull_actor =
    caf::typed_actor<caf::replies_to<enlist_atom>::with<bool>, caf::reacts_to<ready_atom>,
                     caf::reacts_to<fleet_job_result>,
                     caf::reacts_to<runner_exit_atom, std::string, std::int32_t>>;

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
  pool_pull_actor pool;
  std::string owner;
  std::string provider;                  // process | kubernetes | sim
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
  return f(caf::meta::type_name("troupe::pool_placement"), x.name, x.pool, x.owner,
           x.provider, x.labels, x.node_labels, x.command, x.api_server, x.resource_path,
           x.api_version, x.kind, x.token_file, x.ca_file, x.object_template,
           x.sim_latency_ns, x.sim_jitter_ns, x.sim_rate, x.sim_error_rate, x.sim_quota,
           x.creation_timeout_ns, x.creation_concurrency, x.worker_creators);
}

// A pool, as this node's API, webhooks and actions see it: the pull side
// plus
//   (scale_atom, std::uint32_t replicas) -> pool_status
//       answered once the new desired count is durable; invalid_argument
//       outside [min, max]; storage_unavailable when the store cannot write
//   (status_atom) -> pool_status
//   (status_atom, std::uint64_t since) -> pool_status
//       a long poll: answered once the pool's version passes `since`, or
//       after 10 s with the current status
//   (events_atom) -> std::vector<pool_event>     recent events, oldest first
//   (job_event)   a GitHub workflow_job for this pool
// These answer not_a_member to actors of other nodes (a member holds the
// pull side only, but a handle can be cast).
using pool_actor = pool_pull_actor::extend<
    caf::replies_to<scale_atom, std::uint32_t>::with<pool_status>,
    caf::replies_to<status_atom>::with<pool_status>,
    caf::replies_to<status_atom, std::uint64_t>::with<pool_status>,
    caf::replies_to<events_atom>::with<std::vector<pool_event>>,
    caf::reacts_to<job_event>>;

// A creator-worker: takes one job at a time from its pool, which it pulls
// (ready_atom, then a fleet_job_result per job).
using creator_actor = caf::typed_actor<caf::reacts_to<fleet_job>>;

// A coordinator's placement actor, registered as "fleetpools":
//   (placement_atom) -> std::vector<pool_placement>
//       the pools whose role and node labels the sending member satisfies,
//       each with its pool's current handle (pools that are restarting are
//       left out: ask again later); not_a_member for a non-member
using placement_actor =
    caf::typed_actor<caf::replies_to<placement_atom>::with<std::vector<pool_placement>>>;

}  // namespace troupe
