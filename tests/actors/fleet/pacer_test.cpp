// pacer: off until a throttle; the first rate; spacing; the optional global
// pause; and, driven against an exact token bucket, convergence to just
// under the bucket's rate with few rejections, for several rates, with fast
// and with slow throttle answers.
#define BOOST_TEST_MODULE pacer_test
#include "actors/fleet/pacer.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <deque>
#include <map>

using namespace troupe::fleet;
using namespace std::chrono_literals;
using time_point = pacer::time_point;
using duration = pacer::duration;

namespace {

const time_point t0 = time_point{} + 1h;

struct run_stats {
  double rate = 0;        // accepted calls per second over the last 10 s
  int rejected_late = 0;  // rejections in the last 10 s
};

// Sends as fast as the pacer allows, with at most 100 calls in flight, for
// `length` against a token bucket (rate r, burst b); accepted answers take
// `ok_latency`, rejections `reject_latency`.
run_stats drive(double r, double b, duration ok_latency, duration reject_latency,
                duration length) {
  pacer p(pacer_options{});
  p.set_round_trip(ok_latency);
  double tokens = b;
  time_point bucket_at = t0;
  std::multimap<time_point, std::pair<time_point, bool>>
      answers;  // at -> (sent, accepted)
  run_stats out;
  int accepted_late = 0;
  time_point now = t0;
  const time_point end = t0 + length, late = end - 10s;
  while (now < end) {
    // Deliver every answer due by now, then send if allowed.
    while (!answers.empty() && answers.begin()->first <= now) {
      auto [at, what] = *answers.begin();
      answers.erase(answers.begin());
      p.on_answer(what.first, at, what.second, duration(1s));
      p.update(at);
      if (what.first >= late) {
        accepted_late += what.second;
        out.rejected_late += !what.second;
      }
    }
    if (answers.size() < 100 && p.next_send(now) <= now) {
      p.on_send(now);
      tokens = std::min(
          b, tokens + std::chrono::duration<double>(now - bucket_at).count() * r);
      bucket_at = now;
      const bool ok = tokens >= 1;
      if (ok) tokens -= 1;
      answers.emplace(now + (ok ? ok_latency : reject_latency), std::make_pair(now, ok));
    }
    time_point next = answers.empty() ? end : answers.begin()->first;
    if (answers.size() < 100) next = std::min(next, p.next_send(now));
    now = std::max(next, now + 1us);
  }
  out.rate = accepted_late / 10.0;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(off_until_throttled) {
  pacer p(pacer_options{});
  BOOST_TEST(!p.active());
  BOOST_TEST(p.rate(t0) == 0.0);
  for (int i = 0; i < 10; ++i) p.on_send(t0 + i * 10ms);
  BOOST_TEST((p.next_send(t0 + 100ms) == t0 + 100ms));
  p.on_answer(t0, t0 + 200ms, true, std::nullopt);
  BOOST_TEST(!p.active());
  // The first throttle: the rate is the calls sent in the second up to the
  // rejected one (sent at t0 + 50 ms: six calls).
  p.on_answer(t0 + 50ms, t0 + 210ms, false, duration(1s));
  BOOST_TEST(p.active());
  BOOST_TEST(p.rate(t0 + 210ms) == 6.0, boost::test_tools::tolerance(1e-9));
  // No token yet: the next call waits about 1/6 s.
  auto next = p.next_send(t0 + 210ms);
  BOOST_TEST((next > t0 + 210ms + 160ms));
  BOOST_TEST((next < t0 + 210ms + 170ms));
  BOOST_TEST(!p.estimate().has_value());
}

BOOST_AUTO_TEST_CASE(optional_global_pause) {
  pacer_options o;
  o.pause_on_retry_after = true;
  o.max_pause = 2s;
  pacer p(o);
  p.on_send(t0);
  p.on_answer(t0, t0 + 10ms, false, duration(5s));
  BOOST_TEST((p.next_send(t0 + 10ms) >= t0 + 10ms + 2s));
  BOOST_TEST((p.next_send(t0 + 10ms) < t0 + 10ms + 3s));
}

BOOST_AUTO_TEST_CASE(converges_under_the_bucket_rate) {
  struct scenario {
    double rate, burst;
    duration ok, reject;
  };
  for (scenario s : {scenario{50, 50, 200ms, 20ms}, scenario{50, 50, 200ms, 200ms},
                     scenario{20, 100, 500ms, 20ms}, scenario{200, 40, 100ms, 10ms},
                     scenario{5, 5, 1s, 50ms}}) {
    auto got = drive(s.rate, s.burst, s.ok, s.reject, 40s);
    BOOST_TEST_MESSAGE("R " << s.rate << " B " << s.burst << ": " << got.rate
                            << "/s, late rejections " << got.rejected_late);
    BOOST_TEST(got.rate >= 0.9 * s.rate, "R " << s.rate << " B " << s.burst);
    BOOST_TEST(got.rate <= 1.01 * s.rate + 0.2);
    // In steady state: a few rejections per probe cycle, not a stream.
    BOOST_TEST(got.rejected_late <= 0.02 * 10 * s.rate + 3,
               "R " << s.rate << " B " << s.burst);
  }
}
