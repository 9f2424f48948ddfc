// A node killed with SIGKILL while its children run: a workflow's core.shell
// items, a benchmark suite, process runners. The children outlive it as
// orphans (checked); the next start on the same data directory ends them
// before any subsystem starts, so when the node answers, none of them is
// alive, and nothing of the dead node writes again while its work is re-run.
// The re-run's results are exact.
#define BOOST_TEST_MODULE leftovers_test
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "runtime/base/json/json.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/runs.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

std::vector<int> pids_in(const std::string& path) {
  std::ifstream in(path);
  std::vector<int> out;
  for (int pid; in >> pid;) out.push_back(pid);
  return out;
}

// Waits until `path` lists at least `n` pids.
std::vector<int> await_pids(const std::string& path, std::size_t n) {
  for (int i = 0; i < 600 && pids_in(path).size() < n; ++i)
    std::this_thread::sleep_for(50ms);
  auto pids = pids_in(path);
  BOOST_REQUIRE_MESSAGE(pids.size() >= n,
                        path << " lists " << pids.size() << " of " << n);
  return pids;
}

// Alive and not a zombie.
bool alive(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

// A shell script that records its pid in `started`, waits for `release`,
// then records its pid in `finished` and prints `output`.
std::string held_script(const temp_dir& dir, const std::string& output) {
  auto path = dir.file("held.sh");
  // It gives up when the test's directory is gone, so that no run of it
  // outlives the test.
  std::ofstream(path) << "#!/bin/sh\necho $$ >> " << dir.file("started")
                      << "\nwhile [ ! -e " << dir.file("release") << " ]; do [ -d "
                      << dir.path() << " ] || exit 1; sleep 0.05; done\necho $$ >> "
                      << dir.file("finished") << "\n"
                      << output << "\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

// Kills the node with SIGKILL and checks that `pids` outlive it.
void kill_node(std::optional<node_process>& node, const std::vector<int>& pids) {
  node->proc().signal(SIGKILL);
  node->proc().wait_exit(30s);
  for (int pid : pids)
    BOOST_REQUIRE_MESSAGE(alive(pid), "child " << pid << " died with the node");
  node.reset();
}

// The node restarted: once it answers, no child of its dead run is alive.
void check_none_alive(node_process& node, const std::vector<int>& pids) {
  for (int pid : pids)
    BOOST_CHECK_MESSAGE(!alive(pid), "child " << pid << " of the dead node still runs");
  BOOST_CHECK(node.proc().err().find("that a previous run of this node left running") !=
              std::string::npos);
  // Counted per process: the children's own children (a shell's sleep) too.
  auto metrics = http_once(node.http(), "GET", "/metrics").body;
  auto at = metrics.find("\ntroupe_process_leftovers_ended_total ");
  BOOST_REQUIRE(at != std::string::npos);
  BOOST_CHECK_GE(std::stod(metrics.substr(at + 38)), static_cast<double>(pids.size()));
}

// Stops the node as an operator would: its process service ends what it runs.
void stop(node_process& node) {
  node.proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(node.proc().wait_exit(30s).value_or(-1), 0);
}

// Pids in `finished` that belong to the dead node's children.
std::size_t finished_by(const temp_dir& dir, const std::vector<int>& pids) {
  std::set<int> old(pids.begin(), pids.end());
  std::size_t n = 0;
  for (int pid : pids_in(dir.file("finished"))) n += old.count(pid);
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(workflow_shells_of_a_dead_node_end_before_their_rerun) {
  temp_dir dir("leftover-wf");
  auto script = held_script(dir, "echo done");
  std::ofstream(dir.file("hold.json"))
      << R"({"version": 1, "name": "hold", "input": {"n": [1, 2, 3, 4]}, "tasks": {"each": {
             "action": "core.shell", "with_items": "{{ parameters.n }}", "concurrency": 4,
             "input": {"argv": [")"
      << script << R"("]}}}})";
  auto data = dir.file("data");
  std::filesystem::create_directories(data);
  std::vector<std::string> args{"--workflow.workflows-dir=" + dir.path()};
  std::optional<node_process> node(std::in_place, args, data);
  auto id = start_run(node->http(), R"({"workflow": "hold"})");
  auto old = await_pids(dir.file("started"), 4);
  kill_node(node, old);

  node.emplace(args, data);
  check_none_alive(*node, old);
  std::ofstream(dir.file("release")) << "go";
  BOOST_CHECK_EQUAL(await_final(node->http(), id)["state"].as_string(), "succeeded");
  BOOST_CHECK_EQUAL(finished_by(dir, old), 0u);
  BOOST_CHECK_EQUAL(pids_in(dir.file("finished")).size(), 4u);
  stop(*node);
}

BOOST_AUTO_TEST_CASE(a_benchmark_suite_of_a_dead_node_never_overlaps_its_rerun) {
  temp_dir dir("leftover-bench");
  auto suite = held_script(dir, "echo 't 1.0 ms'");
  std::ofstream(dir.file("node.ini"))
      << "[bench]\nwindow=1s\n[bench.platforms]\nlinux={\n  suites={\n"
      << "    s={\n      argv=[\"" << suite << "\"]\n    }\n  }\n}\n";
  auto data = dir.file("data");
  std::filesystem::create_directories(data);
  std::vector<std::string> args{"--config-file=" + dir.file("node.ini")};
  std::optional<node_process> node(std::in_place, args, data);
  await_bench_ready(node->http());
  BOOST_REQUIRE_EQUAL(http_once(node->http(), "POST", "/api/v1/bench/commits",
                                R"([{"sha":"abcd0001","branch":"main"}])")
                          .status,
                      202);
  auto old = await_pids(dir.file("started"), 1);
  kill_node(node, old);

  node.emplace(args, data);
  check_none_alive(*node, old);
  std::ofstream(dir.file("release")) << "go";
  await_json(node->http(), "/api/v1/bench/status", [](const json& s) {
    return s["coverage"]["benchmarked"].as_int() == 1 && s["active_runs"].size() == 0;
  });
  BOOST_CHECK_EQUAL(finished_by(dir, old), 0u);
  BOOST_CHECK_MESSAGE(pids_in(dir.file("finished")).size() >= 1u,
                      node->proc().err());  // more: measured again
  stop(*node);
}

BOOST_AUTO_TEST_CASE(process_runners_of_a_dead_node_end_before_new_ones_start) {
  temp_dir dir("leftover-fleet");
  auto runner = dir.file("runner.sh");
  std::ofstream(runner) << "#!/bin/sh\necho $$ >> " << dir.file("started")
                        << "\nexec sleep 600\n";
  ::chmod(runner.c_str(), 0755);
  std::ofstream(dir.file("node.ini"))
      << "[fleet.pools]\nlocal={\n  max=5\n  provider=\"process\"\n"
      << "  command=[\"" << runner << "\"]\n}\n";
  auto data = dir.file("data");
  std::filesystem::create_directories(data);
  std::vector<std::string> args{"--config-file=" + dir.file("node.ini")};
  std::optional<node_process> node(std::in_place, args, data);
  BOOST_REQUIRE_EQUAL(
      http_once(node->http(), "POST", "/api/v1/pools/local/scale", R"({"replicas":3})")
          .status,
      202);
  auto old = await_pids(dir.file("started"), 3);
  kill_node(node, old);

  node.emplace(args, data);
  check_none_alive(*node, old);
  await_json(node->http(), "/api/v1/pools/local",
             [](const json& p) { return p["running"].as_int() == 3; });
  auto all = await_pids(dir.file("started"), 6);
  std::size_t live = 0;
  for (int pid : all) live += alive(pid);
  BOOST_CHECK_EQUAL(live, 3u);  // the new node's three, none of the old
  stop(*node);
}
