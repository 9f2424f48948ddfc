// pool_model: exact accounting of a pool's runners through scale-ups,
// scale-downs during scale-ups, failures, retries, exits and adoption.
#define BOOST_TEST_MODULE pool_model_test
#include "actors/fleet/pool_model.hpp"

#include <boost/test/unit_test.hpp>
#include <iterator>
#include <random>
#include <set>

using namespace troupe::fleet;

namespace {

// The model's counts, recounted from its runners.
struct recount {
  std::uint32_t by_state[6] = {};
  std::uint32_t demand = 0;
  explicit recount(const pool_model& m) {
    for (auto& [name, r] : m.runners()) {
      ++by_state[static_cast<int>(r.state)];
      if (r.state != runner_state::deleting && !r.unwanted) ++demand;
    }
  }
};

void check_counts(const pool_model& m) {
  recount want(m);
  auto c = m.counts();
  std::uint32_t have[] = {c.queued, c.backoff, c.creating, c.idle, c.busy, c.deleting};
  for (int i = 0; i < 6; ++i)
    BOOST_REQUIRE_MESSAGE(have[i] == want.by_state[i],
                          to_string(static_cast<runner_state>(i))
                              << ": counted " << have[i] << ", there are "
                              << want.by_state[i]);
  BOOST_REQUIRE_EQUAL(m.actual(), want.demand);
}

// Takes every available job; returns them.
std::vector<pool_job> drain(pool_model& m) {
  std::vector<pool_job> jobs;
  while (auto j = m.next_job()) jobs.push_back(*j);
  return jobs;
}

}  // namespace

BOOST_AUTO_TEST_CASE(scale_up_queues_one_create_per_missing_runner_with_stable_names) {
  pool_model m("linux");
  m.set_desired(3);
  auto jobs = drain(m);
  BOOST_REQUIRE_EQUAL(jobs.size(), 3u);
  BOOST_CHECK_EQUAL(jobs[0].name, "linux-0-0");
  BOOST_CHECK_EQUAL(jobs[2].name, "linux-2-0");
  BOOST_CHECK(jobs[0].kind == job_kind::create);
  BOOST_CHECK_EQUAL(m.counts().creating, 3u);
  for (auto& j : jobs) m.on_created(j.name);
  BOOST_CHECK_EQUAL(m.counts().idle, 3u);
  BOOST_CHECK_EQUAL(m.counts().created, 3u);
  m.set_desired(3);  // idempotent
  BOOST_CHECK(!m.has_job());
}

BOOST_AUTO_TEST_CASE(scale_down_cancels_queued_then_deletes_idle_never_busy) {
  pool_model m("p");
  m.set_desired(4);
  auto first = *m.next_job();
  auto second = *m.next_job();
  m.on_created(first.name);
  m.on_created(second.name);
  m.on_job_started(first.name);  // busy
  // 2 running (1 busy, 1 idle) + 2 queued. Down to 1: cancel both queued,
  // delete the idle one, keep the busy one.
  m.set_desired(1);
  auto c = m.counts();
  BOOST_CHECK_EQUAL(c.queued, 0u);
  BOOST_CHECK_EQUAL(c.cancelled, 2u);
  BOOST_CHECK_EQUAL(c.busy, 1u);
  BOOST_CHECK_EQUAL(c.deleting, 1u);
  auto del = *m.next_job();
  BOOST_CHECK(del.kind == job_kind::remove);
  BOOST_CHECK_EQUAL(del.name, second.name);
  m.on_deleted(del.name);
  BOOST_CHECK_EQUAL(m.actual(), 1u);
  // Down to 0: the busy runner stays until it finishes, then is not replaced.
  m.set_desired(0);
  BOOST_CHECK(!m.has_job());
  BOOST_CHECK_EQUAL(m.counts().busy, 1u);
  m.on_finished(first.name);
  BOOST_CHECK_EQUAL(m.actual(), 0u);
  BOOST_CHECK(!m.has_job());
}

BOOST_AUTO_TEST_CASE(scale_down_during_creation_deletes_once_created) {
  pool_model m("p");
  m.set_desired(2);
  auto a = *m.next_job();
  auto b = *m.next_job();
  m.set_desired(0);  // both in flight: marked unwanted
  BOOST_CHECK_EQUAL(m.actual(), 0u);
  BOOST_CHECK(!m.has_job());
  m.on_created(a.name);  // created after all: delete it
  auto del = *m.next_job();
  BOOST_CHECK(del.kind == job_kind::remove);
  BOOST_CHECK_EQUAL(del.name, a.name);
  m.on_create_retry(b.name, "server_error", false);  // failed cleanly: just dropped
  BOOST_CHECK(m.find(b.name) == nullptr);
  m.on_deleted(a.name);
  BOOST_CHECK(m.runners().empty());
}

BOOST_AUTO_TEST_CASE(retry_goes_through_backoff_and_is_requeued_first) {
  pool_model m("p");
  m.set_desired(2);
  auto a = *m.next_job();
  m.on_create_retry(a.name, "throttled", false);
  BOOST_CHECK_EQUAL(m.counts().backoff, 1u);
  BOOST_CHECK_EQUAL(m.actual(), 2u);  // still holds demand
  m.on_retry_due(a.name);
  auto again = *m.next_job();
  BOOST_CHECK_EQUAL(again.name, a.name);  // same name: a duplicate is impossible
  BOOST_CHECK_EQUAL(again.attempt, 2u);
}

BOOST_AUTO_TEST_CASE(permanent_failure_frees_capacity_and_is_counted) {
  pool_model m("p");
  m.set_desired(1);
  auto a = *m.next_job();
  m.on_create_failed(a.name, "quota_exceeded");
  BOOST_CHECK_EQUAL(m.counts().failed, 1u);
  BOOST_CHECK_EQUAL(m.actual(), 0u);  // failed runners do not eat capacity
  m.reconcile();
  auto b = *m.next_job();
  BOOST_CHECK_EQUAL(b.name, "p-0-1");  // same slot, next generation
}

BOOST_AUTO_TEST_CASE(uncertain_create_is_deleted_when_no_longer_wanted) {
  pool_model m("p");
  m.set_desired(1);
  auto a = *m.next_job();
  m.on_create_retry(a.name, "timeout", true);  // may exist on the server
  m.set_desired(0);
  auto del = *m.next_job();
  BOOST_CHECK(del.kind == job_kind::remove);
  BOOST_CHECK_EQUAL(del.name, a.name);
}

BOOST_AUTO_TEST_CASE(finished_runner_is_replaced_in_its_slot_with_a_new_generation) {
  pool_model m("p");
  m.set_desired(2);
  for (auto& j : drain(m)) m.on_created(j.name);
  m.on_finished("p-0-0");
  auto j = *m.next_job();
  BOOST_CHECK_EQUAL(j.name, "p-0-1");
  BOOST_CHECK_EQUAL(m.counts().finished, 1u);
}

BOOST_AUTO_TEST_CASE(adoption_after_restart_converges_without_duplicates) {
  pool_model m("p");
  m.adopt("p-0-4", 0, 4, false);
  m.adopt("p-1-0", 1, 0, true);
  m.adopt("p-7-2", 7, 2, false);
  m.adopt_uncertain("p-2-3", 2, 3);
  // Want 2: the uncertain one (queued) is cancelled by deletion, then one idle
  // adopted runner is deleted; the busy one stays.
  m.set_desired(2);
  auto jobs = drain(m);
  BOOST_REQUIRE_EQUAL(jobs.size(), 2u);
  for (auto& j : jobs) BOOST_CHECK(j.kind == job_kind::remove);
  BOOST_CHECK_EQUAL(jobs[0].name, "p-2-3");
  BOOST_CHECK_EQUAL(jobs[1].name, "p-7-2");
  for (auto& j : jobs) m.on_deleted(j.name);
  BOOST_CHECK_EQUAL(m.actual(), 2u);
  m.set_desired(3);
  auto more = *m.next_job();
  BOOST_CHECK_EQUAL(more.name,
                    "p-2-4");  // slot 2 reused, generation past the uncertain one
}

BOOST_AUTO_TEST_CASE(random_operations_keep_exact_accounting) {
  pool_model m("p");
  std::mt19937 rng(7);
  std::vector<pool_job> in_flight;
  for (int step = 0; step < 20000; ++step) {
    switch (rng() % 6) {
      case 0:
        m.set_desired(rng() % 40);
        break;
      case 1:
        if (auto j = m.next_job()) in_flight.push_back(*j);
        break;
      case 2: {
        // A runner event: an idle runner starts its job, or one finishes.
        auto& rs = m.runners();
        if (rs.empty()) break;
        auto it = std::next(rs.begin(), static_cast<long>(rng() % rs.size()));
        auto name = it->first;
        rng() % 2 == 0 ? m.on_job_started(name) : m.on_finished(name, rng() % 3 == 0);
        break;
      }
      default:
        if (!in_flight.empty()) {
          auto k = rng() % in_flight.size();
          auto j = in_flight[k];
          in_flight.erase(in_flight.begin() + k);
          auto roll = rng() % 10;
          if (j.kind == job_kind::remove) {
            roll < 8 ? m.on_deleted(j.name) : m.on_delete_retry(j.name, "x");
          } else if (roll < 6) {
            m.on_created(j.name);
          } else if (roll < 8) {
            m.on_create_retry(j.name, "x", roll == 7);
            m.on_retry_due(j.name);
          } else {
            m.on_create_failed(j.name, "x");
          }
        }
    }
    // Invariants: names unique per slot among live runners; demand never
    // exceeds what was asked unless busy runners hold it.
    std::set<std::uint32_t> slots;
    std::uint32_t busy = 0;
    for (auto& [name, r] : m.runners()) {
      if (r.state == runner_state::busy) ++busy;
      BOOST_REQUIRE_MESSAGE(slots.insert(r.slot).second,
                            "slot " << r.slot << " held twice");
    }
    BOOST_REQUIRE(m.actual() <= std::max(m.desired(), busy));
    check_counts(m);
  }
  // Settle: answer everything, then the pool holds exactly the desired count.
  m.set_desired(13);
  for (int round = 0; round < 100; ++round) {
    for (auto& j : in_flight)
      j.kind == job_kind::remove ? m.on_deleted(j.name) : m.on_created(j.name);
    in_flight.clear();
    while (auto j = m.next_job()) in_flight.push_back(*j);
    if (in_flight.empty()) break;
  }
  BOOST_CHECK_EQUAL(m.counts().running(), 13u);
  BOOST_CHECK_EQUAL(m.runners().size(), 13u);
  check_counts(m);
}

// Runner entries the model looks at per runner in a pool's life at size n:
// a scale-up from 0, every create answered, every runner taking a job and
// finishing (each refilled: a second generation), a scale-down to 0 with
// every delete answered, and a scale-up whose half is cancelled while queued.
double visits_per_runner(std::uint32_t n) {
  pool_model m("p");
  auto answer = [&m] {
    while (auto j = m.next_job())
      j->kind == job_kind::remove ? m.on_deleted(j->name) : m.on_created(j->name);
  };
  m.set_desired(n);
  answer();
  std::vector<std::string> names;
  for (auto& [name, r] : m.runners()) names.push_back(name);
  for (auto& name : names) {
    m.on_job_started(name);
    m.on_finished(name);
  }
  answer();
  m.set_desired(0);
  answer();
  m.set_desired(n);
  m.set_desired(n / 2);
  answer();
  BOOST_REQUIRE_EQUAL(m.counts().idle, n / 2);
  check_counts(m);
  return static_cast<double>(m.visits()) / n;
}

// What makes a scale-up O(n) instead of O(n^2) (issue: CPU per runner grew
// with the pool): no event scans the pool. The model counts every runner
// entry it looks at; per runner, a pool of 16,000 looks at as many as a pool
// of 1,000.
BOOST_AUTO_TEST_CASE(the_work_per_runner_does_not_grow_with_the_pool) {
  auto small = visits_per_runner(1000);
  auto large = visits_per_runner(16000);
  BOOST_TEST_MESSAGE("entries looked at per runner: " << small << " at 1,000, " << large
                                                      << " at 16,000");
  BOOST_CHECK_LE(large, small * 1.01);
  BOOST_CHECK_LE(small, 12.0);  // a handful of lookups per runner and event
}

// Adoption at start (a restart finds n runners at the provider and n rows in
// the store, some of them uncertain creations) is linear too.
double adoption_visits_per_runner(std::uint32_t n) {
  pool_model m("p");
  for (std::uint32_t i = 0; i < n; ++i) {
    auto name = "p-" + std::to_string(i) + "-0";
    i % 10 == 0 ? m.adopt_uncertain(name, i, 0) : m.adopt(name, i, 0, i % 2 == 0);
  }
  m.set_desired(n);
  while (auto j = m.next_job()) m.on_created(j->name);
  BOOST_REQUIRE_EQUAL(m.counts().running(), n);
  check_counts(m);
  return static_cast<double>(m.visits()) / n;
}

BOOST_AUTO_TEST_CASE(adopting_a_large_pool_is_linear) {
  auto small = adoption_visits_per_runner(1000);
  auto large = adoption_visits_per_runner(20000);
  BOOST_TEST_MESSAGE("entries looked at per adopted runner: " << small << " at 1,000, "
                                                              << large << " at 20,000");
  BOOST_CHECK_LE(large, small * 1.01);
}
