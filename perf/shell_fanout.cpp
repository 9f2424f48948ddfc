// shell_fanout: the workflow engine running many short commands, against
// xargs. For each concurrency C (2 and 8), side by side in one run:
//
//   troupe  one workflow with one `core.shell` task, {"argv": ["true"]},
//           with_items over `{{ range(N) }}`, concurrency C, on an embedded
//           engine (8 action runners, so that C never waits for a runner;
//           no store): seconds from start() to wait() returned
//   xargs   `xargs -P C -n 1 true` started with posix_spawn (argv, no
//           shell), N lines on its stdin: seconds from spawn to reaped
//
// Both start the same N processes of `true` at most C at once; the engine
// adds the task and item machinery, the action pool, runners and the
// process service's capture of stdout/stderr. ratio = troupe_seconds /
// xargs_seconds (target <= 1.2). A warm-up of each precedes the runs; then,
// per concurrency, 3 rounds alternate troupe and xargs and each figure is
// the median of its rounds (the 2-core machine is shared: one round can
// catch a neighbour's compile).
//
//   shell_fanout [--quick] [--count N]     (N defaults to 2,000; quick: 500, 1 round)
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "perf/workflow_perf.hpp"

extern char** environ;

using namespace troupe;

namespace {

const char* program = "shell_fanout";
constexpr std::size_t runners = 8;

struct row {
  std::size_t concurrency = 0;
  double troupe_seconds = 0;
  double xargs_seconds = 0;
  double ratio() const { return xargs_seconds > 0 ? troupe_seconds / xargs_seconds : 0; }
};

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

double run_troupe(workflow::embedded_engine& engine, std::size_t count,
                  std::size_t concurrency) {
  auto def = perf::parse_or_exit(
      "{\"version\": 1, \"name\": \"shell_fanout\", \"tasks\": {\"run\": {"
      "\"action\": \"core.shell\", \"input\": {\"argv\": [\"true\"]},"
      " \"with_items\": \"{{ range(" +
      std::to_string(count) +
      ") }}\","
      " \"concurrency\": " +
      std::to_string(concurrency) + "}}}");
  auto run = perf::run_to_end(engine, program, def, json::object());
  if (run.status.items_done != count)
    perf::fail(program, "expected " + std::to_string(count) + " items, found " +
                            std::to_string(run.status.items_done));
  return run.seconds;
}

double run_xargs(std::size_t count, std::size_t concurrency) {
  int in[2];
  if (pipe(in) != 0) perf::fail(program, "pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_addclose(&fa, in[1]);
  std::vector<std::string> argv{"xargs", "-P", std::to_string(concurrency),
                                "-n",    "1",  "true"};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  std::string lines;
  for (std::size_t i = 0; i < count; ++i) lines += "x\n";
  auto begin = std::chrono::steady_clock::now();
  pid_t pid = -1;
  if (posix_spawnp(&pid, "xargs", &fa, nullptr, args.data(), environ) != 0)
    perf::fail(program, "cannot start xargs");
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  for (std::size_t off = 0; off < lines.size();) {
    ssize_t put = write(in[1], lines.data() + off, lines.size() - off);
    if (put <= 0) perf::fail(program, "writing to xargs failed");
    off += static_cast<std::size_t>(put);
  }
  close(in[1]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - begin;
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
    perf::fail(program, "xargs failed");
  return elapsed.count();
}

}  // namespace

int main(int argc, char** argv) {
  perf::quiet_logs();
  std::size_t count = 2'000;
  int rounds = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      count = 500;
      rounds = 1;
    } else if (std::strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
      count = perf::parse_count(program, argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--count N]\n", argv[0]);
      return 2;
    }
  }

  workflow::embedded_options options;
  options.runners = runners;
  options.resume = false;
  workflow::embedded_engine engine(options);
  run_troupe(engine, 50, 2);  // warm-up: page cache, PATH lookup, threads
  run_xargs(50, 2);
  std::vector<row> rows;
  for (std::size_t concurrency : {2, 8}) {
    std::vector<double> troupe_s, xargs_s;
    for (int round = 0; round < rounds; ++round) {
      troupe_s.push_back(run_troupe(engine, count, concurrency));
      xargs_s.push_back(run_xargs(count, concurrency));
    }
    row r;
    r.concurrency = concurrency;
    r.troupe_seconds = median(troupe_s);
    r.xargs_seconds = median(xargs_s);
    rows.push_back(r);
  }

  std::printf(
      "shell_fanout: %zu x `true`; core.shell with_items (%zu runners) vs xargs -P; "
      "median of %d rounds\n",
      count, runners, rounds);
  std::printf("%-12s %14s %14s %14s %14s %8s\n", "concurrency", "troupe_s", "troupe/s",
              "xargs_s", "xargs/s", "ratio");
  for (const row& r : rows) {
    std::printf("%-12zu %14.3f %14.1f %14.3f %14.1f %8.2f\n", r.concurrency,
                r.troupe_seconds, count / r.troupe_seconds, r.xargs_seconds,
                count / r.xargs_seconds, r.ratio());
  }
  std::printf("target: ratio (troupe_seconds / xargs_seconds) <= 1.2\n");
  std::printf("{\"benchmark\":\"shell_fanout\",\"results\":[");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row& r = rows[i];
    std::printf(
        "%s{\"concurrency\":%zu,\"troupe_seconds\":%.6f,\"xargs_seconds\":%.6f,"
        "\"ratio\":%.4f}",
        i ? "," : "", r.concurrency, r.troupe_seconds, r.xargs_seconds, r.ratio());
  }
  std::printf("]}\n");
  return 0;
}
