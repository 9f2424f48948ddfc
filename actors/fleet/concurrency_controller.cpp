#include "actors/fleet/concurrency_controller.hpp"

#include <algorithm>

namespace troupe::fleet {
namespace {

using seconds_d = std::chrono::duration<double>;
double secs(std::chrono::steady_clock::duration d) {
  return seconds_d(d).count();
}

}  // namespace

const char* to_string(control_mode x) {
  switch (x) {
    case control_mode::sequential:
      return "sequential";
    case control_mode::fixed:
      return "fixed";
    case control_mode::adaptive:
      return "adaptive";
  }
  return "?";
}

call_feedback feedback_of(const call_report& report, const classification& c) {
  if (c.throttled) return call_feedback::throttled;
  if (report.transport != transport_error::none) return call_feedback::transport_error;
  if (c.outcome == call_outcome::retryable && report.http_status >= 500)
    return call_feedback::server_error;
  return call_feedback::ok;
}

status check(const controller_options& o) {
  const pacer_options& p = o.pacing;
  if (o.min_limit < 1) return status::error("concurrency: min must be >= 1");
  if (o.max_limit < o.min_limit) return status::error("concurrency: max must be >= min");
  if (o.initial_limit < o.min_limit)
    return status::error("concurrency: initial must be >= min");
  if (o.ramp_interval.count() <= 0)
    return status::error("concurrency: ramp-interval must be > 0");
  if (o.error_window < 1) return status::error("concurrency: error-window must be >= 1");
  if (!(o.error_burst_ratio > 0 && o.error_burst_ratio <= 1))
    return status::error("concurrency: error-burst-ratio must be in (0, 1]");
  if (!(o.error_decrease > 0 && o.error_decrease < 1) ||
      !(o.latency_decrease > 0 && o.latency_decrease < 1))
    return status::error("concurrency: decrease factors must be in (0, 1)");
  if (!(o.latency_tolerance > 1))
    return status::error("concurrency: latency-tolerance must be > 1");
  if (!(p.headroom > 0 && p.headroom <= 1))
    return status::error("concurrency: headroom must be in (0, 1]");
  if (!(p.probe_gain >= 0)) return status::error("concurrency: probe-gain must be >= 0");
  if (!(p.min_rate > 0)) return status::error("concurrency: min-rate must be > 0");
  if (p.estimator.precise_count < 1)
    return status::error("concurrency: precise-count must be >= 1");
  return status::ok();
}

concurrency_controller::concurrency_controller(controller_options options)
    : options_(options),
      limit_(static_cast<double>(std::min(options.initial_limit, options.max_limit))),
      pacer_(options.pacing) {}

std::size_t concurrency_controller::limit(time_point now) const {
  switch (options_.mode) {
    case control_mode::sequential:
      return 1;
    case control_mode::fixed:
      return options_.max_limit;
    case control_mode::adaptive:
      break;
  }
  double l = any_result_ ? limit_ : ramp_limit(now);
  return std::clamp(static_cast<std::size_t>(l), options_.min_limit, options_.max_limit);
}

double concurrency_controller::ramp_limit(time_point now) const {
  double l = static_cast<double>(options_.initial_limit);
  if (!ramp_start_ || now <= *ramp_start_) return l;
  auto steps = (now - *ramp_start_) / options_.ramp_interval;
  for (decltype(steps) i = 0; i < steps && l < options_.max_limit; ++i) l *= 2;
  return std::min(l, static_cast<double>(options_.max_limit));
}

double concurrency_controller::pacing_rate(time_point now) const {
  return adaptive() ? pacer_.rate(now) : 0;
}

const char* concurrency_controller::phase() const {
  if (!adaptive()) return to_string(options_.mode);
  if (pacer_.active()) return "paced";
  return startup_ ? "startup" : "steady";
}

concurrency_controller::time_point concurrency_controller::window_time(
    time_point now) const {
  if (in_flight_.size() < limit(now)) return now;
  // Only the blind ramp (no answer yet) raises the limit with time alone.
  if (!adaptive() || any_result_ || !ramp_start_) return time_point::max();
  const auto step = options_.ramp_interval;
  time_point next = *ramp_start_ + ((now - *ramp_start_) / step + 1) * step;
  while (in_flight_.size() >= limit(next)) {
    if (limit(next) >= options_.max_limit) return time_point::max();
    next += step;
  }
  return next;
}

concurrency_controller::time_point concurrency_controller::next_send_time(
    time_point now) const {
  if (!adaptive()) return in_flight_.size() < limit(now) ? now : time_point::max();
  time_point t = pacer_.next_send(now);
  // Pacing and window each push the time later; two rounds settle both.
  for (int i = 0; i < 2 && t != time_point::max(); ++i)
    t = pacer_.next_send(window_time(t));
  return t;
}

std::optional<call_ticket> concurrency_controller::try_acquire(time_point now) {
  if (next_send_time(now) > now) return std::nullopt;
  in_flight_.insert(now);
  if (!adaptive()) return call_ticket{now};
  if (!ramp_start_) ramp_start_ = now;
  pacer_.on_send(now);
  return call_ticket{now, latency_.on_send(now)};
}

void concurrency_controller::on_cancel(const call_ticket& ticket) {
  release(ticket);
  if (!adaptive()) return;
  pacer_.on_lost(ticket.sent);
  latency_.on_end(ticket.cohort, std::nullopt);
}

void concurrency_controller::release(const call_ticket& ticket) {
  auto it = in_flight_.find(ticket.sent);
  if (it != in_flight_.end()) in_flight_.erase(it);
}

void concurrency_controller::on_result(const call_ticket& ticket, time_point now,
                                       call_feedback feedback,
                                       std::optional<duration> retry_after) {
  release(ticket);
  if (!adaptive()) return;
  // A throttle says nothing about latency or concurrency: only answers the
  // server worked on end the blind ramp.
  if (!any_result_ && feedback != call_feedback::throttled) {
    limit_ = ramp_limit(now);
    any_result_ = true;
  }
  if (feedback == call_feedback::transport_error) {
    pacer_.on_lost(ticket.sent);
  } else {
    pacer_.on_answer(ticket.sent, now, feedback != call_feedback::throttled, retry_after);
  }
  if (feedback != call_feedback::throttled) on_answer(ticket, now, feedback);
  std::optional<double> latency;
  if (feedback == call_feedback::ok) latency = secs(now - ticket.sent);
  if (latency_.on_end(ticket.cohort, latency)) on_cohort(now);
  pacer_.update(now);
}

void concurrency_controller::on_answer(const call_ticket& ticket, time_point now,
                                       call_feedback feedback) {
  const bool error = feedback != call_feedback::ok;
  const bool fresh = ticket.sent >= last_cut_;  // sent after the last cut
  recent_errors_.push_back(error);
  if (recent_errors_.size() > options_.error_window) recent_errors_.pop_front();
  if (error) {
    auto errors = std::count(recent_errors_.begin(), recent_errors_.end(), true);
    if (fresh && recent_errors_.size() >= options_.error_window &&
        errors >= options_.error_burst_ratio * options_.error_window)
      cut(options_.error_decrease, now);
    return;
  }
  observe_latency(secs(now - ticket.sent));
  // Multiplicative growth (+1 per success, doubling per round trip) in
  // startup and while recovering from cuts; additive (+1 per round trip)
  // otherwise.
  const double max = static_cast<double>(options_.max_limit);
  const bool recovering = limit_ < recover_to_;
  limit_ = std::min(
      max, limit_ + (startup_ || recovering ? 1.0 : 1.0 / std::max(1.0, limit_)));
  if (limit_ >= max) startup_ = false;
  // One round trip of healthy growth past the target ends the recovery.
  if (limit_ >= recover_to_ + 1) recover_to_ = 0;
}

void concurrency_controller::observe_latency(double latency) {
  if (latency <= 0) return;
  round_trip_ = round_trip_ == 0 ? latency : 0.9 * round_trip_ + 0.1 * latency;
  pacer_.set_round_trip(std::chrono::duration_cast<duration>(seconds_d(round_trip_)));
  pacer_.set_ceiling(2 * static_cast<double>(options_.max_limit) / round_trip_);
}

void concurrency_controller::on_cohort(time_point now) {
  const bool fresh = latency_.last_completed_start() >= last_cut_;
  if (fresh && latency_.baseline() > 0 &&
      latency_.smoothed() > options_.latency_tolerance * latency_.baseline())
    cut(options_.latency_decrease, now);
}

void concurrency_controller::cut(double factor, time_point now) {
  // A run of cuts (an outage cuts once per round trip, down to the minimum)
  // is recovered from quickly up to `factor` of where it started.
  recover_to_ = std::max(recover_to_, limit_ * factor);
  limit_ = std::max(static_cast<double>(options_.min_limit), limit_ * factor);
  startup_ = false;
  last_cut_ = now;
  recent_errors_.clear();
}

}  // namespace troupe::fleet
