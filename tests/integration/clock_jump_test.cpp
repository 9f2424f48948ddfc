// Wall-clock jumps on a real node, made with libfaketime (Debian's faketime):
// the node runs with its wall clock offset by a file the test rewrites, by an
// hour either way while work is in flight, and its steady clock left alone,
// as in a real jump (NTP stepping, a VM resumed). Deadlines, timeouts,
// windows and backoff run on the steady clock, so nothing fires early and
// nothing waits for the wall clock to come back: a workflow's timeout, a bench
// window, a scale-up. Skipped, saying so, where libfaketime is not installed.
#define BOOST_TEST_MODULE clock_jump_test
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
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

const std::string libfaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

boost::test_tools::assertion_result have_libfaketime(boost::unit_test::test_unit_id) {
  boost::test_tools::assertion_result r(std::filesystem::exists(libfaketime));
  r.message() << "skipped: " << libfaketime << " is missing (Debian package libfaketime)";
  return r;
}

std::int64_t real_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A troupe node whose wall clock the test moves.
class jumping_node {
 public:
  explicit jumping_node(std::vector<std::string> extra) : dir_("clock-jump") {
    set_offset(0);
    std::vector<std::string> argv{"/usr/bin/env",
                                  "LD_PRELOAD=" + libfaketime,
                                  "FAKETIME_TIMESTAMP_FILE=" + dir_.file("offset"),
                                  "FAKETIME_DONT_FAKE_MONOTONIC=1",
                                  "FAKETIME_CACHE_DURATION=1",
                                  troupe_bin(),
                                  "node",
                                  "--http.listen=127.0.0.1:0",
                                  "--node.data-dir=" + dir_.path()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    proc_.emplace(argv, dir_.path());
    auto at = proc_->await_log("listening on http://", 30s);
    if (!at) throw std::runtime_error("troupe node did not start:\n" + proc_->err());
    http_ = *at;
  }

  const std::string& http() const { return http_; }
  child_process& proc() { return *proc_; }

  // Moves the node's wall clock to `seconds` from the real one and waits
  // until the node reads it (libfaketime re-reads the file every second).
  void jump_to(int seconds) {
    set_offset(seconds);
    auto want = static_cast<std::int64_t>(seconds) * 1000;
    await_json(http_, "/api/v1/node", [&](const json& n) {
      auto off = n["time_ms"].as_int() - real_unix_ms();
      return off > want - 60'000 && off < want + 60'000;
    });
  }

 private:
  void set_offset(int seconds) {
    std::ofstream(dir_.file("offset")) << (seconds < 0 ? "" : "+") << seconds << "\n";
  }

  temp_dir dir_;
  std::optional<child_process> proc_;
  std::string http_;
};

std::string workflow_dir(temp_dir& dir) {
  // patient: done in 2 s, allowed 30 s. stuck: allowed 3 s, would take 10 min.
  std::ofstream(dir.file("patient.json"))
      << R"({"version": 1, "name": "patient", "timeout": 30, "tasks": {
             "nap": {"action": "core.shell", "input": {"argv": ["sleep", "2"]}}}})";
  std::ofstream(dir.file("stuck.json"))
      << R"({"version": 1, "name": "stuck", "timeout": 3, "tasks": {
             "nap": {"action": "core.shell", "input": {"argv": ["sleep", "600"]}}}})";
  return dir.path();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(clock_jumps, *boost::unit_test::precondition(have_libfaketime))

BOOST_AUTO_TEST_CASE(a_workflow_timeout_fires_neither_early_nor_late) {
  temp_dir defs("clock-wf");
  jumping_node node({"--workflow.workflows-dir=" + workflow_dir(defs)});
  auto patient = start_run(node.http(), R"({"workflow": "patient"})");
  node.jump_to(3600);  // an hour later: the 30 s timeout must not fire
  BOOST_CHECK_EQUAL(await_final(node.http(), patient)["state"].as_string(), "succeeded");

  auto stuck = start_run(node.http(), R"({"workflow": "stuck"})");
  node.jump_to(-3600);  // two hours back: the 3 s timeout must still fire
  auto ended = await_final(node.http(), stuck);
  BOOST_CHECK_EQUAL(ended["state"].as_string(), "failed");
  BOOST_CHECK(ended.dump().find("timed out") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bench_window_closes_on_time_whichever_way_the_clock_jumps) {
  temp_dir conf("clock-bench");
  {
    // A long window: commits after a jump forward join it, it does not close.
    std::ofstream(conf.file("long.ini")) << "[bench]\nwindow=1h\n";
    jumping_node node({"--config-file=" + conf.file("long.ini")});
    await_bench_ready(node.http());
    BOOST_REQUIRE_EQUAL(http_once(node.http(), "POST", "/api/v1/bench/commits",
                                  R"([{"sha":"aaaa0001","branch":"main"}])")
                            .status,
                        202);
    node.jump_to(2 * 3600);  // past the window's close on the wall clock
    BOOST_REQUIRE_EQUAL(http_once(node.http(), "POST", "/api/v1/bench/commits",
                                  R"([{"sha":"aaaa0002","branch":"main"}])")
                            .status,
                        202);
    auto s = get_json(node.http(), "/api/v1/bench/status");
    BOOST_CHECK_EQUAL(s["coverage"]["pending"].as_int(), 2);
    BOOST_CHECK_EQUAL(s["queue_depth"].as_int(), 0);
  }
  {
    // A short window and a jump back: it closes when due, not an hour later.
    std::ofstream(conf.file("short.ini")) << "[bench]\nwindow=3s\n";
    jumping_node node({"--config-file=" + conf.file("short.ini")});
    await_bench_ready(node.http());
    BOOST_REQUIRE_EQUAL(http_once(node.http(), "POST", "/api/v1/bench/commits",
                                  R"([{"sha":"bbbb0001","branch":"main"}])")
                            .status,
                        202);
    node.jump_to(-3600);
    await_json(node.http(), "/api/v1/bench/status",
               [](const json& s) { return s["queue_depth"].as_int() == 1; });
  }
}

BOOST_AUTO_TEST_CASE(a_scale_up_and_down_finish_across_jumps) {
  temp_dir conf("clock-fleet");
  std::ofstream(conf.file("node.ini"))
      << "[fleet.pools]\ndemo={\n  max=20\n  provider=\"sim\"\n"
      << "  sim-latency=300ms\n}\n";
  jumping_node node({"--config-file=" + conf.file("node.ini")});
  await_json(node.http(), "/api/v1/pools/demo",
             [](const json& p) { return p["ready"].as_bool(); });
  BOOST_REQUIRE_EQUAL(
      http_once(node.http(), "POST", "/api/v1/pools/demo/scale", R"({"replicas": 10})")
          .status,
      202);
  node.jump_to(3600);
  await_json(node.http(), "/api/v1/pools/demo",
             [](const json& p) { return p["running"].as_int() == 10; });
  BOOST_REQUIRE_EQUAL(
      http_once(node.http(), "POST", "/api/v1/pools/demo/scale", R"({"replicas": 0})")
          .status,
      202);
  node.jump_to(-3600);
  auto done = await_json(node.http(), "/api/v1/pools/demo", [](const json& p) {
    return p["running"].as_int() == 0 && p["pending"].as_int() == 0;
  });
  BOOST_CHECK_EQUAL(done["breaker"].as_string(), "closed");
}

BOOST_AUTO_TEST_SUITE_END()
