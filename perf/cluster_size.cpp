// cluster_size: what a member costs the coordinator as the cluster grows
// (issue 18: "the cluster with 50 members"). A coordinator and worker nodes,
// all child processes on this host, heartbeat-interval 100ms (five times the
// default rate, so that a window holds many heartbeats). The cluster grows
// 0 → 10 → 50 workers (quick: 0 → 2 → 5); at each size, once every worker is
// up and a second has passed:
//
//   join_s        starting the new workers → all of them up (GET /api/v1/cluster)
//   cpu_ms/s      the coordinator's CPU per second of a 10 s window (quick: 2 s)
//   heartbeats/s  troupe_cluster_heartbeats_total over the window
//   cpu_us/hb     (CPU in the window − CPU with no member) / heartbeats: what a
//                 member's heartbeat (troupe's and CAF's, its connection) costs
//   list_ms       GET /api/v1/cluster, mean of 50 (it lists every member)
//
// Target: cpu_us/hb at 50 members within 1.2× of that at 10.
//
// Usage: cluster_size [--quick] [--node-arg=ARG]...
//   --node-arg: an option for every node (repeatable), e.g.
//   --node-arg=--work-stealing.moderate-poll-attempts=10 (see perf/RESULTS.md).
// Prints a table, then one JSON line:
// {"benchmark":"cluster_size","sizes":[{"members","join_seconds","cpu_ms_per_s",
//  "heartbeats_per_s","cpu_us_per_heartbeat","list_ms"}],"cpu_per_heartbeat_ratio"}
#include <cstring>
#include <fstream>
#include <thread>

#include "perf/perf_node.hpp"

using namespace troupe;
using namespace std::chrono_literals;

namespace {

const std::string program = "cluster_size";
const std::string interval = "--cluster.heartbeat-interval=100ms";

// The coordinator's troupe_cluster_heartbeats_total.
double heartbeats(api_client& api) {
  auto r = api.call("GET", "/metrics");
  if (!r.ok() || r.status != 200) perf::fail(program, "GET /metrics failed");
  const std::string name = "\ntroupe_cluster_heartbeats_total ";
  auto at = r.body.find(name);
  if (at == std::string::npos) perf::fail(program, "no troupe_cluster_heartbeats_total");
  return std::strtod(r.body.c_str() + at + name.size(), nullptr);
}

int members_up(const std::string& body) {
  int up = 0;
  for (auto p = body.find("\"state\":\"up\""); p != std::string::npos;
       p = body.find("\"state\":\"up\"", p + 1))
    ++up;
  return up;
}

struct window {
  double cpu_ms_per_s = 0, heartbeats_per_s = 0;
};

window measure_window(api_client& api, pid_t coordinator, double seconds) {
  auto beats0 = heartbeats(api);
  auto cpu0 = perf::cpu_seconds(program, coordinator);
  auto t0 = perf::steady_seconds();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  auto cpu = perf::cpu_seconds(program, coordinator) - cpu0;
  auto elapsed = perf::steady_seconds() - t0;
  auto beats = heartbeats(api) - beats0;
  return {cpu * 1e3 / elapsed, beats / elapsed};
}

struct row {
  int members = 0;
  double join_seconds = 0, list_ms = 0;
  window w;
  double cpu_us_per_heartbeat = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes{10, 50};
  double window_s = 10;
  std::vector<std::string> node_args;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      sizes = {2, 5};
      window_s = 2;
    } else if (std::strncmp(argv[i], "--node-arg=", 11) == 0) {
      node_args.emplace_back(argv[i] + 11);
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--node-arg=ARG]...\n", argv[0]);
      return 2;
    }
  }
  auto troupe = perf::troupe_beside(argv[0]);
  perf::temp_dir dir;
  auto secret = dir.path() + "/secret";
  std::ofstream(secret) << "perf-cluster-size-secret-0123456789\n";
  auto http = perf::free_port(program), port = perf::free_port(program);
  auto join = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args{"--node.role=coordinator",
                                "--node.name=coordinator",
                                "--http.listen=127.0.0.1:" + std::to_string(http),
                                "--cluster.listen=" + join,
                                "--cluster.secret-file=" + secret,
                                interval,
                                "--workflow.action-runners=0"};
  args.insert(args.end(), node_args.begin(), node_args.end());
  perf::node_child coordinator(program, troupe, dir.path() + "/c", args);
  auto api = perf::client_of(program, http);
  perf::await(program, *api, "/api/v1/cluster", [](const std::string& body) {
    return body.find("\"members\"") != body.npos;
  });
  std::this_thread::sleep_for(1s);
  auto idle = measure_window(*api, coordinator.pid(), window_s);

  std::printf("%8s %8s %9s %13s %10s %8s\n", "members", "join_s", "cpu_ms/s",
              "heartbeats/s", "cpu_us/hb", "list_ms");
  std::printf("%8d %8s %9.2f %13.1f %10s %8s\n", 0, "-", idle.cpu_ms_per_s,
              idle.heartbeats_per_s, "-", "-");
  std::vector<std::unique_ptr<perf::node_child>> workers;
  std::vector<row> rows;
  for (int size : sizes) {
    row r;
    r.members = size;
    auto t0 = perf::steady_seconds();
    for (int i = static_cast<int>(workers.size()); i < size; ++i) {
      std::vector<std::string> worker{"--node.role=worker",
                                      "--node.name=w" + std::to_string(i),
                                      "--http.listen=127.0.0.1:0",
                                      "--cluster.join=" + join,
                                      "--cluster.secret-file=" + secret,
                                      interval,
                                      "--workflow.action-runners=1"};
      worker.insert(worker.end(), node_args.begin(), node_args.end());
      workers.push_back(std::make_unique<perf::node_child>(
          program, troupe, dir.path() + "/w" + std::to_string(i), worker));
    }
    perf::await(
        program, *api, "/api/v1/cluster",
        [&](const std::string& body) { return members_up(body) == size; }, 180s);
    r.join_seconds = perf::steady_seconds() - t0;
    std::this_thread::sleep_for(1s);
    r.w = measure_window(*api, coordinator.pid(), window_s);
    r.cpu_us_per_heartbeat =
        (r.w.cpu_ms_per_s - idle.cpu_ms_per_s) * 1e3 / r.w.heartbeats_per_s;
    auto l0 = perf::steady_seconds();
    for (int i = 0; i < 50; ++i) {
      auto got = api->call("GET", "/api/v1/cluster");
      if (!got.ok() || got.status != 200 || members_up(got.body) != size)
        perf::fail(program, "a member went down during the measurement");
    }
    r.list_ms = (perf::steady_seconds() - l0) * 1e3 / 50;
    std::printf("%8d %8.2f %9.2f %13.1f %10.1f %8.2f\n", r.members, r.join_seconds,
                r.w.cpu_ms_per_s, r.w.heartbeats_per_s, r.cpu_us_per_heartbeat,
                r.list_ms);
    std::fflush(stdout);
    rows.push_back(r);
  }
  double ratio = rows.back().cpu_us_per_heartbeat / rows.front().cpu_us_per_heartbeat;
  std::printf("CPU per heartbeat at %d vs %d members: %.2fx (target <= 1.2x)\n",
              rows.back().members, rows.front().members, ratio);
  json::array_builder out_rows;
  for (const auto& r : rows) {
    json::object_builder o;
    o.set("members", r.members);
    o.set("join_seconds", r.join_seconds);
    o.set("cpu_ms_per_s", r.w.cpu_ms_per_s);
    o.set("heartbeats_per_s", r.w.heartbeats_per_s);
    o.set("cpu_us_per_heartbeat", r.cpu_us_per_heartbeat);
    o.set("list_ms", r.list_ms);
    out_rows.push_back(o.build());
  }
  json::object_builder out;
  out.set("benchmark", program);
  out.set("sizes", out_rows.build());
  out.set("cpu_per_heartbeat_ratio", ratio);
  std::printf("%s\n", out.build().dump().c_str());
  return 0;
}
