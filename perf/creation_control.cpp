// creation_control: fleet's creation control (concurrency_controller,
// pacer, circuit_breaker, classify, backoff) against a simulated provider
// API, in simulated time: the same scale-ups in three modes side by side,
//
//   sequential  one call at a time (actions-runner-controller today)
//   fixed       10 calls in flight (the seed's proposal)
//   adaptive    troupe's default, max concurrency 100
//
// Cases (latency mean +- jitter, uniform):
//   100@3s         100 runners, 3 s latency, no rate limit
//   1000@50/s      1000 runners, 200+-50 ms, token bucket 50/s burst 50
//   1000@50/s-slow as above, but 429s take as long as successes
//   1000@5xx       1000 runners, 200+-50 ms, 10% random 500s
//   1000@5xx+slow  as above plus 1% slow successes (timeout 5 s)
//
// ideal = max(latency * ceil(n / concurrency), n / rate): the mode's own
// physical limit. All times are simulated seconds (the simulation takes
// milliseconds of real time); results are averaged over --seeds runs.
// Prints a table, then one JSON line.
//
//   creation_control [--quick] [--seeds N]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tests/actors/fleet/creation_sim.hpp"

using namespace troupe::fleet;
using namespace std::chrono_literals;

namespace {

struct scenario {
  std::string name;
  std::size_t runners;
  sim::server_options server;
  std::chrono::seconds timeout{30};
};

struct mode {
  std::string name;
  control_mode control;
  std::size_t concurrency;
};

struct row {
  std::string scenario, mode;
  std::size_t runners = 0, created = 0;
  double seconds = 0, ideal = 0, throttled = 0, retries = 0, calls = 0;
};

std::vector<scenario> scenarios() {
  std::vector<scenario> out;
  sim::server_options s;
  s.latency = 3s;
  out.push_back({"100@3s", 100, s});
  s = {};
  s.rate = 50;
  s.burst = 50;
  s.latency = 200ms;
  s.jitter = 50ms;
  out.push_back({"1000@50/s", 1000, s});
  s.reject_latency = s.latency;
  out.push_back({"1000@50/s-slow", 1000, s});
  s = {};
  s.latency = 200ms;
  s.jitter = 50ms;
  s.error_rate = 0.1;
  out.push_back({"1000@5xx", 1000, s});
  s.slow_rate = 0.01;
  out.push_back({"1000@5xx+slow", 1000, s, std::chrono::seconds(5)});
  return out;
}

double ideal(const scenario& sc, std::size_t concurrency) {
  const double latency = std::chrono::duration<double>(sc.server.latency).count();
  double t = latency * std::ceil(double(sc.runners) / double(concurrency));
  if (sc.server.rate > 0) t = std::max(t, double(sc.runners) / sc.server.rate);
  return t;
}

row run(const scenario& sc, const mode& m, int seeds) {
  row r;
  r.scenario = sc.name;
  r.mode = m.name;
  r.runners = sc.runners;
  r.ideal = ideal(sc, m.concurrency);
  r.created = sc.runners;
  for (int seed = 1; seed <= seeds; ++seed) {
    sim::client_options c;
    c.runners = sc.runners;
    c.control.mode = m.control;
    c.control.max_limit = m.concurrency;
    c.timeout = sc.timeout;
    c.seed = static_cast<std::uint64_t>(seed);
    auto rep = sim::run(sc.server, c);
    r.seconds += rep.seconds / seeds;
    r.throttled += double(rep.throttled) / seeds;
    r.retries += double(rep.retries) / seeds;
    r.calls += double(rep.calls) / seeds;
    r.created = std::min(r.created, rep.created);
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      seeds = 1;
    } else if (std::strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) {
      seeds = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: creation_control [--quick] [--seeds N]\n");
      return 2;
    }
  }
  const std::vector<mode> modes = {{"sequential", control_mode::sequential, 1},
                                   {"fixed", control_mode::fixed, 10},
                                   {"adaptive", control_mode::adaptive, 100}};
  std::vector<row> rows;
  std::printf(
      "creation_control: SIMULATED time (discrete-event simulation, no real I/O), "
      "mean of %d seed(s)\n",
      seeds);
  std::printf("%-16s %-11s %7s %10s %10s %7s %8s %7s %8s\n", "case", "mode", "runners",
              "sim_s", "ideal_s", "ratio", "429s", "429%", "retries");
  for (const auto& sc : scenarios()) {
    for (const auto& m : modes) {
      row r = run(sc, m, seeds);
      rows.push_back(r);
      std::printf("%-16s %-11s %7zu %10.2f %10.2f %7.3f %8.1f %6.1f%% %8.1f%s\n",
                  r.scenario.c_str(), r.mode.c_str(), r.runners, r.seconds, r.ideal,
                  r.seconds / r.ideal, r.throttled, 100 * r.throttled / r.calls,
                  r.retries, r.created == r.runners ? "" : "  INCOMPLETE");
    }
  }
  std::printf(
      "{\"benchmark\":\"creation_control\",\"time\":\"simulated\",\"seeds\":%d,"
      "\"results\":[",
      seeds);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row& r = rows[i];
    std::printf(
        "%s{\"case\":\"%s\",\"mode\":\"%s\",\"runners\":%zu,\"created\":%zu,"
        "\"seconds\":%.3f,\"ideal_seconds\":%.3f,\"ratio\":%.3f,\"throttled\":%.1f,"
        "\"retries\":%.1f}",
        i ? "," : "", r.scenario.c_str(), r.mode.c_str(), r.runners, r.created, r.seconds,
        r.ideal, r.seconds / r.ideal, r.throttled, r.retries);
  }
  std::printf("]}\n");
  return 0;
}
