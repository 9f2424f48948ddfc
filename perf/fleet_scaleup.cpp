// fleet_scaleup: the same scale-ups against troupe-kube-sim (the Kubernetes
// API subset on loopback), side by side: sequential (today's reference: one
// create at a time), fixed concurrency 10 (the seed's proposal) and troupe's
// adaptive mode. Real pool actors, creator-workers and the kubernetes
// provider over HTTP; the simulator provides latency, rate limits, 5xx and
// slow successes.
//
// Cases (full run; --quick scales latencies by 0.1 and counts down):
//   a  100 runners, 3 s latency, no rate limit
//   b  1000 runners, server limited to 50 creates/s (burst 50), 100 ms latency
//   c  1000 runners, 10% random 5xx and 1% slow successes (answered after the
//      client's timeout: created on the server, a timeout for the client)
// Prints a table and, last, one JSON line:
// {"benchmark":"fleet_scaleup","results":[{"case","mode","runners","seconds",
//  "ideal_seconds","ratio","throttled","retries","final_objects","duplicates"}]}

#include <caf/all.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "actors/fleet/pool_actor.hpp"
#include "actors/fleet/provider_kubernetes.hpp"
#include "messages/fleet.hpp"
#include "messages/registry.hpp"
#include "perf/kube_sim_child.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/services/http/client.hpp"

using namespace troupe;
using namespace troupe::fleet;
using namespace std::chrono_literals;

namespace {

struct system_config : caf::actor_system_config {
  system_config() { troupe::add_message_types(*this); }
};

struct outcome {
  double seconds = 0;
  pool_status status;
};

outcome run_pool(const std::string& address, const std::string& resource_path,
                 std::uint32_t runners, const std::string& mode,
                 std::chrono::milliseconds timeout) {
  system_config cfg;
  caf::actor_system sys{cfg};
  kubernetes_config kc;
  kc.api_server = "http://" + address;
  kc.resource_path = resource_path;
  kc.request_timeout = timeout + 5s;  // the worker's own timeout fires first
  kc.max_connections = 256;
  auto provider = kubernetes_provider::make(kc);
  if (!provider) {
    std::cerr << provider.error().message() << "\n";
    std::exit(1);
  }
  pool_context ctx;
  ctx.config.name = "bench";
  ctx.config.max = runners;
  ctx.config.provider = "kubernetes";
  ctx.config.sequential = mode == "sequential";
  ctx.config.adaptive = mode == "adaptive";
  ctx.config.creation_concurrency = mode == "adaptive" ? 100 : 10;
  ctx.config.creation_timeout = timeout;
  ctx.settings.max_attempts = 20;
  ctx.provider = *provider;
  ctx.owner = "perf";
  auto pool = spawn_pool(sys, ctx);
  caf::scoped_actor self{sys};
  pool_status s;
  auto ask = [&](auto... xs) {
    self->request(pool, 120s, xs...)
        .receive([&](pool_status& x) { s = x; },
                 [&](caf::error& e) {
                   std::cerr << sys.render(e) << "\n";
                   std::exit(1);
                 });
  };
  ask(status_atom::value);
  while (!s.ready) ask(status_atom::value, s.version);
  auto start = std::chrono::steady_clock::now();
  ask(scale_atom::value, runners);
  while (!(s.last_scale.done && s.queued + s.backoff + s.creating + s.deleting == 0))
    ask(status_atom::value, s.version);
  outcome o;
  o.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  o.status = s;
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  for (int i = 1; i < argc; ++i) quick = quick || std::string(argv[i]) == "--quick";
  std::string self_path = argv[0];
  auto dir = self_path.substr(0, self_path.rfind('/') + 1);
  auto sim_bin = (dir.empty() ? "./" : dir) + "troupe-kube-sim";
  double scale = quick ? 0.1 : 1.0;
  std::uint32_t big = quick ? 300 : 1000;
  auto ms = [&](double full) { return static_cast<long>(full * scale); };
  struct case_def {
    std::string name;
    std::uint32_t runners;
    long latency_ms;
    double rate;
    std::vector<std::string> flags;
    std::chrono::milliseconds timeout;
  };
  std::vector<case_def> cases{
      {"a_100_at_3s",
       100,
       ms(3000),
       0,
       {"--latency-ms=" + std::to_string(ms(3000))},
       30s},
      {"b_" + std::to_string(big) + "_rate_50",
       big,
       ms(100),
       50,
       {"--latency-ms=" + std::to_string(ms(100)), "--rate=50", "--burst=50"},
       30s},
      {"c_" + std::to_string(big) + "_errors",
       big,
       ms(100),
       0,
       {"--latency-ms=" + std::to_string(ms(100)), "--error-rate=0.1", "--slow-rate=0.01",
        "--slow-ms=" + std::to_string(ms(100) * 30)},
       std::chrono::milliseconds(ms(100) * 20)},
  };
  std::printf(
      "fleet_scaleup%s: pool actors + kubernetes provider against troupe-kube-sim\n",
      quick ? " (quick: latencies x0.1, fewer runners)" : "");
  std::printf("%-18s %-11s %7s %9s %9s %7s %9s %8s %8s %5s\n", "case", "mode", "runners",
              "seconds", "ideal_s", "ratio", "throttled", "retries", "objects", "dups");
  std::string json_out = R"({"benchmark":"fleet_scaleup","results":[)";
  bool first = true;
  for (auto& c : cases) {
    for (std::string mode : {"sequential", "fixed", "adaptive"}) {
      auto sim = perf::start_sim(sim_bin, c.flags);
      auto path = "/api/v1/namespaces/" + mode + "/pods";
      auto o = run_pool(sim->address, path, c.runners, mode, c.timeout);
      auto counts = perf::sim_counts(sim->address);
      double conc = mode == "sequential" ? 1 : mode == "fixed" ? 10 : 100;
      double ideal = c.latency_ms / 1000.0 * std::ceil(c.runners / conc);
      if (c.rate > 0) ideal = std::max(ideal, c.runners / c.rate);
      auto objects = counts["objects"].is_int() ? counts["objects"].as_int() : -1;
      auto dups = counts["duplicates"].is_int() ? counts["duplicates"].as_int() : -1;
      auto throttled = counts["throttled"].is_int() ? counts["throttled"].as_int() : -1;
      std::printf("%-18s %-11s %7u %9.2f %9.2f %7.2f %9lld %8llu %8lld %5lld\n",
                  c.name.c_str(), mode.c_str(), c.runners, o.seconds, ideal,
                  o.seconds / ideal, static_cast<long long>(throttled),
                  static_cast<unsigned long long>(o.status.retries),
                  static_cast<long long>(objects), static_cast<long long>(dups));
      std::ostringstream row;
      row << (first ? "" : ",") << R"({"case":")" << c.name << R"(","mode":")" << mode
          << R"(","runners":)" << c.runners << R"(,"seconds":)" << o.seconds
          << R"(,"ideal_seconds":)" << ideal << R"(,"ratio":)" << o.seconds / ideal
          << R"(,"throttled":)" << throttled << R"(,"retries":)" << o.status.retries
          << R"(,"final_objects":)" << objects << R"(,"duplicates":)" << dups << "}";
      json_out += row.str();
      first = false;
    }
  }
  std::cout << json_out << "]}" << std::endl;
  return 0;
}
