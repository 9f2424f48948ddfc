// process_spawn: how fast the process service starts, watches and reaps
// short-lived children, against xargs as the baseline. For each concurrency
// C (2 and 8) it runs, side by side in one run:
//
//   troupe  N times `true` through the process service, at most C at once
//           (each completion callback starts the next)
//   xargs   `xargs -P C -n1 true` with N arguments on stdin, itself started
//           through the service: fork+exec at the same concurrency, with no
//           capture, no pidfd and no epoll
//
// ratio = troupe processes/s ÷ xargs processes/s (above 1: troupe faster).
// Prints a table, then one JSON line.
//
//   process_spawn [--quick] [--count N]      (N defaults to 2000, quick 300)
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/services/process/command_line.hpp"
#include "runtime/services/process/process_service.hpp"

using namespace troupe;

namespace {

struct row {
  int concurrency = 0;
  double troupe_seconds = 0;
  double xargs_seconds = 0;
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "process_spawn: %s\n", what.c_str());
  std::exit(1);
}

process_spec true_spec() {
  process_spec spec;
  spec.argv = {"true"};
  return spec;
}

// Runs `count` times `true`, at most `concurrency` at once; seconds taken.
double run_troupe(process_service& service, std::size_t count, int concurrency) {
  std::mutex mu;
  std::condition_variable all_done;
  std::size_t started = 0, finished = 0, failed = 0;
  std::string first_error;
  std::function<void(process_result)> on_exit;
  on_exit = [&](process_result r) {
    bool start_next = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      ++finished;
      if (!r.ok()) {
        ++failed;
        if (first_error.empty()) first_error = r.error;
      }
      if (started < count) {
        ++started;
        start_next = true;
      }
      if (finished == count) all_done.notify_all();
    }
    if (start_next) service.start(true_spec(), on_exit);
  };
  auto begin = std::chrono::steady_clock::now();
  std::size_t first = std::min<std::size_t>(count, static_cast<std::size_t>(concurrency));
  {
    std::lock_guard<std::mutex> lock(mu);
    started = first;
  }
  for (std::size_t i = 0; i < first; ++i) service.start(true_spec(), on_exit);
  std::unique_lock<std::mutex> lock(mu);
  all_done.wait(lock, [&] { return finished == count; });
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - begin;
  if (failed > 0) fail(std::to_string(failed) + " processes failed: " + first_error);
  return elapsed.count();
}

// Runs `xargs -P concurrency -n1 true` over `count` arguments; seconds taken.
double run_xargs(process_service& service, std::size_t count, int concurrency) {
  process_spec spec;
  spec.argv = {"xargs", "-P", std::to_string(concurrency), "-n1", "true"};
  std::string input;
  for (std::size_t i = 0; i < count; ++i) input += "x\n";
  spec.stdin_data = std::move(input);
  std::mutex mu;
  std::condition_variable done;
  std::optional<process_result> result;
  auto begin = std::chrono::steady_clock::now();
  service.start(spec, [&](process_result r) {
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(r);
    done.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu);
  done.wait(lock, [&] { return result.has_value(); });
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - begin;
  if (!result->ok()) {
    fail(render_command(spec.argv) + " failed: exit " +
         std::to_string(result->exit_code) + " " + result->error + result->err);
  }
  return elapsed.count();
}

std::size_t parse_count(const char* text) {
  char* end = nullptr;
  unsigned long long n = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || n == 0)
    fail(std::string("not a positive count: ") + text);
  return static_cast<std::size_t>(n);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 2000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      count = 300;
    } else if (std::strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
      count = parse_count(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--count N]\n", argv[0]);
      return 2;
    }
  }

  process_service service;
  run_troupe(service, 20, 2);  // warm-up: page cache, PATH lookup
  std::vector<row> rows;
  for (int concurrency : {2, 8}) {
    row r;
    r.concurrency = concurrency;
    r.troupe_seconds = run_troupe(service, count, concurrency);
    r.xargs_seconds = run_xargs(service, count, concurrency);
    rows.push_back(r);
  }

  std::printf("process_spawn: %zu x `true` per run; ratio = troupe/s / xargs/s\n", count);
  std::printf("%-12s %12s %12s %12s %12s %8s\n", "concurrency", "troupe_s", "troupe/s",
              "xargs_s", "xargs/s", "ratio");
  for (const row& r : rows) {
    std::printf("%-12d %12.3f %12.1f %12.3f %12.1f %7.2fx\n", r.concurrency,
                r.troupe_seconds, count / r.troupe_seconds, r.xargs_seconds,
                count / r.xargs_seconds, r.xargs_seconds / r.troupe_seconds);
  }
  std::printf("{\"benchmark\":\"process_spawn\",\"processes\":%zu,\"results\":[", count);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row& r = rows[i];
    std::printf(
        "%s{\"concurrency\":%d,\"troupe_seconds\":%.6f,\"xargs_seconds\":%.6f,"
        "\"ratio\":%.4f}",
        i ? "," : "", r.concurrency, r.troupe_seconds, r.xargs_seconds,
        r.xargs_seconds / r.troupe_seconds);
  }
  std::printf("]}\n");
  return 0;
}
