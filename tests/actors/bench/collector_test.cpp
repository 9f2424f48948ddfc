// The bench collector alone, on CAF's deterministic test scheduler and a
// real store (its callbacks run on the test thread), with stand-ins for the
// scheduler and the history actor that log what they are told. What it
// covers, as collector_actor.hpp promises: a platform's artifact is answered
// true only once its row is durable, and the scheduler hears of it first; a
// duplicate changes nothing; a run is appended once, as soon as every
// platform reported (its results, a 'failed' gap for a platform without
// results, an 'invalid' gap naming why a document was unusable), or at the
// collector-deadline with a 'deadline' gap for each platform missing; after
// an append the scheduler and the history actor are told; a late artifact is
// kept, not appended; messages before the restore are held until it is done;
// a restart resumes a running run with its stored artifacts and a new
// deadline, and appends one whose artifacts were all stored; a write the
// store refuses is the platform's error, and a failed append stops the
// collector; a platform that is not configured is refused. Artifacts from
// other nodes (placement) are covered by the cluster integration tests.
#define BOOST_TEST_MODULE collector_test
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "actors/bench/artifact.hpp"
#include "actors/bench/bench_store.hpp"
#include "actors/bench/collector_actor.hpp"
#include "actors/bench/history_read.hpp"
#include "actors/bench/results.hpp"
#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "runtime/services/store/store.hpp"
#include "tests/support/deterministic.hpp"
#include "tests/support/store_callbacks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::bench;
using namespace std::chrono_literals;

namespace {

constexpr auto deadline = std::chrono::hours(1);

// A platform's artifact document for `run`: two benchmarks, or none and a
// failed build.
std::string document(std::uint64_t run, const std::string& platform,
                     bool failed = false) {
  artifact a;
  a.run_id = run;
  a.platform = platform;
  a.branch = "main";
  a.commit = "c" + std::to_string(run);
  a.reason = "push";
  a.commit_range = {a.commit};
  a.host = {"box", "Linux 6.1 x86_64", "cpu", 2};
  a.started_ms = 1'700'000'000'000;
  a.finished_ms = a.started_ms + 900;
  if (failed) {
    a.failures.push_back({"build", 0, "exit", 2, "make: *** [all] Error 2"});
    return to_json(a).dump();
  }
  for (auto name : {"parse", "render"}) {
    artifact_result r;
    r.suite = "micro";
    r.result.name = name;
    r.result.unit = "ns";
    r.result.samples = {100, 101, 102};
    compute_statistics(r.result);
    a.results.push_back(std::move(r));
  }
  return to_json(a).dump();
}

// A platform's answer, once it came.
struct answer {
  bool given = false;
  bool value = false;
  caf::error err;
};

struct fixture : testing::deterministic {
  testing::temp_dir dir{"bench-collector"};
  testing::store_callbacks callbacks;  // the store answers on this thread
  std::unique_ptr<store> db;
  // What the stand-ins were told and what the platforms were answered, in
  // the order it happened ("received 1 linux", "appended 1", "analyze 1",
  // "export", "answer linux"); one thread runs everything.
  std::shared_ptr<std::vector<std::string>> log =
      std::make_shared<std::vector<std::string>>();
  // The restore the collector asked the history stand-in for: answered by
  // the test (restore()), so that it can send messages before it.
  using load_promise = caf::typed_response_promise<bench_snapshot>;
  std::shared_ptr<std::optional<load_promise>> load =
      std::make_shared<std::optional<load_promise>>();
  caf::actor history, scheduler;  // the directory holds weak references
  bench_collector_actor collector;

  fixture() {
    open_store();
    auto log = this->log;
    auto load = this->load;
    history = sys().spawn([log, load](caf::event_based_actor* self) -> caf::behavior {
      return {
          [=](bench_load_atom) -> caf::result<bench_snapshot> {
            *load = self->make_response_promise<bench_snapshot>();
            return **load;
          },
          [=](bench_analyze_atom, std::uint64_t run) {
            log->push_back("analyze " + std::to_string(run));
            return std::vector<bench_regression>{};
          },
          [=](bench_export_atom) { log->push_back("export"); },
          // From the test: the answer to the restore (a promise is kept
          // by its actor, so the actor delivers it).
          [=](bench_snapshot& snap) { (*load)->deliver(std::move(snap)); },
      };
    });
    scheduler = sys().spawn([log]() -> caf::behavior {
      return {
          [=](bench_received_atom, std::uint64_t run, const std::string& platform) {
            log->push_back("received " + std::to_string(run) + " " + platform);
          },
          [=](bench_appended_atom, std::uint64_t run) {
            log->push_back("appended " + std::to_string(run));
          },
      };
    });
    // Stand-ins answer what the collector asks of them (a cast: they lack
    // the rest of their protocols).
    actor_directory::of(sys()).put(history_key,
                                   caf::actor_cast<bench_history_actor>(history));
    actor_directory::of(sys()).put(scheduler_key,
                                   caf::actor_cast<bench_scheduler_actor>(scheduler));
    start();
  }

  ~fixture() {
    for (auto& a : {caf::actor_cast<caf::actor>(collector), history, scheduler})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    run();
  }

  void open_store() {
    store_options so;
    so.path = dir.file("troupe.db");
    callbacks.attach(so);
    db = std::move(store::open(so, bench_migrations()).value());
  }

  // A collector for platforms linux and mac; it asks for its restore.
  void start() {
    bench_context ctx;
    ctx.settings.collector_deadline = deadline;
    platform_config linux_platform, mac_platform;
    linux_platform.name = "linux";
    mac_platform.name = "mac";
    ctx.platforms = {linux_platform, mac_platform};
    ctx.history_dir = dir.path();
    ctx.db = db.get();
    ctx.now = [] { return time_point(std::chrono::hours(24 * 20000)); };
    load->reset();
    collector = spawn_collector(sys(), ctx);
    run();
    BOOST_REQUIRE(load->has_value());
  }

  void restore(bench_snapshot snap = {}) {
    caf::anon_send(history, std::move(snap));
    settle();
  }

  void settle() { callbacks.settle(*this, *db); }

  // Run `run` as the scheduler leaves it when it dispatches: its row
  // 'running' in the store.
  void store_running(std::uint64_t run) {
    db->write({"INSERT INTO bench_runs(id, branch, sha, reason, commit_range, "
               "skipped_before, created_ms, queue_depth, state, dispatched_ms) VALUES "
               "(?, 'main', ?, 'push', '[]', '[]', 0, 0, 'running', 0)",
               {std::int64_t(run), "c" + std::to_string(run)}},
              durability::durable);
    db->flush();
  }

  // The scheduler dispatched run `id` to linux and mac: its deadline starts.
  void dispatch(std::uint64_t id) {
    store_running(id);
    bench_job job;
    job.run_id = id;
    job.branch = "main";
    job.sha = "c" + std::to_string(id);
    auto to = collector;
    sys().spawn([to, job](caf::event_based_actor* self) {
      self->send(to, bench_dispatched_atom::value, job,
                 std::vector<std::string>{"linux", "mac"});
    });
    run();
  }

  // `platform` (an actor of this node) sends its artifact of `run`; the
  // answer is filled in when it comes (the test runs the actors).
  std::shared_ptr<answer> report(std::uint64_t run, const std::string& platform,
                                 std::string doc) {
    auto out = std::make_shared<answer>();
    auto log = this->log;
    auto to = collector;
    sys().spawn([=](caf::event_based_actor* self) {
      self->request(to, caf::infinite, bench_artifact{run, platform, doc})
          .then(
              [=](bool ok) {
                log->push_back("answer " + platform);
                out->given = true;
                out->value = ok;
              },
              [=](caf::error& e) {
                log->push_back("answer " + platform);
                out->given = true;
                out->err = e;
              });
    });
    return out;
  }

  std::shared_ptr<answer> report(std::uint64_t run, const std::string& platform) {
    return report(run, platform, document(run, platform));
  }

  std::int64_t count(const std::string& sql) {
    auto rows = db->query_now({sql, {}});
    BOOST_REQUIRE_MESSAGE(rows, rows.error().message());
    return std::get<std::int64_t>(rows->at(0).at(0));
  }

  std::string text(const std::string& sql) {
    auto rows = db->query_now({sql, {}});
    BOOST_REQUIRE_MESSAGE(rows, rows.error().message());
    if (rows->empty()) return "";
    return std::get<std::string>(rows->at(0).at(0));
  }

  std::string run_state(std::uint64_t run) {
    return text("SELECT state FROM bench_runs WHERE id = " + std::to_string(run));
  }

  std::int64_t results_of(std::uint64_t run, const std::string& platform) {
    return count("SELECT COUNT(*) FROM bench_results WHERE run_id = " +
                 std::to_string(run) + " AND platform = '" + platform + "'");
  }

  // The gap of `platform` in `run` as "reason: detail", or "".
  std::string gap_of(std::uint64_t run, const std::string& platform) {
    return text("SELECT reason || ': ' || detail FROM bench_gaps WHERE run_id = " +
                std::to_string(run) + " AND platform = '" + platform + "'");
  }

  std::size_t logged(const std::string& entry) const {
    return std::size_t(std::count(log->begin(), log->end(), entry));
  }

  // Position of the first `entry` in the log (log->size() when absent).
  std::size_t position(const std::string& entry) const {
    return std::size_t(std::find(log->begin(), log->end(), entry) - log->begin());
  }
};

bench_artifact stored(std::uint64_t run, const std::string& platform) {
  return {run, platform, document(run, platform)};
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(an_artifact_is_answered_once_durable_after_the_scheduler_heard,
                        fixture) {
  restore();
  dispatch(1);
  auto linux_answer = report(1, "linux");
  run();  // the collector wrote the row; the store did not answer yet
  BOOST_CHECK(!linux_answer->given);
  BOOST_CHECK_EQUAL(logged("received 1 linux"), 0u);
  settle();  // the store commits and calls back
  BOOST_REQUIRE(linux_answer->given);
  BOOST_CHECK(linux_answer->value);
  BOOST_CHECK_EQUAL(
      count("SELECT COUNT(*) FROM bench_artifacts WHERE run_id = 1 AND platform = "
            "'linux'"),
      1);
  // The scheduler learns first, so that it never hands linux the run again.
  BOOST_CHECK_EQUAL(logged("received 1 linux"), 1u);
  BOOST_CHECK_LT(position("received 1 linux"), position("answer linux"));
  // mac has not reported: nothing is appended.
  BOOST_CHECK_EQUAL(run_state(1), "running");
  BOOST_CHECK_EQUAL(logged("appended 1"), 0u);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_results"), 0);
}

BOOST_FIXTURE_TEST_CASE(a_run_is_appended_once_when_every_platform_reported, fixture) {
  restore();
  dispatch(1);
  auto first = report(1, "linux");
  settle();
  auto duplicate = report(1, "linux");  // sent again: changes nothing
  settle();
  BOOST_CHECK(first->value && duplicate->value);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_artifacts"), 1);
  BOOST_CHECK_EQUAL(logged("appended 1"), 0u);
  auto mac = report(1, "mac");
  settle();
  BOOST_CHECK(mac->value);
  // One write: both platforms' results, no gap, the run's state.
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(results_of(1, "linux"), 2);
  BOOST_CHECK_EQUAL(results_of(1, "mac"), 2);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_gaps"), 0);
  // Then the scheduler is told, and the history actor analyses and exports.
  BOOST_CHECK_EQUAL(logged("appended 1"), 1u);
  BOOST_CHECK_EQUAL(logged("analyze 1"), 1u);
  BOOST_CHECK_EQUAL(logged("export"), 1u);
  BOOST_CHECK_LT(position("answer mac"), position("appended 1"));
  // The run's deadline passes later: it is not appended again.
  advance_time(deadline);
  settle();
  BOOST_CHECK_EQUAL(logged("appended 1"), 1u);
}

BOOST_FIXTURE_TEST_CASE(the_deadline_appends_without_a_platform_that_did_not_report,
                        fixture) {
  restore();
  dispatch(1);
  report(1, "linux");
  settle();
  advance_time(deadline - 1s);
  settle();
  BOOST_CHECK_EQUAL(run_state(1), "running");  // one second early: nothing
  BOOST_CHECK_EQUAL(logged("appended 1"), 0u);
  advance_time(1s);
  settle();
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(logged("appended 1"), 1u);
  BOOST_CHECK_EQUAL(results_of(1, "linux"), 2);
  BOOST_CHECK_EQUAL(results_of(1, "mac"), 0);
  BOOST_CHECK_EQUAL(gap_of(1, "mac"), "deadline: no artifact within collector-deadline");
  BOOST_CHECK_EQUAL(gap_of(1, "linux"), "");
}

BOOST_FIXTURE_TEST_CASE(a_platform_without_results_is_a_failed_gap, fixture) {
  restore();
  dispatch(1);
  report(1, "linux");
  auto mac = report(1, "mac", document(1, "mac", true));
  settle();
  BOOST_CHECK(mac->value);
  // mac reported: the run does not wait for the deadline.
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(gap_of(1, "mac"), "failed: build: make: *** [all] Error 2");
  BOOST_CHECK_EQUAL(results_of(1, "linux"), 2);
}

BOOST_FIXTURE_TEST_CASE(an_unusable_document_is_an_invalid_gap_naming_why, fixture) {
  restore();
  dispatch(1);
  dispatch(2);
  report(1, "linux");
  auto garbage = report(1, "mac", "{\"schema_version\": 1, \"run_id\": \"one\"}");
  report(2, "linux");
  auto mismatch = report(2, "mac", document(1, "mac"));  // run 1's, sent as run 2's
  settle();
  // Durable all the same: the platform is done with the run.
  BOOST_CHECK(garbage->value && mismatch->value);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_artifacts WHERE platform = 'mac'"),
                    2);
  // An invalid artifact is no missing one: both runs are appended at once.
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(run_state(2), "appended");
  auto why = gap_of(1, "mac");
  BOOST_CHECK_MESSAGE(why.rfind("invalid: artifact of run 1 from mac", 0) == 0, why);
  BOOST_CHECK_MESSAGE(why.find("run_id") != std::string::npos, why);
  BOOST_CHECK_EQUAL(gap_of(2, "mac"),
                    "invalid: run or platform does not match its message");
  BOOST_CHECK_EQUAL(results_of(1, "mac") + results_of(2, "mac"), 0);
  BOOST_CHECK_EQUAL(results_of(2, "linux"), 2);
}

BOOST_FIXTURE_TEST_CASE(a_late_artifact_is_kept_and_not_appended_again, fixture) {
  restore();
  dispatch(1);
  report(1, "linux");
  settle();
  advance_time(deadline);
  settle();
  BOOST_REQUIRE_EQUAL(run_state(1), "appended");
  BOOST_REQUIRE_EQUAL(gap_of(1, "mac"),
                      "deadline: no artifact within collector-deadline");
  auto late = report(1, "mac");
  settle();
  BOOST_CHECK(late->value);
  BOOST_CHECK_EQUAL(
      count("SELECT COUNT(*) FROM bench_artifacts WHERE run_id = 1 AND platform = 'mac'"),
      1);
  advance_time(deadline);  // nor does it start collecting the run anew
  settle();
  BOOST_CHECK_EQUAL(results_of(1, "mac"), 0);
  BOOST_CHECK_EQUAL(gap_of(1, "mac"), "deadline: no artifact within collector-deadline");
  BOOST_CHECK_EQUAL(logged("appended 1"), 1u);
  BOOST_CHECK_EQUAL(logged("analyze 1"), 1u);
}

BOOST_FIXTURE_TEST_CASE(messages_before_the_restore_are_held_until_it_is_done, fixture) {
  dispatch(1);  // the store's row is written, but the collector has not restored
  auto linux_answer = report(1, "linux");
  auto mac = report(1, "mac");
  settle();
  BOOST_CHECK(!linux_answer->given && !mac->given);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_artifacts"), 0);
  restore();  // run 1 was not yet dispatched when the history read the store
  BOOST_CHECK(linux_answer->value && mac->value);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_artifacts"), 2);
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(logged("appended 1"), 1u);
}

BOOST_FIXTURE_TEST_CASE(a_held_dispatch_starts_the_deadline_after_the_restore, fixture) {
  dispatch(1);
  restore();
  report(1, "linux");
  settle();
  advance_time(deadline);
  settle();
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(gap_of(1, "mac"), "deadline: no artifact within collector-deadline");
}

BOOST_FIXTURE_TEST_CASE(a_restart_resumes_a_running_run_with_its_stored_artifacts,
                        fixture) {
  // The store as a collector left it: run 1 running, linux's artifact kept.
  store_running(1);
  bench_snapshot snap;
  bench_job job;
  job.run_id = 1;
  snap.runs = {{job, bench_run_state::running, 0}};
  snap.artifacts = {stored(1, "linux")};
  restore(snap);
  BOOST_CHECK_EQUAL(run_state(1), "running");  // mac still missing
  // The restore started the run's deadline anew.
  advance_time(deadline);
  settle();
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(results_of(1, "linux"), 2);
  BOOST_CHECK_EQUAL(gap_of(1, "mac"), "deadline: no artifact within collector-deadline");
}

BOOST_FIXTURE_TEST_CASE(a_restart_appends_a_run_whose_artifacts_were_all_stored,
                        fixture) {
  store_running(1);
  bench_snapshot snap;
  bench_job job;
  job.run_id = 1;
  snap.runs = {{job, bench_run_state::running, 0}};
  snap.artifacts = {stored(1, "linux"), stored(1, "mac")};
  restore(snap);
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(results_of(1, "linux") + results_of(1, "mac"), 4);
  BOOST_CHECK_EQUAL(logged("appended 1"), 1u);
}

BOOST_FIXTURE_TEST_CASE(an_artifact_the_store_refuses_is_answered_with_the_error,
                        fixture) {
  restore();
  dispatch(1);
  db->close();
  auto linux_answer = report(1, "linux");
  settle();
  BOOST_REQUIRE(linux_answer->given);
  BOOST_CHECK(!linux_answer->value);
  BOOST_CHECK_MESSAGE(is(linux_answer->err, errc::shutting_down),
                      sys().render(linux_answer->err));
  BOOST_CHECK_MESSAGE(
      error_context(linux_answer->err).rfind("artifact not saved: ", 0) == 0,
      error_context(linux_answer->err));
  // Not received: the scheduler may hand linux the run again.
  BOOST_CHECK_EQUAL(logged("received 1 linux"), 0u);
}

BOOST_FIXTURE_TEST_CASE(
    an_append_the_store_refuses_stops_the_collector_and_a_restart_appends, fixture) {
  restore();
  dispatch(1);
  report(1, "linux");
  settle();
  auto exit_reason = std::make_shared<std::optional<caf::error>>();
  auto watched = caf::actor_cast<caf::actor>(collector);
  // Held: an actor nobody references is terminated as unreachable.
  auto watcher = sys().spawn([=](caf::event_based_actor* self) -> caf::behavior {
    self->monitor(watched);
    self->set_down_handler([=](caf::down_msg& dm) {
      *exit_reason = dm.reason;
      self->quit();
    });
    return {[](int) {}};  // alive until the collector ends
  });
  auto mac = report(1, "mac");
  run();
  db->flush();  // mac's artifact is durable; its callback waits in `callbacks`
  db->close();  // so the append that follows it is refused
  settle();
  BOOST_CHECK(mac->value);
  BOOST_REQUIRE(exit_reason->has_value());
  BOOST_CHECK_MESSAGE(is(**exit_reason, errc::shutting_down),
                      sys().render(**exit_reason));
  BOOST_CHECK_EQUAL(logged("appended 1"), 0u);
  // The restarted collector finds both artifacts in the store and appends.
  open_store();
  BOOST_CHECK_EQUAL(run_state(1), "running");
  start();
  auto snap = load_snapshot(*db);
  BOOST_REQUIRE_MESSAGE(snap, snap.error().message());
  restore(std::move(*snap));
  BOOST_CHECK_EQUAL(run_state(1), "appended");
  BOOST_CHECK_EQUAL(results_of(1, "linux") + results_of(1, "mac"), 4);
  BOOST_CHECK_EQUAL(logged("appended 1"), 1u);
}

BOOST_FIXTURE_TEST_CASE(an_artifact_of_a_platform_not_configured_is_refused, fixture) {
  restore();
  dispatch(1);
  auto unknown = report(1, "windows", document(1, "windows"));
  settle();
  BOOST_REQUIRE(unknown->given);
  BOOST_CHECK_MESSAGE(is(unknown->err, errc::not_found), sys().render(unknown->err));
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_artifacts"), 0);
}
