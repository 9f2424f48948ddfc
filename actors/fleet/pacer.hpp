// pacer: how fast a pool may start create calls once the provider has
// throttled it. Off until the first 429; then calls are spaced at a rate r
// learnt from the server itself (rate_estimator measures its rate R):
//
//   first      r = the calls sent in the second up to the first rejected
//              one: what the server took, its burst included. It may be far
//              off either way; the next phases correct it.
//   searching  no estimate yet: r doubles every two round trips without a
//              rejection; a rejection halves it (at most once per doubling
//              time), since the server's bucket hid the overshoot for a while.
//   measuring  a coarse estimate: r is held at its upper bound, just above R,
//              so that rejections keep coming and the estimate sharpens.
//   cruising   a precise estimate: r = headroom * R, where nothing is
//              rejected.
//   probing    without rejections r grows by probe_gain of its base per
//              second for probe_patience, then doubles every two round trips:
//              a raised limit is found, a stale estimate corrected; the next
//              rejections re-measure.
// r never exceeds the ceiling (what the concurrency limit can let through).
//
// Feedback delay. An estimate needs every call sent before a rejection to
// have answered. When throttle answers come back faster than successes
// (a 429 costs the server nothing, a create does), a call in flight for
// longer than 1.5x the slowest throttle answer seen is presumed accepted; if
// it is rejected after all, the presumption is taken back.
//
// Optionally (pause_on_retry_after) a 429 also stops every call for its
// Retry-After, capped at max_pause.
//
// Pure logic: time is passed in; not thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>

#include "actors/fleet/rate_estimator.hpp"

namespace troupe::fleet {

struct pacer_options {
  double headroom = 0.95;    // cruise at this fraction of the measured rate
  double probe_gain = 0.02;  // probing adds this fraction of the base per second
  std::chrono::milliseconds probe_patience{5'000};  // then probing doubles
  // The doubling time is two round trips, within [100 ms, max_doubling].
  std::chrono::milliseconds max_doubling{1'000};
  double min_rate = 0.5;  // calls per second, the floor
  rate_estimator::options estimator;
  bool pause_on_retry_after = false;
  std::chrono::milliseconds max_pause{10'000};
};

class pacer {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  explicit pacer(pacer_options options);

  bool active() const { return active_; }
  // Calls per second allowed at `now`; 0 while inactive.
  double rate(time_point now) const;
  // The earliest time >= now at which the pacing admits a call.
  time_point next_send(time_point now) const;

  // A call starts at `now` (next_send(now) <= now).
  void on_send(time_point now);
  // The call sent at `sent` was answered at `now`: accepted by the server
  // (any answer but a throttle) or throttled, with the server's Retry-After.
  void on_answer(time_point sent, time_point now, bool accepted,
                 std::optional<duration> retry_after);
  // The call sent at `sent` ended without an answer (transport error,
  // cancelled).
  void on_lost(time_point sent);
  // Applies presumptions and any estimate the answers so far allow. Call
  // after each answer; cheap when nothing is pending.
  void update(time_point now);
  // The smoothed latency of successful calls: sets the doubling time.
  void set_round_trip(duration rtt) { round_trip_ = rtt; }
  // The most the concurrency limit can let through (calls per second); the
  // rate grows no further than this, so that a probe which the limit has
  // made meaningless does not turn into a burst once the limit rises.
  // 0 = no ceiling.
  void set_ceiling(double calls_per_second) { ceiling_ = calls_per_second; }

  std::optional<rate_estimate> estimate() const { return estimate_; }
  bool precise() const { return estimate_ && estimate_->precise; }

 private:
  duration doubling_time() const;
  void settle(time_point now);
  void on_throttle(time_point sent, time_point now, std::optional<duration> retry_after);
  // Removes one in-flight entry sent at `sent`, preferring a presumed one if
  // `prefer_presumed`; returns whether the removed entry was presumed.
  bool take_in_flight(time_point sent, bool prefer_presumed);
  time_point horizon(time_point now) const;

  pacer_options options_;
  rate_estimator estimator_;
  std::optional<rate_estimate> estimate_;
  bool active_ = false;
  double base_ = 0;
  time_point probe_start_{};
  double tokens_ = 0;
  time_point tokens_at_{};
  time_point pause_until_{};
  duration round_trip_{};
  double ceiling_ = 0;
  duration slowest_throttle_{};
  std::multimap<time_point, bool> in_flight_;  // send time -> presumed accepted
  std::deque<time_point> recent_sends_;        // the last second
  std::deque<time_point> pending_;             // rejections no estimate has used
};

}  // namespace troupe::fleet
