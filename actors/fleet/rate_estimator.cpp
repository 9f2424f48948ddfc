#include "actors/fleet/rate_estimator.hpp"

#include <algorithm>
#include <iterator>

namespace troupe::fleet {

void rate_estimator::record(time_point sent, bool rejected) {
  records_.emplace(sent, rejected);
}

void rate_estimator::retract_accepted(time_point sent) {
  auto [from, to] = records_.equal_range(sent);
  for (auto it = from; it != to; ++it) {
    if (!it->second) {
      records_.erase(it);
      return;
    }
  }
}

std::optional<rate_estimate> rate_estimator::estimate(time_point horizon) const {
  // Walk the send times backwards from the horizon. Between consecutive
  // rejection times a < b, the accepted calls counted are those sent in
  // (a, b]: calls sent at the very instant of the earlier rejection reached
  // the server in the network's order and are left out.
  std::size_t pooled = 0, clusters = 0, accepted_since = 0, in_cluster = 0;
  duration span{0}, cluster_span{0};
  std::optional<time_point> later;  // the rejection time after the position
  auto close_cluster = [&] {
    if (cluster_span >= options_.min_span) {
      span += cluster_span;
      pooled += in_cluster;
      ++clusters;
    }
    cluster_span = duration::zero();
    in_cluster = 0;
  };
  auto it = records_.lower_bound(horizon);
  while (it != records_.begin()) {
    // One send time: how many calls were accepted, was any rejected.
    const time_point t = std::prev(it)->first;
    std::size_t accepted = 0;
    bool rejected = false;
    while (it != records_.begin() && std::prev(it)->first == t) {
      --it;
      if (it->second)
        rejected = true;
      else
        ++accepted;
    }
    if (!rejected) {
      accepted_since += accepted;
      continue;
    }
    const bool crosses =
        later && std::upper_bound(boundaries_.begin(), boundaries_.end(), t) !=
                     std::upper_bound(boundaries_.begin(), boundaries_.end(), *later);
    if (later && (*later - t > options_.cluster_gap || crosses)) {
      close_cluster();
    } else if (later) {
      cluster_span += *later - t;
      in_cluster += accepted_since;
      // Enough recent evidence: stop before older, staler intervals.
      if (pooled + in_cluster >= options_.precise_count &&
          span + cluster_span >= options_.min_span)
        break;
    }
    accepted_since = accepted;
    later = t;
  }
  close_cluster();
  if (span <= duration::zero()) return std::nullopt;
  const double seconds = std::chrono::duration<double>(span).count();
  rate_estimate e;
  e.accepted = pooled;
  e.rate = static_cast<double>(pooled) / seconds;
  e.upper = static_cast<double>(pooled + clusters) / seconds;
  e.precise = pooled >= options_.precise_count;
  return e;
}

void rate_estimator::expire(time_point now) {
  forget_before(now - options_.window);
}

void rate_estimator::mark_boundary(time_point t) {
  if (boundaries_.empty() || boundaries_.back() < t) boundaries_.push_back(t);
}

void rate_estimator::forget_before(time_point t) {
  records_.erase(records_.begin(), records_.lower_bound(t));
  while (!boundaries_.empty() && boundaries_.front() < t) boundaries_.pop_front();
}

}  // namespace troupe::fleet
