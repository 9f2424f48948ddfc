// provider_sim: an in-process simulated runner API, for unit tests and the
// quick benchmark. It answers like the Kubernetes API subset troupe uses
// (201 / 409 AlreadyExists / 403 quota / 429 + Retry-After / 5xx) after a
// latency, from its own timer thread, so callers see real asynchrony. State
// (objects, counters) lives in the provider object; one per pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/fleet/provider.hpp"

namespace troupe::fleet {

struct sim_options {
  std::chrono::nanoseconds latency = std::chrono::milliseconds(50);
  std::chrono::nanoseconds jitter{0};  // latency is uniform in latency ± jitter
  double rate = 0;                     // creates/s admitted (token bucket), 0 = unlimited
  double burst = 0;                    // bucket size; 0 = rate (one second)
  double error_rate = 0;               // probability of a 500 before anything happens
  std::uint32_t quota = 0;             // max objects, 0 = unlimited
  std::uint64_t seed = 1;
};

struct sim_counts {
  std::uint64_t objects = 0, creates_served = 0, conflicts = 0, throttled = 0,
                server_errors = 0, quota_rejections = 0, deletes = 0, duplicates = 0;
};

class sim_provider : public runner_provider {
 public:
  explicit sim_provider(sim_options options);
  ~sim_provider() override;

  void create(const runner_spec& spec, call_done done) override;
  void remove(const std::string& pool, const std::string& name, call_done done) override;
  void list(const std::string& pool, const std::string& owner, list_done done) override;
  void on_exit(exit_listener listener) override;

  // Test hooks: the runner ends on its own (reported to the exit listener).
  void finish(const std::string& name, int exit_code = 0);
  sim_counts counts() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace troupe::fleet
