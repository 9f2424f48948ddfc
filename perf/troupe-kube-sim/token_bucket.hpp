// token_bucket: the simulator's rate limit. Holds up to `burst` tokens,
// refilled at `rate` per second; each admitted request takes one. Not
// thread-safe (the simulator calls it under its lock). Time is passed in.
#pragma once

#include <chrono>

namespace troupe::kube_sim {

class token_bucket {
 public:
  using clock = std::chrono::steady_clock;

  // rate <= 0: unlimited. Starts full.
  token_bucket(double rate, double burst, clock::time_point now);

  // Takes a token and returns 0, or returns the whole seconds (>= 1) until a
  // token will be there: what a 429's Retry-After says.
  int take(clock::time_point now);

  // Refills the bucket (after /debug/reset).
  void reset(clock::time_point now);

 private:
  void refill(clock::time_point now);

  double rate_;
  double burst_;
  double tokens_;
  clock::time_point refilled_;
};

}  // namespace troupe::kube_sim
