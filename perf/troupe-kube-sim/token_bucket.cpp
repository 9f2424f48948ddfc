#include "perf/troupe-kube-sim/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace troupe::kube_sim {

token_bucket::token_bucket(double rate, double burst, clock::time_point now)
    : rate_(rate), burst_(std::max(burst, 1.0)), tokens_(burst_), refilled_(now) {}

void token_bucket::refill(clock::time_point now) {
  const std::chrono::duration<double> elapsed = now - refilled_;
  if (elapsed.count() > 0) {
    tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
    refilled_ = now;
  }
}

int token_bucket::take(clock::time_point now) {
  if (rate_ <= 0) return 0;
  refill(now);
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - tokens_) / rate_)));
}

void token_bucket::reset(clock::time_point now) {
  tokens_ = burst_;
  refilled_ = now;
}

}  // namespace troupe::kube_sim
