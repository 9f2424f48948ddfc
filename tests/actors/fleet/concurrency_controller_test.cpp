// concurrency_controller: the three modes, the blind ramp and its wake-up
// times, growth after the first answer, pacing switched on by a throttle,
// error-burst cuts (once per round trip) and the fast recovery after them,
// latency cuts, cancellation, option checks and the feedback mapping.
// Whole runs against a simulated server are in creation_sim_test.
#define BOOST_TEST_MODULE concurrency_controller_test
#include "actors/fleet/concurrency_controller.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using namespace troupe::fleet;
using namespace std::chrono_literals;
using time_point = concurrency_controller::time_point;
using duration = concurrency_controller::duration;

namespace {

const time_point t0 = time_point{} + 1h;

controller_options opts(control_mode mode, std::size_t max) {
  controller_options o;
  o.mode = mode;
  o.max_limit = max;
  BOOST_REQUIRE(check(o));
  return o;
}

// Acquires as many calls as the controller allows at `now`.
std::vector<call_ticket> fill(concurrency_controller& c, time_point now) {
  std::vector<call_ticket> out;
  while (auto t = c.try_acquire(now)) out.push_back(*t);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(check_names_the_field) {
  controller_options o;
  BOOST_TEST(check(o).is_ok());
  o.min_limit = 0;
  BOOST_TEST(check(o).message().find("min") != std::string::npos);
  o = {};
  o.max_limit = 0;
  BOOST_TEST(check(o).message().find("max") != std::string::npos);
  o = {};
  o.pacing.headroom = 1.5;
  BOOST_TEST(check(o).message().find("headroom") != std::string::npos);
  o = {};
  o.error_decrease = 1.0;
  BOOST_TEST(!check(o).is_ok());
}

BOOST_AUTO_TEST_CASE(sequential_is_one_at_a_time) {
  concurrency_controller c(opts(control_mode::sequential, 10));
  auto first = fill(c, t0);
  BOOST_TEST(first.size() == 1u);
  BOOST_TEST((c.next_send_time(t0) == time_point::max()));
  c.on_result(first[0], t0 + 3s, call_feedback::ok);
  BOOST_TEST((c.next_send_time(t0 + 3s) == t0 + 3s));
  BOOST_TEST(std::string(c.phase()) == "sequential");
  // A throttle does not switch on pacing outside adaptive mode.
  auto t = c.try_acquire(t0 + 3s);
  c.on_result(*t, t0 + 4s, call_feedback::throttled, duration(1s));
  BOOST_TEST(c.pacing_rate(t0 + 4s) == 0.0);
}

BOOST_AUTO_TEST_CASE(fixed_is_max_at_once) {
  concurrency_controller c(opts(control_mode::fixed, 10));
  BOOST_TEST(fill(c, t0).size() == 10u);
  BOOST_TEST(c.limit(t0) == 10u);
  BOOST_TEST(std::string(c.phase()) == "fixed");
}

BOOST_AUTO_TEST_CASE(blind_ramp_doubles_until_the_first_answer) {
  auto o = opts(control_mode::adaptive, 100);
  concurrency_controller c(o);
  BOOST_TEST(fill(c, t0).size() == o.initial_limit);
  BOOST_TEST(std::string(c.phase()) == "startup");
  // Full: the next chance is the next ramp step, not "never".
  BOOST_TEST((c.next_send_time(t0) == t0 + o.ramp_interval));
  std::size_t total = o.initial_limit;
  time_point now = t0;
  std::vector<std::size_t> limits;
  while (c.next_send_time(now) != time_point::max()) {
    now = c.next_send_time(now);
    total += fill(c, now).size();
    limits.push_back(c.limit(now));
  }
  BOOST_TEST(total == 100u);
  BOOST_TEST(limits.front() == 2 * o.initial_limit);
  BOOST_TEST(limits.back() == 100u);
  // 4 → 100 in five doublings.
  BOOST_TEST((now - t0 <= 5 * o.ramp_interval));
}

BOOST_AUTO_TEST_CASE(growth_after_the_first_answer_is_per_success) {
  auto o = opts(control_mode::adaptive, 100);
  concurrency_controller c(o);
  auto calls = fill(c, t0);  // 4
  const time_point later = t0 + 200ms;
  // The ramp stops at its value when the first answer arrives: 4 * 2^8
  // capped at 100 would be reached by then, so answer before the first step.
  c.on_result(calls[0], t0 + 10ms, call_feedback::ok);
  const std::size_t at_answer = c.limit(t0 + 10ms);
  BOOST_TEST(at_answer == o.initial_limit + 1);  // ramp value + 1 for the success
  BOOST_TEST(c.limit(later) == at_answer);       // time alone no longer raises it
  for (std::size_t i = 1; i < calls.size(); ++i)
    c.on_result(calls[i], t0 + 10ms, call_feedback::ok);
  BOOST_TEST(c.limit(later) == at_answer + 3);
}

BOOST_AUTO_TEST_CASE(throttle_switches_on_pacing) {
  auto o = opts(control_mode::adaptive, 100);
  concurrency_controller c(o);
  auto calls = fill(c, t0);
  BOOST_TEST(c.pacing_rate(t0) == 0.0);
  c.on_result(calls[0], t0 + 20ms, call_feedback::throttled, duration(1s));
  BOOST_TEST(std::string(c.phase()) == "paced");
  // The first rate: the calls sent in the second up to the rejected one.
  BOOST_TEST(c.pacing_rate(t0 + 20ms) == double(o.initial_limit),
             boost::test_tools::tolerance(1e-9));
  // Calls are now spaced: the next one waits for a token.
  const time_point next = c.next_send_time(t0 + 20ms);
  BOOST_TEST((next > t0 + 20ms));
  BOOST_TEST((next <= t0 + 20ms + 250ms + 1ms));
  BOOST_TEST(!c.try_acquire(t0 + 20ms).has_value());
  BOOST_TEST(c.try_acquire(next).has_value());
  BOOST_TEST(!c.try_acquire(next).has_value());
}

BOOST_AUTO_TEST_CASE(isolated_errors_do_not_cut) {
  auto o = opts(control_mode::adaptive, 50);
  concurrency_controller c(o);
  time_point now = t0;
  // Run at the limit; every tenth answer is a 5xx.
  for (int round = 0; round < 40; ++round) {
    auto calls = fill(c, now);
    now += 100ms;
    for (std::size_t i = 0; i < calls.size(); ++i)
      c.on_result(calls[i], now,
                  i % 10 == 0 ? call_feedback::server_error : call_feedback::ok);
  }
  BOOST_TEST(c.limit(now) == 50u);
}

BOOST_AUTO_TEST_CASE(error_burst_cuts_once_per_round_trip_then_recovers_fast) {
  auto o = opts(control_mode::adaptive, 40);
  concurrency_controller c(o);
  time_point now = t0;
  for (int round = 0; round < 5; ++round) {  // reach the max
    auto calls = fill(c, now);
    now += 100ms;
    for (auto& t : calls) c.on_result(t, now, call_feedback::ok);
  }
  BOOST_REQUIRE(c.limit(now) == 40u);
  // A whole window fails: one cut (x0.7), not one per failure.
  auto calls = fill(c, now);
  now += 100ms;
  for (auto& t : calls) c.on_result(t, now, call_feedback::transport_error);
  BOOST_TEST(c.limit(now) == 28u);
  // The next round trip fails too: cut again.
  calls = fill(c, now);
  now += 100ms;
  for (auto& t : calls) c.on_result(t, now, call_feedback::server_error);
  BOOST_TEST(c.limit(now) == 19u);  // 28 * 0.7 = 19.6
  // Healthy again: +1 per success back up to 28 (70% of where trouble
  // began), doubling per round trip, not +1 per round trip.
  calls = fill(c, now);
  now += 100ms;
  for (auto& t : calls) c.on_result(t, now, call_feedback::ok);
  BOOST_TEST(c.limit(now) >= 28u);
  BOOST_TEST(c.limit(now) <= 29u);
}

BOOST_AUTO_TEST_CASE(latency_rise_cuts) {
  auto o = opts(control_mode::adaptive, 20);
  concurrency_controller c(o);
  time_point now = t0;
  for (int round = 0; round < 30; ++round) {  // a baseline of 100 ms
    auto calls = fill(c, now);
    now += 100ms;
    for (auto& t : calls) c.on_result(t, now, call_feedback::ok);
  }
  BOOST_REQUIRE(c.limit(now) == 20u);
  for (int round = 0; round < 10; ++round) {  // latency x5
    auto calls = fill(c, now);
    now += 500ms;
    for (auto& t : calls) c.on_result(t, now, call_feedback::ok);
  }
  BOOST_TEST(c.limit(now) < 20u);
}

BOOST_AUTO_TEST_CASE(cancel_frees_the_slot) {
  concurrency_controller c(opts(control_mode::fixed, 2));
  auto calls = fill(c, t0);
  BOOST_TEST(calls.size() == 2u);
  c.on_cancel(calls[0]);
  BOOST_TEST(c.in_flight() == 1u);
  BOOST_TEST(c.try_acquire(t0).has_value());
}

BOOST_AUTO_TEST_CASE(feedback_mapping) {
  auto fb = [](call_report r) { return feedback_of(r, classify(r, {})); };
  call_report r;
  r.http_status = 201;
  BOOST_TEST((fb(r) == call_feedback::ok));
  r.http_status = 422;
  BOOST_TEST((fb(r) == call_feedback::ok));  // an answer from a working server
  r.http_status = 429;
  BOOST_TEST((fb(r) == call_feedback::throttled));
  r.http_status = 503;
  BOOST_TEST((fb(r) == call_feedback::server_error));
  r.retry_after = "1";
  BOOST_TEST((fb(r) == call_feedback::throttled));
  r = {};
  r.transport = transport_error::timeout;
  BOOST_TEST((fb(r) == call_feedback::transport_error));
  BOOST_TEST(std::string(to_string(control_mode::adaptive)) == "adaptive");
}
