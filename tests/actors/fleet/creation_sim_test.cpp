// The creation path end to end, in simulated time (creation_sim.hpp): the
// issue's targets for adaptive creation, and exact final state under
// throttling, random 5xx, slow successes, an outage and a quota. Every case
// runs for several seeds; results are printed with --log_level=message.
#define BOOST_TEST_MODULE creation_sim_test
#include "tests/actors/fleet/creation_sim.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace troupe::fleet;
using namespace std::chrono_literals;

namespace {

constexpr int kSeeds = 8;

sim::client_options client(std::size_t runners, std::size_t max, std::uint64_t seed,
                           control_mode mode = control_mode::adaptive) {
  sim::client_options c;
  c.runners = runners;
  c.control.mode = mode;
  c.control.max_limit = max;
  c.seed = seed;
  return c;
}

// R = 50/s, burst 50, latency 200 ms +- 50 ms: the rate-limited case.
sim::server_options rate_limited() {
  sim::server_options s;
  s.rate = 50;
  s.burst = 50;
  s.latency = 200ms;
  s.jitter = 50ms;
  return s;
}

void log(const std::string& name, std::uint64_t seed, const sim::report& r) {
  BOOST_TEST_MESSAGE(name << " seed " << seed << ": " << r.seconds << " s, created "
                          << r.created << ", calls " << r.calls << ", 429s "
                          << r.throttled << " (" << 100 * r.throttled_share()
                          << "%), retries " << r.retries << ", 409s " << r.conflicts
                          << ", breaker opened " << r.breaker_opened);
}

// Exactly `n` runners exist, each tracked once: none leaked, none missing.
void expect_exact(const sim::report& r, std::size_t n) {
  BOOST_TEST(r.created == n);
  BOOST_TEST(r.failed == 0u);
  BOOST_TEST(r.objects == n);
  BOOST_TEST(r.untracked == 0u);
  BOOST_TEST(r.missing == 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_no_limit_100_runners_at_3s_in_one_latency) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    sim::server_options s;
    s.latency = 3s;
    auto r = sim::run(s, client(100, 100, seed));
    log("a", seed, r);
    expect_exact(r, 100);
    BOOST_TEST(r.seconds <= 3.5);
    BOOST_TEST(r.throttled == 0u);
    BOOST_TEST(r.max_in_flight == 100u);
  }
}

BOOST_AUTO_TEST_CASE(b_rate_limited_runs_at_the_limit_with_few_429s) {
  const double ideal = 1000 / 50.0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    auto r = sim::run(rate_limited(), client(1000, 100, seed));
    log("b", seed, r);
    expect_exact(r, 1000);
    BOOST_TEST(r.seconds <= 1.1 * ideal);
    BOOST_TEST(r.seconds >= (1000 - 50) / 50.0);  // the physical limit, burst included
    BOOST_TEST(r.throttled_share() < 0.05);
  }
}

BOOST_AUTO_TEST_CASE(b_sensitivity_slow_429s) {
  // 429s that take as long as successes: the startup burst costs more 429s
  // (the server's "no" arrives a whole latency late), throughput holds.
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    auto s = rate_limited();
    s.reject_latency = s.latency;
    auto r = sim::run(s, client(1000, 100, seed));
    log("b slow 429", seed, r);
    expect_exact(r, 1000);
    BOOST_TEST(r.seconds <= 1.1 * 20.0);
    BOOST_TEST(r.throttled_share() < 0.12);
  }
}

BOOST_AUTO_TEST_CASE(b_sensitivity_global_pause_on_retry_after) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    auto c = client(1000, 100, seed);
    c.control.pacing.pause_on_retry_after = true;
    auto r = sim::run(rate_limited(), c);
    log("b pause", seed, r);
    expect_exact(r, 1000);
    BOOST_TEST(r.seconds <= 1.2 * 20.0);
  }
}

BOOST_AUTO_TEST_CASE(c_random_5xx_all_created_with_bounded_retries) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    sim::server_options s;
    s.latency = 200ms;
    s.jitter = 50ms;
    s.error_rate = 0.1;
    auto r = sim::run(s, client(1000, 100, seed));
    log("c", seed, r);
    expect_exact(r, 1000);
    BOOST_TEST(r.server_errors > 50u);
    BOOST_TEST(r.retries == r.server_errors);  // one retry per failure, no more
    BOOST_TEST(r.retries < 200u);
    BOOST_TEST(r.breaker_opened == 0u);  // random noise does not trip it
    BOOST_TEST(r.seconds < 6.0);
  }
}

BOOST_AUTO_TEST_CASE(d_slow_successes_leave_no_duplicate_and_no_untracked_runner) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    auto s = rate_limited();
    s.error_rate = 0.1;
    s.slow_rate = 0.01;
    auto c = client(1000, 100, seed);
    c.timeout = 2s;
    auto r = sim::run(s, c);
    log("d", seed, r);
    expect_exact(r, 1000);
    BOOST_TEST(r.timeouts > 0u);
    BOOST_TEST(r.conflicts + r.checked == r.timeouts);  // each one found, not recreated
  }
}

BOOST_AUTO_TEST_CASE(e_outage_opens_the_breaker_and_recovers) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    sim::server_options s;
    s.latency = 200ms;
    s.jitter = 50ms;
    s.outage_from = 500ms;
    s.outage_to = 3500ms;
    auto r = sim::run(s, client(1000, 100, seed));
    log("e", seed, r);
    expect_exact(r, 1000);
    BOOST_TEST(r.breaker_opened >= 1u);
    BOOST_TEST(r.seconds < 3.5 + 4.0);
  }
}

BOOST_AUTO_TEST_CASE(f_quota_is_reported_exactly) {
  sim::server_options s;
  s.latency = 100ms;
  s.quota = 70;
  auto r = sim::run(s, client(100, 20, 1));
  log("f", 1, r);
  BOOST_TEST(r.created == 70u);
  BOOST_TEST(r.failed == 30u);
  BOOST_TEST(r.failures["quota_exceeded"] == 30u);
  BOOST_TEST(r.objects == 70u);
  BOOST_TEST(r.retries == 0u);  // permanent: not retried
  BOOST_TEST(r.breaker_opened == 0u);
}

BOOST_AUTO_TEST_CASE(g_overloaded_server_latency_holds_the_limit_down) {
  // A server that works on 20 calls at once and queues the rest: latency
  // grows with the calls in flight, so the limit is cut below the max.
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    sim::server_options s;
    s.latency = 200ms;
    s.jitter = 50ms;
    s.capacity = 20;
    auto r = sim::run(s, client(1000, 100, seed));
    log("g", seed, r);
    expect_exact(r, 1000);
    BOOST_TEST(r.final_limit < 80u);
    BOOST_TEST(r.seconds < 1.2 * 1000 / (20 / 0.2));  // the server's own limit: 100/s
  }
}

BOOST_AUTO_TEST_CASE(modes_compared_on_case_a) {
  sim::server_options s;
  s.latency = 3s;
  auto sequential = sim::run(s, client(100, 100, 1, control_mode::sequential));
  auto fixed = sim::run(s, client(100, 10, 1, control_mode::fixed));
  auto adaptive = sim::run(s, client(100, 100, 1));
  BOOST_TEST(sequential.seconds == 300.0, boost::test_tools::tolerance(0.01));
  BOOST_TEST(fixed.seconds == 30.0, boost::test_tools::tolerance(0.01));
  BOOST_TEST(adaptive.seconds < 3.5);
  BOOST_TEST(sequential.max_in_flight == 1u);
  BOOST_TEST(fixed.max_in_flight == 10u);
}

BOOST_AUTO_TEST_CASE(same_seed_same_run) {
  auto one = sim::run(rate_limited(), client(300, 100, 5));
  auto two = sim::run(rate_limited(), client(300, 100, 5));
  BOOST_TEST(one.seconds == two.seconds);
  BOOST_TEST(one.calls == two.calls);
  BOOST_TEST(one.throttled == two.throttled);
}
