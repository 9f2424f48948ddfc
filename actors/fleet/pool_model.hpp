// pool_model: the exact accounting of one pool's runners, without actors or
// I/O. The pool actor feeds it demand (set_desired), provider results and
// runner events, and asks it for the next job to hand a creator-worker.
//
// Runner life cycle (state names are used in the API and metrics):
//   queued ──job──▶ creating ──created/409──▶ idle ──job started──▶ busy
//      │               │  └─retryable──▶ backoff ──retry due──▶ queued
//      │               └─permanent──▶ failed (counted and forgotten; frees its slot)
//   idle/busy ──exited/job completed──▶ finished (gone; the pool refills)
//   surplus: queued/backoff are cancelled; idle ones are deleted; busy ones
//   are never deleted; a creating one is deleted when its create answers.
//   deleting ──deleted/404──▶ gone
//
// Demand counts queued + backoff + creating + idle + busy (failed runners do
// not hold capacity). Slots are small integers reused by replacements; the
// generation of a slot grows with each new runner in it, so every name
// (pool-slot-generation) is created at most once.
//
// Cost: every event (a result, a runner event, next_job) is O(log n) in the
// pool's size n, and so are counts() and actual(); a scale request is
// O(k log n) for the k runners it adds or removes. Counts are kept as
// runners change, never recounted (perf/fleet_scale_size measures it,
// pool_model_test counts it).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/fleet/slot_allocator.hpp"
#include "messages/fleet.hpp"

namespace troupe::fleet {

enum class runner_state { queued, backoff, creating, idle, busy, deleting };

const char* to_string(runner_state s);

struct runner_entry {
  std::string name;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  runner_state state = runner_state::queued;
  std::uint32_t attempts = 0;  // create (or delete) calls made so far
  bool unwanted = false;       // creating, but surplus: delete once created
  bool uncertain = false;      // a create may have succeeded unseen (timeout)
  std::string last_error;
};

using job_kind = fleet_job_kind;  // messages/fleet.hpp

struct pool_job {
  job_kind kind = job_kind::create;
  std::string name;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  std::uint32_t attempt = 0;  // 1 for the first call
};

// Counts by state, plus totals since the pool started.
struct pool_counts {
  std::uint32_t queued = 0, backoff = 0, creating = 0, idle = 0, busy = 0, deleting = 0;
  std::uint64_t created = 0, failed = 0, finished = 0, deleted = 0, cancelled = 0;
  std::uint32_t pending() const { return queued + backoff + creating; }
  std::uint32_t running() const { return idle + busy; }
};

class pool_model {
 public:
  explicit pool_model(std::string pool) : pool_(std::move(pool)) {}

  const std::string& pool() const { return pool_; }
  std::uint32_t desired() const { return desired_; }

  // Sets the desired count and reconciles: queues creations for a deficit,
  // cancels or deletes surplus (idle before pending, never busy).
  void set_desired(std::uint32_t n);

  // Re-runs reconciliation (after failures or exits left a deficit).
  void reconcile() { set_desired(desired_); }

  // The next job for a worker, or nothing: deletions first (they free
  // capacity), then creations in queue order. The runner moves to
  // creating/deleting.
  std::optional<pool_job> next_job();
  bool has_job() const { return !deletes_.empty() || count_.queued > 0; }

  // Results of jobs. A retry puts the runner in backoff; the caller calls
  // on_retry_due when its backoff delay is over.
  void on_created(const std::string& name);  // 201 or owned 409
  void on_create_retry(const std::string& name, std::string reason, bool uncertain);
  void on_retry_due(const std::string& name);  // backoff over: re-queue
  void on_create_failed(const std::string& name, std::string reason);  // permanent
  void on_deleted(const std::string& name);                            // 2xx or 404
  void on_delete_retry(const std::string& name, std::string reason);   // re-queued

  // Runner events.
  void on_job_started(const std::string& name);  // idle → busy
  // The runner ran its job and is done; refill to the desired count. With
  // `delete_object` its object stays at the provider and is deleted.
  void on_finished(const std::string& name, bool delete_object = false);

  // Adoption after a restart: a runner that exists at the provider.
  void adopt(const std::string& name, std::uint32_t slot, std::uint32_t generation,
             bool busy);
  // A name whose create may have reached the provider before a crash: it is
  // re-created (409 = exists) if wanted, deleted otherwise.
  void adopt_uncertain(const std::string& name, std::uint32_t slot,
                       std::uint32_t generation);

  const runner_entry* find(const std::string& name) const;
  const std::map<std::string, runner_entry>& runners() const { return runners_; }
  pool_counts counts() const { return count_; }
  // Demand-holding runners: queued + backoff + creating + idle + busy.
  std::uint32_t actual() const { return demand_; }

  // Runner entries looked at since the pool started: by name, in a queue or
  // in a state's order. What pool_model_test counts to prove that the work
  // of an event does not grow with the pool.
  std::uint64_t visits() const { return visits_; }

 private:
  // Runners whose demand a scale-down can remove, highest slot first (then
  // by name, so that the order does not depend on addresses).
  struct highest_slot_first {
    bool operator()(const runner_entry* a, const runner_entry* b) const {
      return a->slot != b->slot ? a->slot > b->slot : a->name > b->name;
    }
  };
  using by_slot = std::set<runner_entry*, highest_slot_first>;

  runner_entry& add_runner();
  runner_entry& add_entry(runner_entry r);
  runner_entry* lookup(const std::string& name);
  // Changes `r` through `f` and keeps counts, demand and order exact.
  template <class F>
  void change(runner_entry& r, F f);
  void count(runner_entry& r, int sign);
  void remove_surplus(std::uint32_t surplus);
  void queue_delete(runner_entry& r);
  void forget(const std::string& name);

  std::string pool_;
  std::uint32_t desired_ = 0;
  std::map<std::string, runner_entry> runners_;  // every runner not yet gone
  // Queued creations in order; may hold names that are no longer queued
  // (cancelled): next_job skips them, so cancelling is O(1).
  std::deque<std::string> creates_;
  std::deque<std::string> deletes_;                         // queued deletions
  std::map<std::uint32_t, std::uint32_t> next_generation_;  // per slot
  slot_allocator slots_;                                    // slots held by live runners
  pool_counts count_;         // totals, and the live runners by state
  std::uint32_t demand_ = 0;  // live runners that hold demand
  by_slot removable_[3];      // holding demand: backoff, idle, creating
  std::uint64_t visits_ = 0;
};

}  // namespace troupe::fleet
