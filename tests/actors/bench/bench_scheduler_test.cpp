// The scheduler actor on CAF's deterministic test scheduler, where the order
// of events matters: a window closes exactly when its delayed_send fires (no
// polling, nothing before it), the submitter is answered only once the
// store has the commits, and a platform that asked while idle gets the run
// the moment it exists (pull). A fake history actor provides the restore.
#define BOOST_TEST_MODULE bench_scheduler_test
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/scheduler_actor.hpp"
#include "messages/bench.hpp"
#include "runtime/services/store/store.hpp"
#include "tests/support/deterministic.hpp"
#include "tests/support/store_callbacks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::bench;
using namespace std::chrono_literals;

namespace troupe {
// For Boost.Test's messages.
std::ostream& operator<<(std::ostream& os, bench_run_reason x) {
  return os << to_string(x);
}
std::ostream& operator<<(std::ostream& os, bench_platform_phase x) {
  return os << to_string(x);
}
}  // namespace troupe

namespace {

struct fixture : testing::deterministic {
  testing::temp_dir dir{"bench-scheduler"};
  testing::store_callbacks callbacks;  // the store answers on this thread
  std::unique_ptr<store> db;
  time_point now = time_point(std::chrono::hours(24 * 20000));
  caf::actor history;  // the actor directory holds weak references: keep it alive
  bench_scheduler_actor scheduler;

  fixture() {
    store_options so;
    so.path = dir.file("troupe.db");
    callbacks.attach(so);
    auto opened = store::open(so, bench_migrations());
    db = std::move(opened.value());
    history = sys().spawn([]() -> caf::behavior {
      return {[](bench_load_atom) { return bench_snapshot{}; }};
    });
    // A stand-in that answers the restore, all the scheduler asks of history.
    actor_directory::of(sys()).put(history_key,
                                   caf::actor_cast<bench_history_actor>(history));
    bench_context ctx;
    ctx.settings.window = 15min;
    platform_config p;
    p.name = "linux";
    ctx.platforms = {p};
    ctx.db = db.get();
    ctx.now = [this] { return now; };
    scheduler = spawn_scheduler(sys(), ctx);
    settle();
  }

  ~fixture() {
    caf::anon_send_exit(scheduler, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(history, caf::exit_reason::user_shutdown);
  }

  // Moves both clocks: the test scheduler's and the wall clock of the windows.
  void advance(caf::timespan d) {
    now += std::chrono::duration_cast<time_point::duration>(d);
    advance_time(d);
  }

  void settle() { callbacks.settle(*this, *db); }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_window_closes_at_its_deadline_and_an_idle_platform_gets_the_run,
                        fixture) {
  auto job = std::make_shared<std::optional<bench_job>>();
  sys().spawn([=](caf::event_based_actor* self) {
    self->request(scheduler, caf::infinite, bench_next_atom::value, std::string("linux"),
                  std::string("box"))
        .then([=](bench_job& j) { *job = j; });
  });
  auto intake = std::make_shared<std::optional<bench_intake>>();
  sys().spawn([=](caf::event_based_actor* self) {
    std::vector<bench_commit> commits{{"aaaa0001", "", 0, "one", "main"},
                                      {"aaaa0002", "aaaa0001", 0, "two", "main"}};
    self->request(scheduler, caf::infinite, bench_submit_atom::value, commits)
        .then([=](bench_intake& in) { *intake = in; });
  });
  run();
  BOOST_CHECK(!intake->has_value());  // not yet durable: no answer
  settle();
  BOOST_REQUIRE(intake->has_value());
  BOOST_CHECK_EQUAL((*intake)->accepted, 2u);
  BOOST_CHECK((*intake)->runs.empty());  // waiting for the window
  auto pending =
      db->query_now({"SELECT COUNT(*) FROM bench_commits WHERE state = 'pending'", {}});
  BOOST_CHECK_EQUAL(std::get<std::int64_t>(pending->at(0).at(0)), 2);
  advance(15min - 1s);
  settle();
  BOOST_CHECK(!job->has_value());  // one second early: nothing
  advance(1s);
  settle();
  BOOST_REQUIRE(job->has_value());
  BOOST_CHECK_EQUAL((*job)->reason, bench_run_reason::push);
  BOOST_CHECK_EQUAL((*job)->sha, "aaaa0002");
  BOOST_CHECK((*job)->commit_range == (std::vector<std::string>{"aaaa0001", "aaaa0002"}));
  auto state = db->query_now({"SELECT state FROM bench_runs WHERE id = 1", {}});
  BOOST_CHECK_EQUAL(std::get<std::string>(state->at(0).at(0)), "running");
}

BOOST_FIXTURE_TEST_CASE(a_tagged_commit_runs_at_once_and_status_counts_true_coverage,
                        fixture) {
  auto intake = std::make_shared<std::optional<bench_intake>>();
  sys().spawn([=](caf::event_based_actor* self) {
    std::vector<bench_commit> commits{{"bbbb0001", "", 0, "x", "main"},
                                      {"bbbb0002", "", 0, "y [bench]", "main"},
                                      {"bbbb0003", "", 0, "z", "main"}};
    self->request(scheduler, caf::infinite, bench_submit_atom::value, commits)
        .then([=](bench_intake& in) { *intake = in; });
  });
  settle();
  BOOST_REQUIRE(intake->has_value());
  BOOST_CHECK((*intake)->runs == std::vector<std::uint64_t>{1});
  auto s = request<bench_status>(scheduler, status_atom::value);
  BOOST_REQUIRE(s);
  BOOST_CHECK_EQUAL(s->queue_depth, 1u);
  BOOST_CHECK_EQUAL(s->seen, 3u);
  BOOST_CHECK_EQUAL(s->covered, 2u);
  BOOST_CHECK_EQUAL(s->benchmarked, 1u);
  BOOST_CHECK_EQUAL(s->pending, 1u);
  BOOST_REQUIRE_EQUAL(s->platforms.size(), 1u);
  BOOST_CHECK_EQUAL(s->platforms[0].state, bench_platform_phase::down);  // it never asked
}

// A worker delivers the artifact it kept while the coordinator was away as
// soon as it rejoins, which may be before the scheduler has restored: the
// collector's receipt still means the platform is done with that run.
BOOST_FIXTURE_TEST_CASE(a_receipt_before_the_restore_is_not_forgotten,
                        testing::deterministic) {
  testing::temp_dir dir{"bench-scheduler-early"};
  testing::store_callbacks callbacks;
  store_options so;
  so.path = dir.file("troupe.db");
  callbacks.attach(so);
  auto db = std::move(store::open(so, bench_migrations()).value());
  auto settle = [&] { callbacks.settle(*this, *db); };
  // The history stand-in answers the restore with the snapshot the test
  // sends it, when it sends it.
  auto load =
      std::make_shared<std::optional<caf::typed_response_promise<bench_snapshot>>>();
  auto history = sys().spawn([load](caf::event_based_actor* self) -> caf::behavior {
    return {
        [=](bench_load_atom) -> caf::result<bench_snapshot> {
          *load = self->make_response_promise<bench_snapshot>();
          return **load;
        },
        [=](bench_snapshot& snap) { (*load)->deliver(std::move(snap)); },
    };
  });
  actor_directory::of(sys()).put(history_key,
                                 caf::actor_cast<bench_history_actor>(history));
  bench_context ctx;
  platform_config p;
  p.name = "linux";
  ctx.platforms = {p};
  ctx.db = db.get();
  auto scheduler = spawn_scheduler(sys(), ctx);
  settle();
  BOOST_REQUIRE(load->has_value());
  // The collector (an actor of this node) has linux's artifact of run 1.
  sys().spawn([scheduler](caf::event_based_actor* self) {
    self->send(scheduler, bench_received_atom::value, std::uint64_t{1},
               std::string("linux"));
  });
  settle();
  // Then the store's state arrives: run 1 dispatched, no artifact yet.
  bench_snapshot snap;
  snap.commits = {{"aaaa0001", "", 0, "", "main"}};
  bench_job job;
  job.run_id = 1;
  job.branch = "main";
  job.sha = "aaaa0001";
  job.reason = bench_run_reason::tagged;
  job.commit_range = {"aaaa0001"};
  snap.runs = {{job, bench_run_state::running, 0}};
  snap.next_id = 2;
  caf::anon_send(history, std::move(snap));
  settle();
  auto s = request<bench_status>(scheduler, status_atom::value);
  BOOST_REQUIRE(s && s->ready);
  BOOST_CHECK(s->active_runs == std::vector<std::uint64_t>{1});
  auto pulled = std::make_shared<std::optional<bench_job>>();
  sys().spawn([=](caf::event_based_actor* self) {
    self->request(scheduler, caf::infinite, bench_next_atom::value, std::string("linux"),
                  std::string("box"))
        .then([=](bench_job& j) { *pulled = j; });
  });
  settle();
  BOOST_CHECK_MESSAGE(!pulled->has_value(), "run 1 was handed to linux again");
  caf::anon_send_exit(scheduler, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(history, caf::exit_reason::user_shutdown);
  settle();
}
