// The pool supervisor actor against the in-process simulated API: scale up,
// scale down during a scale-up, partial failure (quota), retries through
// server errors and throttling, refills after runners finish, circuit breaker.
// Every case asserts the exact final state: runner counts, API objects, zero
// duplicates.
#define BOOST_TEST_MODULE pool_actor_test
#include "actors/fleet/pool_actor.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "actors/fleet/provider_sim.hpp"
#include "messages/fleet.hpp"
#include "messages/registry.hpp"

using namespace troupe;
using namespace troupe::fleet;
using namespace std::chrono_literals;

namespace {

struct system_config : caf::actor_system_config {
  system_config() { troupe::add_message_types(*this); }
};

struct fixture {
  system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::shared_ptr<sim_provider> sim;
  pool_actor pool;
  wall_clock now = [] { return std::chrono::system_clock::now(); };

  fleet_settings settings = [] {
    fleet_settings fs;
    fs.backoff_base = 10ms;
    fs.backoff_cap = 200ms;
    fs.max_attempts = 20;
    return fs;
  }();

  void start(sim_options so, std::size_t concurrency = 20, std::uint32_t max = 1000,
             bool adaptive = true) {
    sim = std::make_shared<sim_provider>(so);
    pool_context ctx;
    ctx.config.name = "p";
    ctx.config.max = max;
    ctx.config.provider = "sim";
    ctx.config.creation_concurrency = concurrency;
    ctx.config.creation_timeout = 5s;
    ctx.config.adaptive = adaptive;
    ctx.settings = settings;
    ctx.provider = sim;
    ctx.owner = "test";
    ctx.now = now;
    pool = spawn_pool(sys, ctx);
    settle();  // recovered: ready for demand
  }

  ~fixture() { caf::anon_send_exit(pool, caf::exit_reason::user_shutdown); }

  pool_status status() {
    pool_status out;
    self->request(pool, 10s, status_atom::value)
        .receive([&](pool_status& s) { out = s; },
                 [&](caf::error& e) { BOOST_FAIL(sys.render(e)); });
    return out;
  }

  pool_status scale(std::uint32_t n) {
    pool_status out;
    self->request(pool, 10s, scale_atom::value, n)
        .receive([&](pool_status& s) { out = s; },
                 [&](caf::error& e) { BOOST_FAIL(sys.render(e)); });
    return out;
  }

  // Long-polls until nothing is pending and the last scale operation is done.
  pool_status settle() {
    auto deadline = std::chrono::steady_clock::now() + 120s;
    auto s = status();
    while (!(s.ready && s.last_scale.done &&
             s.queued + s.backoff + s.creating + s.deleting == 0)) {
      BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                            "pool did not settle");
      self->request(pool, 20s, status_atom::value, s.version)
          .receive([&](pool_status& x) { s = x; },
                   [&](caf::error& e) { BOOST_FAIL(sys.render(e)); });
    }
    return s;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(scale_up_creates_exactly_the_desired_runners, fixture) {
  start({});
  scale(100);
  auto s = settle();
  BOOST_CHECK_EQUAL(s.idle, 100u);
  BOOST_CHECK_EQUAL(s.last_scale.created, 100u);
  BOOST_CHECK_EQUAL(s.last_scale.to_create, 100u);
  auto c = sim->counts();
  BOOST_CHECK_EQUAL(c.objects, 100u);
  BOOST_CHECK_EQUAL(c.duplicates, 0u);
  BOOST_CHECK_EQUAL(c.creates_served, 100u);
}

BOOST_FIXTURE_TEST_CASE(reports_and_events_read_the_wall_clock_the_pool_is_given,
                        fixture) {
  // 2030-01-01T00:00:00Z: far from the machine's clock.
  now = [] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1893456000));
  };
  start({});
  scale(3);
  auto s = settle();
  BOOST_TEST(s.last_scale.started_ms == 1893456000000);
  BOOST_TEST(s.last_scale.finished_ms == 1893456000000);
  std::vector<pool_event> events;
  self->request(pool, 10s, events_atom::value)
      .receive([&](std::vector<pool_event>& e) { events = e; },
               [&](caf::error& e) { BOOST_FAIL(sys.render(e)); });
  BOOST_REQUIRE(!events.empty());
  for (auto& e : events) BOOST_TEST(e.time_ms == 1893456000000, e.kind);
}

BOOST_FIXTURE_TEST_CASE(scale_down_during_scale_up_cancels_and_deletes_surplus, fixture) {
  sim_options so;
  so.latency = 20ms;
  start(so, 5);
  scale(200);
  scale(30);
  auto s = settle();
  BOOST_CHECK_EQUAL(s.idle, 30u);
  BOOST_CHECK(s.cancelled > 0);
  auto c = sim->counts();
  BOOST_CHECK_EQUAL(c.objects, 30u);
  BOOST_CHECK_EQUAL(c.duplicates, 0u);
}

BOOST_FIXTURE_TEST_CASE(quota_gives_an_exact_partial_report, fixture) {
  sim_options so;
  so.quota = 30;
  start(so);
  scale(50);
  auto s = settle();
  BOOST_CHECK_EQUAL(s.last_scale.created, 30u);
  BOOST_CHECK_EQUAL(s.last_scale.failed, 20u);
  BOOST_CHECK_EQUAL(s.last_scale.failures.size(), 20u);
  BOOST_CHECK(s.last_scale.failures.front().find("quota_exceeded") != std::string::npos);
  BOOST_CHECK_EQUAL(s.idle, 30u);
  BOOST_CHECK_EQUAL(sim->counts().objects, 30u);
  // Failed runners hold no capacity: pending is zero, not 20.
  BOOST_CHECK_EQUAL(s.queued + s.backoff + s.creating, 0u);
}

BOOST_FIXTURE_TEST_CASE(server_errors_are_retried_to_an_exact_count, fixture) {
  sim_options so;
  so.error_rate = 0.2;
  so.latency = 5ms;
  start(so);
  scale(200);
  auto s = settle();
  BOOST_CHECK_EQUAL(s.idle, 200u);
  BOOST_CHECK(s.retries > 0);
  auto c = sim->counts();
  BOOST_CHECK_EQUAL(c.objects, 200u);
  BOOST_CHECK_EQUAL(c.duplicates, 0u);
  BOOST_CHECK(c.server_errors > 0);
}

BOOST_FIXTURE_TEST_CASE(throttling_is_absorbed_and_every_runner_is_created, fixture) {
  sim_options so;
  so.rate = 200;
  so.burst = 20;
  so.latency = 5ms;
  start(so, 50);
  scale(300);
  auto s = settle();
  BOOST_CHECK_EQUAL(s.idle, 300u);
  auto c = sim->counts();
  BOOST_CHECK_EQUAL(c.objects, 300u);
  BOOST_CHECK_EQUAL(c.duplicates, 0u);
  BOOST_TEST_MESSAGE("429s: " << c.throttled << ", retries: " << s.retries);
}

BOOST_FIXTURE_TEST_CASE(finished_runners_are_replaced, fixture) {
  start({});
  scale(10);
  settle();
  sim->finish("p-3-0");
  sim->finish("p-7-0");
  auto deadline = std::chrono::steady_clock::now() + 30s;
  pool_status s;
  do {
    s = status();
  } while ((s.finished < 2 || s.idle < 10) &&
           std::chrono::steady_clock::now() < deadline);
  BOOST_CHECK_EQUAL(s.finished, 2u);
  BOOST_CHECK_EQUAL(s.idle, 10u);
  BOOST_CHECK_EQUAL(sim->counts().objects, 10u);
}

BOOST_FIXTURE_TEST_CASE(out_of_range_scale_is_refused, fixture) {
  start({}, 10, 5);
  self->request(pool, 10s, scale_atom::value, std::uint32_t{6})
      .receive([&](pool_status&) { BOOST_FAIL("accepted"); },
               [&](caf::error& e) {
                 BOOST_CHECK(sys.render(e).find("outside") != std::string::npos);
               });
}

BOOST_FIXTURE_TEST_CASE(sequential_mode_has_one_call_in_flight, fixture) {
  sim_options so;
  so.latency = 2ms;
  start(so, 10, 1000, false);
  // Restart as sequential.
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  sim = std::make_shared<sim_provider>(so);
  pool_context ctx;
  ctx.config.name = "seq";
  ctx.config.max = 100;
  ctx.config.provider = "sim";
  ctx.config.sequential = true;
  ctx.provider = sim;
  ctx.owner = "test";
  pool = spawn_pool(sys, ctx);
  auto s = scale(20);
  BOOST_CHECK_EQUAL(s.concurrency, 1u);
  BOOST_CHECK_LE(s.in_flight, 1u);
  s = settle();
  BOOST_CHECK_EQUAL(s.idle, 20u);
  BOOST_CHECK_EQUAL(s.mode, "sequential");
}

BOOST_FIXTURE_TEST_CASE(breaker_opens_on_a_failing_api_and_failures_are_reported,
                        fixture) {
  sim_options so;
  so.error_rate = 1.0;  // every call is a 500
  so.latency = 1ms;
  settings.max_attempts = 4;
  settings.breaker_threshold = 3;
  settings.breaker_cooldown = 50ms;
  start(so, 5);
  scale(5);
  auto s = settle();
  BOOST_CHECK_EQUAL(s.last_scale.created, 0u);
  BOOST_CHECK_EQUAL(s.last_scale.failed, 5u);
  BOOST_CHECK(s.last_scale.failures.front().find("gave up after 4 attempts") !=
              std::string::npos);
  BOOST_CHECK_EQUAL(s.idle, 0u);
  std::vector<pool_event> events;
  self->request(pool, 10s, events_atom::value)
      .receive([&](std::vector<pool_event>& ev) { events = ev; }, [&](caf::error&) {});
  auto opened = std::count_if(events.begin(), events.end(), [](const pool_event& e) {
    return e.kind == "breaker_opened";
  });
  BOOST_CHECK_GE(opened, 1);
  BOOST_CHECK_EQUAL(sim->counts().objects, 0u);
}
