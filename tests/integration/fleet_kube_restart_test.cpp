// Restart safety against troupe-kube-sim: kill -9 a node in the middle of
// creating 1,000 runners (with throttling, 5xx and slow successes), start it
// again, and it converges to exactly the desired count: no leaked runner, no
// duplicate, no second create of a runner that exists.
#define BOOST_TEST_MODULE fleet_kube_restart_test
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <thread>

#include "runtime/base/json/json.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

std::string build_dir() {
  auto* v = std::getenv("TROUPE_BUILD_DIR");
  return v ? v : ".";
}

}  // namespace

BOOST_AUTO_TEST_CASE(kill9_during_1000_creations_converges_exactly) {
  temp_dir dir("kube-restart");
  child_process sim({build_dir() + "/troupe-kube-sim", "--listen=127.0.0.1:0",
                     "--latency-ms=20", "--jitter-ms=10", "--rate=400", "--burst=100",
                     "--error-rate=0.05", "--slow-rate=0.01", "--slow-ms=1500"},
                    "");
  auto sim_addr = sim.await_log("listening on http://", 30s);
  BOOST_REQUIRE_MESSAGE(sim_addr, sim.err());
  std::ofstream(dir.file("node.ini"))
      << "[fleet]\ncreation-timeout=1s\nbackoff-base=20ms\nbackoff-cap=500ms\nmax-"
         "attempts=50\n"
      << "[fleet.pools]\nk8s={\n  max=1000\n  provider=\"kubernetes\"\n"
      << "  api-server=\"http://" << *sim_addr << "\"\n"
      << "  resource-path=\"/api/v1/namespaces/ci/pods\"\n  creation-concurrency=50\n}\n";
  std::vector<std::string> args{"--config-file=" + dir.file("node.ini")};
  std::optional<node_process> node(std::in_place, args, dir.path());
  auto r =
      http_once(node->http(), "POST", "/api/v1/pools/k8s/scale", R"({"replicas":1000})");
  BOOST_REQUIRE_EQUAL(r.status, 202);
  // Kill it mid-way: some hundreds created, the rest queued or in flight.
  auto deadline = std::chrono::steady_clock::now() + 120s;
  for (;;) {
    auto s = get_json(node->http(), "/api/v1/pools/k8s");
    if (s["totals"]["created"].as_int() >= 300) break;
    BOOST_REQUIRE(std::chrono::steady_clock::now() < deadline);
    http_once(node->http(), "GET",
              "/api/v1/pools/k8s?since=" + std::to_string(s["version"].as_int()));
  }
  node->proc().signal(SIGKILL);
  node->proc().wait_exit(10s);
  node.reset();
  auto mid = get_json(*sim_addr, "/debug/counts");
  BOOST_TEST_MESSAGE("objects at the kill: " << mid["objects"].as_int());
  BOOST_CHECK_LT(mid["objects"].as_int(), 1000);

  node.emplace(args, dir.path());
  json s;
  deadline = std::chrono::steady_clock::now() + 180s;
  for (;;) {
    s = get_json(node->http(), "/api/v1/pools/k8s");
    if (s["ready"].as_bool() && s["pending"].as_int() == 0 &&
        s["runners"]["deleting"].as_int() == 0 && s["running"].as_int() == 1000)
      break;
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, s.dump());
    http_once(node->http(), "GET",
              "/api/v1/pools/k8s?since=" + std::to_string(s["version"].as_int()));
  }
  BOOST_CHECK_EQUAL(s["desired"].as_int(), 1000);
  auto counts = get_json(*sim_addr, "/debug/counts");
  BOOST_TEST_MESSAGE("sim after restart: " << counts.dump());
  BOOST_CHECK_EQUAL(counts["objects"].as_int(), 1000);
  BOOST_CHECK_EQUAL(counts["duplicates"].as_int(), 0);
  // Every object the API holds is one the pool tracks. The list is an API
  // call like any other: the simulator fails or throttles some on purpose.
  auto list = await_json(*sim_addr, "/api/v1/namespaces/ci/pods",
                         [](const json&) { return true; });
  BOOST_CHECK_EQUAL(list["items"].size(), 1000u);
  node->proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(node->proc().wait_exit(30s).value_or(-1), 0);
}
