// Bench placement across real troupe processes on loopback: a coordinator
// (scheduler, collector, history; the platforms' definitions in its INI) and
// worker nodes that each run one platform. A tagged commit is benchmarked by
// both platforms on their workers (each command records its parent process,
// the worker); a node that did not join, and a member whose platform does not
// fit, are refused; a worker killed (-9) mid-run leaves the run to the
// standby worker of the same platform, which runs it again, or, with no
// worker left, to the collector's deadline (a gap).
#define BOOST_TEST_MODULE bench_cluster_test
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <csignal>
#include <fstream>
#include <thread>

#include "actors/bench/bench_context.hpp"
#include "actors/bench/placement.hpp"
#include "messages/errors.hpp"
#include "messages/node.hpp"
#include "messages/registry.hpp"
#include "runtime/base/hmac.hpp"
#include "runtime/base/json/json.hpp"
#include "tests/support/cluster.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

// A platform whose one suite runs `script` with sh in `workdir`.
std::string platform_ini(const std::string& name, const std::string& workdir,
                         const std::string& script) {
  return name + "={\n  workdir=\"" + workdir +
         "\"\n  suites={\n    s={\n      argv=[\"sh\",\"-c\",\"" + script +
         "\"]\n      format=\"simple\"\n    }\n  }\n}\n";
}

// Cluster timing for these tests: a lost worker is noticed quickly.
const std::vector<std::string> fast_heartbeats{"--cluster.heartbeat-interval=100ms",
                                               "--cluster.connection-timeout=2s"};

// A coordinator of `c` whose [bench.platforms] is `platforms`, with [bench]
// collector-deadline `deadline`. Suites here are scripts that sleep, and the
// tests count how often they ran: a node starting beside one would count as
// a disturbance and have it measured again, so disturbance-retries is 0.
std::unique_ptr<node_process> start_coordinator(test_cluster& c,
                                                const std::string& platforms,
                                                const std::string& deadline = "1h") {
  std::ofstream(c.dir().file("coordinator.ini"))
      << "[bench]\nwindow=1h\ndisturbance-retries=0\ncollector-deadline=" << deadline
      << "\n[bench.platforms]\n"
      << platforms;
  auto args = fast_heartbeats;
  args.push_back("--config-file=" + c.dir().file("coordinator.ini"));
  return c.coordinator(args);
}

// A worker of `c` that runs `platform`.
std::unique_ptr<node_process> start_worker(test_cluster& c, const std::string& name,
                                           const std::string& platform) {
  auto args = fast_heartbeats;
  args.push_back("--cluster.platform=" + platform);
  return c.worker(name, args);
}

// Waits until bench is ready and every platform in `names` has pulled
// (idle at the scheduler).
void await_idle(node_process& coordinator, const std::vector<std::string>& names) {
  await_json(coordinator.http(), "/api/v1/bench/status", [&](const json& s) {
    if (!s["ready"].as_bool()) return false;
    std::size_t idle = 0;
    for (auto& p : s["platforms"].items())
      for (auto& n : names)
        idle += p["name"].as_string() == n && p["state"].as_string() == "idle";
    return idle == names.size();
  });
}

void submit_tagged(node_process& coordinator, const std::string& sha) {
  auto r =
      http_once(coordinator.http(), "POST", "/api/v1/bench/commits",
                R"([{"sha":")" + sha + R"(","branch":"main","message":"[bench] now"}])");
  BOOST_REQUIRE_MESSAGE(r.status == 202, r.status << " " << r.body);
}

// Waits for `run` to be appended; on failure the coordinator's log is shown.
json await_appended(node_process& coordinator, int run) {
  return await_json(
      coordinator.http(), "/api/v1/bench/runs/" + std::to_string(run),
      [&](const json& r) {
        auto done = r["state"].as_string() == "appended";
        if (!done && !coordinator.proc().running())
          BOOST_FAIL("coordinator ended: " << coordinator.proc().err());
        return done;
      },
      40s, [&] { return "log:\n" + coordinator.proc().err(); });
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::string word;
  in >> word;
  return word;
}

// Checks that the request behind `answer` fails with errc::not_a_member.
template <class T, class Handle>
void expect_refused(caf::actor_system& sys, Handle&& answer, const char* what) {
  bool refused = false;
  answer.receive([](T&) {},
                 [&](caf::error& err) {
                   BOOST_TEST_MESSAGE(what << ": " << sys.render(err));
                   refused = is(err, errc::not_a_member);
                 });
  BOOST_CHECK_MESSAGE(refused, what << " was not refused as not_a_member");
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_platform_runs_on_its_worker_and_the_run_is_appended) {
  test_cluster c("bench-cluster");
  auto& dir = c.dir();
  auto script = "echo $PPID > {platform}-{run}.ppid; echo 'speed 1 ms'";
  auto coord = start_coordinator(
      c, platform_ini("p1", dir.path(), script) + platform_ini("p2", dir.path(), script));
  auto w1 = start_worker(c, "w1", "p1");
  auto w2 = start_worker(c, "w2", "p2");
  await_idle(*coord, {"p1", "p2"});
  submit_tagged(*coord, "c0de0001");

  auto run = await_appended(*coord, 1);
  BOOST_CHECK(run["artifacts"].find("p1") != nullptr);
  BOOST_CHECK(run["artifacts"].find("p2") != nullptr);
  BOOST_CHECK_MESSAGE(run["gaps"].empty(), run["gaps"].dump());
  // Each command's parent is the worker of its platform.
  BOOST_CHECK_EQUAL(read_file(dir.file("p1-1.ppid")), std::to_string(w1->proc().pid()));
  BOOST_CHECK_EQUAL(read_file(dir.file("p2-1.ppid")), std::to_string(w2->proc().pid()));
  // The workers count the jobs they ran (reported with their heartbeats).
  await_json(coord->http(), "/api/v1/cluster", [](const json& v) {
    int done = 0;
    for (auto& m : v["members"].items())
      done += m["completed"].as_int() == 1 && m["in_flight"].as_int() == 0;
    return done == 2;
  });
  // The platform actors end with the coordinator's actors.
  coord->proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(coord->proc().wait_exit(30s).value_or(-1), 0);
  BOOST_CHECK(w1->proc().await_log("bench: platform p1: the coordinator's", 20s));
  BOOST_CHECK(w2->proc().await_log("bench: platform p2: the coordinator's", 20s));
  for (auto* n : {&w1->proc(), &w2->proc()}) {
    n->signal(SIGTERM);
    BOOST_CHECK_EQUAL(n->wait_exit(30s).value_or(-1), 0);
  }
}

BOOST_AUTO_TEST_CASE(non_members_and_members_of_another_platform_are_refused) {
  test_cluster c("bench-cluster-refuse");
  auto& dir = c.dir();
  auto coord =
      start_coordinator(c, platform_ini("p1", dir.path(), "echo 'speed 1 ms'") +
                               platform_ini("p2", dir.path(), "echo 'speed 1 ms'"));
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  add_message_types(cfg);
  caf::actor_system sys{cfg};
  auto node = sys.middleman().remote_actor<node_actor>("127.0.0.1", c.port());
  BOOST_REQUIRE_MESSAGE(node, (node ? std::string() : sys.render(node.error())));
  caf::scoped_actor self{sys};

  // Not a member: neither CAF's own registry lookup nor the node actor's
  // lookup hands out bench's actors.
  auto scheduler_name = caf::atom_from_string(bench::scheduler_key.name);
  auto collector_name = caf::atom_from_string(bench::collector_key.name);
  BOOST_CHECK(!sys.middleman().remote_lookup(scheduler_name, node->node()));
  BOOST_CHECK(!sys.middleman().remote_lookup(collector_name, node->node()));
  expect_refused<caf::actor>(
      sys, self->request(*node, 10s, lookup_atom::value, scheduler_name),
      "a lookup by a non-member");

  // A member that runs p2 may not pull or report p1's work.
  std::string nonce;
  self->request(*node, 10s, join_atom::value, std::string("intruder"))
      .receive([&](std::string& n) { nonce = n; },
               [&](caf::error& err) { BOOST_FAIL(sys.render(err)); });
  member_info me{"intruder", {"platform"}, "p2", {}, "test"};
  self->request(*node, 10s, join_atom::value, me,
                hmac_sha256_hex(
                    test_cluster::secret(),
                    join_proof_text("join", nonce, me.name, caf::to_string(sys.node()))),
                std::string("worker-nonce"))
      .receive([&](std::string& name,
                   std::string&) { BOOST_CHECK_EQUAL(name, "coordinator"); },
               [&](caf::error& err) { BOOST_FAIL(sys.render(err)); });
  caf::actor scheduler, collector;
  for (auto [name, out] :
       {std::pair{scheduler_name, &scheduler}, std::pair{collector_name, &collector}})
    self->request(*node, 10s, lookup_atom::value, name)
        .receive([&, out = out](caf::actor& a) { *out = a; },
                 [&](caf::error& err) { BOOST_FAIL(sys.render(err)); });
  BOOST_REQUIRE(scheduler && collector);
  // A member's view of them: their pull sides (messages/bench.hpp).
  auto pull = caf::actor_cast<bench_pull_actor>(scheduler);
  auto artifacts = caf::actor_cast<bench_artifact_actor>(collector);
  expect_refused<bench_job>(sys,
                            self->request(pull, 10s, bench_next_atom::value,
                                          std::string("p1"), std::string("intruder")),
                            "a pull of another platform");
  expect_refused<bool>(sys, self->request(artifacts, 10s, bench_artifact{1, "p1", "{}"}),
                       "an artifact of another platform");
  // A handle cast to the whole scheduler does not make a member an API caller.
  expect_refused<bench_intake>(
      sys,
      self->request(caf::actor_cast<bench_scheduler_actor>(scheduler), 10s,
                    bench_submit_atom::value,
                    std::vector<bench_commit>{{"c0de0009", "", 0, "x [bench]", "main"}}),
      "a submission by a member");
  // Its own platform's definition comes from the coordinator's INI.
  self->request(pull, 10s, bench_platform_atom::value, std::string("p2"))
      .receive(
          [&](bench_platform_def& def) {
            BOOST_CHECK_EQUAL(def.workdir, dir.path());
            BOOST_REQUIRE_EQUAL(def.suites.size(), 1u);
            BOOST_CHECK_EQUAL(def.suites[0].argv.back(), "echo 'speed 1 ms'");
          },
          [&](caf::error& err) { BOOST_FAIL(sys.render(err)); });
  coord->proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(coord->proc().wait_exit(30s).value_or(-1), 0);
}

BOOST_AUTO_TEST_CASE(a_worker_killed_mid_run_leaves_the_run_to_the_standby) {
  test_cluster c("bench-cluster-kill");
  auto& dir = c.dir();
  // The first attempt records who runs it and hangs; the second finishes.
  auto script =
      "if [ -e started-{run} ]; then echo $PPID > done-{run}; echo 'speed 1 ms'; "
      "else echo $PPID > started-{run}; echo $$ > group-{run}; exec sleep 120; fi";
  auto coord = start_coordinator(c, platform_ini("p1", dir.path(), script));
  auto w1 = start_worker(c, "w1", "p1");
  auto w2 = start_worker(c, "w2", "p1");
  await_idle(*coord, {"p1"});
  submit_tagged(*coord, "c0de0002");

  std::string holder;
  for (int i = 0; i < 300 && holder.empty(); ++i) {
    std::this_thread::sleep_for(100ms);
    holder = read_file(dir.file("started-1"));
  }
  BOOST_REQUIRE_MESSAGE(!holder.empty(), "no worker started run 1");
  auto& victim = holder == std::to_string(w1->proc().pid()) ? *w1 : *w2;
  auto& survivor = &victim == w1.get() ? *w2 : *w1;
  victim.proc().signal(SIGKILL);
  // The hanging command lives in its own process group; end it too.
  for (int i = 0; i < 50 && read_file(dir.file("group-1")).empty(); ++i)
    std::this_thread::sleep_for(100ms);
  if (auto group = read_file(dir.file("group-1")); !group.empty())
    ::kill(-std::stoi(group), SIGKILL);

  auto run = await_appended(*coord, 1);
  BOOST_CHECK(run["artifacts"].find("p1") != nullptr);
  BOOST_CHECK_MESSAGE(run["gaps"].empty(), run["gaps"].dump());
  BOOST_CHECK_EQUAL(read_file(dir.file("done-1")), std::to_string(survivor.proc().pid()));
  for (auto* n : {&survivor.proc(), &coord->proc()}) {
    n->signal(SIGTERM);
    BOOST_CHECK_EQUAL(n->wait_exit(30s).value_or(-1), 0);
  }
}

BOOST_AUTO_TEST_CASE(a_run_whose_only_worker_was_killed_is_appended_with_a_gap) {
  test_cluster c("bench-cluster-gap");
  auto& dir = c.dir();
  auto coord = start_coordinator(
      c, platform_ini("p1", dir.path(), "echo $$ > group-{run}; exec sleep 120"), "2s");
  auto w1 = start_worker(c, "w1", "p1");
  await_idle(*coord, {"p1"});
  submit_tagged(*coord, "c0de0003");
  std::string group;
  for (int i = 0; i < 300 && group.empty(); ++i) {
    std::this_thread::sleep_for(100ms);
    group = read_file(dir.file("group-1"));
  }
  BOOST_REQUIRE_MESSAGE(!group.empty(), "the worker did not start run 1");
  w1->proc().signal(SIGKILL);
  ::kill(-std::stoi(group), SIGKILL);

  auto run = await_appended(*coord, 1);
  BOOST_CHECK(run["artifacts"].empty());
  BOOST_REQUIRE_EQUAL(run["gaps"].size(), 1u);
  BOOST_CHECK_EQUAL(run["gaps"][0]["platform"].as_string(), "p1");
  BOOST_CHECK_EQUAL(run["gaps"][0]["reason"].as_string(), "deadline");
  coord->proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(coord->proc().wait_exit(30s).value_or(-1), 0);
}

// The coordinator dies while a worker runs a benchmark: the worker finishes
// it, keeps the artifact, and hands it to the coordinator's collector when it
// is back; the run is appended with that artifact and is not run again.
BOOST_AUTO_TEST_CASE(a_benchmark_that_ran_through_the_coordinators_death_is_delivered) {
  test_cluster c("bench-coord-death");
  auto runs = c.dir().file("runs.log");
  auto platforms = platform_ini("p1", c.dir().path(),
                                "echo ran >> " + runs + "; sleep 2; echo 'speed 1 ms'");
  auto coord = start_coordinator(c, platforms);
  auto w1 = start_worker(c, "w1", "p1");
  BOOST_REQUIRE(await_member(coord->http(), "w1", "up", 10s) >= 0);
  await_idle(*coord, {"p1"});
  submit_tagged(*coord, "c0de0042");
  for (int i = 0; i < 200 && read_file(runs).empty(); ++i)
    std::this_thread::sleep_for(20ms);
  BOOST_REQUIRE(!read_file(runs).empty());  // the benchmark runs on w1
  coord->proc().signal(SIGKILL);
  coord->proc().wait_exit(5s);
  BOOST_TEST(w1->proc().await_log("keeps the artifact of run 1", 10s).has_value());

  coord = start_coordinator(c, platforms);
  BOOST_TEST(await_member(coord->http(), "w1", "up", 15s) >= 0);
  BOOST_TEST(
      w1->proc().await_log("delivered the kept artifact of run 1", 10s).has_value());
  auto run = await_appended(*coord, 1);
  BOOST_CHECK(run["artifacts"].find("p1") != nullptr);
  BOOST_CHECK_MESSAGE(run["gaps"].empty(), run["gaps"].dump());
  std::ifstream in(runs);
  int times = 0;
  for (std::string line; std::getline(in, line);) ++times;
  // The collector tells the scheduler before it acknowledges the artifact,
  // so the platform's next pull does not get the run again.
  BOOST_TEST(times == 1);
}
