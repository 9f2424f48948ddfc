// circuit_breaker: stops a pool from hammering a provider API that is down.
//
//   closed ──K consecutive failures──▶ open ──cooldown elapsed──▶ half_open
//     ▲                                 ▲                            │
//     └──────── probe succeeds ─────────┼──────── probe fails ───────┘
//
// - closed: every call is allowed. `failure_threshold` failures in a row
//   (counted across all of the pool's calls, in the order results arrive)
//   open the breaker; any success resets the count.
// - open: no call is allowed until the cooldown has elapsed.
// - half_open: exactly one call, the probe, is allowed. Its success closes
//   the breaker (and resets the cooldown to `cooldown`); its failure opens it
//   again with the cooldown multiplied by `cooldown_growth`, capped at
//   `max_cooldown`.
//
// What counts: the caller reports classification::api_failure() as a
// failure (5xx, timeouts, connection errors) and every other answer as a
// success. Permanent 4xx errors do not count as failures: the API answered
// and will answer the same way however often it is asked (retries of those
// are already excluded). Throttling (429) does not count either: it comes in
// bursts by nature whenever a shared rate limit is hit, and opening on it
// would stall creation for a cooldown while the server is ready for its
// allowed rate; the concurrency controller owns that signal.
//
// Results that arrive while open (calls started before the breaker opened)
// are ignored. In half_open any result is taken as the probe's: a late
// success from an older call closes the breaker, which is what it shows.
//
// Pure logic: time is passed in; one instance per pool, not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "runtime/base/status.hpp"

namespace troupe::fleet {

struct breaker_options {
  int failure_threshold = 10;
  std::chrono::milliseconds cooldown{1'000};
  double cooldown_growth = 2.0;
  std::chrono::milliseconds max_cooldown{30'000};
};

// ok() if failure_threshold >= 1, 0 < cooldown <= max_cooldown and
// cooldown_growth >= 1.
status check(const breaker_options& options);

enum class breaker_state { closed, open, half_open };

// "closed", "open", "half_open": the names used in metrics and the API.
const char* to_string(breaker_state x);

class circuit_breaker {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  // `options` must pass check().
  explicit circuit_breaker(breaker_options options = {});

  // True if a call may start now. In half_open, true at most once until that
  // probe's result (or on_cancel) is reported; the caller must then start
  // the call. An open breaker whose cooldown has elapsed turns half_open here.
  bool allow(time_point now);

  // Reports the result of a call that allow() admitted.
  void on_success(time_point now);
  void on_failure(time_point now);
  // A call admitted by allow() ended without a result (cancelled, never
  // sent): frees the half-open probe slot, changes nothing else.
  void on_cancel();

  // The state at `now`: an open breaker whose cooldown has elapsed reads as
  // half_open.
  breaker_state state(time_point now) const;
  // Zero when allow(now) would admit a call; the remaining cooldown when
  // open; duration::max() while a half-open probe is outstanding (only its
  // result can change the answer).
  duration time_until_retry(time_point now) const;

  // Current cooldown (grows while probes fail), failures in a row, and how
  // many times the breaker has opened: for metrics and reports.
  duration cooldown() const { return cooldown_; }
  int consecutive_failures() const { return failures_; }
  std::uint64_t times_opened() const { return opened_; }

 private:
  void open(time_point now);

  breaker_options options_;
  breaker_state state_ = breaker_state::closed;
  int failures_ = 0;
  duration cooldown_;
  time_point open_until_{};
  bool probe_outstanding_ = false;
  std::uint64_t opened_ = 0;
};

}  // namespace troupe::fleet
