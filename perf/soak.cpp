// soak: one troupe node under mixed load for a long time, watching what must
// not grow. The load, all at once through the node's HTTP API:
//   - fleet: a sim pool scaled 0 → 40 → 0 in a cycle (every 20 s);
//   - workflow: a run with 20 with-items core.echo items every second;
//   - bench: a commit every 3 s on a platform whose suite prints one simple
//     line (a 2 s window, so a run every window);
//   - reads: pool status, run list, bench status and /metrics, 5 per second.
// Every sample interval it prints the node's RSS, open descriptors and
// threads, and the size of its store and WAL. At the end: RSS growth after
// the warm-up (the first quarter; goal ≤ 10%), the range of descriptors and
// threads (goal: flat), the largest WAL (goal: bounded).
//
// Usage: soak [--quick | --minutes=N]   (default 60 minutes; --quick 2)
// Exit 1 only when the node or the load fails; the goals are reported, and
// perf/RESULTS.md records them.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "perf/perf_node.hpp"

using namespace troupe;
using namespace std::chrono_literals;

namespace {

const std::string program = "soak";

struct sample {
  double minute = 0;
  double rss_mib = 0;
  int fds = 0, threads = 0;
  double store_mib = 0, wal_mib = 0;
  long runs = 0, commits = 0, reads = 0, errors = 0;
};

double mib(std::uintmax_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

std::uintmax_t size_of(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : n;
}

// A field of /proc/<pid>/status as a number ("VmRSS" in kB, "Threads").
long proc_field(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, field.size() + 1, field + ":") == 0)
      return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  return -1;
}

int open_fds(pid_t pid) {
  int n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(
           "/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

void write_config(const std::string& dir) {
  std::ofstream(dir + "/fan.json")
      << R"({"version": 1, "name": "fan", "input": {"n": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]},
             "tasks": {"each": {"action": "core.echo", "with_items": "{{ parameters.n }}",
                                "concurrency": 4, "input": {"message": "{{ item }}"}}}})";
  std::ofstream(dir + "/suite.sh") << "#!/bin/sh\necho 't 1.0 ms'\n";
  std::filesystem::permissions(dir + "/suite.sh", std::filesystem::perms::owner_all);
  std::ofstream(dir + "/node.ini")
      << "[workflow]\nworkflows-dir=\"" << dir << "\"\n"
      << "[bench]\nwindow=2s\nmax-disturbance=8.0\n[bench.platforms]\nlinux={\n  "
         "suites={\n"
      << "    s={\n      argv=[\"" << dir << "/suite.sh\"]\n    }\n  }\n}\n"
      << "[fleet.pools]\nsoak={\n  max=40\n  provider=\"sim\"\n  sim-latency=50ms\n}\n";
}

}  // namespace

int main(int argc, char** argv) {
  double minutes = 60;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick")
      minutes = 2;
    else if (a.rfind("--minutes=", 0) == 0)
      minutes = std::atof(a.c_str() + 10);
    else
      perf::fail(program,
                 "unknown argument '" + a + "' (usage: soak [--quick | --minutes=N])");
  }
  if (minutes <= 0) perf::fail(program, "--minutes must be positive");
  auto sample_every = minutes <= 5 ? 10s : 60s;

  perf::temp_dir dir;
  write_config(dir.path());
  auto port = perf::free_port(program);
  auto data = dir.path() + "/data";
  perf::node_child node(program, perf::troupe_beside(argv[0]), data,
                        {"--config-file=" + dir.path() + "/node.ini",
                         "--http.listen=127.0.0.1:" + std::to_string(port)});
  auto api = perf::client_of(program, port);
  perf::await(program, *api, "/api/v1/bench/status", [](const std::string& b) {
    return b.find("\"ready\":true") != std::string::npos;
  });

  std::printf("soak: %.0f minute(s), a sample every %lld s\n", minutes,
              static_cast<long long>(sample_every.count()));
  std::printf("%7s %9s %5s %8s %10s %8s %7s %8s %7s %7s\n", "minute", "rss_MiB", "fds",
              "threads", "store_MiB", "wal_MiB", "runs", "commits", "reads", "errors");
  std::vector<sample> samples;
  sample now;
  auto start = std::chrono::steady_clock::now();
  auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double, std::ratio<60>>(minutes));
  auto next_sample = start + sample_every;
  auto count = [&](const http_client_response& r, int want) {
    if (!r.ok() || r.status != want) ++now.errors;
  };
  for (long tick = 0; std::chrono::steady_clock::now() < end; ++tick) {
    auto at = start + tick * 200ms;  // five ticks a second
    std::this_thread::sleep_until(at);
    if (tick % 100 == 0)  // every 20 s: up, then down
      count(
          api->call("POST", "/api/v1/pools/soak/scale",
                    (tick / 100) % 2 == 0 ? R"({"replicas": 40})" : R"({"replicas": 0})"),
          202);
    if (tick % 5 == 0) {
      count(api->call("POST", "/api/v1/runs", R"({"workflow": "fan"})"), 201);
      ++now.runs;
    }
    if (tick % 15 == 0) {
      char sha[24];
      std::snprintf(sha, sizeof sha, "%08lx", static_cast<unsigned long>(tick / 15 + 1));
      count(api->call("POST", "/api/v1/bench/commits",
                      std::string(R"([{"sha":")") + sha + R"(","branch":"main"}])"),
            202);
      ++now.commits;
    }
    static const char* reads[] = {"/api/v1/pools/soak", "/api/v1/runs?limit=10",
                                  "/api/v1/bench/status", "/metrics"};
    count(api->call("GET", reads[tick % 4]), 200);
    ++now.reads;
    if (std::chrono::steady_clock::now() < next_sample) continue;
    next_sample += sample_every;
    now.minute = std::chrono::duration<double, std::ratio<60>>(
                     std::chrono::steady_clock::now() - start)
                     .count();
    now.rss_mib = static_cast<double>(proc_field(node.pid(), "VmRSS")) / 1024.0;
    now.threads = static_cast<int>(proc_field(node.pid(), "Threads"));
    now.fds = open_fds(node.pid());
    now.store_mib = mib(size_of(data + "/troupe.db"));
    now.wal_mib = mib(size_of(data + "/troupe.db-wal"));
    if (now.rss_mib <= 0) perf::fail(program, "the node is gone; its log: " + node.log());
    std::printf("%7.1f %9.1f %5d %8d %10.1f %8.1f %7ld %8ld %7ld %7ld\n", now.minute,
                now.rss_mib, now.fds, now.threads, now.store_mib, now.wal_mib, now.runs,
                now.commits, now.reads, now.errors);
    std::fflush(stdout);
    samples.push_back(now);
  }
  if (samples.size() < 4) perf::fail(program, "too few samples");
  auto warm = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 4);
  auto after = std::vector<sample>(warm, samples.end());
  auto by = [](auto field) {
    return [field](const sample& a, const sample& b) { return a.*field < b.*field; };
  };
  auto fds = std::minmax_element(after.begin(), after.end(), by(&sample::fds));
  auto threads = std::minmax_element(after.begin(), after.end(), by(&sample::threads));
  auto wal = std::max_element(samples.begin(), samples.end(), by(&sample::wal_mib));
  double growth = after.back().rss_mib / after.front().rss_mib - 1.0;
  std::printf("rss after warm-up: %.1f -> %.1f MiB (%+.1f%%; goal <= +10%%)\n",
              after.front().rss_mib, after.back().rss_mib, 100.0 * growth);
  std::printf("fds after warm-up: %d..%d; threads: %d..%d (goal: flat)\n", fds.first->fds,
              fds.second->fds, threads.first->threads, threads.second->threads);
  std::printf("largest wal: %.1f MiB; store at the end: %.1f MiB\n", wal->wal_mib,
              samples.back().store_mib);
  std::printf("requests refused or failed: %ld of %ld\n", samples.back().errors,
              samples.back().runs + samples.back().commits + samples.back().reads);
  if (samples.back().errors > 0)
    perf::fail(program, "requests failed; the node's log: " + node.log());
  return 0;
}
