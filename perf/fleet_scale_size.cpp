// fleet_scale_size: what a runner costs as a pool grows. One standalone node
// (a child process), one `sim` pool (200 ms per create and per delete,
// creation-concurrency 1000, fixed mode), scaled through the API by doubling:
// 0 → 1k → 2k → … → 32k, then halving back to 0. Per step: wall time beside
// the ideal (ceil(changed / 1000) × 200 ms: the provider's latency is all a
// step must wait for), the node's CPU time per runner changed, its RSS, and
// after a scale-up what each live runner adds to it (RSS above the node's
// RSS at 0 runners, after a warm-up, divided by the runners). The step's end is read from
// the pool's long poll (GET /api/v1/pools/size?since=V), as a client would.
//
// Targets (issue 18): CPU per runner at 32k within 1.5× of that at 2k; every
// step within 1.2× of ideal; RSS per runner flat.
//
// Usage: fleet_scale_size [--quick] [--troupe=PATH] [--node-arg=ARG]...
//   --quick: up to 8k; --troupe: the node binary (default: beside this one),
//   to measure an older build the same way; --node-arg: an option for the
//   node (repeatable).
// Prints a table and, last, one JSON line:
// {"benchmark":"fleet_scale_size","steps":[{"from","to","seconds",
//  "ideal_seconds","cpu_ms_per_runner","rss_mib","rss_kib_per_runner"}],
//  "cpu_ratio_top_vs_2k","worst_ideal_ratio"}
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "perf/perf_node.hpp"

using namespace troupe;
using namespace std::chrono_literals;

namespace {

const std::string program = "fleet_scale_size";
constexpr int concurrency = 1000;
constexpr double latency_s = 0.2;

json pool_status(api_client& api, const std::string& query) {
  auto r = api.call("GET", "/api/v1/pools/size" + query);
  if (!r.ok() || r.status != 200) perf::fail(program, "GET pool: " + r.body);
  auto j = json::parse(r.body);
  if (!j) perf::fail(program, "GET pool: not JSON: " + r.body);
  return std::move(*j);
}

// Follows the pool's long poll until `target` runners are idle and nothing
// is pending or being deleted.
void await_settled(api_client& api, std::int64_t target) {
  auto s = pool_status(api, "");
  for (;;) {
    auto& runners = s["runners"];
    if (runners["idle"].as_int() == target && s["pending"].as_int() == 0 &&
        runners["deleting"].as_int() == 0)
      return;
    s = pool_status(api, "?since=" + std::to_string(s["version"].as_int()));
  }
}

struct step {
  int from = 0, to = 0;
  double seconds = 0, ideal = 0, cpu_ms_per_runner = 0;
  double rss_mib = 0;             // the node's RSS after the step
  double rss_kib_per_runner = 0;  // (RSS - RSS at 0 runners) / runners; ups only
};

// The node's RSS with no runners, after the warm-up.
double base_rss_kib = 0;

step scale(api_client& api, pid_t node, int from, int to) {
  step out{from, to};
  auto changed = std::abs(to - from);
  out.ideal = std::ceil(static_cast<double>(changed) / concurrency) * latency_s;
  auto cpu0 = perf::cpu_seconds(program, node);
  auto t0 = std::chrono::steady_clock::now();
  auto r = api.call("POST", "/api/v1/pools/size/scale",
                    "{\"replicas\": " + std::to_string(to) + "}");
  if (!r.ok() || r.status != 202)
    perf::fail(program, "scale " + std::to_string(from) + " -> " + std::to_string(to) +
                            ": " + (r.ok() ? r.body : r.error_message));
  await_settled(api, to);
  out.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.cpu_ms_per_runner = (perf::cpu_seconds(program, node) - cpu0) * 1000.0 / changed;
  auto rss = perf::rss_kib(program, node);
  out.rss_mib = rss / 1024;
  if (to > from) out.rss_kib_per_runner = (rss - base_rss_kib) / to;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int top = 32000;
  auto troupe = perf::troupe_beside(argv[0]);
  std::vector<std::string> node_args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick")
      top = 8000;
    else if (a.rfind("--troupe=", 0) == 0)
      troupe = a.substr(9);
    else if (a.rfind("--node-arg=", 0) == 0)
      node_args.push_back(a.substr(11));
    else
      perf::fail(program, "unknown argument '" + a + "' (usage: " + program +
                              " [--quick] [--troupe=PATH] [--node-arg=ARG]...)");
  }
  perf::temp_dir dir;
  std::ofstream(dir.path() + "/node.ini")
      << "[fleet.pools]\nsize={\n  max=" << top << "\n  provider=\"sim\"\n"
      << "  sim-latency=200ms\n  creation-concurrency=" << concurrency
      << "\n  adaptive=false\n}\n";
  auto port = perf::free_port(program);
  std::vector<std::string> args{"--config-file=" + dir.path() + "/node.ini",
                                "--http.listen=127.0.0.1:" + std::to_string(port)};
  args.insert(args.end(), node_args.begin(), node_args.end());
  perf::node_child node(program, troupe, dir.path() + "/data", args);
  auto api = perf::client_of(program, port);
  perf::await(program, *api, "/api/v1/pools/size", [](const std::string& body) {
    auto j = json::parse(body);
    return j && (*j)["ready"].is_bool() && (*j)["ready"].as_bool();
  });
  // Warm-up: the first creations pay for thread and allocator start-up.
  scale(*api, node.pid(), 0, 1000);
  scale(*api, node.pid(), 1000, 0);
  base_rss_kib = perf::rss_kib(program, node.pid());

  std::vector<int> sizes{0};
  for (int n = 1000; n <= top; n *= 2) sizes.push_back(n);
  std::vector<std::pair<int, int>> plan;
  for (std::size_t i = 1; i < sizes.size(); ++i)
    plan.emplace_back(sizes[i - 1], sizes[i]);
  for (std::size_t i = sizes.size() - 1; i > 0; --i)
    plan.emplace_back(sizes[i], sizes[i - 1]);

  // Each row as soon as it is measured: an older build may not finish.
  std::printf("%7s %7s %8s %8s %7s %13s %8s %14s\n", "from", "to", "wall_s", "ideal_s",
              "ratio", "cpu_ms/runner", "rss_MiB", "rss_KiB/runner");
  double cpu_at_2k = 0, cpu_at_top = 0, worst = 0;
  json::array_builder rows;
  for (auto [from, to] : plan) {
    auto s = scale(*api, node.pid(), from, to);
    auto ratio = s.seconds / s.ideal;
    worst = std::max(worst, ratio);
    if (s.to == 2000 && s.from < s.to) cpu_at_2k = s.cpu_ms_per_runner;
    if (s.to == top && s.from < s.to) cpu_at_top = s.cpu_ms_per_runner;
    std::printf("%7d %7d %8.2f %8.2f %7.2f %13.3f %8.1f %14.2f\n", s.from, s.to,
                s.seconds, s.ideal, ratio, s.cpu_ms_per_runner, s.rss_mib,
                s.rss_kib_per_runner);
    std::fflush(stdout);
    json::object_builder row;
    row.set("from", s.from);
    row.set("to", s.to);
    row.set("seconds", s.seconds);
    row.set("ideal_seconds", s.ideal);
    row.set("cpu_ms_per_runner", s.cpu_ms_per_runner);
    row.set("rss_mib", s.rss_mib);
    row.set("rss_kib_per_runner", s.rss_kib_per_runner);
    rows.push_back(row.build());
  }
  auto cpu_ratio = cpu_at_2k > 0 ? cpu_at_top / cpu_at_2k : 0.0;
  std::printf(
      "CPU per runner at %d vs 2000: %.2fx (target <= 1.5x); worst step %.2fx ideal "
      "(target <= 1.2x)\n",
      top, cpu_ratio, worst);
  json::object_builder out;
  out.set("benchmark", program);
  out.set("steps", rows.build());
  out.set("cpu_ratio_top_vs_2k", cpu_ratio);
  out.set("worst_ideal_ratio", worst);
  std::printf("%s\n", out.build().dump().c_str());
}
