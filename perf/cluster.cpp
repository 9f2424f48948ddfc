// perf/cluster: what crossing nodes costs and what a second worker buys.
//
// 1. Request/response between two nodes beside the same exchange inside one
//    node: a node actor's echo (a node_description with its supervision
//    report, the message `troupe probe` uses), answered by a troupe node in
//    another process through CAF's middleman (loopback TCP), and by a node
//    actor in this process, both asked by an event-based actor. Latency:
//    one request at a time (p50, p99).
//    Throughput: 64 requests in flight.
// 2. With-items across 1 vs 2 worker nodes: a coordinator with no runners of
//    its own and workers with 2 action runners each run one with-items task
//    of core.sleep items; beside it, a standalone node with 2 runners runs
//    the same (what placement across the network costs at equal capacity).
//
// Usage: cluster [--quick] [--scheduler=sharing]. Prints a table, then one
// JSON line. --scheduler sets CAF's scheduler.policy in this process and in
// the echo node (CAF's default, and troupe's, is work stealing). The troupe
// binary is the one next to this program.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "actors/supervisor/node_actor.hpp"
#include "messages/registry.hpp"
#include "perf/perf_node.hpp"
#include "perf/workflow_perf.hpp"
#include "runtime/app/cli/api_client.hpp"
#include "runtime/services/cluster/transport.hpp"
#include "runtime/services/config/scheduler_defaults.hpp"

extern char** environ;

using namespace std::chrono_literals;
using namespace troupe;
using troupe::perf::fail;

namespace {

const char* program = "perf/cluster";
std::string troupe_bin;  // beside this program
using finished_atom = caf::atom_constant<caf::atom("finished")>;
struct echo_result {
  double p50_us = 0, p99_us = 0, per_second = 0;
};

// Sends `total` echo requests from an event-based actor, `window` in
// flight; returns each request's microseconds and the total seconds.
std::pair<std::vector<double>, double> pump(caf::actor_system& sys,
                                            const node_actor& node,
                                            const node_description& d, int window,
                                            int total) {
  auto us = std::make_shared<std::vector<double>>();
  us->reserve(static_cast<std::size_t>(total));
  auto t0 = std::chrono::steady_clock::now();
  caf::scoped_actor waiter{sys};
  auto pumping = sys.spawn([=, waiter = caf::actor{waiter}](caf::event_based_actor* s) {
    auto sent = std::make_shared<int>(0);
    auto next = std::make_shared<std::function<void()>>();
    *next = [=] {
      if (*sent >= total) return;
      ++*sent;
      auto start = std::chrono::steady_clock::now();
      s->request(node, 10s, echo_atom::value, d)
          .then(
              [=](node_description&) {
                us->push_back(std::chrono::duration<double, std::micro>(
                                  std::chrono::steady_clock::now() - start)
                                  .count());
                if (static_cast<int>(us->size()) == total) {
                  s->send(waiter, finished_atom::value);
                  *next = nullptr;  // it holds itself: the cycle ends with the last reply
                  return;
                }
                (*next)();
              },
              [=](caf::error& e) {
                fail(program, "echo failed: " + s->system().render(e));
              });
    };
    for (int i = 0; i < window; ++i) (*next)();
  });
  waiter->receive([](finished_atom) {});
  caf::anon_send_exit(pumping, caf::exit_reason::user_shutdown);
  return {*us,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
}

echo_result measure_echo(caf::actor_system& sys, const node_actor& node, int sequential,
                         int total) {
  caf::scoped_actor self{sys};
  node_description d;
  self->request(node, 10s, describe_atom::value)
      .receive([&](node_description& x) { d = std::move(x); },
               [&](caf::error& e) { fail(program, sys.render(e)); });
  auto [us, seconds] = pump(sys, node, d, 1, sequential);
  std::sort(us.begin(), us.end());
  echo_result r;
  r.p50_us = us[us.size() / 2];
  r.p99_us = us[us.size() * 99 / 100];
  r.per_second = total / pump(sys, node, d, 64, total).second;
  return r;
}

// Runs one with-items task of `items` core.sleep items on the node at
// `api`; returns its seconds (POST to final state).
double run_items(api_client& api, int items, double sleep_s) {
  std::string list;
  for (int i = 0; i < items; ++i) list += (i ? "," : "") + std::to_string(i);
  auto doc =
      R"({"definition": {"version": 1, "name": "items", "input": {"n": [)" + list +
      R"(]}, "tasks": {"t": {"action": "core.sleep", "with_items": "{{ parameters.n }}",
             "concurrency": 64, "input": {"seconds": )" +
      std::to_string(sleep_s) + "}}}}}";
  auto t0 = std::chrono::steady_clock::now();
  auto r = api.call("POST", "/api/v1/runs", doc);
  if (!r.ok() || r.status != 201)
    fail(program, "POST /api/v1/runs: " + describe_failure(r));
  auto started = json::parse(r.body);
  if (!started) fail(program, "POST /api/v1/runs: " + started.error().message());
  auto id = std::string((*started)["id"].as_string());
  perf::await(program, api, "/api/v1/runs/" + id, [](const std::string& body) {
    if (body.find("\"state\":\"running\"") != std::string::npos) return false;
    if (body.find("\"state\":\"succeeded\"") == std::string::npos)
      fail(program, "run failed: " + body);
    return true;
  });
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A coordinator plus `workers` workers (2 runners each); the seconds of the run.
double items_on_cluster(const std::string& dir, int workers, int items, double sleep_s) {
  std::filesystem::create_directories(dir);
  auto secret = dir + "/secret";
  std::ofstream(secret) << "perf-cluster-secret-0123456789\n";
  auto http = perf::free_port(program), cluster = perf::free_port(program);
  auto join = "127.0.0.1:" + std::to_string(cluster);
  perf::node_child coord(
      program, troupe_bin, dir + "/c",
      {"--node.role=coordinator", "--node.name=coordinator",
       "--http.listen=127.0.0.1:" + std::to_string(http), "--cluster.listen=" + join,
       "--cluster.secret-file=" + secret, "--workflow.action-runners=0"});
  std::vector<std::unique_ptr<perf::node_child>> ws;
  for (int i = 0; i < workers; ++i)
    ws.push_back(std::make_unique<perf::node_child>(
        program, troupe_bin, dir + "/w" + std::to_string(i),
        std::vector<std::string>{
            "--node.role=worker", "--node.name=w" + std::to_string(i),
            "--http.listen=127.0.0.1:0", "--cluster.join=" + join,
            "--cluster.secret-file=" + secret, "--workflow.action-runners=2"}));
  auto api = perf::client_of(program, http);
  perf::await(program, *api, "/api/v1/cluster", [&](const std::string& body) {
    int up = 0;
    for (auto p = body.find("\"state\":\"up\""); p != std::string::npos;
         p = body.find("\"state\":\"up\"", p + 1))
      ++up;
    return up == workers;
  });
  return run_items(*api, items, sleep_s);
}

double items_standalone(const std::string& dir, int items, double sleep_s) {
  auto http = perf::free_port(program);
  perf::node_child node(
      program, troupe_bin, dir + "/s",
      {"--http.listen=127.0.0.1:" + std::to_string(http), "--workflow.action-runners=2"});
  auto api = perf::client_of(program, http);
  perf::await(program, *api, "/readyz", [](const std::string&) { return true; });
  return run_items(*api, items, sleep_s);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string policy = "stealing";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick")
      quick = true;
    else if (a == "--scheduler=sharing" || a == "--scheduler=stealing")
      policy = a.substr(12);
    else
      fail(program, "unknown argument '" + a +
                        "' (usage: cluster [--quick] [--scheduler=sharing|stealing])");
  }
  troupe_bin = perf::troupe_beside(argv[0]);
  int sequential = quick ? 2000 : 20000, total = quick ? 20000 : 200000;
  int items = quick ? 80 : 400;
  double sleep_s = 0.025;
  perf::temp_dir dir;

  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  add_message_types(cfg);
  cfg.set("scheduler.policy",
          policy == "sharing" ? caf::atom("sharing") : caf::atom("stealing"));
  apply_scheduler_defaults(cfg.content);  // as a node's
  caf::actor_system sys{cfg};
  // Inside one node: a node actor in this process, over a stand-in root that
  // only describes itself (all the node actor asks of it).
  auto root = caf::actor_cast<supervisor_actor>(
      sys.spawn([](caf::event_based_actor*) -> caf::behavior {
        return {[](describe_atom) {
          return supervisor_report{"root",
                                   restart_strategy::one_for_one,
                                   supervisor_status::running,
                                   5,
                                   10000,
                                   0,
                                   {},
                                   {}};
        }};
      }));
  auto local = spawn_node_actor(sys, {"local", "standalone", TROUPE_VERSION}, root);
  auto in_node = measure_echo(sys, local, sequential, total);
  // Between two nodes: a troupe node in another process.
  auto port = perf::free_port(program);
  perf::node_child remote_node(
      program, troupe_bin, dir.path() + "/echo",
      {"--http.listen=127.0.0.1:0", "--cluster.listen=127.0.0.1:" + std::to_string(port),
       "--scheduler.policy=" + policy});
  caf::expected<node_actor> remote{caf::sec::request_timeout};
  for (int i = 0; i < 500 && !remote; ++i) {
    remote = connect_node(sys, {"127.0.0.1", port, false}, 5s);
    if (!remote) std::this_thread::sleep_for(20ms);
  }
  if (!remote) fail(program, "cannot reach the echo node: " + sys.render(remote.error()));
  auto across = measure_echo(sys, *remote, sequential, total);
  caf::anon_send_exit(local, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(root, caf::exit_reason::user_shutdown);

  auto one = items_on_cluster(dir.path() + "/one", 1, items, sleep_s);
  auto two = items_on_cluster(dir.path() + "/two", 2, items, sleep_s);
  auto alone = items_standalone(dir.path(), items, sleep_s);

  std::printf(
      "echo of a node_description (%d sequential, %d with 64 in flight; scheduler %s)\n",
      sequential, total, policy.c_str());
  std::printf("%-14s %10s %10s %12s\n", "", "p50_us", "p99_us", "requests/s");
  std::printf("%-14s %10.1f %10.1f %12.0f\n", "inside a node", in_node.p50_us,
              in_node.p99_us, in_node.per_second);
  std::printf("%-14s %10.1f %10.1f %12.0f\n", "between nodes", across.p50_us,
              across.p99_us, across.per_second);
  std::printf("remote/local: latency x%.1f, throughput x%.2f\n",
              across.p50_us / in_node.p50_us, across.per_second / in_node.per_second);
  std::printf("with-items: %d core.sleep items of %.0f ms, 2 runners per node\n", items,
              sleep_s * 1000);
  std::printf(
      "  standalone (2 runners)  %.3f s\n  1 worker  (2 runners)   %.3f s\n  2 workers "
      "(4 runners)   %.3f s\n",
      alone, one, two);
  std::printf(
      "  speed-up 2 workers vs 1: x%.2f (ideal 2.00); 1 worker vs standalone: x%.2f\n",
      one / two, alone / one);
  std::printf(
      "{\"benchmark\":\"cluster\",\"scheduler\":\"%s\",\"echo\":{\"local\":{\"p50_us\":%."
      "2f,\"p99_us\":%.2f,\"per_second\":%.0f},"
      "\"remote\":{\"p50_us\":%.2f,\"p99_us\":%.2f,\"per_second\":%.0f},\"latency_"
      "ratio\":%.3f,"
      "\"throughput_ratio\":%.4f},\"with_items\":{\"items\":%d,\"sleep_ms\":%.0f,"
      "\"standalone_s\":%.4f,"
      "\"one_worker_s\":%.4f,\"two_workers_s\":%.4f,\"speedup\":%.3f}}\n",
      policy.c_str(), in_node.p50_us, in_node.p99_us, in_node.per_second, across.p50_us,
      across.p99_us, across.per_second, across.p50_us / in_node.p50_us,
      across.per_second / in_node.per_second, items, sleep_s * 1000, alone, one, two,
      one / two);
  return 0;
}
