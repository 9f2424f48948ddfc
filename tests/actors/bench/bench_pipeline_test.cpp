// The bench pipeline's actors on a real store and real processes, assembled
// as a node does (bench_subsystem from an INI file): platforms run the same
// run in parallel, timeouts and crashes become recorded failures, the
// collector appends without a platform that misses its deadline, duplicate
// and late artifacts change nothing, the history files hold exactly what the
// store holds, the intake bound refuses work, and a restart keeps pending
// commits, queued runs and dispatched runs.
#define BOOST_TEST_MODULE bench_pipeline_test
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <fstream>
#include <sys/stat.h>
#include <thread>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/bench_subsystem.hpp"
#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "runtime/json.hpp"
#include "runtime/metrics.hpp"
#include "runtime/process/process_service.hpp"
#include "runtime/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::bench;
using namespace std::chrono_literals;

namespace {

// A suite script: prints `lines` in the simple format, after `pre` (shell).
std::string script(testing::temp_dir& dir, const std::string& name, const std::string& body) {
  auto path = dir.file(name);
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), 0755);
  return path;
}

struct pipeline {
  testing::temp_dir dir{"bench-pipeline"};
  std::string ini;
  std::unique_ptr<store> db;
  metrics_registry metrics;
  process_service processes;
  std::unique_ptr<bench_subsystem> bench = std::make_unique<bench_subsystem>();
  node_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<node_services> services;
  caf::actor supervisor;

  // `platforms`: the [bench.platforms] body; `settings`: [bench] lines.
  void start(const std::string& settings, const std::string& platforms) {
    std::ofstream(dir.file("node.ini")) << "[node]\ndata-dir=\"" << dir.file("data") << "\"\n[bench]\n"
                                        << settings << "\n[bench.platforms]\n" << platforms;
    bench->declare(cfg);
    auto st = cfg.load({"--config-file=" + dir.file("node.ini")});
    BOOST_REQUIRE_MESSAGE(st, st.message());
    st = bench->check(cfg);
    BOOST_REQUIRE_MESSAGE(st, st.message());
    open_store();
    sys = std::make_unique<caf::actor_system>(cfg);
    services = std::make_unique<node_services>(node_services{sys.get(), db.get(), &metrics, &processes, nullptr, &cfg});
    supervisor = bench->start(*services);
    await([&] { return status().ready; });
  }

  void open_store() {
    store_options so;
    so.path = dir.file("troupe.db");
    auto opened = store::open(so, bench_migrations());
    BOOST_REQUIRE_MESSAGE(opened, opened.error().message());
    db = std::move(*opened);
  }

  // Stops bench and starts it again on the same store (a node restart).
  void restart() {
    caf::scoped_actor self{*sys};
    self->monitor(supervisor);
    self->send_exit(supervisor, caf::exit_reason::user_shutdown);
    self->receive([](caf::down_msg&) {});
    supervisor = bench->start(*services);
    await([&] { return status().ready; });
  }

  ~pipeline() {
    if (sys) {
      caf::anon_send_exit(supervisor, caf::exit_reason::user_shutdown);
      processes.shutdown(1000ms);
    }
  }

  template <class T, class... Ts>
  caf::expected<T> ask(const std::string& role, Ts&&... xs) {
    caf::scoped_actor self{*sys};
    caf::expected<T> out{caf::error{}};
    self->request(bench->directory().get(role), 30s, std::forward<Ts>(xs)...)
        .receive([&](T& x) { out = std::move(x); }, [&](caf::error& e) { out = e; });
    return out;
  }

  bench_status status() {
    auto s = ask<bench_status>("scheduler", status_atom::value);
    return s ? *s : bench_status{};
  }

  caf::expected<bench_intake> submit(std::vector<bench_commit> commits) {
    return ask<bench_intake>("scheduler", bench_submit_atom::value, std::move(commits));
  }

  template <class Pred>
  void await(Pred pred, std::chrono::seconds limit = 60s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "condition not reached");
      std::this_thread::sleep_for(20ms);
    }
  }

  std::vector<sql_row> rows(const std::string& sql) {
    auto r = db->query_now({sql, {}});
    BOOST_REQUIRE_MESSAGE(r, r.error().message());
    return *r;
  }
  std::int64_t count(const std::string& sql) { return std::get<std::int64_t>(rows(sql).at(0).at(0)); }

  void await_appended(std::int64_t runs) {
    await([&] { return count("SELECT COUNT(*) FROM bench_runs WHERE state = 'appended'") >= runs; });
  }
};

bench_commit tagged(const std::string& sha, const std::string& branch = "main") {
  return {sha, "", 0, "change [bench]", branch};
}

std::string platform(const std::string& name, const std::string& argv, const std::string& extra = "") {
  return name + "={\n  suites={\n    s={\n      argv=[" + argv + "]\n" + extra + "    }\n  }\n}\n";
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(platforms_run_a_run_in_parallel_and_history_is_exported, pipeline) {
  // Each platform's suite waits until the other one has started: the run
  // only completes if both platforms run it at the same time.
  auto a = script(dir, "a.sh", "touch " + dir.file("a-started") + "\nwhile [ ! -e " + dir.file("b-started") +
                                   " ]; do sleep 0.01; done\necho \"t 1.5 ms\"\necho \"t 2.5 ms\"\n");
  auto b = script(dir, "b.sh", "touch " + dir.file("b-started") + "\nwhile [ ! -e " + dir.file("a-started") +
                                   " ]; do sleep 0.01; done\necho \"t 3 ms\"\necho \"rps $1 req/s\"\n");
  start("collector-deadline=10min", platform("linux", "\"" + a + "\"", "      repetitions=2\n") +
                                        platform("arm", "\"" + b + "\",\"7\""));
  auto in = submit({tagged("aaaa0001")});
  BOOST_REQUIRE(in);
  BOOST_CHECK_EQUAL(in->runs.size(), 1u);
  await_appended(1);
  // linux: 2 repetitions x 2 samples merged; arm: two benchmarks.
  auto r = rows("SELECT platform, benchmark, n, median FROM bench_results ORDER BY platform, benchmark");
  BOOST_REQUIRE_EQUAL(r.size(), 3u);
  BOOST_CHECK_EQUAL(std::get<std::string>(r[0][1]), "s/rps");
  BOOST_CHECK_EQUAL(std::get<std::string>(r[2][0]), "linux");
  BOOST_CHECK_EQUAL(std::get<std::int64_t>(r[2][2]), 4);
  BOOST_CHECK_CLOSE(std::get<double>(r[2][3]), 2.0, 1e-9);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_gaps"), 0);
  // The export follows the append.
  auto file = dir.file("data") + "/bench/history-linux.json";
  await([&] { return json::parse_file(file).is_ok(); });
  auto doc = *json::parse_file(file);
  BOOST_CHECK_EQUAL(doc["version"].as_int(), 2);
  BOOST_REQUIRE_EQUAL(doc["runs"].size(), 1u);
  auto& run = doc["runs"][0];
  BOOST_CHECK_EQUAL(run["commit"].as_string(), "aaaa0001");
  BOOST_CHECK_EQUAL(run["reason"].as_string(), "tagged");
  BOOST_CHECK_EQUAL(run["commit_range"].size(), 1u);
  BOOST_CHECK_EQUAL(run["results"]["s/t"]["samples"].size(), 4u);
  BOOST_CHECK_EQUAL(run["results"]["s/t"]["unit"].as_string(), "ms");
  BOOST_CHECK(run["gap"].is_null());
}

BOOST_FIXTURE_TEST_CASE(timeouts_and_crashes_are_recorded_failures, pipeline) {
  auto slow = script(dir, "slow.sh", "echo \"x 1 ms\"\nexec sleep 30\n");
  auto crash = script(dir, "crash.sh", "echo \"x 1 ms\"\nkill -SEGV $$\n");
  auto garbage = script(dir, "garbage.sh", "echo \"not a number here\"\n");
  start("collector-deadline=10min",
        platform("slow", "\"" + slow + "\"", "      timeout=200ms\n") + platform("crash", "\"" + crash + "\"") +
            platform("garbage", "\"" + garbage + "\""));
  BOOST_REQUIRE(submit({tagged("bbbb0001")}));
  await_appended(1);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_results"), 0);
  auto gaps = rows("SELECT platform, reason, detail FROM bench_gaps ORDER BY platform");
  BOOST_REQUIRE_EQUAL(gaps.size(), 3u);
  for (auto& g : gaps) BOOST_CHECK_EQUAL(std::get<std::string>(g[1]), "failed");
  auto doc = [&](const std::string& p) {
    auto r = rows("SELECT document FROM bench_artifacts WHERE platform = '" + p + "'");
    return *json::parse(std::get<std::string>(r.at(0).at(0)));
  };
  BOOST_CHECK_EQUAL(doc("slow")["failures"][0]["kind"].as_string(), "timeout");
  BOOST_CHECK_EQUAL(doc("crash")["failures"][0]["kind"].as_string(), "signal");
  BOOST_CHECK_EQUAL(doc("garbage")["failures"][0]["kind"].as_string(), "parse");
  BOOST_CHECK(doc("garbage")["failures"][0]["message"].as_string().find("s (repetition 1)") !=
              std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(deadline_appends_without_a_missing_platform_and_late_artifacts_change_nothing, pipeline) {
  auto fast = script(dir, "fast.sh", "echo \"t 1 ms\"\n");
  auto hang = script(dir, "hang.sh", "exec sleep 600\n");
  start("collector-deadline=1s", platform("fast", "\"" + fast + "\"") + platform("hung", "\"" + hang + "\""));
  BOOST_REQUIRE(submit({tagged("cccc0001")}));
  await_appended(1);
  auto gaps = rows("SELECT platform, reason FROM bench_gaps");
  BOOST_REQUIRE_EQUAL(gaps.size(), 1u);
  BOOST_CHECK_EQUAL(std::get<std::string>(gaps[0][0]), "hung");
  BOOST_CHECK_EQUAL(std::get<std::string>(gaps[0][1]), "deadline");
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_results"), 1);
  // The same artifact again, and a late one for the missing platform: kept,
  // acknowledged, nothing appended twice.
  auto stored = rows("SELECT document FROM bench_artifacts WHERE platform = 'fast'");
  auto again = ask<bool>("collector", bench_artifact{1, "fast", std::get<std::string>(stored.at(0).at(0))});
  BOOST_CHECK(again && *again);
  auto late_doc = json::parse(std::get<std::string>(stored.at(0).at(0)))->set("platform", "hung").dump();
  auto late = ask<bool>("collector", bench_artifact{1, "hung", late_doc});
  BOOST_CHECK(late && *late);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_results"), 1);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_artifacts"), 2);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_gaps"), 1);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_runs WHERE state = 'appended'"), 1);
}

BOOST_FIXTURE_TEST_CASE(intake_is_bounded, pipeline) {
  start("intake-queue=2\ndrop-threshold=50\nwiden-threshold=40", "");  // nothing takes runs
  BOOST_REQUIRE(submit({tagged("dddd0001")}));
  BOOST_REQUIRE(submit({tagged("dddd0002")}));
  auto refused = submit({tagged("dddd0003")});
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::queue_full));
  BOOST_CHECK_EQUAL(status().seen, 2u);  // nothing of the refused call applied
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_commits"), 2);
}

BOOST_FIXTURE_TEST_CASE(restart_keeps_pending_queued_and_dispatched_runs, pipeline) {
  auto gate = dir.file("go");
  auto waits = script(dir, "wait.sh", "while [ ! -e " + gate + " ]; do sleep 0.01; done\necho \"t 1 ms\"\n");
  start("window=1h\ncollector-deadline=10min", platform("only", "\"" + waits + "\""));
  BOOST_REQUIRE(submit({tagged("eeee0001"), tagged("eeee0002"), tagged("eeee0003")}));
  BOOST_REQUIRE(submit({{"eeee0004", "", 0, "later", "main"}, {"ffff0001", "", 0, "x", "dev"}}));
  // Run 1 is dispatched (its suite waits for the gate); 2 and 3 stay queued.
  await([&] { return status().active_runs.size() == 1; });
  auto before = status();
  BOOST_CHECK_EQUAL(before.queue_depth, 2u);
  BOOST_CHECK_EQUAL(before.pending, 2u);
  restart();
  auto after = status();
  BOOST_CHECK_EQUAL(after.queue_depth, before.queue_depth);
  BOOST_CHECK_EQUAL(after.pending, 2u);
  BOOST_CHECK_EQUAL(after.seen, 5u);
  BOOST_REQUIRE_EQUAL(after.active_runs.size(), 1u);
  BOOST_CHECK_EQUAL(after.active_runs[0], before.active_runs[0]);
  // Run 1 is run again by the platform; then the rest.
  std::ofstream(gate) << "go\n";
  await_appended(3);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_results"), 3);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_commits WHERE state = 'pending'"), 2);
  // The windows survived too: the pending commits still run when due.
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_windows"), 2);
}
