// fleet placement in a real cluster on loopback: a coordinator whose process
// pool has no creator-workers of its own (local-creators=0) and is pinned to
// member nodes labelled zone=a; worker nodes with role runner pull its jobs
// and start the runner processes. A member labelled zone=b is refused. Then
// a worker is killed with SIGKILL (its runner processes too: the host is
// gone) in the middle of a scale-up, and the pool still ends with exactly
// the desired runners, on the surviving worker, none twice.
#define BOOST_TEST_MODULE fleet_cluster_test
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "runtime/base/json/json.hpp"
#include "tests/support/cluster.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

// Runner processes are `sleep <marker> <slot>`: unique to this test run, and
// their slot tells duplicates apart.
struct cluster {
  test_cluster nodes{"fleet-cluster"};
  std::string marker = "47" + std::to_string(::getpid() % 10000);
  std::unique_ptr<node_process> coordinator;
  std::map<std::string, std::unique_ptr<node_process>> workers;

  cluster() {
    std::ofstream(nodes.dir().file("pools.ini"))
        << "[fleet.pools]\nspread={\n  max=20\n  provider=\"process\"\n"
        << "  command=[\"sleep\",\"" << marker << "\",\"{slot}\"]\n"
        << "  local-creators=0\n  worker-creators=2\n  node-labels=[\"zone=a\"]\n}\n"
        // Slow creations, so that a worker dies with creations in flight.
        << "slow={\n  max=30\n  provider=\"sim\"\n  sim-latency=250ms\n  "
           "local-creators=0\n"
        << "  worker-creators=2\n  adaptive=false\n  creation-concurrency=4\n}\n";
    coordinator = nodes.coordinator({"--config-file=" + nodes.dir().file("pools.ini"),
                                     "--cluster.heartbeat-interval=200ms"});
  }

  void add_worker(const std::string& name, const std::string& zone) {
    std::ofstream(nodes.dir().file(name + ".ini"))
        << "[cluster]\nroles=[\"creator\",\"runner\"]\nlabels=[\"zone=" << zone << "\"]\n"
        << "heartbeat-interval=200ms\n";
    workers[name] =
        nodes.worker(name, {"--config-file=" + nodes.dir().file(name + ".ini")});
  }

  json get(const std::string& path) {
    auto r = http_once(coordinator->http(), "GET", path);
    BOOST_REQUIRE_EQUAL(r.status, 200);
    return *json::parse(r.body);
  }

  // Waits until every named worker is an up member.
  void await_members(const std::vector<std::string>& names) {
    for (auto& n : names)
      BOOST_REQUIRE_MESSAGE(await_member(coordinator->http(), n, "up", 30s) >= 0,
                            n << " never joined");
  }

  // Waits until worker `name`'s creator-workers enlisted with `pool`.
  void await_creators(const std::string& name, const std::string& pool = "spread") {
    auto line = coordinator->proc().await_log(
        "pool " + pool + ": node '" + name + "' creates for it", 30s);
    BOOST_REQUIRE_MESSAGE(line, name << " never created: " << coordinator->proc().err());
  }

  // Completed remote jobs of `name` as its heartbeats report them.
  std::int64_t completed(const std::string& name) {
    auto v = get("/api/v1/cluster");  // kept alive: the loop reads into it
    for (auto& m : v["members"].items())
      if (m["node"]["name"].as_string() == name) return m["completed"].as_int();
    return -1;
  }

  void scale(int replicas, const std::string& pool = "spread") {
    auto r = http_once(coordinator->http(), "POST", "/api/v1/pools/" + pool + "/scale",
                       "{\"replicas\":" + std::to_string(replicas) + "}");
    BOOST_REQUIRE_EQUAL(r.status, 202);
  }

  // Waits until the pool settled with `running` runners.
  json await_pool(std::int64_t running, const std::string& pool = "spread") {
    auto deadline = std::chrono::steady_clock::now() + 40s;
    for (;;) {
      auto s = get("/api/v1/pools/" + pool);
      if (s["ready"].as_bool() && s["pending"].as_int() == 0 &&
          s["running"].as_int() == running && s["runners"]["deleting"].as_int() == 0)
        return s;
      BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                            "pool: " << s.dump());
      http_once(
          coordinator->http(), "GET",
          "/api/v1/pools/" + pool + "?since=" + std::to_string(s["version"].as_int()));
    }
  }

  // pid → slot of the live runner processes whose parent is `parent` (0: any).
  std::map<int, std::string> runners(int parent = 0) {
    std::vector<std::string> argv{"/usr/bin/pgrep", "-a", "-f", "^sleep " + marker + " "};
    if (parent != 0) argv.insert(argv.begin() + 1, {"-P", std::to_string(parent)});
    child_process p(argv, "");
    p.wait_exit(10s);
    std::map<int, std::string> out;
    std::istringstream lines(p.out());
    for (std::string line; std::getline(lines, line);) {
      std::istringstream words(line);
      std::string pid, prog, mark, slot;
      words >> pid >> prog >> mark >> slot;
      out[std::stoi(pid)] = slot;
    }
    return out;
  }

  // The runner processes, once there are `n` (a runner the pool counts may
  // not have exec'd yet, a killed one may not have been reaped) or 10 s passed.
  std::map<int, std::string> await_runners(std::size_t n) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    auto found = runners();
    while (found.size() != n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
      found = runners();
    }
    return found;
  }

  ~cluster() {
    for (auto& [name, w] : workers) w->proc().signal(SIGKILL);
    coordinator->proc().signal(SIGKILL);
    for (auto& [pid, slot] : runners()) ::kill(pid, SIGKILL);
  }
};

std::set<std::string> slots(const std::map<int, std::string>& runners) {
  std::set<std::string> out;
  for (auto& [pid, slot] : runners) out.insert(slot);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(member_nodes_create_for_a_pinned_pool) {
  cluster c;
  c.add_worker("w1", "a");
  c.add_worker("w2", "a");
  c.add_worker("wb", "b");  // a member, but not zone=a: refused
  c.await_members({"w1", "w2", "wb"});
  c.await_creators("w1");
  c.await_creators("w2");

  c.scale(6);
  c.await_pool(6);
  auto all = c.await_runners(6);
  BOOST_CHECK_EQUAL(all.size(), 6u);
  BOOST_CHECK_EQUAL(slots(all).size(), 6u);
  // Every runner is a child of a zone=a worker, none of the coordinator or wb.
  auto on_w1 = c.runners(c.workers["w1"]->proc().pid());
  auto on_w2 = c.runners(c.workers["w2"]->proc().pid());
  BOOST_CHECK_EQUAL(on_w1.size() + on_w2.size(), 6u);
  BOOST_CHECK(!on_w1.empty());
  BOOST_CHECK(!on_w2.empty());
  BOOST_CHECK(c.runners(c.workers["wb"]->proc().pid()).empty());
  BOOST_CHECK(c.runners(c.coordinator->proc().pid()).empty());
  BOOST_CHECK(c.coordinator->proc().err().find("pool spread: node 'wb'") ==
              std::string::npos);

  // The members report the creations they ran (heartbeats lag a little).
  await_json(
      c.coordinator->http(), "/api/v1/cluster",
      [&](const json&) { return c.completed("w1") + c.completed("w2") >= 6; }, 10s);
  BOOST_CHECK_EQUAL(c.completed("w1") + c.completed("w2"), 6);
  BOOST_CHECK_EQUAL(c.completed("wb"), 0);

  // Scale-down deletes runners on the node that holds them.
  c.scale(2);
  c.await_pool(2);
  BOOST_CHECK_EQUAL(c.await_runners(2).size(), 2u);
}

BOOST_AUTO_TEST_CASE(worker_killed_mid_scale_up_loses_and_duplicates_nothing) {
  cluster c;
  c.add_worker("w1", "a");
  c.add_worker("w2", "a");
  c.await_members({"w1", "w2"});
  c.await_creators("w1");
  c.await_creators("w2");
  c.scale(4);
  c.await_pool(4);
  auto w1 = c.workers["w1"]->proc().pid();
  BOOST_REQUIRE(!c.runners(w1).empty() ||
                !c.runners(c.workers["w2"]->proc().pid()).empty());

  // Scale up and lose w1's host at once: the node and its runner processes.
  c.scale(12);
  auto orphans = c.runners(w1);
  c.workers["w1"]->proc().signal(SIGKILL);
  c.workers["w1"]->proc().wait_exit(10s);
  for (auto& [pid, slot] : orphans) ::kill(pid, SIGKILL);
  for (auto& [pid, slot] : c.runners()) {  // created by w1 after the first look
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_s, comm, state;
    int ppid = 0;
    stat >> pid_s >> comm >> state >> ppid;
    if (ppid != c.workers["w2"]->proc().pid()) ::kill(pid, SIGKILL);
  }

  auto s = c.await_pool(12);
  auto all = c.await_runners(12);
  BOOST_CHECK_EQUAL(all.size(), 12u);
  BOOST_CHECK_EQUAL(slots(all).size(), 12u);  // no slot twice
  BOOST_CHECK_EQUAL(c.runners(c.workers["w2"]->proc().pid()).size(), 12u);
  BOOST_CHECK_EQUAL(s["desired"].as_int(), 12);
  BOOST_CHECK_EQUAL(s["runners"]["idle"].as_int() + s["runners"]["busy"].as_int(), 12);
  auto events = http_once(c.coordinator->http(), "GET", "/api/v1/pools/spread/events");
  BOOST_CHECK(events.body.find("node_lost") != std::string::npos);

  // Steady afterwards: the pool's next change (a long poll, answered at the
  // first change or with the same state after its 10 s limit) leaves it exact.
  auto next =
      http_once(c.coordinator->http(), "GET",
                "/api/v1/pools/spread?since=" + std::to_string(s["version"].as_int()));
  BOOST_REQUIRE_EQUAL(next.status, 200);
  auto again = c.get("/api/v1/pools/spread");
  BOOST_CHECK_EQUAL(again["running"].as_int(), 12);
  BOOST_CHECK_EQUAL(c.runners().size(), 12u);
}

BOOST_AUTO_TEST_CASE(creations_in_flight_on_a_killed_worker_are_retried_elsewhere) {
  cluster c;
  c.add_worker("w1", "a");
  c.add_worker("w2", "a");
  c.await_members({"w1", "w2"});
  c.await_creators("w1", "slow");
  c.await_creators("w2", "slow");
  c.scale(16, "slow");
  // Kill w1 once creations are under way: each node has calls in flight
  // (4 at a time over 4 creator-workers, 250 ms each).
  await_json(
      c.coordinator->http(), "/api/v1/pools/slow",
      [](const json& p) { return p["totals"]["created"].as_int() >= 4; }, 20s);
  c.workers["w1"]->proc().signal(SIGKILL);

  auto s = c.await_pool(16, "slow");
  BOOST_TEST_MESSAGE("pool: " << s.dump());
  BOOST_CHECK_EQUAL(s["desired"].as_int(), 16);
  BOOST_CHECK_EQUAL(s["runners"]["idle"].as_int() + s["runners"]["busy"].as_int(), 16);
  // Exact accounting: every runner created is live, or gone with w1 (finished).
  auto& t = s["totals"];
  BOOST_CHECK_EQUAL(
      t["created"].as_int() - t["finished"].as_int() - t["deleted"].as_int(), 16);
  BOOST_CHECK_GE(t["finished"].as_int(), 1);  // w1's runners were counted gone
  BOOST_CHECK_GE(t["retries"].as_int(), 1);   // its calls in flight were handed back
  BOOST_CHECK_EQUAL(t["failed"].as_int(), 0);
  auto events = http_once(c.coordinator->http(), "GET", "/api/v1/pools/slow/events");
  BOOST_CHECK(events.body.find("node_lost") != std::string::npos);
  BOOST_TEST_MESSAGE("coordinator log:\n" << c.coordinator->proc().err());
}
