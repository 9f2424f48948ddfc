// concurrency_controller: how many create calls a pool may have in flight,
// and how fast it may start them.
//
// Three modes behind one interface:
//   sequential  one call at a time (the old behaviour; the benchmark baseline)
//   fixed       max_limit calls in flight, no pacing
//   adaptive    (the default) a concurrency limit plus, once the provider has
//               throttled, a pacing rate learnt from the provider (pacer.hpp)
//
// Adaptive, in four rules:
// 1. Startup. The limit starts at initial_limit and doubles every
//    ramp_interval until the first answer the server worked on (a success or
//    an error; a 429 says nothing about latency), then grows by one per
//    success (doubling per round trip) up to max_limit. The time-based ramp
//    is what lets 100 creates of 3 s each finish in about one latency: a ramp
//    clocked only by answers needs log2(100 / 4) round trips, 15 s there.
//    Against a fast API (answers within ramp_interval) it is answer-clocked.
// 2. Throttling is a rate signal, not a concurrency signal: it leaves the
//    limit alone and switches on the pacer, which measures the provider's
//    rate R from where its rejections fall and then spaces calls at about
//    0.95 R, probing upward slowly. Plain AIMD on a window oscillates between
//    C* and C*/2 (about 0.75 R) with a 429 burst every cycle; this sits just
//    under R with a few 429s per probe cycle.
// 3. Error bursts and latency cut the limit. At least error_burst_ratio of
//    the last error_window answers being 5xx or transport errors cuts it by
//    error_decrease; the success latency rising above latency_tolerance x its
//    baseline (latency_tracker) cuts it by latency_decrease. At most one
//    cut per round trip: answers to calls sent before the last cut are not
//    acted on. Isolated random errors (say 10%) cut nothing. After a run of
//    cuts (an outage) the limit grows by one per success again up to
//    error_decrease x where the run began, then additively.
// 4. Otherwise the limit grows by one per limit successes (additive).
//
// Retry-After: each rejected call waits at least its Retry-After (backoff's
// job). pacing.pause_on_retry_after also stops every new call for that long;
// it is off by default because pacing at the measured rate already is the
// backing off the server asked for, and a global pause only lets the
// server's bucket refill past its cap, wasting its capacity.
//
// Pure logic: time is passed in; one instance per pool, not thread-safe.
// Every ticket from try_acquire() must be reported exactly once, through
// on_result() or on_cancel().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>

#include "actors/fleet/classify.hpp"
#include "actors/fleet/latency_tracker.hpp"
#include "actors/fleet/pacer.hpp"
#include "runtime/base/status.hpp"

namespace troupe::fleet {

enum class control_mode { sequential, fixed, adaptive };
const char* to_string(control_mode x);

// What a finished call tells the controller.
enum class call_feedback {
  ok,               // the server answered normally (2xx, 409, any 4xx but 429)
  throttled,        // 429 (or 503 with Retry-After)
  server_error,     // 5xx: the server took the call and failed
  transport_error,  // no answer: timeout, connection or DNS failure
};
// Maps a classified call to its feedback: throttled first, then transport
// errors, 5xx, and everything else (answers from a working server) as ok.
call_feedback feedback_of(const call_report& report, const classification& c);

struct controller_options {
  control_mode mode = control_mode::adaptive;
  std::size_t min_limit = 1;
  std::size_t max_limit = 10;  // the pool's creation-concurrency
  std::size_t initial_limit = 4;
  std::chrono::milliseconds ramp_interval{25};
  std::size_t error_window = 20;
  double error_burst_ratio = 0.5;
  double error_decrease = 0.7;
  double latency_tolerance = 2.0;
  double latency_decrease = 0.9;
  pacer_options pacing;  // adaptive mode only
};

// ok() if the limits are ordered (1 <= min <= initial, max) and every factor
// is in range; otherwise an error naming the field.
status check(const controller_options& o);

// A started call, to be reported back exactly once.
struct call_ticket {
  std::chrono::steady_clock::time_point sent;
  std::uint64_t cohort = 0;  // for latency_tracker
};

class concurrency_controller {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  // `options` must pass check().
  explicit concurrency_controller(controller_options options);

  // Calls allowed in flight at `now`.
  std::size_t limit(time_point now) const;
  std::size_t in_flight() const { return in_flight_.size(); }

  // The earliest time >= now at which try_acquire can succeed if nothing
  // else happens; time_point::max() when only a finishing call can free a
  // slot. An actor schedules its next attempt with this (no polling).
  time_point next_send_time(time_point now) const;

  // Starts a call at `now` if the limit and the pacing allow it.
  std::optional<call_ticket> try_acquire(time_point now);

  // Reports the end of a call. `retry_after` is the server's, if any.
  void on_result(const call_ticket& ticket, time_point now, call_feedback feedback,
                 std::optional<duration> retry_after = std::nullopt);
  // A call that ended without a result (cancelled before an answer).
  void on_cancel(const call_ticket& ticket);

  // Calls per second the pacing allows at `now`; 0 when not pacing.
  double pacing_rate(time_point now) const;
  // The server's acceptance rate as measured, once throttling was seen.
  std::optional<rate_estimate> measured_rate() const { return pacer_.estimate(); }
  // "startup", "steady", "paced", or the mode's name for fixed modes.
  const char* phase() const;

 private:
  bool adaptive() const { return options_.mode == control_mode::adaptive; }
  double ramp_limit(time_point now) const;
  time_point window_time(time_point now) const;
  void release(const call_ticket& ticket);
  void on_answer(const call_ticket& ticket, time_point now, call_feedback feedback);
  void observe_latency(double seconds);
  void on_cohort(time_point now);
  void cut(double factor, time_point now);

  controller_options options_;
  std::multiset<time_point> in_flight_;
  double limit_;
  double recover_to_ = 0;  // after cuts, grow fast up to here
  bool startup_ = true;
  bool any_result_ = false;
  std::optional<time_point> ramp_start_;
  time_point last_cut_{};
  std::deque<bool> recent_errors_;
  double round_trip_ = 0;  // seconds: EWMA of success latency, for the pacer
  latency_tracker latency_;
  pacer pacer_;
};

}  // namespace troupe::fleet
