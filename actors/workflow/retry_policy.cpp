#include "actors/workflow/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace troupe::workflow {

std::string_view backoff_name(backoff_kind k) {
  switch (k) {
    case backoff_kind::constant:
      return "constant";
    case backoff_kind::linear:
      return "linear";
    case backoff_kind::exponential:
      return "exponential";
  }
  return "constant";
}

result<backoff_kind> parse_backoff(std::string_view name) {
  for (auto k : {backoff_kind::constant, backoff_kind::linear, backoff_kind::exponential})
    if (backoff_name(k) == name) return k;
  return status::error("unknown backoff '" + std::string(name) +
                       "' (constant, linear, exponential)");
}

std::chrono::milliseconds retry_policy::delay_before(unsigned k) const {
  using ms = std::chrono::milliseconds;
  if (k == 0) return ms{0};
  // Computed in double so that large k saturates instead of overflowing.
  double d = static_cast<double>(delay.count());
  switch (backoff) {
    case backoff_kind::constant:
      break;
    case backoff_kind::linear:
      d *= k;
      break;
    case backoff_kind::exponential:
      d *= std::pow(2.0, std::min(k - 1, 62u));
      break;
  }
  if (max_delay.count() > 0) d = std::min(d, static_cast<double>(max_delay.count()));
  d = std::min(d, 1e15);  // ~31,000 years: beyond any timer, within int64
  return ms{static_cast<ms::rep>(d)};
}

}  // namespace troupe::workflow
