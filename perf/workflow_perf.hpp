// workflow_perf: what the workflow benchmarks (with_items, dispatch_latency,
// shell_fanout) share — a temporary directory holding a store, running one
// definition to its end on an embedded engine, and reading the process's
// memory figures. Header-only: each perf/*.cpp is its own program.
// Every helper exits the program with a message on failure (benchmarks have
// nothing to recover).
#pragma once

#include <spdlog/spdlog.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "actors/workflow/embedded_engine.hpp"
#include "actors/workflow/workflow_records.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::perf {

[[noreturn]] inline void fail(const std::string& program, const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", program.c_str(), what.c_str());
  std::exit(1);
}

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// this goes away.
class temp_dir {
 public:
  temp_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/troupe-perf-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr) fail("perf", "mkdtemp failed");
    path_ = buffer.data();
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A workflow store (workflow_migration) in `dir`, with the store's defaults:
// group commit, synchronous=FULL; a step is durable only after its fsync.
inline std::unique_ptr<store> open_workflow_store(const std::string& dir) {
  store_options options;
  options.path = dir + "/troupe.db";
  auto opened = store::open(options, workflow::workflow_migrations());
  if (!opened) fail("perf", "store: " + opened.error().message());
  return std::move(*opened);
}

// Keeps the engine's info logs (one line per execution, on stdout) out of
// the benchmark's table; warnings and errors still show.
inline void quiet_logs() {
  spdlog::set_level(spdlog::level::warn);
}

inline json parse_or_exit(const std::string& text) {
  auto v = json::parse(text);
  if (!v) fail("perf", "bad JSON: " + v.error().message());
  return *v;
}

// The steady clock, in seconds (for rates and means over a loop).
inline double steady_seconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CPU seconds (user + system, every thread) this process has used.
inline double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct timed_run {
  run_status status;
  double seconds = 0;  // start() called to wait() returned
};

// Starts `definition` with `parameters`, waits for its end and checks that
// it succeeded.
inline timed_run run_to_end(workflow::embedded_engine& engine, const std::string& program,
                            json definition, json parameters) {
  auto begin = std::chrono::steady_clock::now();
  auto started =
      engine.start({program + ".json", std::move(definition), std::move(parameters), {}});
  if (!started) fail(program, "start: " + started.error().message());
  auto done = engine.wait(started->id);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - begin;
  if (!done) fail(program, "wait: " + done.error().message());
  if (done->state != "succeeded") {
    std::string errors;
    for (auto& e : done->errors) errors += e + "; ";
    fail(program, "execution " + done->state + ": " + errors);
  }
  return {std::move(*done), elapsed.count()};
}

// A field of /proc/self/status in bytes ("VmHWM", "VmRSS"), or 0.
inline std::size_t proc_status_bytes(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, field.size() + 1, field + ":") != 0) continue;
    return std::strtoull(line.c_str() + field.size() + 1, nullptr, 10) * 1024;  // kB
  }
  return 0;
}

inline std::size_t parse_count(const std::string& program, const char* text) {
  char* end = nullptr;
  unsigned long long n = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || n == 0)
    fail(program, std::string("not a positive count: ") + text);
  return static_cast<std::size_t>(n);
}

}  // namespace troupe::perf
