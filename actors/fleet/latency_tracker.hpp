// latency_tracker: does the provider's latency hold? The concurrency
// controller cuts its limit when it does not.
//
// Latency is judged on cohorts: each `cohort_size` consecutive calls, by send
// order. A cohort's mean success latency counts once every call in it has
// ended. Averaging answers as they arrive instead would be biased: the first
// answers of a burst are its fastest, so a baseline taken from them is too
// low and jitter alone would look like a latency rise. Cohort means are
// smoothed (EWMA); the baseline is the lowest smoothed value, drifting up
// 0.5% per cohort so that a lasting change in the provider becomes the new
// normal instead of cutting the limit to its minimum.
//
// Pure logic; not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

namespace troupe::fleet {

class latency_tracker {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  explicit latency_tracker(std::size_t cohort_size = 10) : cohort_size_(cohort_size) {}

  // A call starts at `now`; returns its cohort, to hand back to on_end().
  std::uint64_t on_send(time_point now);
  // A call of `cohort` ended: with its latency in seconds if it succeeded.
  // Returns true if that completed the cohort.
  bool on_end(std::uint64_t cohort, std::optional<double> latency);

  // Smoothed cohort latency and its baseline, in seconds; 0 until known (the
  // baseline needs three cohorts).
  double smoothed() const { return smoothed_; }
  double baseline() const { return completed_ >= 3 ? baseline_ : 0; }
  // When the first call of the last completed cohort was sent.
  time_point last_completed_start() const { return last_start_; }

 private:
  struct cohort {
    std::size_t sent = 0, ended = 0, successes = 0;
    double sum = 0;
    time_point start{};
  };
  std::size_t cohort_size_;
  std::uint64_t sends_ = 0;
  std::map<std::uint64_t, cohort> open_;
  std::uint64_t completed_ = 0;
  double smoothed_ = 0, baseline_ = 0;
  time_point last_start_{};
};

}  // namespace troupe::fleet
