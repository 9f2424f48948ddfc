// The state of a pool actor, shared by its implementation files:
// pool_actor.cpp (protocol, admission, dispatch), pool_results.cpp (what a
// provider call's result changes), pool_recovery.cpp (store and restart),
// pool_report.cpp (status, events, metrics, progress). Internal.
#pragma once

#include <caf/all.hpp>
#include <deque>
#include <map>
#include <random>

#include "actors/common/durable_writes.hpp"
#include "actors/common/long_polls.hpp"
#include "actors/fleet/backoff.hpp"
#include "actors/fleet/circuit_breaker.hpp"
#include "actors/fleet/concurrency_controller.hpp"
#include "actors/fleet/pool_actor.hpp"
#include "actors/fleet/pool_model.hpp"
#include "messages/fleet.hpp"
#include "runtime/services/metrics/metrics.hpp"

namespace troupe::fleet {

using clock_point = std::chrono::steady_clock::time_point;

// The pool's internal messages: types of this file, not in the type registry
// (no other node can send one: it does not deserialize) and not in
// pool_actor (no other actor holds a handle that takes them).
namespace pool_msg {

// The store's runner rows and desired count (-1: none) at start.
struct rows_read {
  std::vector<runner_record> rows;
  std::int64_t desired = -1;
};
// Recovery's provider listing failed: list again.
struct relist_due {};
// The provider's runner objects (ok: the listing succeeded).
struct runners_listed {
  bool ok = false;
  std::vector<runner_record> objects;
};
// The admission timer fired.
struct admit_due {};
// A runner's backoff (or delete retry) delay is over.
struct retry_due {
  std::string name;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rows_read& x) {
  return f(caf::meta::type_name("pool_msg::rows_read"), x.rows, x.desired);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, relist_due&) {
  return f(caf::meta::type_name("pool_msg::relist_due"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, runners_listed& x) {
  return f(caf::meta::type_name("pool_msg::runners_listed"), x.ok, x.objects);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, admit_due&) {
  return f(caf::meta::type_name("pool_msg::admit_due"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, retry_due& x) {
  return f(caf::meta::type_name("pool_msg::retry_due"), x.name);
}

}  // namespace pool_msg

// The pool actor's own type: its interface and its internal messages.
using pool_impl = pool_actor::extend<
    caf::reacts_to<durable_written>, caf::reacts_to<pool_msg::rows_read>,
    caf::reacts_to<pool_msg::relist_due>, caf::reacts_to<pool_msg::runners_listed>,
    caf::reacts_to<pool_msg::admit_due>, caf::reacts_to<pool_msg::retry_due>,
    caf::reacts_to<long_polls_due>>;

// The pool's metric children (label pool=<name>); all null without a registry.
struct pool_metrics {
  std::map<std::string, gauge*> runners;  // by state
  histogram* creation_seconds = nullptr;
  metric_family<counter>* creations = nullptr;  // by outcome
  counter* retries = nullptr;
  counter* throttled = nullptr;
  gauge* concurrency = nullptr;
  gauge* in_flight = nullptr;
  std::map<std::string, gauge*> breaker;  // by state, 1 for the current one
};

struct pool_state {
  pool_context ctx;
  pool_model model{""};
  std::unique_ptr<concurrency_controller> ctrl;
  std::unique_ptr<circuit_breaker> breaker;
  std::unique_ptr<backoff> retry;
  std::mt19937_64 rng{std::random_device{}()};
  std::vector<creator_actor> workers;      // the local ones (linked)
  std::deque<creator_actor> idle_workers;  // waiting for a job, oldest first
  // The job each worker holds (from dispatch to its result).
  std::map<caf::actor_addr, fleet_job> in_flight;
  // Placement (pool_members.cpp): enlisted creators of member nodes, their
  // count per node, where each runner of a node-local provider lives, and
  // jobs that must run on a node whose creators are all busy.
  std::map<caf::actor_addr, caf::node_id> remote;
  std::map<caf::node_id, std::size_t> node_creators;
  std::map<caf::node_id, std::string> node_names;  // member names, for logs
  std::map<std::string, caf::node_id> runner_node;
  std::map<caf::node_id, std::deque<pool_job>> parked;
  std::map<std::string, call_ticket> tickets;  // calls in flight, by runner
  // ctx.members->version() when idle creators of non-members were last dropped.
  std::uint64_t members_seen = 0;
  bool recovered = false;
  std::vector<runner_record> stored;  // rows read at start, until recovery
  std::optional<std::uint32_t> stored_desired;
  clock_point admit_at = clock_point::max();  // pending admission timer
  std::uint64_t version = 0;
  long_polls<pool_status> polls{std::chrono::seconds(10)};  // GET ...?since=V
  // Create intents and scale requests' desired counts being made durable.
  durable_writes writes;
  std::deque<pool_event> events;
  std::deque<std::string> last_errors;
  std::uint64_t retries = 0, throttled = 0;
  scale_report op;
  std::uint32_t op_logged = 0;  // creations reported by the last progress line
  std::string breaker_seen = "closed";
  pool_metrics metrics;
  static inline const char* name = "troupe.fleet.pool";
};

using pool_self = pool_impl::stateful_pointer<pool_state>;

// pool_actor.cpp
void dispatch(pool_self self);
void set_desired(pool_self self, std::uint32_t desired, const std::string& why);
// pool_results.cpp
// `worker` is idle again (invalid: it is gone).
void on_job_result(pool_self self, const creator_actor& worker,
                   const fleet_job_result& r);
// pool_members.cpp: local and remote creator-workers.
// Admits the sender as a creator-worker (true) or refuses it (not_a_member).
caf::result<bool> on_enlist(pool_self self);
// True when `sender` may pull jobs: a local actor or an enlisted creator.
bool is_creator(pool_self self, const caf::strong_actor_ptr& sender);
// True when a runner exit reported by `sender` is believable: the provider's
// own callback (no sender), a local actor or a member node.
bool may_report_exit(pool_self self, const caf::strong_actor_ptr& sender);
// A monitored remote creator went down: its job is handed back; if it was
// its node's last creator, the node's runners are gone (node-local providers).
void on_creator_down(pool_self self, const caf::down_msg& dm);
// A worker and the job it takes next, consuming both; nullopt when there is
// none now (no job, or the model's next job had to wait for its node).
// Requires an idle worker (dispatch's loop condition).
std::optional<std::pair<creator_actor, pool_job>> take_assignment(pool_self self);
bool has_assignment(pool_self self);
// After a result: where the runner lives stops mattering once it is gone
// or its create certainly failed.
void settle_binding(pool_self self, const std::string& runner);
// pool_recovery.cpp
void start_recovery(pool_self self);
void on_stored(pool_self self, std::vector<runner_record>& rows, std::int64_t desired);
void on_listed(pool_self self, bool ok, std::vector<runner_record>& objects);
// Records runner `name` in `state`; with `then`, durably, running it in the
// actor once durable (durable_writes; at once without a store).
void persist_runner(pool_self self, const std::string& name, const char* state,
                    durable_writes::then_fn then = {});
void forget_runner(pool_self self, const std::string& name);
void persist_desired(pool_self self);
void persist_desired_value(pool_self self, std::uint32_t desired,
                           durable_writes::then_fn then = {});
// pool_report.cpp
pool_status make_status(pool_self self);
void touch(pool_self self);  // state changed: version, waiters, metrics, progress
void add_event(pool_self self, std::string kind, std::string message);
void note_error(pool_self self, std::string error);
void init_metrics(pool_self self);
// The pool's wall clock (pool_context::now), in unix milliseconds.
std::int64_t now_ms(pool_self self);

}  // namespace troupe::fleet
