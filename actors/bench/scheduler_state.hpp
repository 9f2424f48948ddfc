// The state of the scheduler actor, shared by scheduler_actor.cpp (protocol)
// and scheduler_dispatch.cpp (restore, persistence, dispatch, status).
// Internal.
#pragma once

#include <caf/all.hpp>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "actors/bench/bench_metrics.hpp"
#include "actors/bench/scheduler_actor.hpp"
#include "messages/bench.hpp"

namespace troupe::bench {

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
  std::string host;
  std::int64_t last_seen = 0;  // unix seconds
  bool down = true;             // until it first asks
  std::deque<standby_pull> standby;
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
  std::size_t unsaved = 0;  // commits accepted, not yet durable
  std::optional<time_point> timer_at;  // the armed window deadline
  std::deque<bench_skip> recent_skipped;
  std::uint64_t next_save = 0;
  // Writes in flight; those with an answer for a submitter.
  using answer = std::pair<caf::typed_response_promise<bench_intake>, bench_intake>;
  std::map<std::uint64_t, std::optional<answer>> saving;
  static inline const char* name = "troupe.bench.scheduler";
};

using scheduler_self = caf::stateful_actor<scheduler_state>*;

// scheduler_dispatch.cpp
void restore(scheduler_self self, bench_snapshot& snap);
// Persists `records` + the open windows as one durable group; with a promise,
// answers it with `intake` once durable.
void persist(scheduler_self self, std::vector<store_record> records,
             std::optional<scheduler_state::answer> answer = {});
void note_changes(scheduler_self self, const scheduler_changes& changes, bench_intake* intake);
void dispatch(scheduler_self self);
void arm_timer(scheduler_self self);
bench_status make_status(scheduler_self self);
std::int64_t now_ms(scheduler_self self);

}  // namespace troupe::bench
