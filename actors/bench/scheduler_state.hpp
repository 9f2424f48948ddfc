// The state of the scheduler actor, shared by scheduler_actor.cpp (protocol)
// and scheduler_dispatch.cpp (restore, persistence, dispatch, status).
// Internal.
#pragma once

#include <caf/all.hpp>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "actors/bench/bench_metrics.hpp"
#include "actors/bench/scheduler_actor.hpp"
#include "actors/common/durable_writes.hpp"
#include "actors/common/long_polls.hpp"
#include "messages/bench.hpp"

namespace troupe::bench {

// The scheduler's internal messages: types of this file, not in the type
// registry (no other node can send one: it does not deserialize) and not in
// bench_scheduler_actor (no other actor holds a handle that takes them).
namespace scheduler_msg {

// The armed window deadline (state.timer_at) is due.
struct window_due {};
// The periodic tick ([bench] scheduled-interval).
struct scheduled_due {};
// Comparison `id` waited collector-deadline since it was first handed out.
struct compare_expired {
  std::uint64_t id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, window_due&) {
  return f(caf::meta::type_name("scheduler::window_due"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scheduled_due&) {
  return f(caf::meta::type_name("scheduler::scheduled_due"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, compare_expired& x) {
  return f(caf::meta::type_name("scheduler::compare_expired"), x.id);
}

}  // namespace scheduler_msg

// The scheduler actor's own type: its interface and its internal messages.
using scheduler_impl = bench_scheduler_actor::extend<
    caf::reacts_to<scheduler_msg::window_due>,
    caf::reacts_to<scheduler_msg::scheduled_due>, caf::reacts_to<durable_written>,
    caf::reacts_to<scheduler_msg::compare_expired>, caf::reacts_to<long_polls_due>>;

// A run handed to the platforms and not yet appended.
struct active_run {
  bench_job job;
  std::set<std::string> started;  // platforms that took it (or had an artifact)
};

// The pull of a second actor of a platform already run by another (another
// worker node with the same [cluster] platform): it takes over when that
// one ends.
struct standby_pull {
  caf::typed_response_promise<bench_job> answer;
  caf::actor_addr actor;
  std::string host;
};

struct platform_slot {
  std::optional<caf::typed_response_promise<bench_job>> waiting;  // idle: its pull
  caf::actor_addr actor;
  std::uint64_t current_run = 0;
  bool comparing = false;  // current_run is a comparison's id
  std::string host;
  std::int64_t last_seen = 0;  // unix seconds
  bool down = true;            // until it first asks
  // Since when it waits for its host (bench_host_atom), and the waits so far.
  std::optional<std::chrono::steady_clock::time_point> waiting_since;
  std::chrono::steady_clock::duration host_wait{};
  std::deque<standby_pull> standby;
};

// An A/B comparison not yet analysed (scheduler_compare.cpp).
struct active_compare {
  bench_job job;                       // rounds > 0; run_id is the comparison's id
  std::vector<std::string> platforms;  // that measure it
  std::set<std::string> started;       // took it (or reported)
  std::map<std::string, bench_compare_result> results;
  std::int64_t created_ms = 0;
  bool saved = false;  // durable: it may be handed out
  bool deadline_armed = false;
};

struct scheduler_state {
  bench_context ctx;
  bench_metrics metrics;
  std::optional<window_scheduler> windows;  // set once restored
  std::map<std::string, platform_slot> platforms;
  std::deque<active_run> active;
  // Runs the collector appended before the restore was done (it restores
  // and appends on its own): not active, whatever the snapshot says.
  std::set<std::uint64_t> appended_early;
  // Artifacts the collector had on disk before the restore was done (a
  // worker delivers the one it kept while the coordinator was away as soon
  // as it rejoins): by run, the platforms done with it, whatever the
  // snapshot says.
  std::map<std::uint64_t, std::set<std::string>> received_early;
  std::size_t unsaved = 0;             // commits accepted, not yet durable
  std::optional<time_point> timer_at;  // the armed window deadline
  std::deque<bench_skip> recent_skipped;
  // Writes in flight, with what to do in the actor once each is durable
  // (answer a submitter, say) or failed (the error).
  durable_writes writes;
  using on_saved = durable_writes::then_fn;
  // Grows at every change of what status shows (status_changed); GET
  // /api/v1/bench/status?since=V waits in `polls` until it passes V.
  std::uint64_t version = 1;
  long_polls<bench_status> polls{std::chrono::seconds(10)};
  std::deque<active_compare> compares;  // oldest first
  std::uint64_t next_compare_id = 1;
  static inline const char* name = "troupe.bench.scheduler";
};

using scheduler_self = scheduler_impl::stateful_pointer<scheduler_state>;

// scheduler_dispatch.cpp
void restore(scheduler_self self, bench_snapshot& snap);
// Persists `records` + the open windows as one durable group; runs `done`
// in the actor once it is durable. A failed write ends the actor (its
// restart reloads what the store holds), after every waiting `done` got
// the error: storage_unavailable when the disk failed.
void persist(scheduler_self self, std::vector<store_record> records,
             scheduler_state::on_saved done = {});
void note_changes(scheduler_self self, const scheduler_changes& changes,
                  bench_intake* intake);
// Hands waiting platforms their next job; every change of work or
// platforms ends here, and so in status_changed.
void dispatch(scheduler_self self);
// Raises the status version and answers the held status long polls.
void status_changed(scheduler_self self);
void arm_timer(scheduler_self self);
bench_status make_status(scheduler_self self);

// scheduler_compare.cpp: A/B comparisons. They are queued durably, handed
// to their platforms before any run (a pull request waits for them), and
// analysed when every platform has reported or collector-deadline passed.
caf::result<std::uint64_t> queue_compare(scheduler_self self,
                                         bench_compare_request& request);
// Hands a waiting `platform` its next comparison; false when there is none.
bool dispatch_compare(scheduler_self self, const std::string& platform,
                      platform_slot& slot);
caf::result<bool> receive_compare(scheduler_self self, bench_compare_result& result);
void compare_deadline(scheduler_self self, std::uint64_t id);
void restore_compares(scheduler_self self, bench_snapshot& snap);
// A platform ended: comparisons it started and did not report go to its next pull.
void compare_platform_down(scheduler_self self, const std::string& platform);
std::int64_t now_ms(scheduler_self self);

}  // namespace troupe::bench
