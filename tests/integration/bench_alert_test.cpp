// A regression in a real node, end to end: one platform whose suite (a
// script in troupe's simple format) prints 10 samples around 100 ms for every
// commit before a culprit and around 110 ms (+10%) from it on. Commits arrive
// one manual run at a time over the API; the culprit is not benchmarked
// itself but lies inside the range of the run after it. Once every run is
// appended the step must be alerted every way issue 5 names: an entry in
// GET /api/v1/bench/regressions naming that run and its commit range,
// troupe_bench_regressions_total in /metrics, a log line, and one POST to
// [bench] alert-webhook (a troupe::http_server inside the test) carrying the
// benchmark, the platform and the commit range.
#define BOOST_TEST_MODULE bench_alert_test
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "runtime/base/json/json.hpp"
#include "runtime/services/http/server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

// Receives the alert webhook's POSTs on /hook.
struct hook_listener {
  hook_listener() : server(options()) {
    server.route(
        "POST", "/hook",
        [this](const http_request& q, http_responder respond) {
          {
            std::lock_guard<std::mutex> lock(mu);
            bodies.push_back(q.body);
          }
          posted.notify_all();
          respond(text_response("ok"));
        },
        troupe::http_access::open);
    auto bound = server.start();
    BOOST_REQUIRE_MESSAGE(bound, bound.error().message());
    url = "http://" + *bound + "/hook";
  }
  static http_options options() {
    http_options o;
    o.listen = "127.0.0.1:0";
    return o;
  }
  // What was POSTed, once something was or `limit` passed.
  std::vector<std::string> await_received(std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mu);
    posted.wait_for(lock, limit, [this] { return !bodies.empty(); });
    return bodies;
  }

  std::mutex mu;
  std::condition_variable posted;
  std::vector<std::string> bodies;
  http_server server;
  std::string url;
};

// Commit i is "c0de<1000+i>", so the script can read its number back.
std::string sha(int i) {
  return "c0de" + std::to_string(1000 + i);
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  for (auto& s : array.items()) out.emplace_back(s.as_string());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_step_is_alerted_with_its_commit_range_in_every_channel) {
  constexpr int culprit = 7;  // commits 1..6: ~100 ms; 7 and later: ~110 ms
  temp_dir dir("bench-alert");
  hook_listener hook;
  // 10 samples x.d ms, d a deterministic function of commit and sample: the
  // runs differ a little (< 1%), the step is 10%.
  auto suite = dir.file("suite.sh");
  std::ofstream(suite)
      << "#!/bin/sh\nn=${1#c0de}\nbase=100\n[ \"$n\" -ge " << 1000 + culprit
      << " ] && base=110\nj=0\nwhile [ $j -lt 10 ]; do\n"
      << "  echo \"t $base.$(( (n * 7 + j * j) % 10 )) ms\"\n  j=$((j + 1))\ndone\n";
  ::chmod(suite.c_str(), 0755);
  std::ofstream(dir.file("node.ini"))
      << "[bench]\nwindow=1h\ncollector-deadline=10min\nbaseline-runs=5\n"
      << "confirm-runs=3\nalert-webhook=\"" << hook.url << "\"\n"
      << "[bench.platforms]\nlinux={\n  suites={\n    s={\n      argv=[\"" << suite
      << "\",\"{commit}\"]\n    }\n  }\n}\n";
  node_process node({"--config-file=" + dir.file("node.ini")}, dir.path());
  await_bench_ready(node.http());

  // One manual run per commit, except the culprit's run: it benchmarks the
  // commit after the culprit, so its range is [culprit, culprit + 1].
  struct planned {
    std::int64_t id;
    std::vector<std::string> range;
  };
  std::vector<planned> runs;
  for (int i = 1; i <= 11; ++i) {
    std::vector<std::string> range{sha(i)};
    if (i == culprit) range.push_back(sha(++i));
    std::string body = "[";
    for (auto& s : range)
      body += std::string(body.size() > 1 ? "," : "") + R"({"sha":")" + s +
              R"(","branch":"main"})";
    auto in = http_once(node.http(), "POST", "/api/v1/bench/commits", body + "]");
    BOOST_REQUIRE_MESSAGE(in.status == 202, in.status << " " << in.body);
    auto run =
        http_once(node.http(), "POST", "/api/v1/bench/runs", R"({"branch":"main"})");
    BOOST_REQUIRE_MESSAGE(run.status == 202, run.status << " " << run.body);
    auto ids = (*json::parse(run.body))["runs"];
    BOOST_REQUIRE_EQUAL(ids.size(), 1u);
    runs.push_back({ids[0].as_int(), range});
  }
  const auto& step_run = runs.at(culprit - 1);

  await_json(
      node.http(), "/api/v1/bench/runs",
      [&](const json& listed) {
        std::size_t appended = 0;
        for (auto& r : listed["runs"].items())
          appended += r["state"].as_string() == "appended";
        return appended == runs.size();
      },
      120s);
  // The run's own record names the culprit's range.
  auto run = get_json(node.http(), "/api/v1/bench/runs/" + std::to_string(step_run.id));
  BOOST_CHECK(strings(run["commit_range"]) == step_run.range);

  // The API: exactly one step, at the culprit's run, with its range.
  auto steps = await_json(
      node.http(), "/api/v1/bench/regressions",
      [](const json& r) { return !r["regressions"].empty(); }, 120s)["regressions"];
  BOOST_REQUIRE_EQUAL(steps.size(), 1u);
  auto& step = steps[0];
  BOOST_CHECK_EQUAL(step["run_id"].as_int(), step_run.id);
  BOOST_CHECK_EQUAL(step["platform"].as_string(), "linux");
  BOOST_CHECK_EQUAL(step["benchmark"].as_string(), "s/t");
  BOOST_CHECK_EQUAL(step["kind"].as_string(), "regression");
  BOOST_CHECK_EQUAL(step["commit"].as_string(), sha(culprit + 1));
  BOOST_CHECK(strings(step["commit_range"]) == step_run.range);
  BOOST_CHECK_CLOSE(step["relative_change"].as_double(), 0.10, 10.0);  // 10% +- 1 point

  // The metric.
  auto metrics = http_once(node.http(), "GET", "/metrics");
  BOOST_REQUIRE_EQUAL(metrics.status, 200);
  auto counted = metric_sample(
      metrics.body,
      R"(troupe_bench_regressions_total{platform="linux",benchmark="s/t",kind="regression"} )");
  BOOST_CHECK_MESSAGE(counted == 1, "troupe_bench_regressions_total is " << counted);

  // The log line, naming the benchmark, platform, run and range.
  auto line = node.proc().await_log("bench: regression of ", 30s);
  BOOST_REQUIRE_MESSAGE(line, "no alert log line in:\n" << node.proc().err());
  BOOST_TEST_MESSAGE("log: " << *line);
  auto range = sha(culprit) + ".." + sha(culprit + 1);
  BOOST_CHECK(line->find("in s/t on linux at run " + std::to_string(step_run.id)) !=
              std::string::npos);
  BOOST_CHECK(line->find("commits " + range) != std::string::npos);

  // The webhook: one POST with the step.
  auto posted = hook.await_received(60s);
  BOOST_REQUIRE_EQUAL(posted.size(), 1u);
  auto doc = json::parse(posted[0]);
  BOOST_REQUIRE_MESSAGE(doc, posted[0]);
  BOOST_CHECK_EQUAL((*doc)["event"].as_string(), "bench_step");
  auto& hooked = (*doc)["step"];
  BOOST_CHECK_EQUAL(hooked["benchmark"].as_string(), "s/t");
  BOOST_CHECK_EQUAL(hooked["platform"].as_string(), "linux");
  BOOST_CHECK_EQUAL(hooked["run_id"].as_int(), step_run.id);
  BOOST_CHECK_EQUAL(hooked["kind"].as_string(), "regression");
  BOOST_CHECK(strings(hooked["commit_range"]) == step_run.range);

  node.proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(node.proc().wait_exit(30s).value_or(-1), 0);
}
