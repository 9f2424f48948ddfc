// fleet_adopt: what adopting a pool's runners costs at start, as the pool
// grows (issue 18: "adopting 20,000 objects must be linear"). Per size N, a
// fresh troupe-kube-sim (no latency) and two actor systems in this process,
// one after the other, as a node before and after a restart:
//
//   1. a pool (kubernetes provider, desired N, creation-concurrency 1000,
//      fixed) creates N runners; its actor system ends, the objects stay
//   2. a new pool with the same name and owner lists them (pages of 500:
//      `limit` and `continue`) and adopts every one; measured from its spawn
//      to ready with N idle runners: wall time and this process's CPU (the
//      provider's HTTP client, JSON parsing, the pool; the simulator is
//      another process) per adopted runner
//
// Nothing may be created or deleted by the second pool: the program checks
// it and the simulator's object count. Target: CPU per adopted runner at
// 20,000 within 1.2× of that at 1,000.
//
// Usage: fleet_adopt [--quick]   (sizes 1,000, 5,000, 20,000; quick: 500, 2,000)
// Prints a table, then one JSON line:
// {"benchmark":"fleet_adopt","sizes":[{"runners","create_seconds","adopt_seconds",
//  "adopt_cpu_us_per_runner"}],"cpu_ratio"}

#include <caf/all.hpp>
#include <cstdio>
#include <cstring>

#include "actors/fleet/pool_actor.hpp"
#include "actors/fleet/provider_kubernetes.hpp"
#include "messages/fleet.hpp"
#include "messages/registry.hpp"
#include "perf/kube_sim_child.hpp"
#include "perf/workflow_perf.hpp"

using namespace troupe;
using namespace troupe::fleet;
using namespace std::chrono_literals;

namespace {

const std::string program = "fleet_adopt";

struct system_config : caf::actor_system_config {
  system_config() { troupe::add_message_types(*this); }
};

// Runs one pool of `runners` desired runners against the simulator at
// `address` until it is ready with every runner idle; the seconds and CPU
// seconds from its spawn, and its last status. The actor system ends with it.
struct pool_run {
  double seconds = 0, cpu_seconds = 0;
  pool_status status;
};

pool_run run_pool(const std::string& address, std::uint32_t runners) {
  system_config cfg;
  caf::actor_system sys{cfg};
  kubernetes_config kc;
  kc.api_server = "http://" + address;
  kc.resource_path = "/api/v1/namespaces/adopt/pods";
  kc.max_connections = 256;
  auto provider = kubernetes_provider::make(kc);
  if (!provider) perf::fail(program, provider.error().message());
  pool_context ctx;
  ctx.config.name = "adopt";
  ctx.config.max = runners;
  ctx.config.desired = runners;
  ctx.config.provider = "kubernetes";
  ctx.config.adaptive = false;
  ctx.config.creation_concurrency = 1000;
  ctx.provider = *provider;
  ctx.owner = "perf";
  pool_run out;
  auto wall = perf::steady_seconds();
  auto cpu = perf::process_cpu_seconds();
  auto pool = spawn_pool(sys, ctx);
  caf::scoped_actor self{sys};
  auto ask = [&](auto... xs) {
    self->request(pool, 120s, xs...)
        .receive([&](pool_status& x) { out.status = x; },
                 [&](caf::error& e) { perf::fail(program, sys.render(e)); });
  };
  ask(status_atom::value);
  while (!out.status.ready || out.status.idle != runners)
    ask(status_atom::value, out.status.version);
  out.seconds = perf::steady_seconds() - wall;
  out.cpu_seconds = perf::process_cpu_seconds() - cpu;
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  return out;
}

struct row {
  std::uint32_t runners = 0;
  double create_seconds = 0, adopt_seconds = 0, adopt_cpu_us_per_runner = 0;
};

}  // namespace

int main(int argc, char** argv) {
  perf::quiet_logs();
  std::vector<std::uint32_t> sizes{1'000, 5'000, 20'000};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      sizes = {500, 2'000};
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }
  std::string self_path = argv[0];
  auto sim_bin = self_path.substr(0, self_path.rfind('/') + 1) + "troupe-kube-sim";
  if (self_path.find('/') == std::string::npos) sim_bin = "./troupe-kube-sim";

  std::printf("%8s %10s %9s %18s\n", "runners", "create_s", "adopt_s",
              "adopt_cpu_us/runner");
  std::vector<row> rows;
  for (auto n : sizes) {
    auto sim = perf::start_sim(sim_bin, {});
    row r;
    r.runners = n;
    r.create_seconds = run_pool(sim->address, n).seconds;
    auto adopted = run_pool(sim->address, n);
    if (adopted.status.created != 0 || adopted.status.deleted != 0)
      perf::fail(program, "the second pool created or deleted runners");
    auto objects = perf::sim_counts(sim->address)["objects"];
    if (!objects.is_int() || objects.as_int() != n)
      perf::fail(program, "the simulator holds " + objects.dump() + " objects, not " +
                              std::to_string(n));
    r.adopt_seconds = adopted.seconds;
    r.adopt_cpu_us_per_runner = adopted.cpu_seconds * 1e6 / n;
    std::printf("%8u %10.2f %9.3f %18.1f\n", r.runners, r.create_seconds, r.adopt_seconds,
                r.adopt_cpu_us_per_runner);
    std::fflush(stdout);
    rows.push_back(r);
  }
  double ratio =
      rows.back().adopt_cpu_us_per_runner / rows.front().adopt_cpu_us_per_runner;
  std::printf("adoption CPU per runner at %u vs %u: %.2fx (target <= 1.2x)\n",
              rows.back().runners, rows.front().runners, ratio);
  json::array_builder out_rows;
  for (const auto& r : rows) {
    json::object_builder o;
    o.set("runners", static_cast<std::int64_t>(r.runners));
    o.set("create_seconds", r.create_seconds);
    o.set("adopt_seconds", r.adopt_seconds);
    o.set("adopt_cpu_us_per_runner", r.adopt_cpu_us_per_runner);
    out_rows.push_back(o.build());
  }
  json::object_builder out;
  out.set("benchmark", program);
  out.set("sizes", out_rows.build());
  out.set("cpu_ratio", ratio);
  std::printf("%s\n", out.build().dump().c_str());
  return 0;
}
