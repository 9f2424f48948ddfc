// fleet in a real troupe node: a pool of process runners scaled through the
// API, refilled when a runner exits, restored exactly after kill -9, driven by
// signed GitHub workflow_job webhooks (bad signatures refused, deliveries
// de-duplicated), and bad pool configuration refused with its place.
#define BOOST_TEST_MODULE fleet_node_test
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <thread>

#include "runtime/base/json/json.hpp"
#include "runtime/services/github/github_webhooks.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

const std::string secret = "webhook-secret-0123456789";

// A node config with one process pool whose runners sleep, marked by a
// unique argument so the test can count them.
std::string write_config(temp_dir& dir, const std::string& marker) {
  std::ofstream(dir.file("secret")) << secret << "\n";
  std::ofstream(dir.file("node.ini"))
      << "[node]\nname=\"fleet-itest\"\n"
      << "[webhooks]\ngithub-secret-file=\"" << dir.file("secret") << "\"\n"
      << "[fleet.pools]\nlocal={\n  max=6\n  labels=[\"self-hosted\",\"linux\"]\n"
      << "  provider=\"process\"\n  command=[\"sleep\",\"" << marker << "\"]\n}\n";
  return dir.file("node.ini");
}

// Live runner processes: `sleep <marker>`.
int count_runners(const std::string& marker) {
  child_process p({"/usr/bin/pgrep", "-fc", "^sleep " + marker + "$"}, "");
  p.wait_exit(10s);
  return std::atoi(p.out().c_str());
}

// The runner processes matching `marker`, once `n` of them exist (a runner
// the pool counts as started may not have exec'd its command yet) or 10 s
// have passed.
int await_runners(const std::string& marker, int n) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  int count = count_runners(marker);
  while (count != n && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    count = count_runners(marker);
  }
  return count;
}

json pool_state(const std::string& http) {
  auto r = http_once(http, "GET", "/api/v1/pools/local");
  BOOST_REQUIRE_EQUAL(r.status, 200);
  return *json::parse(r.body);
}

// Waits until the pool is ready, settled, and runs `running` runners.
json await_pool(const std::string& http, std::int64_t running) {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    auto s = pool_state(http);
    if (s["ready"].as_bool() && s["pending"].as_int() == 0 &&
        s["running"].as_int() == running)
      return s;
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          "pool state: " << s.dump());
    http_once(http, "GET",
              "/api/v1/pools/local?since=" + std::to_string(s["version"].as_int()));
  }
}

http_reply deliver(const std::string& http, const std::string& event,
                   const std::string& delivery, const std::string& body,
                   const std::string& sig) {
  return http_once(http, "POST", "/webhooks/github", body,
                   {{"X-GitHub-Event", event},
                    {"X-GitHub-Delivery", delivery},
                    {"X-Hub-Signature-256", sig},
                    {"Content-Type", "application/json"}});
}

std::string workflow_job(const std::string& action, const std::string& runner) {
  return R"({"action":")" + action +
         R"(","workflow_job":{"id":7,"labels":["self-hosted","linux"],"runner_name":)" +
         (runner.empty() ? std::string("null") : "\"" + runner + "\"") + "}}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(scale_refill_kill9_restart_and_webhooks) {
  temp_dir dir("fleet");
  auto marker = "31" + std::to_string(::getpid() % 1000);
  auto ini = write_config(dir, marker);
  std::optional<node_process> node(
      std::in_place, std::vector<std::string>{"--config-file=" + ini}, dir.path());

  auto r =
      http_once(node->http(), "POST", "/api/v1/pools/local/scale", R"({"replicas":3})");
  BOOST_CHECK_EQUAL(r.status, 202);
  await_pool(node->http(), 3);
  BOOST_CHECK_EQUAL(await_runners(marker, 3), 3);

  // A runner that exits is finished and replaced.
  child_process kill_one({"/usr/bin/pkill", "-n", "-f", "^sleep " + marker + "$"}, "");
  kill_one.wait_exit(10s);
  await_json(node->http(), "/api/v1/pools/local",
             [](const json& p) { return p["totals"]["finished"].as_int() >= 1; });
  await_pool(node->http(), 3);
  BOOST_CHECK_EQUAL(await_runners(marker, 3), 3);

  // Out of range and malformed scale requests.
  BOOST_CHECK_EQUAL(
      http_once(node->http(), "POST", "/api/v1/pools/local/scale", R"({"replicas":7})")
          .status,
      422);
  BOOST_CHECK_EQUAL(
      http_once(node->http(), "POST", "/api/v1/pools/local/scale", R"({"replicas":"x"})")
          .status,
      400);
  BOOST_CHECK_EQUAL(
      http_once(node->http(), "POST", "/api/v1/pools/nope/scale", R"({"replicas":1})")
          .status,
      404);

  // Webhooks: a queued job raises demand; a bad signature and a replayed
  // delivery change nothing.
  auto queued = workflow_job("queued", "");
  BOOST_CHECK_EQUAL(
      deliver(node->http(), "workflow_job", "d-1", queued, "sha256=00").status, 401);
  auto good = github_webhooks::signature(secret, queued);
  BOOST_CHECK_EQUAL(deliver(node->http(), "workflow_job", "d-1", queued, good).status,
                    202);
  auto replay = deliver(node->http(), "workflow_job", "d-1", queued, good);
  BOOST_CHECK_EQUAL(replay.status, 200);
  BOOST_CHECK(replay.body.find("duplicate") != std::string::npos);
  auto s = await_pool(node->http(), 4);
  BOOST_CHECK_EQUAL(s["desired"].as_int(), 4);

  // kill -9 in the middle of a scale-up, then restart: exactly the desired
  // runners, none leaked.
  http_once(node->http(), "POST", "/api/v1/pools/local/scale", R"({"replicas":6})");
  node->proc().signal(SIGKILL);
  node->proc().wait_exit(10s);
  node.reset();
  node.emplace(std::vector<std::string>{"--config-file=" + ini}, dir.path());
  s = await_pool(node->http(), 6);
  BOOST_CHECK_EQUAL(s["desired"].as_int(), 6);
  // Leftovers of the killed node were ended; only the new node's remain.
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (count_runners(marker) != 6 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  BOOST_CHECK_EQUAL(count_runners(marker), 6);

  node->proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(node->proc().wait_exit(30s).value_or(-1), 0);
  deadline = std::chrono::steady_clock::now() + 30s;
  while (count_runners(marker) != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  BOOST_CHECK_EQUAL(count_runners(marker), 0);  // runners end with their node
}

BOOST_AUTO_TEST_CASE(troupe_scale_cli_follows_the_operation_to_its_summary) {
  temp_dir dir("fleetcli");
  auto marker = "32" + std::to_string(::getpid() % 1000);
  auto ini = write_config(dir, marker);
  node_process node({"--config-file=" + ini}, dir.path());
  child_process cli(
      {troupe_bin(), "scale", "local", "4", "--server=http://" + node.http()}, "");
  BOOST_REQUIRE_EQUAL(cli.wait_exit(60s).value_or(-1), 0);
  BOOST_CHECK_MESSAGE(cli.err().find("created 4 of 4, 0 failed") != std::string::npos,
                      cli.err());
  auto out = json::parse(cli.out());
  BOOST_REQUIRE(out);
  BOOST_CHECK_EQUAL((*out)["running"].as_int(), 4);
  child_process bad(
      {troupe_bin(), "scale", "local", "99", "--server=http://" + node.http()}, "");
  BOOST_CHECK_EQUAL(bad.wait_exit(60s).value_or(-1), 1);
  BOOST_CHECK(bad.err().find("outside [min, max]") != std::string::npos);
  child_process usage({troupe_bin(), "scale", "local"}, "");
  BOOST_CHECK_EQUAL(usage.wait_exit(60s).value_or(-1), 2);
}

// A second signal ends the node at once, even while a runner that ignores
// SIGTERM holds up the graceful shutdown.
BOOST_AUTO_TEST_CASE(second_signal_exits_at_once) {
  temp_dir dir("fleetsig");
  // The runner says when it ignores SIGTERM (a signal before its trap would
  // simply end it).
  std::ofstream(dir.file("node.ini")) << R"([fleet.pools]
stubborn={
  max=1
  desired=1
  provider="process"
  command=["sh","-c","trap '' TERM; touch )"
                                      << dir.file("trapped") << R"(; exec sleep 60"]
}
)";
  node_process node({"--config-file=" + dir.file("node.ini")}, dir.path());
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!std::ifstream(dir.file("trapped"))) {
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, node.proc().err());
    std::this_thread::sleep_for(20ms);
  }
  node.proc().signal(SIGTERM);
  BOOST_REQUIRE(node.proc().await_log("shutting down", 10s));
  node.proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(node.proc().wait_exit(30s).value_or(-1), 128 + SIGTERM);
  BOOST_CHECK(node.proc().err().find("second signal") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_pool_configuration_names_the_place) {
  temp_dir dir("fleetcfg");
  std::ofstream(dir.file("bad.ini"))
      << "[fleet.pools]\nlocal={\n  max=2\n  provider=\"process\"\n"
      << "  command=[\"true\"]\n  maxx=3\n}\n";
  child_process p({troupe_bin(), "node", "--config-file=" + dir.file("bad.ini"),
                   "--node.data-dir=" + dir.path()},
                  "");
  BOOST_CHECK_EQUAL(p.wait_exit(30s).value_or(-1), 2);
  BOOST_CHECK_MESSAGE(p.err().find("bad.ini:6: unknown key 'fleet.pools.local.maxx'") !=
                          std::string::npos,
                      p.err());
  std::ofstream(dir.file("bad2.ini"))
      << "[fleet.pools]\nlocal={\n  min=3\n  max=2\n  command=[\"true\"]\n}\n";
  child_process q({troupe_bin(), "node", "--config-file=" + dir.file("bad2.ini"),
                   "--node.data-dir=" + dir.path()},
                  "");
  BOOST_CHECK_EQUAL(q.wait_exit(30s).value_or(-1), 2);
  BOOST_CHECK_MESSAGE(q.err().find("bad2.ini:2: pool 'local': min (3) exceeds max (2)") !=
                          std::string::npos,
                      q.err());
}
