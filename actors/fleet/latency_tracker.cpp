#include "actors/fleet/latency_tracker.hpp"

#include <algorithm>

namespace troupe::fleet {

std::uint64_t latency_tracker::on_send(time_point now) {
  const std::uint64_t id = sends_++ / cohort_size_;
  cohort& c = open_[id];
  if (c.sent++ == 0) c.start = now;
  return id;
}

bool latency_tracker::on_end(std::uint64_t id, std::optional<double> latency) {
  auto it = open_.find(id);
  if (it == open_.end()) return false;
  cohort& c = it->second;
  ++c.ended;
  if (latency) {
    ++c.successes;
    c.sum += *latency;
  }
  if (c.sent < cohort_size_ || c.ended < c.sent) return false;
  const cohort done = c;
  open_.erase(it);
  if (done.successes == 0) return false;
  const double mean = done.sum / static_cast<double>(done.successes);
  smoothed_ = completed_ == 0 ? mean : 0.75 * smoothed_ + 0.25 * mean;
  baseline_ = completed_ == 0 ? smoothed_ : std::min(smoothed_, baseline_ * 1.005);
  ++completed_;
  last_start_ = done.start;
  return true;
}

}  // namespace troupe::fleet
