// bench_pipeline: a day of commits, compressed in (simulated) time, through
// two benchmarking pipelines side by side:
//   sequential  the seed's model: every commit is benchmarked, on each
//               platform one after another (max-parallel: 1), in arrival order;
//   troupe      troupe's window_scheduler (15-minute windows per branch,
//               [bench] tags, adaptive sampling at queue depths 10 and 20) and
//               its platforms running each run in parallel, each platform one
//               job at a time, pulling the next run when idle.
// Both see the same commits: a Poisson stream at 60 and at 600 commits per
// hour over 3 branches (70% main), 1% of messages tagged [bench], 3 platforms
// each taking a fixed 4 minutes per run. After 24 hours no more commits
// arrive; troupe's open windows close and its queue drains, so every commit
// ends up somewhere. Per model and rate:
//   commits_per_hour_processed  commits whose result (their run's, for a
//                               range) was in within the day, per hour
//   max_queue_depth             runs (troupe) / commits (sequential) waiting
//   accounted_fraction          commits in exactly one of: a finished run's
//                               range, the skipped list, the queue, a branch's
//                               pending commits — over all commits seen
//   lost, duplicated            commits in none / in more than one of those
//   p50_push_to_result_s        push to result of the commits that got one
// The simulation is discrete-event: no thread sleeps; the day takes
// milliseconds. Deterministic (--seed). --quick simulates 6 hours.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "actors/bench/windows.hpp"
#include "runtime/base/json/json.hpp"

using namespace troupe;
using namespace troupe::bench;
using seconds = std::chrono::seconds;

namespace {

constexpr int platforms = 3;
constexpr double bench_seconds = 240;  // per platform per run

struct arrival {
  double at = 0;  // seconds since the start
  commit c;
};

std::vector<arrival> generate(double per_hour, double hours, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> gap(per_hour / 3600.0);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<arrival> out;
  std::map<std::string, std::string> head;
  for (double t = gap(rng); t < hours * 3600; t += gap(rng)) {
    double u = unit(rng);
    std::string branch = u < 0.7 ? "main" : u < 0.85 ? "feature-a" : "feature-b";
    arrival a;
    a.at = t;
    a.c.sha = "c" + std::to_string(out.size());
    a.c.parent = head[branch];
    a.c.branch = branch;
    a.c.message = unit(rng) < 0.01 ? "fix: hot path [bench]" : "change";
    head[branch] = a.c.sha;
    out.push_back(a);
  }
  return out;
}

struct outcome {
  std::string model;
  double rate = 0;
  std::size_t seen = 0, processed_in_day = 0, max_queue = 0, lost = 0, duplicated = 0;
  double accounted = 0, p50_latency = 0;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

outcome run_sequential(const std::vector<arrival>& commits, double hours, double rate) {
  outcome o{"sequential", rate};
  o.seen = commits.size();
  double free_at = 0;
  std::vector<double> latencies;
  std::deque<double> finishing;  // finish times of commits started, for the queue depth
  for (auto& a : commits) {
    double start = std::max(free_at, a.at);
    free_at = start + platforms * bench_seconds;
    // Depth seen by this arrival: commits that arrived earlier, not yet started.
    while (!finishing.empty() && finishing.front() - platforms * bench_seconds <= a.at)
      finishing.pop_front();
    o.max_queue = std::max(o.max_queue, finishing.size());
    finishing.push_back(free_at);
    if (free_at <= hours * 3600) {
      ++o.processed_in_day;
      latencies.push_back(free_at - a.at);
    }
  }
  // One worker, one queue: every commit is either done or still queued.
  o.accounted = 1.0;
  o.p50_latency = median(latencies);
  return o;
}

outcome run_troupe(const std::vector<arrival>& commits, double hours, double rate) {
  outcome o{"troupe", rate};
  o.seen = commits.size();
  auto t0 = std::chrono::system_clock::time_point{};
  auto at = [&](double s) {
    return t0 + std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000));
  };
  auto secs = [&](time_point t) { return std::chrono::duration<double>(t - t0).count(); };
  window_scheduler sched;
  std::map<std::string, double> arrived;
  std::map<std::string, int> places;          // category memberships per commit
  std::map<std::uint64_t, planned_run> live;  // created, not dropped
  std::vector<double> latencies;
  std::size_t next = 0;
  double platforms_free_at = 0;
  bool running = false;
  planned_run current;
  auto note = [&](const scheduler_changes& ch) {
    for (auto& r : ch.created) live[r.id] = r;
    for (auto id : ch.dropped) live.erase(id);
    for (auto& s : ch.skipped) ++places[s.sha];
    o.max_queue = std::max(o.max_queue, sched.queue_depth());
  };
  for (;;) {
    double t_commit = next < commits.size() ? commits[next].at : INFINITY;
    auto deadline = sched.next_deadline();
    double t_window = deadline ? secs(*deadline) : INFINITY;
    double t_platform = running ? platforms_free_at : INFINITY;
    double now = std::min({t_commit, t_window, t_platform});
    if (std::isinf(now)) {
      if (!running && sched.queue_depth() > 0)
        now = platforms_free_at;  // idle, pull
      else
        break;
    }
    if (now == t_platform && running) {
      running = false;  // every platform reported: the collector appends the run
      for (auto& sha : current.commit_range) {
        ++places[sha];
        latencies.push_back(now - arrived[sha]);
        if (now <= hours * 3600) ++o.processed_in_day;
      }
      live.erase(current.id);
    } else if (now == t_commit) {
      arrived[commits[next].c.sha] = now;
      auto ch = sched.add(commits[next].c, at(now));
      if (ch) note(*ch);
      ++next;
    } else if (now == t_window) {
      note(sched.advance(*deadline));  // the exact deadline: no rounding
    }
    if (!running) {
      if (auto r = sched.take()) {  // all platforms idle: they pull the next run
        current = *r;
        live.erase(r->id);
        running = true;
        platforms_free_at = std::max(now, platforms_free_at) + bench_seconds;
      }
    }
  }
  // Left over: queued runs' ranges and pending commits (none after draining).
  for (auto& [id, r] : live)
    for (auto& sha : r.commit_range) ++places[sha];
  for (auto b : {"main", "feature-a", "feature-b"})
    for (auto& sha : sched.pending(b)) ++places[sha];
  std::size_t once = 0;
  for (auto& a : commits) {
    auto n = places[a.c.sha];
    if (n == 0) ++o.lost;
    if (n > 1) ++o.duplicated;
    if (n == 1) ++once;
  }
  o.accounted = o.seen ? static_cast<double>(once) / static_cast<double>(o.seen) : 1.0;
  o.p50_latency = median(latencies);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::uint64_t seed = 42;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0)
      quick = true;
    else if (std::strncmp(argv[i], "--seed=", 7) == 0)
      seed = std::strtoull(argv[i] + 7, nullptr, 10);
    else
      return std::fprintf(stderr, "usage: bench_pipeline [--quick] [--seed=N]\n"), 2;
  }
  double hours = quick ? 6 : 24;
  std::vector<outcome> results;
  for (double rate : {60.0, 600.0}) {
    auto commits = generate(rate, hours, seed);
    results.push_back(run_sequential(commits, hours, rate));
    results.push_back(run_troupe(commits, hours, rate));
  }
  std::printf("bench_pipeline: %.0f simulated hours, %d platforms x %.0f s per run\n",
              hours, platforms, bench_seconds);
  std::printf("%-10s %8s %8s %10s %9s %10s %5s %5s %12s\n", "model", "in/h", "seen",
              "processed/h", "max_queue", "accounted", "lost", "dup", "p50_push_s");
  json::array_builder rows;
  for (auto& o : results) {
    double per_hour = static_cast<double>(o.processed_in_day) / hours;
    std::printf("%-10s %8.0f %8zu %10.1f %9zu %9.1f%% %5zu %5zu %12.0f\n",
                o.model.c_str(), o.rate, o.seen, per_hour, o.max_queue, o.accounted * 100,
                o.lost, o.duplicated, o.p50_latency);
    json::object_builder b;
    b.set("model", json(o.model));
    b.set("commits_per_hour_in", o.rate);
    b.set("commits_per_hour_processed", per_hour);
    b.set("max_queue_depth", o.max_queue);
    b.set("accounted_fraction", o.accounted);
    b.set("lost", o.lost);
    b.set("duplicated", o.duplicated);
    b.set("p50_push_to_result_s", o.p50_latency);
    rows.push_back(b.build());
  }
  json::object_builder out;
  out.set("benchmark", json("bench_pipeline"));
  out.set("results", rows.build());
  std::printf("%s\n", out.build().dump().c_str());
  return 0;
}
