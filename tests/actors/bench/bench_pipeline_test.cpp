// The bench pipeline's actors on a real store and real processes, assembled
// as a node does (bench_subsystem from an INI file): platforms run the same
// run in parallel, timeouts and crashes become recorded failures, the
// collector appends without a platform that misses its deadline, duplicate
// and late artifacts change nothing, the history files hold exactly what the
// store holds, the intake bound refuses work, and a restart keeps pending
// commits, queued runs and dispatched runs; with the host lock, suites
// measure alone (no other suite, build or history analysis beside them) and
// a platform waiting for its host says so.
#define BOOST_TEST_MODULE bench_pipeline_test
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "actors/bench/artifact.hpp"
#include "actors/bench/bench_store.hpp"
#include "actors/bench/bench_subsystem.hpp"
#include "messages/bench.hpp"
#include "messages/errors.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/services/metrics/metrics.hpp"
#include "runtime/services/process/host_lock.hpp"
#include "runtime/services/process/process_service.hpp"
#include "runtime/services/store/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::bench;
using namespace std::chrono_literals;

namespace {

// A suite script: prints `lines` in the simple format, after `pre` (shell).
std::string script(testing::temp_dir& dir, const std::string& name,
                   const std::string& body) {
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
  host_lock host{true, &metrics};
  process_service processes{&host};
  std::unique_ptr<bench_subsystem> bench = std::make_unique<bench_subsystem>();
  node_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<node_services> services;
  supervisor_actor supervisor;

  // `platforms`: the [bench.platforms] body; `settings`: [bench] lines.
  void start(const std::string& settings, const std::string& platforms) {
    std::ofstream(dir.file("node.ini"))
        << "[node]\ndata-dir=\"" << dir.file("data") << "\"\n[bench]\n"
        << settings << "\n[bench.platforms]\n"
        << platforms;
    bench->declare(cfg);
    auto st = cfg.load({"--config-file=" + dir.file("node.ini")});
    BOOST_REQUIRE_MESSAGE(st, st.message());
    st = bench->check(cfg);
    BOOST_REQUIRE_MESSAGE(st, st.message());
    open_store();
    sys = std::make_unique<caf::actor_system>(cfg);
    services = std::make_unique<node_services>(node_services{
        sys.get(), db.get(), &metrics, &processes, nullptr, &cfg, nullptr, &host, {}});
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

  // The current bench actors (a restart replaces them).
  bench_scheduler_actor scheduler() {
    return actor_directory::of(*sys).get(scheduler_key);
  }
  bench_collector_actor collector() {
    return actor_directory::of(*sys).get(collector_key);
  }
  bench_history_actor history() { return actor_directory::of(*sys).get(history_key); }

  template <class T, class Handle, class... Ts>
  caf::expected<T> ask(const Handle& to, Ts&&... xs) {
    caf::scoped_actor self{*sys};
    caf::expected<T> out{caf::error{}};
    self->request(to, 30s, std::forward<Ts>(xs)...)
        .receive([&](T& x) { out = std::move(x); }, [&](caf::error& e) { out = e; });
    return out;
  }

  bench_status status() {
    auto s = ask<bench_status>(scheduler(), status_atom::value);
    return s ? *s : bench_status{};
  }

  caf::expected<bench_intake> submit(std::vector<bench_commit> commits) {
    return ask<bench_intake>(scheduler(), bench_submit_atom::value, std::move(commits));
  }

  template <class Pred>
  void await(Pred pred, std::chrono::seconds limit = 60s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                            "condition not reached");
      std::this_thread::sleep_for(20ms);
    }
  }

  std::vector<sql_row> rows(const std::string& sql) {
    auto r = db->query_now({sql, {}});
    BOOST_REQUIRE_MESSAGE(r, r.error().message());
    return *r;
  }
  std::int64_t count(const std::string& sql) {
    return std::get<std::int64_t>(rows(sql).at(0).at(0));
  }

  void await_appended(std::int64_t runs) {
    await([&] {
      return count("SELECT COUNT(*) FROM bench_runs WHERE state = 'appended'") >= runs;
    });
  }
};

// The JSON lines of a history-<platform>.jsonl file (none while it is
// missing); a line that does not parse ends the list (a torn last line).
std::vector<json> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<json> out;
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line);
    if (!j) break;
    out.push_back(*j);
  }
  return out;
}

ino_t inode_of(const std::string& path) {
  struct stat st {};
  BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

bench_commit tagged(const std::string& sha, const std::string& branch = "main") {
  return {sha, "", 0, "change [bench]", branch};
}

std::string platform(const std::string& name, const std::string& argv,
                     const std::string& extra = "") {
  return name + "={\n  suites={\n    s={\n      argv=[" + argv + "]\n" + extra +
         "    }\n  }\n}\n";
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(platforms_run_a_run_in_parallel_and_history_is_exported,
                        pipeline) {
  // Each platform's suite waits until the other one has started: the run
  // only completes if both platforms run it at the same time.
  auto a = script(dir, "a.sh",
                  "touch " + dir.file("a-started") + "\nwhile [ ! -e " +
                      dir.file("b-started") +
                      " ]; do sleep 0.01; done\necho \"t 1.5 ms\"\necho \"t 2.5 ms\"\n");
  auto b = script(
      dir, "b.sh",
      "touch " + dir.file("b-started") + "\nwhile [ ! -e " + dir.file("a-started") +
          " ]; do sleep 0.01; done\necho \"t 3 ms\"\necho \"rps $1 req/s\"\n");
  // Isolation off: with it, suites take turns on the host (the next tests).
  start("collector-deadline=10min\nisolation=\"off\"",
        platform("linux", "\"" + a + "\"", "      repetitions=2\n") +
            platform("arm", "\"" + b + "\",\"7\""));
  auto in = submit({tagged("aaaa0001")});
  BOOST_REQUIRE(in);
  BOOST_CHECK_EQUAL(in->runs.size(), 1u);
  await_appended(1);
  // linux: 2 repetitions x 2 samples merged; arm: two benchmarks.
  auto r = rows(
      "SELECT platform, benchmark, n, median FROM bench_results ORDER BY platform, "
      "benchmark");
  BOOST_REQUIRE_EQUAL(r.size(), 3u);
  BOOST_CHECK_EQUAL(std::get<std::string>(r[0][1]), "s/rps");
  BOOST_CHECK_EQUAL(std::get<std::string>(r[2][0]), "linux");
  BOOST_CHECK_EQUAL(std::get<std::int64_t>(r[2][2]), 4);
  BOOST_CHECK_CLOSE(std::get<double>(r[2][3]), 2.0, 1e-9);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_gaps"), 0);
  // The export follows the append: a header line, then the run's line.
  auto file = dir.file("data") + "/bench/history-linux.jsonl";
  await([&] { return lines_of(file).size() == 2; });
  auto lines = lines_of(file);
  BOOST_CHECK_EQUAL(lines[0]["version"].as_int(), 3);
  BOOST_CHECK_EQUAL(lines[0]["platform"].as_string(), "linux");
  auto& run = lines[1];
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
        platform("slow", "\"" + slow + "\"", "      timeout=200ms\n") +
            platform("crash", "\"" + crash + "\"") +
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
  BOOST_CHECK(doc("garbage")["failures"][0]["message"].as_string().find(
                  "s (repetition 1)") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(
    deadline_appends_without_a_missing_platform_and_late_artifacts_change_nothing,
    pipeline) {
  auto fast = script(dir, "fast.sh", "echo \"t 1 ms\"\n");
  auto hang = script(dir, "hang.sh", "exec sleep 600\n");
  // Isolation off: with it the hung suite would hold the host, and the fast
  // platform would wait for it (a_platform_waiting_for_its_host_says_so).
  start("collector-deadline=1s\nisolation=\"off\"",
        platform("fast", "\"" + fast + "\"") + platform("hung", "\"" + hang + "\""));
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
  auto again = ask<bool>(
      collector(), bench_artifact{1, "fast", std::get<std::string>(stored.at(0).at(0))});
  BOOST_CHECK(again && *again);
  auto late_doc = json::parse(std::get<std::string>(stored.at(0).at(0)))
                      ->set("platform", "hung")
                      .dump();
  auto late = ask<bool>(collector(), bench_artifact{1, "hung", late_doc});
  BOOST_CHECK(late && *late);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_results"), 1);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_artifacts"), 2);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_gaps"), 1);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_runs WHERE state = 'appended'"), 1);
}

BOOST_FIXTURE_TEST_CASE(intake_is_bounded, pipeline) {
  start("intake-queue=2\ndrop-threshold=50\nwiden-threshold=40",
        "");  // nothing takes runs
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
  auto waits =
      script(dir, "wait.sh",
             "while [ ! -e " + gate + " ]; do sleep 0.01; done\necho \"t 1 ms\"\n");
  start("window=1h\ncollector-deadline=10min", platform("only", "\"" + waits + "\""));
  BOOST_REQUIRE(submit({tagged("eeee0001"), tagged("eeee0002"), tagged("eeee0003")}));
  BOOST_REQUIRE(
      submit({{"eeee0004", "", 0, "later", "main"}, {"ffff0001", "", 0, "x", "dev"}}));
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
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_commits WHERE state = 'pending'"),
                    2);
  // The windows survived too: the pending commits still run when due.
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_windows"), 2);
}

// Every suite claims a marker that must not exist (noclobber) and reports an
// error result when another suite holds it or a build runs; every build fails
// when a suite measures. Three platforms, four runs: all results clean.
BOOST_FIXTURE_TEST_CASE(with_isolation_a_suite_measures_alone_on_its_host, pipeline) {
  auto marks = dir.file("marks");
  std::filesystem::create_directories(marks);
  auto suite = script(dir, "measure.sh",
                      "cd " + marks +
                          "\nset -C\nif ! : > measuring 2>/dev/null; then echo \"t error "
                          "overlap\"; exit 0; fi\n"
                          "if ls | grep -q '^building'; then rm measuring; echo \"t "
                          "error build\"; exit 0; fi\n"
                          "sleep 0.02\nif ls | grep -q '^building'; then rm measuring; "
                          "echo \"t error build\"; exit 0; fi\n"
                          "rm measuring\necho \"t 1 ms\"\n");
  auto build = script(dir, "build.sh",
                      "cd " + marks +
                          "\n[ -e measuring ] && exit 7\n: > building.$$\nsleep 0.02\n"
                          "[ -e measuring ] && exit 7\nrm building.$$\n");
  auto with_build = "  build=[\"" + build + "\"]\n";
  std::string platforms;
  for (auto name : {"p1", "p2", "p3"})
    platforms += std::string(name) + "={\n" + with_build +
                 "  suites={\n    s={\n      argv=[\"" + suite +
                 "\"]\n      repetitions=3\n    }\n  }\n}\n";
  start("collector-deadline=10min", platforms);
  for (auto sha : {"cccc0001", "cccc0002", "cccc0003", "cccc0004"})
    BOOST_REQUIRE(submit({tagged(sha)}));
  await_appended(4);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_gaps"), 0);
  BOOST_CHECK_EQUAL(count("SELECT COUNT(*) FROM bench_results"), 12);
  for (auto& r :
       rows("SELECT platform, run_id, error_message FROM bench_results WHERE error != 0"))
    BOOST_ERROR("platform " << std::get<std::string>(r[0]) << " run "
                            << std::get<std::int64_t>(r[1]) << ": "
                            << std::get<std::string>(r[2]));
}

// What the host lock cannot hold back (a process outside troupe) is seen:
// the suite's first command starts a CPU burner it does not wait for (so
// the burner's CPU is not its own) and measures beside it; that measurement
// is disturbed and repeated, the burner gone. The artifact says how often
// the command ran and what the kept measurement saw; the metrics count it.
BOOST_FIXTURE_TEST_CASE(a_disturbed_measurement_is_measured_again, pipeline) {
  auto first = dir.file("first-attempt");
  auto burner = dir.file("burner.pid");
  auto suite =
      script(dir, "s.sh",
             "if [ ! -e " + first + " ]; then\n  : > " + first +
                 "\n  (sh -c 'while :; do :; done' & echo $! > " + burner +
                 ")\n  sleep 0.5\n  kill $(cat " + burner + ")\nfi\necho \"t 1 ms\"\n");
  start("collector-deadline=10min\nmax-disturbance=0.2",
        platform("linux", "\"" + suite + "\""));
  BOOST_REQUIRE(submit({tagged("ffff0001")}));
  await_appended(1);
  auto doc = rows("SELECT document FROM bench_artifacts WHERE run_id = 1");
  auto parsed = parse_artifact(std::get<std::string>(doc.at(0).at(0)), "artifact");
  BOOST_REQUIRE_MESSAGE(parsed, parsed.error().message());
  BOOST_REQUIRE_EQUAL(parsed->measurements.size(), 1u);
  auto& m = parsed->measurements[0];
  BOOST_CHECK_EQUAL(m.suite, "s");
  BOOST_CHECK_EQUAL(m.repetition, 1u);
  BOOST_CHECK_GE(m.attempts, 2u);  // more when another test loads this machine
  BOOST_CHECK_GT(m.seconds, 0.0);
  BOOST_CHECK_EQUAL(parsed->results.size(), 1u);
  auto text = metrics.render();
  auto at = text.find(
      "troupe_bench_measurements_total{platform=\"linux\",outcome=\"repeated\"} ");
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, text);
  BOOST_CHECK_GE(std::stod(text.substr(text.find(' ', at) + 1)), 1.0);
  at = text.find("troupe_bench_foreign_cpu_seconds_total{platform=\"linux\"} ");
  BOOST_REQUIRE(at != std::string::npos);
  BOOST_CHECK_GT(std::stod(text.substr(text.find(' ', at) + 1)), 0.1);
}

// Noise is judged per series: a steady benchmark's 20% step is found at its
// run; a benchmark that swings by +-20% from run to run is flagged noisy (on
// the dashboard, in the history document) and its 30% step, no larger than
// its noise, is not reported.
BOOST_FIXTURE_TEST_CASE(a_noisy_series_is_flagged_and_its_noise_is_no_step, pipeline) {
  // Run k prints steady = 100 (120 from run 9) and noisy = a swinging value
  // (30% higher from run 9); a run measured again prints the same.
  auto suite =
      script(dir, "s.sh",
             "k=$TROUPE_BENCH_RUN\nsteady=100; [ $k -ge 9 ] && steady=120\n"
             "set -- 100 130 80 120 90 140 75 125 95 135 85\nshift $(( (k - 1) % 10 ))\n"
             "noisy=$1; [ $k -ge 9 ] && noisy=$(( noisy * 13 / 10 ))\n"
             "echo \"steady $steady.$(( k % 3 )) ms\"\necho \"noisy $noisy ms\"\n");
  start("collector-deadline=10min", platform("linux", "\"" + suite + "\""));
  for (int k = 1; k <= 14; ++k) {
    char sha[16];
    std::snprintf(sha, sizeof sha, "abcd%04d", k);
    BOOST_REQUIRE(submit({tagged(sha)}));
    await_appended(k);  // one run per commit, in order
  }
  // The last append's analysis is done when its export is (it comes last).
  await([&] {
    return lines_of(dir.file("data") + "/bench/history-linux.jsonl").size() == 15;
  });
  auto found = rows("SELECT benchmark, run_id FROM bench_regressions");
  BOOST_REQUIRE_EQUAL(found.size(), 1u);
  BOOST_CHECK_EQUAL(std::get<std::string>(found[0][0]), "s/steady");
  BOOST_CHECK_EQUAL(std::get<std::int64_t>(found[0][1]), 9);
  auto document =
      ask<std::string>(history(), bench_history_atom::value, std::string("linux"));
  BOOST_REQUIRE(document);
  auto doc = json::parse(*document);
  BOOST_REQUIRE(doc);
  BOOST_CHECK((*doc)["series"]["s/noisy"]["noisy"].as_bool());
  BOOST_CHECK_GT((*doc)["series"]["s/noisy"]["noise"].as_double(), 0.15);
  BOOST_CHECK(!(*doc)["series"]["s/steady"]["noisy"].as_bool());
  BOOST_CHECK_LT((*doc)["series"]["s/steady"]["noise"].as_double(), 0.01);
  BOOST_CHECK((*doc)["runs"][0]["results"]["s/steady"]["cv"].is_null());  // one value
  auto page = ask<std::string>(history(), bench_dashboard_atom::value, status());
  BOOST_REQUIRE(page);
  auto at = page->find("<span class=\"benchmark\">s/noisy</span>");
  BOOST_REQUIRE(at != std::string::npos);
  auto caption = page->substr(at, page->find("</figcaption>", at) - at);
  BOOST_CHECK_MESSAGE(caption.find("noisy: ") != std::string::npos, caption);
  at = page->find("<span class=\"benchmark\">s/steady</span>");
  BOOST_REQUIRE(at != std::string::npos);
  caption = page->substr(at, page->find("</figcaption>", at) - at);
  BOOST_CHECK_MESSAGE(caption.find("noise ") != std::string::npos &&
                          caption.find("noisy") == std::string::npos,
                      caption);
}

BOOST_FIXTURE_TEST_CASE(a_platform_waiting_for_its_host_says_so, pipeline) {
  auto suite = script(dir, "s.sh", "echo \"t 1 ms\"\n");
  start("collector-deadline=10min", platform("linux", "\"" + suite + "\""));
  // Another benchmark measures on this host.
  auto other = host.acquire(host_use::exclusive, "another benchmark", {});
  BOOST_REQUIRE(submit({tagged("dddd0001")}));
  await([&] {
    auto s = status();
    return s.platforms.size() == 1 &&
           s.platforms[0].state == bench_platform_phase::waiting_for_host;
  });
  auto waiting = host.state().waiting;
  BOOST_REQUIRE_EQUAL(waiting.size(), 1u);
  BOOST_CHECK_EQUAL(waiting[0].holder, "bench platform linux: run 1 suite s");
  BOOST_CHECK(waiting[0].use == host_use::exclusive);
  auto text = metrics.render();
  BOOST_CHECK(text.find("troupe_bench_platform_waiting_for_host{platform=\"linux\"} 1") !=
              std::string::npos);
  host.release(other);
  await_appended(1);
  await([&] { return status().platforms[0].state == bench_platform_phase::idle; });
  text = metrics.render();
  BOOST_CHECK(text.find("troupe_bench_platform_waiting_for_host{platform=\"linux\"} 0") !=
              std::string::npos);
  auto at = text.find("troupe_bench_host_wait_seconds_total{platform=\"linux\"} ");
  BOOST_REQUIRE(at != std::string::npos);
  BOOST_CHECK_GT(std::stod(text.substr(text.find(' ', at) + 1)), 0.0);
}

// Analysis and exports wait for a measurement to end; reads do not.
BOOST_FIXTURE_TEST_CASE(history_analysis_waits_for_the_host_and_reads_do_not, pipeline) {
  auto suite = script(dir, "s.sh", "echo \"t 1 ms\"\n");
  start("collector-deadline=10min", platform("linux", "\"" + suite + "\""));
  BOOST_REQUIRE(submit({tagged("eeee0001")}));
  await_appended(1);
  // The append's own analysis and export are done (the export comes last).
  await([&] {
    return lines_of(dir.file("data") + "/bench/history-linux.jsonl").size() == 2;
  });
  await([&] { return host.state().held.empty(); });
  auto measuring = host.acquire(host_use::exclusive, "a benchmark", {});
  caf::scoped_actor self{*sys};
  auto analysis =
      self->request(history(), 60s, bench_analyze_atom::value, std::uint64_t{1});
  await([&] {
    auto w = host.state().waiting;
    return w.size() == 1 && w[0].holder == "bench history (analysis, export)";
  });
  auto runs = ask<std::string>(history(), bench_runs_atom::value, std::uint64_t{10});
  BOOST_REQUIRE(runs);
  BOOST_CHECK(runs->find("eeee0001") != std::string::npos);
  host.release(measuring);
  bool answered = false;
  std::move(analysis).receive([&](std::vector<bench_regression>&) { answered = true; },
                              [&](caf::error& e) { BOOST_ERROR(sys->render(e)); });
  BOOST_CHECK(answered);
}

// An append exports its own run only: the file grows in place (same inode);
// a torn last line (a crash mid-write) makes the next export write the file
// whole, once.
BOOST_FIXTURE_TEST_CASE(history_export_appends_only_the_new_runs, pipeline) {
  auto suite = script(dir, "s.sh", "echo \"t 1 ms\"\n");
  start("collector-deadline=10min", platform("linux", "\"" + suite + "\""));
  auto file = dir.file("data") + "/bench/history-linux.jsonl";
  BOOST_REQUIRE(submit({tagged("ffff0001")}));
  await([&] { return lines_of(file).size() == 2; });
  auto inode = inode_of(file);
  BOOST_REQUIRE(submit({tagged("ffff0002")}));
  await([&] { return lines_of(file).size() == 3; });
  BOOST_CHECK_EQUAL(inode_of(file), inode);
  BOOST_CHECK_EQUAL(lines_of(file)[2]["commit"].as_string(), "ffff0002");
  // Tear the last line, as a crash in the middle of its write would.
  auto size = std::filesystem::file_size(file);
  std::filesystem::resize_file(file, size - 10);
  restart();  // the exporter learns the file anew
  BOOST_REQUIRE(submit({tagged("ffff0003")}));
  await([&] { return lines_of(file).size() == 4; });
  auto lines = lines_of(file);
  BOOST_CHECK_EQUAL(lines[0]["version"].as_int(), 3);
  for (int i = 1; i <= 3; ++i)
    BOOST_CHECK_EQUAL(lines[static_cast<std::size_t>(i)]["commit"].as_string(),
                      "ffff000" + std::to_string(i));
  BOOST_CHECK_NE(inode_of(file), inode);
}
