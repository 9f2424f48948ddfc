// latency_tracker: a cohort counts only once all of its calls have ended (in
// any order), errors do not dilute it, the baseline needs three cohorts,
// jitter alone stays within 2x of the baseline while a real rise does not.
#define BOOST_TEST_MODULE latency_tracker_test
#include "actors/fleet/latency_tracker.hpp"

#include <boost/test/unit_test.hpp>
#include <random>
#include <vector>

using namespace troupe::fleet;
using namespace std::chrono_literals;
using time_point = latency_tracker::time_point;

namespace {

const time_point t0 = time_point{} + 1h;

// Sends one cohort of 10 and ends it with the given latencies (0 = error).
bool cohort(latency_tracker& l, time_point at, const std::vector<double>& latencies) {
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < latencies.size(); ++i) ids.push_back(l.on_send(at));
  bool completed = false;
  for (std::size_t i = latencies.size(); i-- > 0;) {  // in reverse: order does not matter
    std::optional<double> x;
    if (latencies[i] > 0) x = latencies[i];
    completed = l.on_end(ids[i], x) || completed;
  }
  return completed;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_cohort_counts_when_all_its_calls_ended) {
  latency_tracker l(3);
  auto a = l.on_send(t0), b = l.on_send(t0), c = l.on_send(t0 + 1ms);
  BOOST_TEST(a == b);
  BOOST_TEST(a == c);
  BOOST_TEST(l.on_send(t0 + 2ms) == a + 1);  // the next cohort
  BOOST_TEST(!l.on_end(c, 0.3));
  BOOST_TEST(!l.on_end(a, 0.1));
  BOOST_TEST(l.smoothed() == 0.0);
  BOOST_TEST(l.on_end(b, std::nullopt));  // an error: ends the call, no sample
  BOOST_TEST(l.smoothed() == 0.2, boost::test_tools::tolerance(1e-12));
  BOOST_TEST((l.last_completed_start() == t0));
  BOOST_TEST(l.baseline() == 0.0);  // not yet: needs three cohorts
  BOOST_TEST(!l.on_end(99, 1.0));   // unknown cohort: ignored
}

BOOST_AUTO_TEST_CASE(all_error_cohorts_are_skipped) {
  latency_tracker l(2);
  auto x = l.on_send(t0), y = l.on_send(t0);
  l.on_end(x, std::nullopt);
  BOOST_TEST(!l.on_end(y, std::nullopt));
  BOOST_TEST(l.smoothed() == 0.0);
}

BOOST_AUTO_TEST_CASE(jitter_holds_and_a_rise_shows) {
  latency_tracker l(10);
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> jitter(0.0, 0.2);  // mean 100 ms, +-100%
  time_point now = t0;
  for (int i = 0; i < 200; ++i, now += 100ms) {
    std::vector<double> xs;
    for (int k = 0; k < 10; ++k) xs.push_back(jitter(rng) + 1e-6);
    BOOST_TEST(cohort(l, now, xs));
    if (l.baseline() > 0) BOOST_TEST(l.smoothed() < 2.0 * l.baseline());
  }
  const double before = l.baseline();
  for (int i = 0; i < 10; ++i, now += 100ms) cohort(l, now, std::vector<double>(10, 0.5));
  BOOST_TEST(l.smoothed() > 2.0 * l.baseline());
  BOOST_TEST(l.baseline() < 1.1 * before);  // the drift is slow
}
