// with_items: throughput and memory of a with-items task. One workflow with
// one `core.noop` task over `{{ range(N) }}` (10k, 100k and 1M items),
// concurrency 1,000, on an embedded engine with persistence on (a store in a
// temporary directory: every step durable before the next dispatch), and a
// context holding 1 MB: a parameter of 10,000 strings of ~100 bytes, which
// every item's context shares.
//
// items_per_second = N / (start() called .. wait() returned): it includes
// rendering the range, running the items, building the result list of N
// item results, storing it and finishing the execution.
//
// peak_rss_bytes is VmHWM from /proc/self/status. The peak is per process,
// so each size runs in a fresh child process of this program (`--one N`,
// /proc/self/exe re-executed with an argv, no shell); the parent collects
// the children's figures. The table also shows the child's VmRSS just
// before start() (engine, store and the 1 MB parameter ready) and the
// growth per item, (peak - baseline) / N, to judge whether memory grows with
// the item results only.
//
//   with_items [--quick] [--one N]     (quick: 10k and 100k items)
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <cstring>

#include "perf/workflow_perf.hpp"

extern char** environ;

using namespace troupe;

namespace {

const char* program = "with_items";

struct row {
  std::size_t items = 0;
  double seconds = 0;
  std::size_t baseline_rss_bytes = 0;
  std::size_t peak_rss_bytes = 0;
  double items_per_second() const { return seconds > 0 ? items / seconds : 0; }
};

json definition(std::size_t items) {
  return perf::parse_or_exit(
      "{\"version\": 1, \"name\": \"with_items\", \"input\": {\"blob\": []},"
      " \"tasks\": {\"each\": {\"action\": \"core.noop\","
      " \"with_items\": \"{{ range(" +
      std::to_string(items) +
      ") }}\","
      " \"concurrency\": 1000}}}");
}

// ~1 MB: 10,000 strings of 100 bytes.
json megabyte_parameter() {
  json::array_builder blob(10'000);
  for (int i = 0; i < 10'000; ++i) {
    std::string s = "line " + std::to_string(i) + " ";
    s.resize(100, 'b');
    blob.push_back(json(s));
  }
  return json::object().set("blob", blob.build());
}

// Child mode: runs N items and prints "one <items> <seconds> <baseline> <peak>".
int run_one(std::size_t items) {
  perf::temp_dir dir;
  auto db = perf::open_workflow_store(dir.path());
  workflow::embedded_options options;
  options.db = db.get();
  options.resume = false;
  json params = megabyte_parameter();
  json def = definition(items);
  std::size_t baseline = 0, peak = 0;
  double seconds = 0;
  {
    workflow::embedded_engine engine(options);
    baseline = perf::proc_status_bytes("VmRSS");
    auto run = perf::run_to_end(engine, program, def, params);
    seconds = run.seconds;
    peak = perf::proc_status_bytes("VmHWM");
    if (run.status.items_done != items || run.status.tasks.size() != 1 ||
        run.status.tasks[0].result.size() != items)
      perf::fail(program, "expected " + std::to_string(items) + " item results, found " +
                              std::to_string(run.status.items_done));
  }
  db->flush();
  std::printf("one %zu %.6f %zu %zu\n", items, seconds, baseline, peak);
  return 0;
}

// Runs `--one items` in a fresh process of this program; its figures.
row run_child(std::size_t items) {
  int out[2];
  if (pipe(out) != 0) perf::fail(program, "pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  std::string self = "/proc/self/exe", one = "--one", n = std::to_string(items);
  std::vector<char*> args{self.data(), one.data(), n.data(), nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, self.c_str(), &fa, nullptr, args.data(), environ) != 0)
    perf::fail(program, "cannot start " + self);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t got; (got = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, got);
  close(out[0]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
    perf::fail(program, "the run of " + n + " items failed");
  row r;
  auto pos = text.rfind("one ");
  if (pos == std::string::npos ||
      std::sscanf(text.c_str() + pos, "one %zu %lf %zu %zu", &r.items, &r.seconds,
                  &r.baseline_rss_bytes, &r.peak_rss_bytes) != 4)
    perf::fail(program, "unexpected output from the child: " + text);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  perf::quiet_logs();
  std::vector<std::size_t> sizes{10'000, 100'000, 1'000'000};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      sizes = {10'000, 100'000};
    } else if (std::strcmp(argv[i], "--one") == 0 && i + 1 < argc) {
      return run_one(perf::parse_count(program, argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--one N]\n", argv[0]);
      return 2;
    }
  }

  std::vector<row> rows;
  for (auto n : sizes) rows.push_back(run_child(n));

  std::printf(
      "with_items: core.noop x N, concurrency 1000, 1 MB parameter, persistence on; "
      "one process per size\n");
  std::printf("%-10s %10s %16s %16s %16s %14s\n", "items", "seconds", "items/s",
              "baseline_rss", "peak_rss", "bytes/item");
  for (const row& r : rows) {
    double per_item = (static_cast<double>(r.peak_rss_bytes) -
                       static_cast<double>(r.baseline_rss_bytes)) /
                      static_cast<double>(r.items);
    std::printf("%-10zu %10.3f %16.0f %16zu %16zu %14.1f\n", r.items, r.seconds,
                r.items_per_second(), r.baseline_rss_bytes, r.peak_rss_bytes, per_item);
  }
  std::printf("{\"benchmark\":\"with_items\",\"results\":[");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row& r = rows[i];
    std::printf("%s{\"items\":%zu,\"items_per_second\":%.1f,\"peak_rss_bytes\":%zu}",
                i ? "," : "", r.items, r.items_per_second(), r.peak_rss_bytes);
  }
  std::printf("]}\n");
  return 0;
}
