// bench in a real troupe node: signed GitHub push webhooks (the real
// fixtures; bad signatures refused, deliveries de-duplicated, tag pushes
// ignored), bad API input refused with its JSON path and nothing applied,
// the intake bound (429 + Retry-After), the dashboard; and kill -9 during
// appends: after random kills and restarts history holds whole runs only
// and every acknowledged commit is accounted for exactly once.
#define BOOST_TEST_MODULE bench_node_test
#include <sys/stat.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "actors/bench/bench_store.hpp"
#include "runtime/app/node/migrations.hpp"
#include "runtime/app/node/node.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/services/github/github_webhooks.hpp"
#include "runtime/services/store/store.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

const std::string secret = "webhook-secret-0123456789";

std::string fixture(const std::string& name) {
  std::ifstream in(shared_dir() + "/fixtures/github-webhooks/push/" + name);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

http_reply deliver(const std::string& http, const std::string& delivery,
                   const std::string& body, const std::string& sig) {
  return http_once(http, "POST", "/webhooks/github", body,
                   {{"X-GitHub-Event", "push"},
                    {"X-GitHub-Delivery", delivery},
                    {"X-Hub-Signature-256", sig},
                    {"Content-Type", "application/json"}});
}

std::string sha(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "c0de%04d", i);
  return buf;
}

}  // namespace

BOOST_AUTO_TEST_CASE(push_webhooks_bad_input_intake_bound_and_dashboard) {
  temp_dir dir("bench-node");
  std::ofstream(dir.file("secret")) << secret << "\n";
  std::ofstream(dir.file("node.ini"))
      << "[webhooks]\ngithub-secret-file=\"" << dir.file("secret") << "\"\n"
      << "[bench]\nwindow=1h\nintake-queue=2\ndrop-threshold=50\nwiden-threshold=40\n";
  node_process node({"--config-file=" + dir.file("node.ini")}, dir.path());
  await_bench_ready(node.http());

  auto push = fixture("with-new-branch.payload.json");
  auto good = github_webhooks::signature(secret, push);
  BOOST_CHECK_EQUAL(deliver(node.http(), "p-1", push, "sha256=00").status, 401);
  auto first = deliver(node.http(), "p-1", push, good);
  BOOST_REQUIRE_EQUAL(first.status, 202);
  BOOST_CHECK_EQUAL(json::parse(first.body)->find("accepted")->as_int(), 1);
  auto replay = deliver(node.http(), "p-1", push, good);
  BOOST_CHECK_EQUAL(replay.status, 200);
  BOOST_CHECK(replay.body.find("duplicate") != std::string::npos);
  auto tag = fixture("payload.json");
  auto ignored =
      deliver(node.http(), "p-2", tag, github_webhooks::signature(secret, tag));
  BOOST_CHECK_EQUAL(ignored.status, 202);
  BOOST_CHECK(ignored.body.find("not a branch push (refs/tags/simple-tag)") !=
              std::string::npos);
  auto s = get_json(node.http(), "/api/v1/bench/status");
  BOOST_CHECK_EQUAL(s["coverage"]["seen"].as_int(), 1);
  BOOST_CHECK_EQUAL(s["coverage"]["pending"].as_int(), 1);

  // Bad input: the path of the bad value, and nothing of the list applied.
  auto bad =
      http_once(node.http(), "POST", "/api/v1/bench/commits",
                R"([{"sha":"abcd0001","branch":"main"},{"sha":"abcd0002","branch":""}])");
  BOOST_CHECK_EQUAL(bad.status, 400);
  BOOST_CHECK(bad.body.find("$[1].branch") != std::string::npos);
  BOOST_CHECK_EQUAL(
      get_json(node.http(), "/api/v1/bench/status")["coverage"]["seen"].as_int(), 1);

  // The status long poll: held while nothing changes (answered as it is
  // after 10 s), answered with the change when one comes.
  auto v = get_json(node.http(), "/api/v1/bench/status")["version"].as_int();
  auto since = "/api/v1/bench/status?since=" + std::to_string(v);
  auto quiet = get_json(node.http(), since);
  BOOST_CHECK_EQUAL(quiet["version"].as_int(), v);
  http_reply changed;
  std::thread follower([&] { changed = http_once(node.http(), "GET", since); });
  BOOST_CHECK_EQUAL(http_once(node.http(), "POST", "/api/v1/bench/commits",
                              R"([{"sha":"abcd0003","branch":"main"}])")
                        .status,
                    202);
  follower.join();
  BOOST_REQUIRE_EQUAL(changed.status, 200);
  auto after = json::parse(changed.body);
  BOOST_CHECK_GT((*after)["version"].as_int(), v);
  BOOST_CHECK_EQUAL((*after)["coverage"]["seen"].as_int(), 2);
  BOOST_CHECK_EQUAL(http_once(node.http(), "GET", "/api/v1/bench/status?since=x").status,
                    400);
  BOOST_CHECK_EQUAL(
      http_once(node.http(), "POST", "/api/v1/bench/runs", R"({"branch":"nope"})").status,
      404);
  BOOST_CHECK_EQUAL(http_once(node.http(), "GET", "/api/v1/bench/runs/x").status, 400);
  BOOST_CHECK_EQUAL(http_once(node.http(), "GET", "/api/v1/bench/runs/99").status, 404);

  // The bound: two queued runs (tagged commits), then 429 with Retry-After.
  for (int i = 0; i < 2; ++i)
    BOOST_CHECK_EQUAL(
        http_once(node.http(), "POST", "/api/v1/bench/commits",
                  R"([{"sha":")" + sha(i) + R"(","branch":"main","message":"[bench]"}])")
            .status,
        202);
  auto full = http_once(node.http(), "POST", "/api/v1/bench/commits",
                        R"([{"sha":"abcd0009","branch":"main"}])");
  BOOST_CHECK_EQUAL(full.status, 429);
  BOOST_CHECK(!full.header("retry-after").empty());

  auto page = http_once(node.http(), "GET", "/dashboard");
  BOOST_CHECK_EQUAL(page.status, 200);
  BOOST_CHECK(page.header("content-type").find("text/html") == 0);
  BOOST_CHECK(page.body.find("<html") != std::string::npos);
  node.proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(node.proc().wait_exit(30s).value_or(-1), 0);
}

BOOST_AUTO_TEST_CASE(kill9_during_appends_leaves_whole_runs_and_every_commit_once) {
  temp_dir dir("bench-kill9");
  constexpr int benchmarks = 30;
  auto suite = dir.file("suite.sh");
  std::ofstream(suite) << "#!/bin/sh\ni=0\nwhile [ $i -lt " << benchmarks
                       << " ]; do echo \"b$i $i.5 ms\"; i=$((i+1)); done\n";
  ::chmod(suite.c_str(), 0755);
  std::ofstream(dir.file("node.ini"))
      << "[bench]\nwindow=1s\ncollector-deadline=10min\nintake-queue=1000\n"
      << "drop-threshold=6\nwiden-threshold=3\n[bench.platforms]\n"
      << "a={\n  suites={\n    s={\n      argv=[\"" << suite << "\"]\n    }\n  }\n}\n"
      << "b={\n  suites={\n    s={\n      argv=[\"" << suite << "\"]\n    }\n  }\n}\n";
  std::vector<std::string> args{"--config-file=" + dir.file("node.ini")};
  std::mt19937 rng(12345);
  std::vector<std::string> acked;
  int next = 0;
  for (int round = 0; round < 6; ++round) {
    node_process node(args, dir.path());
    await_bench_ready(node.http());
    // Tagged commits run at once; plain ones wait for their window or are
    // sampled out when the queue is deep.
    auto kill_at =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(50 + rng() % 400);
    while (std::chrono::steady_clock::now() < kill_at) {
      auto s = sha(next++);
      auto message = rng() % 3 == 0 ? "plain" : "tagged [bench]";
      auto r =
          http_once(node.http(), "POST", "/api/v1/bench/commits",
                    R"([{"sha":")" + s + R"(","branch":"b)" + std::to_string(rng() % 2) +
                        R"(","message":")" + message + R"("}])");
      if (r.status == 202) acked.push_back(s);
    }
    node.proc().signal(SIGKILL);
    node.proc().wait_exit(10s);
  }
  // A last start drains everything: no queued or dispatched run is left.
  {
    node_process node(args, dir.path());
    await_json(
        node.http(), "/api/v1/bench/status",
        [](const json& s) {
          return s["ready"].as_bool() && s["queue_depth"].as_int() == 0 &&
                 s["active_runs"].empty() && s["coverage"]["pending"].as_int() == 0;
        },
        300s);
    node.proc().signal(SIGTERM);
    BOOST_CHECK_EQUAL(node.proc().wait_exit(30s).value_or(-1), 0);
  }
  BOOST_TEST_MESSAGE(acked.size() << " commits acknowledged over 6 kills");
  store_options so;
  so.path = dir.file("troupe.db");
  auto migrations = node_migrations();
  migrations.push_back(github_webhooks::table());
  for (auto& sub : make_subsystems())
    for (auto& m : sub->migrations()) migrations.push_back(m);
  std::sort(migrations.begin(), migrations.end(),
            [](auto& a, auto& b) { return a.version < b.version; });
  auto db = store::open(so, migrations);
  BOOST_REQUIRE_MESSAGE(db, db.error().message());
  auto q = [&](const std::string& sql) { return *(*db)->query_now({sql, {}}); };
  // Whole runs: every appended run has all rows of both platforms, any
  // other run none.
  for (auto& r : q("SELECT r.id, r.state, (SELECT COUNT(*) FROM bench_results x WHERE "
                   "x.run_id = r.id) "
                   "FROM bench_runs r")) {
    auto state = std::get<std::string>(r[1]);
    auto rows = std::get<std::int64_t>(r[2]);
    BOOST_CHECK_MESSAGE(state == "appended" || state == "dropped",
                        "run " << std::get<std::int64_t>(r[0]) << " " << state);
    BOOST_CHECK_EQUAL(rows, state == "appended" ? 2 * benchmarks : 0);
  }
  // Every acknowledged commit is stored, and every stored commit is in
  // exactly one place: one surviving run's range or the skipped list.
  std::map<std::string, int> places;
  for (auto& r : q("SELECT commit_range FROM bench_runs WHERE state != 'dropped'"))
    for (auto& s : bench::shas_from_json(std::get<std::string>(r[0]))) ++places[s];
  for (auto& r : q("SELECT sha FROM bench_skipped"))
    ++places[std::get<std::string>(r[0])];
  auto commits = q("SELECT sha, state FROM bench_commits");
  std::map<std::string, std::string> state;
  for (auto& r : commits)
    state[std::get<std::string>(r[0])] = std::get<std::string>(r[1]);
  for (auto& s : acked)
    BOOST_CHECK_MESSAGE(state.count(s) == 1, s << " acknowledged but not stored");
  for (auto& [s, st] : state) {
    BOOST_CHECK_MESSAGE(places[s] == 1, s << " is in " << places[s] << " places");
    BOOST_CHECK_MESSAGE(st == "covered" || st == "skipped", s << " is " << st);
  }
  BOOST_CHECK_EQUAL(places.size(), state.size());
}

BOOST_AUTO_TEST_CASE(cli_submits_a_git_range_and_writes_a_report) {
  temp_dir dir("bench-cli");
  auto repo = dir.file("repo");
  auto git = [&](std::vector<std::string> args) {
    std::vector<std::string> argv{"/usr/bin/git",
                                  "-C",
                                  repo,
                                  "-c",
                                  "user.name=t",
                                  "-c",
                                  "user.email=t@example.com"};
    argv.insert(argv.end(), args.begin(), args.end());
    child_process p(argv, "");
    BOOST_REQUIRE_EQUAL(p.wait_exit(30s).value_or(-1), 0);
    return p.out();
  };
  child_process init({"/usr/bin/git", "init", "-q", "-b", "main", repo}, "");
  BOOST_REQUIRE_EQUAL(init.wait_exit(30s).value_or(-1), 0);
  for (auto* m : {"first", "second", "third [bench]"})
    git({"commit", "-q", "--allow-empty", "-m", m});
  std::ofstream(dir.file("node.ini")) << "[bench]\nwindow=1h\n";
  node_process node({"--config-file=" + dir.file("node.ini")}, dir.path());
  await_bench_ready(node.http());
  child_process submit({troupe_bin(), "bench", "submit", "--server=http://" + node.http(),
                        "--repo", repo, "--range", "HEAD~2..HEAD"},
                       "");
  BOOST_REQUIRE_EQUAL(submit.wait_exit(60s).value_or(-1), 0);
  auto in = *json::parse(submit.out());
  BOOST_CHECK_EQUAL(in["accepted"].as_int(), 2);  // second and third, oldest first
  BOOST_CHECK_EQUAL(in["runs"].size(), 1u);       // third is tagged
  auto runs = get_json(node.http(), "/api/v1/bench/runs");
  auto head = git({"rev-parse", "HEAD"});
  BOOST_CHECK_EQUAL(runs["runs"][0]["commit"].as_string(),
                    head.substr(0, head.find('\n')));
  BOOST_CHECK_EQUAL(runs["runs"][0]["commit_range"].size(), 2u);
  child_process report({troupe_bin(), "bench", "report", "--server=http://" + node.http(),
                        "--out=" + dir.file("site")},
                       "");
  BOOST_REQUIRE_EQUAL(report.wait_exit(60s).value_or(-1), 0);
  std::ifstream page(dir.file("site/index.html"));
  BOOST_CHECK(page.good());
  child_process bad({troupe_bin(), "bench", "submit", "--repo", repo}, "");
  BOOST_CHECK_EQUAL(bad.wait_exit(30s).value_or(-1), 2);  // no --server
  node.proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(node.proc().wait_exit(30s).value_or(-1), 0);
}
