#include "actors/fleet/circuit_breaker.hpp"

#include <algorithm>

namespace troupe::fleet {

status check(const breaker_options& o) {
  if (o.failure_threshold < 1)
    return status::error("breaker: failure-threshold must be >= 1");
  if (o.cooldown.count() <= 0) return status::error("breaker: cooldown must be > 0");
  if (o.max_cooldown < o.cooldown)
    return status::error("breaker: max-cooldown must be >= cooldown");
  if (!(o.cooldown_growth >= 1.0))
    return status::error("breaker: cooldown-growth must be >= 1");
  return status::ok();
}

const char* to_string(breaker_state x) {
  switch (x) {
    case breaker_state::closed:
      return "closed";
    case breaker_state::open:
      return "open";
    case breaker_state::half_open:
      return "half_open";
  }
  return "?";
}

circuit_breaker::circuit_breaker(breaker_options options)
    : options_(options), cooldown_(options.cooldown) {}

bool circuit_breaker::allow(time_point now) {
  switch (state_) {
    case breaker_state::closed:
      return true;
    case breaker_state::open:
      if (now < open_until_) return false;
      state_ = breaker_state::half_open;
      probe_outstanding_ = false;
      [[fallthrough]];
    case breaker_state::half_open:
      if (probe_outstanding_) return false;
      probe_outstanding_ = true;
      return true;
  }
  return false;
}

void circuit_breaker::on_success(time_point) {
  switch (state_) {
    case breaker_state::closed:
      failures_ = 0;
      return;
    case breaker_state::open:
      return;  // a call from before the breaker opened
    case breaker_state::half_open:
      state_ = breaker_state::closed;
      failures_ = 0;
      probe_outstanding_ = false;
      cooldown_ = options_.cooldown;
      return;
  }
}

void circuit_breaker::on_failure(time_point now) {
  switch (state_) {
    case breaker_state::closed:
      if (++failures_ >= options_.failure_threshold) open(now);
      return;
    case breaker_state::open:
      return;
    case breaker_state::half_open: {
      auto grown =
          std::chrono::duration_cast<duration>(cooldown_ * options_.cooldown_growth);
      cooldown_ = std::min<duration>(grown, options_.max_cooldown);
      open(now);
      return;
    }
  }
}

void circuit_breaker::on_cancel() {
  probe_outstanding_ = false;
}

void circuit_breaker::open(time_point now) {
  state_ = breaker_state::open;
  open_until_ = now + cooldown_;
  probe_outstanding_ = false;
  ++opened_;
}

breaker_state circuit_breaker::state(time_point now) const {
  if (state_ == breaker_state::open && now >= open_until_)
    return breaker_state::half_open;
  return state_;
}

circuit_breaker::duration circuit_breaker::time_until_retry(time_point now) const {
  switch (state(now)) {
    case breaker_state::closed:
      return duration::zero();
    case breaker_state::open:
      return open_until_ - now;
    case breaker_state::half_open:
      // After the cooldown, state_ may still be open (no allow() yet): then
      // no probe is outstanding.
      return state_ == breaker_state::half_open && probe_outstanding_ ? duration::max()
                                                                      : duration::zero();
  }
  return duration::zero();
}

}  // namespace troupe::fleet
