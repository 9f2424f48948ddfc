#include "actors/fleet/pacer.hpp"

#include <algorithm>
#include <cmath>

namespace troupe::fleet {
namespace {

using seconds_d = std::chrono::duration<double>;
double secs(std::chrono::steady_clock::duration d) {
  return seconds_d(d).count();
}
template <class D>
std::chrono::steady_clock::duration to_duration(D d) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
}

// So that next_send() and on_send() agree despite rounding.
constexpr double kTokenEpsilon = 1e-9;
// Growth beyond 2^30 is the same as infinite; capping the exponent keeps
// exp2 finite (the rate itself is capped by the ceiling).
constexpr double kMaxDoublings = 30;

}  // namespace

pacer::pacer(pacer_options options) : options_(options), estimator_(options.estimator) {}

pacer::duration pacer::doubling_time() const {
  // Two round trips: one to send at the new rate, one to hear about it.
  const duration floor = std::chrono::milliseconds(100);
  return std::min(std::max<duration>(2 * round_trip_, floor),
                  std::max<duration>(options_.max_doubling, floor));
}

double pacer::rate(time_point now) const {
  if (!active_) return 0;
  const double t = std::max(0.0, secs(now - probe_start_));
  const double doubling = secs(doubling_time());
  double growth = std::exp2(std::min(kMaxDoublings, t / doubling));
  if (estimate_) {
    const double patience = secs(options_.probe_patience);
    growth = t <= patience
                 ? 1 + options_.probe_gain * t
                 : (1 + options_.probe_gain * patience) *
                       std::exp2(std::min(kMaxDoublings, (t - patience) / doubling));
  }
  double r = std::max(options_.min_rate, base_ * growth);
  return ceiling_ > 0 ? std::min(r, std::max(ceiling_, base_)) : r;
}

void pacer::settle(time_point now) {
  if (now <= tokens_at_) return;
  // At most one token is kept: pacing spaces calls, it does not save up
  // bursts (the server's own bucket does that).
  tokens_ = std::min(1.0, tokens_ + secs(now - tokens_at_) * rate(now));
  tokens_at_ = now;
}

pacer::time_point pacer::next_send(time_point now) const {
  time_point t = std::max(now, pause_until_);
  if (!active_) return t;
  const double r = rate(t);
  const double have = std::min(1.0, tokens_ + secs(t - std::min(t, tokens_at_)) * r);
  if (have >= 1 - kTokenEpsilon) return t;
  return t + to_duration(seconds_d((1 - have) / r)) + duration(1);
}

void pacer::on_send(time_point now) {
  in_flight_.emplace(now, false);
  recent_sends_.push_back(now);
  while (now - recent_sends_.front() > std::chrono::seconds(1)) recent_sends_.pop_front();
  if (!active_) return;
  settle(now);
  tokens_ = std::max(0.0, tokens_ - 1);
}

bool pacer::take_in_flight(time_point sent, bool prefer_presumed) {
  auto [from, to] = in_flight_.equal_range(sent);
  if (from == to) return false;
  auto pick =
      std::find_if(from, to, [&](const auto& e) { return e.second == prefer_presumed; });
  if (pick == to) pick = from;
  const bool presumed = pick->second;
  in_flight_.erase(pick);
  return presumed;
}

void pacer::on_answer(time_point sent, time_point now, bool accepted,
                      std::optional<duration> retry_after) {
  const bool presumed = take_in_flight(sent, accepted);
  if (accepted) {
    if (!presumed) estimator_.record(sent, false);
  } else {
    if (presumed) estimator_.retract_accepted(sent);
    estimator_.record(sent, true);
    slowest_throttle_ = std::max(slowest_throttle_, now - sent);
    on_throttle(sent, now, retry_after);
  }
  estimator_.expire(now);
}

void pacer::on_lost(time_point sent) {
  if (take_in_flight(sent, true)) estimator_.retract_accepted(sent);
}

void pacer::on_throttle(time_point sent, time_point now,
                        std::optional<duration> retry_after) {
  settle(now);
  if (!active_) {
    active_ = true;
    auto from = std::lower_bound(recent_sends_.begin(), recent_sends_.end(),
                                 sent - std::chrono::seconds(1));
    auto to = std::upper_bound(recent_sends_.begin(), recent_sends_.end(), sent);
    base_ = static_cast<double>(std::distance(from, to));
    tokens_ = 0;
    tokens_at_ = now;
    // The first rate may be below the server's: its bucket may refill.
    estimator_.mark_boundary(now);
  } else if (!estimate_) {
    // Still no measurement: the rate doubled its way past the server's, and
    // the server's bucket hid that for a while. Back off to the rate of one
    // doubling ago, at most once per doubling time.
    if (now >= probe_start_) base_ = rate(now) / 2;
  } else if (!precise()) {
    base_ = rate(now);  // measuring: hold the rate that drew the rejection
  }
  probe_start_ = now + doubling_time();
  pending_.insert(std::upper_bound(pending_.begin(), pending_.end(), sent), sent);
  if (options_.pause_on_retry_after && retry_after) {
    auto pause = std::min<duration>(*retry_after, options_.max_pause);
    pause_until_ = std::max(pause_until_, now + pause);
  }
}

pacer::time_point pacer::horizon(time_point now) const {
  // Calls older than this are stragglers (slow successes heading for a
  // timeout); waiting for them would stall the estimate.
  const duration straggler = std::max<duration>(std::chrono::seconds(1), 4 * round_trip_);
  for (auto it = in_flight_.lower_bound(now - straggler); it != in_flight_.end(); ++it)
    if (!it->second) return it->first;
  return now;
}

void pacer::update(time_point now) {
  if (!active_) return;
  if (slowest_throttle_ > duration::zero()) {
    const time_point presume_before =
        now - (slowest_throttle_ * 3 / 2 + std::chrono::milliseconds(10));
    for (auto it = in_flight_.begin();
         it != in_flight_.end() && it->first < presume_before; ++it) {
      if (it->second) continue;
      it->second = true;
      estimator_.record(it->first, false);
    }
  }
  const time_point h = horizon(now);
  if (pending_.empty() || pending_.front() >= h) return;
  while (!pending_.empty() && pending_.front() < h) pending_.pop_front();
  auto e = estimator_.estimate(h);
  if (!e) return;
  settle(now);
  estimate_ = e;
  if (e->precise) {
    const double next = options_.headroom * e->rate;
    // Going below the measured rate lets the server's bucket refill: no
    // later interval may reach back across this point.
    if (next < rate(now)) estimator_.mark_boundary(now);
    base_ = next;
    probe_start_ = now;
  } else {
    base_ = e->upper;
    probe_start_ = now + doubling_time();
  }
}

}  // namespace troupe::fleet
