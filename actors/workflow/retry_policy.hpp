// retry_policy: when a failed action attempt runs again. Pure arithmetic.
//
// A task retries a failed attempt at most `count` times (so it runs at most
// count + 1 times); before retry number k (k = 1 first) it waits
//   constant:    delay
//   linear:      delay * k
//   exponential: delay * 2^(k-1)
// capped at max_delay when max_delay > 0. Without jitter on purpose: a
// workflow's retries are few and a user reads their timing in the log.
#pragma once

#include <chrono>
#include <string_view>

#include "runtime/base/status.hpp"

namespace troupe::workflow {

enum class backoff_kind { constant, linear, exponential };

// "constant", "linear", "exponential".
std::string_view backoff_name(backoff_kind k);
// The kind named `name`; an error listing the valid names otherwise.
result<backoff_kind> parse_backoff(std::string_view name);

struct retry_policy {
  unsigned count = 0;
  std::chrono::milliseconds delay{0};
  backoff_kind backoff = backoff_kind::constant;
  std::chrono::milliseconds max_delay{0};  // 0: no cap

  // The wait before retry number `k` (k >= 1).
  std::chrono::milliseconds delay_before(unsigned k) const;
};

}  // namespace troupe::workflow
