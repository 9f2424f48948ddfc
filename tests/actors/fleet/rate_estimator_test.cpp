// rate_estimator: fed with calls against an exact token bucket, it brackets
// the bucket's rate; horizons, boundaries, short clusters, ties, retraction
// and expiry behave as documented.
#define BOOST_TEST_MODULE rate_estimator_test
#include "actors/fleet/rate_estimator.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>

using namespace troupe::fleet;
using namespace std::chrono_literals;
using time_point = rate_estimator::time_point;
using duration = rate_estimator::duration;

namespace {

const time_point t0 = time_point{} + 1h;

// An exact token bucket: `rate` per second, `burst` capacity, full at t0.
struct bucket {
  double rate, burst, tokens;
  time_point at = t0;
  bool take(time_point now) {
    tokens =
        std::min(burst, tokens + std::chrono::duration<double>(now - at).count() * rate);
    at = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
};

// Sends at `send_rate` from `from` for `length`, recording each result.
void drive(rate_estimator& e, bucket& b, double send_rate, time_point from,
           duration length) {
  const auto step =
      std::chrono::duration_cast<duration>(std::chrono::duration<double>(1 / send_rate));
  for (time_point t = from; t < from + length; t += step) e.record(t, !b.take(t));
}

rate_estimator::options opts() {
  return rate_estimator::options{};
}

}  // namespace

BOOST_AUTO_TEST_CASE(nothing_without_two_rejections) {
  rate_estimator e(opts());
  BOOST_TEST(!e.estimate(t0 + 1h).has_value());
  e.record(t0, false);
  e.record(t0 + 10ms, true);
  BOOST_TEST(!e.estimate(t0 + 1h).has_value());
}

BOOST_AUTO_TEST_CASE(brackets_the_rate_of_a_token_bucket) {
  for (double send : {55.0, 75.0, 150.0, 400.0}) {
    rate_estimator e(opts());
    bucket b{50, 5, 5};
    drive(e, b, send, t0, 5s);
    auto est = e.estimate(t0 + 5s);
    BOOST_REQUIRE_MESSAGE(est.has_value(), "sending at " << send);
    BOOST_TEST(est->precise);
    BOOST_TEST(est->upper >= 50.0);
    BOOST_TEST(est->rate <= 50.0 * 1.05);
    BOOST_TEST(est->rate >= 50.0 * 0.9);
  }
}

BOOST_AUTO_TEST_CASE(coarse_estimates_are_upper_bounds) {
  rate_estimator e(opts());
  bucket b{50, 3, 0};
  drive(e, b, 80, t0, 300ms);
  auto est = e.estimate(t0 + 1s);
  BOOST_REQUIRE(est.has_value());
  BOOST_TEST(!est->precise);
  BOOST_TEST(est->upper >= 50.0);
}

BOOST_AUTO_TEST_CASE(horizon_hides_unresolved_time) {
  rate_estimator e(opts());
  e.record(t0, true);
  for (int i = 1; i <= 10; ++i) e.record(t0 + i * 20ms, false);
  e.record(t0 + 200ms, true);
  // The second rejection is only used once the horizon has passed it.
  BOOST_TEST(!e.estimate(t0 + 200ms).has_value());
  BOOST_TEST(e.estimate(t0 + 201ms).has_value());
}

BOOST_AUTO_TEST_CASE(short_clusters_are_noise) {
  rate_estimator e(opts());
  // Two rejections 10 ms apart with many accepted calls at the same
  // instants (a burst the network reorders): not used.
  for (int i = 0; i < 30; ++i) e.record(t0, false);
  e.record(t0, true);
  for (int i = 0; i < 30; ++i) e.record(t0 + 10ms, false);
  e.record(t0 + 10ms, true);
  BOOST_TEST(!e.estimate(t0 + 1s).has_value());
}

BOOST_AUTO_TEST_CASE(calls_at_the_earlier_rejection_instant_are_left_out) {
  rate_estimator e(opts());
  for (int i = 0; i < 30; ++i)
    e.record(t0, false);  // reached the server before the rejection
  e.record(t0, true);
  for (int i = 1; i <= 10; ++i) e.record(t0 + i * 20ms, false);
  e.record(t0 + 200ms, true);
  auto est = e.estimate(t0 + 1s);
  BOOST_REQUIRE(est.has_value());
  BOOST_TEST(est->accepted == 10u);
  BOOST_TEST(est->rate == 50.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(est->upper == 55.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(boundaries_split_clusters) {
  rate_estimator e(opts());
  e.record(t0, true);
  for (int i = 1; i <= 30; ++i) e.record(t0 + i * 10ms, false);
  e.record(t0 + 310ms, true);
  BOOST_TEST(e.estimate(t0 + 1s).has_value());
  e.mark_boundary(t0 + 100ms);
  BOOST_TEST(!e.estimate(t0 + 1s).has_value());
}

BOOST_AUTO_TEST_CASE(gaps_split_clusters) {
  rate_estimator::options o;
  o.cluster_gap = 500ms;
  rate_estimator e(o);
  e.record(t0, true);
  for (int i = 1; i <= 30; ++i) e.record(t0 + i * 20ms, false);
  e.record(t0 + 620ms, true);
  BOOST_TEST(!e.estimate(t0 + 1s).has_value());
}

BOOST_AUTO_TEST_CASE(newest_clusters_first) {
  rate_estimator::options o;
  o.precise_count = 10;
  rate_estimator e(o);
  // An old cluster at 20/s, then, after a gap, a new one at 50/s.
  e.record(t0, true);
  for (int i = 1; i <= 20; ++i) e.record(t0 + i * 50ms, false);
  e.record(t0 + 1000ms, true);
  const time_point t1 = t0 + 5s;
  e.record(t1, true);
  for (int i = 1; i <= 20; ++i) e.record(t1 + i * 20ms, false);
  e.record(t1 + 400ms, true);
  auto est = e.estimate(t1 + 1s);
  BOOST_REQUIRE(est.has_value());
  BOOST_TEST(est->rate == 50.0, boost::test_tools::tolerance(0.01));
}

BOOST_AUTO_TEST_CASE(retract_and_expire) {
  rate_estimator e(opts());
  e.record(t0, true);
  for (int i = 1; i <= 10; ++i) e.record(t0 + i * 20ms, false);
  e.record(t0 + 200ms, true);
  e.retract_accepted(t0 + 20ms);
  e.retract_accepted(t0 + 21ms);  // nothing there: no-op
  BOOST_TEST(e.estimate(t0 + 1s)->accepted == 9u);
  BOOST_TEST(e.size() == 11u);
  e.expire(t0 + 10s + 100ms);
  BOOST_TEST(e.size() == 7u);  // the records sent at or after t0 + 100 ms
  e.forget_before(t0 + 1h);
  BOOST_TEST(e.size() == 0u);
}
