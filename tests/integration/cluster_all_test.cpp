// The whole cluster at once, as separate processes on loopback: a
// coordinator (no runners or creators of its own) and two workers. A fleet
// scale-up, a with-items workflow and a benchmark run on two platforms are
// all in flight when one worker is killed with -9; it is then started
// again. Afterwards nothing is lost or duplicated: the workflow's items are
// each in its result once, the pool has exactly its desired runners (as
// live processes, no slot twice), and the benchmark run is appended with
// both platforms' artifacts and no gaps.
#define BOOST_TEST_MODULE cluster_all_test
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/cluster.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/runs.hpp"

using namespace std::chrono_literals;
using namespace troupe::testing;
using troupe::json;

namespace {

// Slots of the live runner processes `sleep <marker> <slot>`.
std::multiset<std::string> runner_slots(const std::string& marker) {
  child_process p({"/usr/bin/pgrep", "-a", "-f", "^sleep " + marker + " "}, "");
  p.wait_exit(10s);
  std::multiset<std::string> out;
  std::istringstream lines(p.out());
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string pid, prog, mark, slot;
    words >> pid >> prog >> mark >> slot;
    out.insert(slot);
  }
  return out;
}

std::string platform(const std::string& name, const std::string& dir) {
  return name + "={\n  workdir=\"" + dir +
         "\"\n  suites={\n    s={\n      argv=[\"sh\",\"-c\",\"sleep 1; echo 'speed 1 "
         "ms'\"]\n"
         "      format=\"simple\"\n    }\n  }\n}\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(fleet_workflow_and_bench_survive_a_killed_worker) {
  test_cluster c("cl-all");
  auto marker = "58" + std::to_string(::getpid() % 10000);
  std::ofstream(c.dir().file("coordinator.ini"))
      << "[bench]\nwindow=1h\ncollector-deadline=1h\n[bench.platforms]\n"
      << platform("p1", c.dir().path()) << platform("p2", c.dir().path())
      << "[fleet.pools]\nspread={\n  max=20\n  provider=\"process\"\n  "
         "command=[\"sleep\",\""
      << marker << "\",\"{slot}\"]\n  local-creators=0\n  worker-creators=2\n}\n";
  auto coord = c.coordinator({"--config-file=" + c.dir().file("coordinator.ini")});
  auto worker = [&](const std::string& name, const std::string& platform) {
    return c.worker(name,
                    {"--workflow.action-runners=2", "--cluster.platform=" + platform});
  };
  auto w1 = worker("w1", "p1");
  auto w2 = worker("w2", "p2");
  auto& http = coord->http();
  BOOST_REQUIRE(await_member(http, "w1", "up", 10s) >= 0);
  BOOST_REQUIRE(await_member(http, "w2", "up", 10s) >= 0);
  await_json(
      http, "/api/v1/bench/status",
      [](const json& s) {
        if (!s["ready"].as_bool()) return false;
        int idle = 0;
        for (auto& p : s["platforms"].items()) idle += p["state"] == json("idle");
        return idle == 2;
      },
      30s);

  // All three kinds of work in flight at once.
  auto run_id = start_run(http, fan_out(16, "0.4"));
  BOOST_REQUIRE_EQUAL(
      http_once(http, "POST", "/api/v1/pools/spread/scale", R"({"replicas": 8})").status,
      202);
  BOOST_REQUIRE_EQUAL(
      http_once(http, "POST", "/api/v1/bench/commits",
                R"([{"sha":"c0de0001","branch":"main","message":"[bench] now"}])")
          .status,
      202);
  await_json(
      http, "/api/v1/runs/" + run_id,
      [](const json& s) { return s["progress"]["items_done"].as_int() >= 2; }, 20s);

  w1->proc().signal(SIGKILL);
  BOOST_TEST(await_member(http, "w1", "down", 3s) >= 0);
  w1 = worker("w1", "p1");  // comes back by itself, as a supervisor would start it
  BOOST_TEST(await_member(http, "w1", "up", 10s) >= 0);

  auto done = await_final(http, run_id);
  BOOST_REQUIRE_MESSAGE(done["state"] == json("succeeded"), done.dump());
  BOOST_TEST_MESSAGE("workflow ran from " << done["started"].dump() << " to "
                                          << done["finished"].dump());
  auto lines = ran(done);
  BOOST_REQUIRE_EQUAL(lines.size(), 16u);
  for (int i = 0; i < 16; ++i) BOOST_TEST(lines[i].second == i + 1);

  auto pool = await_json(
      http, "/api/v1/pools/spread",
      [](const json& s) {
        return s["ready"] == json(true) && s["pending"] == json(0) &&
               s["running"] == json(8) && s["runners"]["deleting"] == json(0);
      },
      40s);
  BOOST_TEST(pool["desired"] == json(8));
  std::multiset<std::string> slots;
  for (int i = 0; i < 100; ++i) {
    slots = runner_slots(marker);
    if (slots.size() == 8u) break;
    std::this_thread::sleep_for(100ms);
  }
  BOOST_TEST(slots.size() == 8u);
  BOOST_TEST(std::set<std::string>(slots.begin(), slots.end()).size() == slots.size());

  auto bench = await_json(
      http, "/api/v1/bench/runs/1",
      [](const json& b) { return b["state"] == json("appended"); }, 60s);
  BOOST_TEST(bench["artifacts"].find("p1") != nullptr);
  BOOST_TEST(bench["artifacts"].find("p2") != nullptr);
  BOOST_TEST(bench["gaps"].empty(), bench["gaps"].dump());

  // Tidy: the pool's runner processes go with their workers' process services.
  BOOST_REQUIRE_EQUAL(
      http_once(http, "POST", "/api/v1/pools/spread/scale", R"({"replicas": 0})").status,
      202);
  await_json(
      http, "/api/v1/pools/spread", [](const json& s) { return s["running"] == json(0); },
      30s);
}
