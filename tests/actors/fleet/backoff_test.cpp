// backoff: the jitter window doubles from base to cap, every delay lies in
// its window, draws are uniform-looking and deterministic for a seed,
// Retry-After is a floor (clamped to its limit), attempts are bounded.
#define BOOST_TEST_MODULE backoff_test
#include "actors/fleet/backoff.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <vector>

using namespace troupe::fleet;
using namespace std::chrono_literals;
using duration = backoff::duration;

namespace {

backoff make(std::chrono::milliseconds base, std::chrono::milliseconds cap,
             int attempts = 6) {
  backoff_policy p;
  p.base = base;
  p.cap = cap;
  p.max_attempts = attempts;
  BOOST_REQUIRE(check(p));
  return backoff(p);
}

}  // namespace

BOOST_AUTO_TEST_CASE(check_rejects_bad_policies) {
  backoff_policy p;
  BOOST_TEST(check(p).is_ok());
  p.base = 0ms;
  BOOST_TEST(check(p).message().find("base") != std::string::npos);
  p = {};
  p.cap = 100ms;  // below the 200 ms base
  BOOST_TEST(check(p).message().find("cap") != std::string::npos);
  p = {};
  p.max_attempts = 0;
  BOOST_TEST(check(p).message().find("max-attempts") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(ceiling_doubles_then_caps) {
  auto b = make(100ms, 1000ms);
  BOOST_TEST(b.ceiling(1).count() == duration(100ms).count());
  BOOST_TEST(b.ceiling(2).count() == duration(200ms).count());
  BOOST_TEST(b.ceiling(3).count() == duration(400ms).count());
  BOOST_TEST(b.ceiling(4).count() == duration(800ms).count());
  BOOST_TEST(b.ceiling(5).count() == duration(1000ms).count());
  // No overflow however far the count goes.
  BOOST_TEST(b.ceiling(1000).count() == duration(1000ms).count());
  BOOST_TEST(b.ceiling(0).count() == duration(100ms).count());
}

BOOST_AUTO_TEST_CASE(delays_stay_in_window_and_spread_over_it) {
  auto b = make(100ms, 1000ms);
  std::mt19937_64 rng(42);
  for (int retry = 1; retry <= 8; ++retry) {
    const duration window = b.ceiling(retry);
    std::vector<duration> draws;
    for (int i = 0; i < 2000; ++i) draws.push_back(b.delay(retry, rng));
    for (auto d : draws) {
      BOOST_TEST(d.count() >= 0);
      BOOST_TEST(d.count() < window.count());
    }
    // Full jitter: uniform on [0, window): the mean is near half the window
    // and both ends are reached.
    double mean = 0;
    for (auto d : draws) mean += double(d.count()) / double(draws.size());
    BOOST_TEST(mean / double(window.count()) > 0.45);
    BOOST_TEST(mean / double(window.count()) < 0.55);
    auto [lo, hi] = std::minmax_element(draws.begin(), draws.end());
    BOOST_TEST(double(lo->count()) < 0.01 * double(window.count()));
    BOOST_TEST(double(hi->count()) > 0.99 * double(window.count()));
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_delays) {
  auto b = make(200ms, 30s);
  std::mt19937_64 one(7), two(7), other(8);
  bool differs = false;
  for (int retry = 1; retry <= 6; ++retry) {
    auto x = b.delay(retry, one);
    BOOST_TEST(x.count() == b.delay(retry, two).count());
    differs = differs || x != b.delay(retry, other);
  }
  BOOST_TEST(differs);
  // Exactly one draw per delay, with or without Retry-After.
  std::mt19937_64 a(9), c(9);
  b.delay(1, a, duration(1s));
  c();
  BOOST_TEST(a() == c());
}

BOOST_AUTO_TEST_CASE(retry_after_is_a_floor_with_jitter_above) {
  auto b = make(100ms, 1000ms);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 500; ++i) {
    auto d = b.delay(2, rng, duration(3s));  // above the cap: still honoured
    BOOST_TEST(d.count() >= duration(3s).count());
    BOOST_TEST(d.count() < duration(3s + 200ms).count());
  }
  // Zero means "now": only the jitter remains.
  auto d = b.delay(1, rng, duration(0s));
  BOOST_TEST(d.count() < duration(100ms).count());
}

BOOST_AUTO_TEST_CASE(retry_after_is_clamped_to_its_limit) {
  backoff_policy p;
  p.retry_after_limit = 60'000ms;
  backoff b(p);
  std::mt19937_64 rng(1);
  auto d = b.delay(1, rng, duration(std::chrono::hours(24 * 365)));
  BOOST_TEST(d.count() >= duration(60s).count());
  BOOST_TEST(d.count() < duration(60s + p.base).count());
}

BOOST_AUTO_TEST_CASE(attempts_are_bounded) {
  auto b = make(100ms, 1000ms, 3);
  BOOST_TEST(b.may_retry(1));
  BOOST_TEST(b.may_retry(2));
  BOOST_TEST(!b.may_retry(3));
  BOOST_TEST(!make(100ms, 1000ms, 1).may_retry(1));
}

BOOST_AUTO_TEST_CASE(unit_draw_is_in_unit_interval) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 10000; ++i) {
    double x = unit_draw(rng);
    BOOST_TEST(x >= 0.0);
    BOOST_TEST(x < 1.0);
  }
}
