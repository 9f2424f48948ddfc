// rate_estimator: measures the rate R at which a rate-limited server accepts
// calls, from where its rejections (429) fall among the calls we sent.
//
// The idea (the same one BBR uses to detect token-bucket policers): a server
// that rejects a call has an empty bucket at that moment. Between two
// rejections, with the bucket empty at both ends, the server accepted exactly
// the tokens that arrived in between, give or take one: for rejections at
// send times r1 < r2 with k calls accepted in (r1, r2],
//
//     (k - 1) / (r2 - r1)  <=  R  <=  (k + 1) / (r2 - r1).
//
// Rejections are grouped into clusters: runs in which consecutive rejections
// are at most `cluster_gap` apart and no boundary (mark_boundary) lies
// between them. A cluster shorter than `min_span` is not
// used: calls sent within a few milliseconds of each other reach the server
// in an order of the network's choosing, so their accounting is noise. Gaps
// are bounded so that the bucket cannot have refilled to
// its cap in between (a refill beyond the cap would waste tokens and bias the
// count low). Clusters are pooled newest first until they hold
// `precise_count` accepted calls (a relative error of about 1/precise_count)
// or run out. Records older than `window` are forgotten, so a server whose
// limit changes is re-learnt within a window.
//
// A bucket smaller than about 1 + R / (our send rate) caps between our calls
// and wastes tokens however fast we send; the estimate is then what the
// server really accepted, below its nominal rate.
//
// Calls are recorded by their send time, once resolved. An estimate only uses
// rejections sent before `horizon`, a time before which the caller knows every
// call has resolved (the oldest call still in flight), so that no accepted
// call is missing from the count.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>

namespace troupe::fleet {

struct rate_estimate {
  double rate = 0;           // k / span, calls per second
  double upper = 0;          // (k + clusters) / span: R is at most this
  std::size_t accepted = 0;  // k, pooled over the clusters used
  bool precise = false;      // accepted >= precise_count
};

class rate_estimator {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  struct options {
    duration window = std::chrono::seconds(10);
    duration cluster_gap = std::chrono::seconds(2);
    std::size_t precise_count = 20;
    duration min_span = std::chrono::milliseconds(100);
  };

  explicit rate_estimator(options o) : options_(o) {}

  // Records a resolved call sent at `sent`: rejected by the rate limit, or
  // accepted (the server took it: success, 5xx, 4xx). Calls whose fate is
  // unknown (transport errors) must not be recorded.
  void record(time_point sent, bool rejected);

  // Takes back one accepted record of a call sent at `sent` (recorded on a
  // presumption that turned out wrong). No-op if there is none.
  void retract_accepted(time_point sent);

  // The estimate from rejections sent before `horizon`; nullopt until two
  // rejections in one cluster span a positive time.
  std::optional<rate_estimate> estimate(time_point horizon) const;

  // Drops records sent before `now - window`.
  void expire(time_point now);

  // Declares that from `t` on the caller sends below the rate measured so
  // far, so the server's bucket may refill (even to its cap): no interval
  // spanning `t` is used.
  void mark_boundary(time_point t);

  // Drops every record sent before `t`, and the boundaries with them: the
  // measurement starts over (the server's rate changed).
  void forget_before(time_point t);

  std::size_t size() const { return records_.size(); }

 private:
  options options_;
  std::multimap<time_point, bool> records_;  // send time -> rejected
  std::deque<time_point> boundaries_;        // ascending
};

}  // namespace troupe::fleet
