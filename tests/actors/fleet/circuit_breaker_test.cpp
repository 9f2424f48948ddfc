// circuit_breaker: closed → open after K failures in a row, open for a
// cooldown, half-open admits exactly one probe, whose result closes or
// re-opens (with a grown, capped cooldown).
#define BOOST_TEST_MODULE circuit_breaker_test
#include "actors/fleet/circuit_breaker.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace troupe::fleet;
using namespace std::chrono_literals;
using time_point = circuit_breaker::time_point;
using duration = circuit_breaker::duration;

namespace {

const time_point t0 = time_point{} + 1h;

breaker_options options(int threshold = 3) {
  breaker_options o;
  o.failure_threshold = threshold;
  o.cooldown = 1000ms;
  o.cooldown_growth = 2.0;
  o.max_cooldown = 3000ms;
  return o;
}

std::string name(breaker_state s) {
  return to_string(s);
}

// Opens `b` at `now` with `threshold` failures.
void trip(circuit_breaker& b, time_point now, int threshold = 3) {
  for (int i = 0; i < threshold; ++i) {
    BOOST_REQUIRE(b.allow(now));
    b.on_failure(now);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(check_rejects_bad_options) {
  BOOST_TEST(check(breaker_options{}).is_ok());
  auto o = options();
  o.failure_threshold = 0;
  BOOST_TEST(!check(o).is_ok());
  o = options();
  o.max_cooldown = 10ms;
  BOOST_TEST(!check(o).is_ok());
  o = options();
  o.cooldown_growth = 0.5;
  BOOST_TEST(!check(o).is_ok());
}

BOOST_AUTO_TEST_CASE(names_for_metrics) {
  BOOST_TEST(name(breaker_state::closed) == "closed");
  BOOST_TEST(name(breaker_state::open) == "open");
  BOOST_TEST(name(breaker_state::half_open) == "half_open");
}

BOOST_AUTO_TEST_CASE(closed_until_k_failures_in_a_row) {
  circuit_breaker b(options());
  BOOST_TEST(name(b.state(t0)) == "closed");
  b.on_failure(t0);
  b.on_failure(t0);
  b.on_success(t0);  // resets the run
  b.on_failure(t0);
  b.on_failure(t0);
  BOOST_TEST(name(b.state(t0)) == "closed");
  BOOST_TEST(b.consecutive_failures() == 2);
  BOOST_TEST(b.allow(t0));
  BOOST_TEST(b.time_until_retry(t0).count() == 0);
  b.on_failure(t0);
  BOOST_TEST(name(b.state(t0)) == "open");
  BOOST_TEST(b.times_opened() == 1u);
}

BOOST_AUTO_TEST_CASE(open_refuses_for_the_cooldown) {
  circuit_breaker b(options());
  trip(b, t0);
  BOOST_TEST(!b.allow(t0));
  BOOST_TEST(!b.allow(t0 + 999ms));
  BOOST_TEST(b.time_until_retry(t0 + 400ms).count() == duration(600ms).count());
  // Late results of calls from before the opening change nothing.
  b.on_success(t0 + 500ms);
  b.on_failure(t0 + 500ms);
  BOOST_TEST(name(b.state(t0 + 500ms)) == "open");
  BOOST_TEST(b.time_until_retry(t0 + 500ms).count() == duration(500ms).count());
}

BOOST_AUTO_TEST_CASE(half_open_admits_one_probe) {
  circuit_breaker b(options());
  trip(b, t0);
  const auto later = t0 + 1000ms;
  BOOST_TEST(name(b.state(later)) == "half_open");
  BOOST_TEST(b.time_until_retry(later).count() == 0);
  BOOST_TEST(b.allow(later));   // the probe
  BOOST_TEST(!b.allow(later));  // nobody else
  BOOST_TEST(!b.allow(later + 10s));
  BOOST_TEST((b.time_until_retry(later) == duration::max()));
  BOOST_TEST(name(b.state(later)) == "half_open");
}

BOOST_AUTO_TEST_CASE(probe_success_closes) {
  circuit_breaker b(options());
  trip(b, t0);
  const auto later = t0 + 1000ms;
  BOOST_REQUIRE(b.allow(later));
  b.on_success(later + 100ms);
  BOOST_TEST(name(b.state(later + 100ms)) == "closed");
  BOOST_TEST(b.consecutive_failures() == 0);
  BOOST_TEST(b.allow(later + 100ms));
  BOOST_TEST(b.allow(later + 100ms));
}

BOOST_AUTO_TEST_CASE(probe_failure_reopens_with_growing_capped_cooldown) {
  circuit_breaker b(options());
  trip(b, t0);
  time_point now = t0 + 1000ms;
  duration expected[] = {2000ms, 3000ms, 3000ms};  // doubled, then capped
  for (auto cooldown : expected) {
    BOOST_REQUIRE(b.allow(now));
    b.on_failure(now);
    BOOST_TEST(name(b.state(now)) == "open");
    BOOST_TEST(b.cooldown().count() == cooldown.count());
    BOOST_TEST(!b.allow(now + cooldown - 1ms));
    now += cooldown;
  }
  // A successful probe resets the cooldown too.
  BOOST_REQUIRE(b.allow(now));
  b.on_success(now);
  BOOST_TEST(b.cooldown().count() == duration(1000ms).count());
  trip(b, now);
  BOOST_TEST(b.time_until_retry(now).count() == duration(1000ms).count());
  BOOST_TEST(b.times_opened() == 5u);
}

BOOST_AUTO_TEST_CASE(cancelled_probe_frees_the_slot) {
  circuit_breaker b(options());
  trip(b, t0);
  const auto later = t0 + 1000ms;
  BOOST_REQUIRE(b.allow(later));
  BOOST_TEST(!b.allow(later));
  b.on_cancel();
  BOOST_TEST(b.allow(later));
}

BOOST_AUTO_TEST_CASE(threshold_of_one) {
  circuit_breaker b(options(1));
  BOOST_REQUIRE(b.allow(t0));
  b.on_failure(t0);
  BOOST_TEST(name(b.state(t0)) == "open");
}
