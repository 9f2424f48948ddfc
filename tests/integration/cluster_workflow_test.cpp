// Workflows across a cluster of real processes on loopback: a coordinator
// with no action runners of its own and two worker nodes whose runners pull
// the calls. With-items spread over both workers; worker_selector pins a
// task to labelled workers; kill -9 of a worker mid-run is detected within
// the configured bound, its calls run again on the other worker and the run
// completes with every item exactly once; the worker rejoins by itself when
// restarted; and a coordinator killed mid-run comes back, its worker
// reconnects without help, hands back the replies of the calls it finished
// meanwhile, and the run completes with every item run exactly once.
#define BOOST_TEST_MODULE cluster_workflow_test
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include "tests/support/cluster.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/runs.hpp"

using namespace std::chrono_literals;
using namespace troupe::testing;
using troupe::json;

namespace {

std::vector<std::string> worker_args(const std::string& zone) {
  return {"--workflow.action-runners=2", "--cluster.labels=[\"zone=" + zone + "\"]"};
}

}  // namespace

BOOST_AUTO_TEST_CASE(with_items_spread_over_workers_survive_a_killed_worker) {
  test_cluster c("cl-wf");
  auto coord = c.coordinator();
  auto w1 = c.worker("w1", worker_args("a"));
  auto w2 = c.worker("w2", worker_args("b"));
  BOOST_REQUIRE(await_member(coord->http(), "w1", "up", 10s) >= 0);
  BOOST_REQUIRE(await_member(coord->http(), "w2", "up", 10s) >= 0);

  auto id = start_run(coord->http(), fan_out(24, "0.4"));
  await_json(
      coord->http(), "/api/v1/runs/" + id,
      [](const json& s) { return s["progress"]["items_done"].as_int() >= 4; }, 10s);
  auto w1_pid = w1->proc().pid(), w2_pid = w2->proc().pid();
  w1->proc().signal(SIGKILL);
  // Declared down (the default bound, connection-timeout 2 s + sweep, is a
  // measurement, printed here, not asserted).
  auto detected = await_member(coord->http(), "w1", "down", 15s);
  BOOST_TEST_MESSAGE("w1 declared down after " << detected << " ms");
  BOOST_TEST(detected >= 0);

  auto done = await_final(coord->http(), id);
  BOOST_REQUIRE_MESSAGE(done["state"] == json("succeeded"), done.dump());
  auto lines = ran(done);
  BOOST_REQUIRE_EQUAL(lines.size(), 24u);
  std::set<int> pids;
  for (int i = 0; i < 24; ++i) {
    BOOST_TEST(lines[i].second == i + 1);  // every item once, in item order
    BOOST_TEST((lines[i].first == w1_pid || lines[i].first == w2_pid));
    pids.insert(lines[i].first);
  }
  BOOST_TEST(pids.size() == 2u);  // both workers ran items
  auto metrics = http_once(coord->http(), "GET", "/metrics").body;
  BOOST_TEST(metrics.find("troupe_workflow_calls_redispatched_total 0") ==
             std::string::npos);
  BOOST_TEST(metrics.find("troupe_cluster_downs_total 1") != std::string::npos);

  // Started again, the worker rejoins without any manual step.
  auto again = c.worker("w1", worker_args("a"));
  BOOST_TEST(await_member(coord->http(), "w1", "up", 10s) >= 0);
  auto view = cluster_view(coord->http());
  for (auto& m : view["members"].items())
    if (m["node"]["name"] == json("w1")) BOOST_TEST(m["joins"] == json(2));
}

BOOST_AUTO_TEST_CASE(worker_selector_pins_a_task_to_labelled_workers) {
  test_cluster c("cl-sel");
  auto coord = c.coordinator();
  auto w1 = c.worker("w1", worker_args("a"));
  auto w2 = c.worker("w2", worker_args("b"));
  BOOST_REQUIRE(await_member(coord->http(), "w1", "up", 10s) >= 0);
  BOOST_REQUIRE(await_member(coord->http(), "w2", "up", 10s) >= 0);
  auto done = await_final(
      coord->http(),
      start_run(coord->http(), fan_out(8, "0", R"("worker_selector": {"zone": "b"}, )")));
  BOOST_REQUIRE_MESSAGE(done["state"] == json("succeeded"), done.dump());
  for (auto& [pid, item] : ran(done)) BOOST_TEST(pid == w2->proc().pid());
  auto view = cluster_view(coord->http());
  for (auto& m : view["members"].items()) {
    BOOST_TEST(m["state"] == json("up"));
    BOOST_TEST(m["node"]["roles"].size() == 3u);
    BOOST_TEST(m["last_heartbeat_at"].is_string());
  }
}

BOOST_AUTO_TEST_CASE(
    a_killed_coordinator_comes_back_and_gets_the_results_its_worker_kept) {
  test_cluster c("cl-coord");
  auto coord = c.coordinator();
  auto w1 = c.worker("w1", worker_args("a"));
  BOOST_REQUIRE(await_member(coord->http(), "w1", "up", 10s) >= 0);
  // Each item records that it started, takes a while, and records that it
  // finished.
  auto log = c.dir().file("ran.log");
  auto finished = c.dir().file("finished.log");
  std::string list;
  for (int i = 1; i <= 12; ++i) list += (i > 1 ? "," : "") + std::to_string(i);
  auto id = start_run(coord->http(), R"({"definition": {"version": 1, "name": "kept",
      "input": {"n": [)" + list + R"(]}, "tasks": {"fan": {"action": "core.shell",
      "with_items": "{{ parameters.n }}", "concurrency": 2,
      "input": {"argv": ["sh", "-c", "echo $1 >> )" +
                                         log + R"(; sleep 0.3; echo $1 >> )" + finished +
                                         R"(; echo $1", "x", "{{ item }}"]}}},
      "output": {"out": "{{ task.fan.result }}"}}})");
  await_json(
      coord->http(), "/api/v1/runs/" + id,
      [](const json& s) { return s["progress"]["items_done"].as_int() >= 3; }, 10s);
  coord->proc().signal(SIGKILL);
  coord->proc().wait_exit(5s);
  // The worker notices, keeps running what it has, and keeps trying.
  await_json(
      w1->http(), "/api/v1/cluster",
      [](const json& v) { return v["link"]["state"] == json("connecting"); }, 10s);
  // Every item it was running finishes while the coordinator is away (no
  // new one starts: the coordinator hands them out).
  auto lines = [](const std::string& file) {
    std::ifstream in(file);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  };
  for (int i = 0; i < 500 && lines(finished) < lines(log); ++i)
    std::this_thread::sleep_for(20ms);
  BOOST_REQUIRE_EQUAL(lines(finished), lines(log));

  auto back = c.coordinator();
  BOOST_TEST(await_member(back->http(), "w1", "up", 15s) >= 0);
  auto done = await_final(back->http(), id);
  BOOST_REQUIRE_MESSAGE(done["state"] == json("succeeded"), done.dump());
  BOOST_REQUIRE_EQUAL(done["output"]["out"].size(), 12u);
  for (std::size_t i = 0; i < 12; ++i)
    BOOST_TEST(done["output"]["out"][i]["stdout"] == json(std::to_string(i + 1) + "\n"));
  BOOST_TEST(cluster_view(w1->http())["link"]["sessions"] == json(2));
  BOOST_TEST(w1->proc().await_log("kept replies to the coordinator", 1s).has_value());
  // The calls that ended before the coordinator came back were not run
  // again: their replies were handed back. Every item ran exactly once.
  std::multiset<std::string> ran;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) ran.insert(line);
  BOOST_TEST(ran.size() == 12u);
  for (int i = 1; i <= 12; ++i)
    BOOST_TEST(ran.count(std::to_string(i)) == 1u, "item " << i);
}
