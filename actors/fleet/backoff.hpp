// backoff: when to retry a provider call that failed with a retryable error.
//
// Exponential backoff with full jitter (the "Full Jitter" of the AWS
// Architecture Blog's "Exponential Backoff And Jitter"): before retry number
// k (k = 1 for the first retry) the delay is drawn uniformly from
// [0, min(cap, base * 2^(k-1))]. Full jitter spreads calls that failed
// together (a burst of 5xx, a dropped connection) over the whole window, so
// they do not come back together.
//
// A server's Retry-After is a floor, not a replacement: the delay is
// retry_after + the jittered draw above, so the server's "not before" is
// honoured and calls rejected together still spread out. Retry-After is
// trusted above `cap` (the server knows best) but clamped to
// `retry_after_limit`, a defence against a bogus header ("Retry-After:
// 999999999").
//
// Attempts are bounded: a call is tried at most `max_attempts` times in all,
// the first try included.
//
// Pure logic: no clock is read; randomness comes from the caller's generator,
// so a seeded std::mt19937_64 gives the same delays on every platform.
#pragma once

#include <chrono>
#include <optional>
#include <random>

#include "runtime/base/status.hpp"

namespace troupe::fleet {

struct backoff_policy {
  std::chrono::milliseconds base{200};
  std::chrono::milliseconds cap{30'000};
  int max_attempts = 6;
  std::chrono::milliseconds retry_after_limit{300'000};
};

// ok() if base > 0, cap >= base, max_attempts >= 1 and retry_after_limit >= 0;
// otherwise an error naming the offending field.
status check(const backoff_policy& policy);

class backoff {
 public:
  using duration = std::chrono::steady_clock::duration;

  // `policy` must pass check().
  explicit backoff(backoff_policy policy) : policy_(policy) {}

  const backoff_policy& policy() const { return policy_; }

  // True if a call tried `attempts` times so far may be tried once more.
  bool may_retry(int attempts) const { return attempts < policy_.max_attempts; }

  // The upper end of the jitter window before retry `retry` (>= 1):
  // min(cap, base * 2^(retry-1)). Saturates instead of overflowing.
  duration ceiling(int retry) const;

  // The delay before retry `retry` (>= 1): uniform in [0, ceiling(retry)),
  // plus the server's Retry-After (clamped to retry_after_limit) when given.
  // Draws exactly one number from `rng`.
  duration delay(int retry, std::mt19937_64& rng,
                 std::optional<duration> retry_after = std::nullopt) const;

 private:
  backoff_policy policy_;
};

// A uniform double in [0, 1) from the top 53 bits of one draw: the same value
// from the same generator state on every standard library (unlike
// std::uniform_real_distribution, whose algorithm is unspecified).
double unit_draw(std::mt19937_64& rng);

}  // namespace troupe::fleet
