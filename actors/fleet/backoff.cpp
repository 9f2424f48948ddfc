#include "actors/fleet/backoff.hpp"

#include <algorithm>

namespace troupe::fleet {

status check(const backoff_policy& policy) {
  if (policy.base.count() <= 0) return status::error("backoff: base must be > 0");
  if (policy.cap < policy.base) return status::error("backoff: cap must be >= base");
  if (policy.max_attempts < 1) return status::error("backoff: max-attempts must be >= 1");
  if (policy.retry_after_limit.count() < 0)
    return status::error("backoff: retry-after-limit must be >= 0");
  return status::ok();
}

backoff::duration backoff::ceiling(int retry) const {
  const duration base = policy_.base;
  const duration cap = policy_.cap;
  int shift = std::max(0, retry - 1);
  // base * 2^shift, stopping as soon as it reaches the cap: no overflow for
  // any retry count.
  duration value = base;
  for (int i = 0; i < shift && value < cap; ++i) value *= 2;
  return std::min(value, cap);
}

backoff::duration backoff::delay(int retry, std::mt19937_64& rng,
                                 std::optional<duration> retry_after) const {
  const double window = static_cast<double>(ceiling(retry).count());
  duration jitter(static_cast<duration::rep>(window * unit_draw(rng)));
  if (!retry_after) return jitter;
  duration floor =
      std::clamp<duration>(*retry_after, duration::zero(), policy_.retry_after_limit);
  return floor + jitter;
}

double unit_draw(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

}  // namespace troupe::fleet
