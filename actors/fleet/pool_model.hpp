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
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

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
  bool has_job() const { return !deletes_.empty() || !creates_.empty(); }

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
  pool_counts counts() const;
  // Demand-holding runners: queued + backoff + creating + idle + busy.
  std::uint32_t actual() const;

 private:
  runner_entry& add_runner();
  void remove_surplus(std::uint32_t surplus);
  void queue_delete(runner_entry& r);
  void forget(const std::string& name);
  void erase_from(std::deque<std::string>& q, const std::string& name);

  std::string pool_;
  std::uint32_t desired_ = 0;
  std::map<std::string, runner_entry> runners_;             // every runner not yet gone
  std::deque<std::string> creates_;                         // queued, in order
  std::deque<std::string> deletes_;                         // queued deletions
  std::map<std::uint32_t, std::uint32_t> next_generation_;  // per slot
  std::multiset<std::uint32_t> busy_slots_;                 // slots held by live runners
  pool_counts totals_;
};

}  // namespace troupe::fleet
