// bench's configuration: the [bench] section (scheduling, collection,
// history, regression detection) and the platforms, declared under
// [bench.platforms] one map per platform, each with its suites as a map of
// maps (suites run in the order of their names):
//
//   [bench.platforms]
//   x86-64-linux={
//     labels=["linux","x64"]           ; on a coordinator: labels its worker must carry
//     node=""                          ; on a coordinator: "" = any fitting worker, else
//     that worker's [node] name workdir="/srv/bench/checkout"
//     build=["/srv/bench/build.sh","{commit}"]   ; optional
//     cpus=[2,3]                       ; optional: suites run on these CPUs only
//     env=["LC_ALL=C"]                 ; optional: set for every command
//     clear-env=false                  ; true: commands get only `env`
//     suites={
//       micro={ argv=["./bench_micro","--benchmark_format=json"]
//               format="google-benchmark" repetitions=1 timeout=10m }
//     }
//   }
//
// (CAF 0.17's INI reader loses sections nested three deep, so platforms are
// maps inside [bench.platforms], like fleet's pools.) In argv and build
// elements {commit} and {sha} expand to the commit's sha, {run} to the run
// id, {branch} and {platform} to theirs; commands run from argv, never a
// shell. Every key is listed in config/reference.ini.
//
// Where a platform runs (placement.hpp): a standalone node runs each platform
// itself (labels and node are recorded only); a coordinator runs none, each
// is run by a cluster worker with [cluster] platform="<name>", the role
// "platform", every one of `labels` and, if `node` is set, that name. The
// worker's INI holds no [bench.platforms]: it gets the definition from the
// coordinator.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/bench/regression.hpp"
#include "actors/bench/results.hpp"
#include "actors/bench/windows.hpp"
#include "runtime/base/status.hpp"
#include "runtime/services/config/node_config.hpp"

namespace troupe::bench {

// [bench]
struct bench_settings {
  std::chrono::nanoseconds window = std::chrono::minutes(15);
  std::size_t widen_threshold = 10;
  std::size_t drop_threshold = 20;
  std::size_t widen_factor = 2;
  std::string tag = "[bench]";
  std::size_t intake_queue = 100;  // queued runs + commits awaiting disk, at most
  std::chrono::nanoseconds collector_deadline = std::chrono::hours(2);
  std::chrono::nanoseconds scheduled_interval{0};  // 0 = no scheduled runs
  std::string history_dir;                         // "" = <data-dir>/bench
  std::size_t retention_runs = 0;                  // 0 = keep every run
  std::size_t baseline_runs = 10;
  std::size_t confirm_runs = 6;
  double min_change = 0.025;
  double max_noise = 0.15;    // noisier series are flagged "noisy"
  std::string alert_webhook;  // URL POSTed on each regression; "" = none
  std::chrono::nanoseconds suite_timeout = std::chrono::minutes(30);
  std::chrono::nanoseconds build_timeout = std::chrono::hours(1);
  std::size_t max_output_bytes = 8 << 20;  // per stream of one command
  // "host": a suite measures alone on its host (runtime/services/process/host_lock.hpp);
  // "off": suites run whatever else runs (for comparison only).
  std::string isolation = "host";
  // With isolation "host": a suite command is disturbed when everything else
  // on its CPUs (what the lock cannot hold back: processes outside troupe, a
  // hypervisor's steal) used more than this many CPUs on average while it
  // ran; it is then measured again, up to disturbance_retries times, and the
  // last measurement is kept (artifact.measurements shows them).
  double max_disturbance = 0.2;
  std::size_t disturbance_retries = 2;
};

struct suite_config {
  std::string name;
  std::vector<std::string> argv;
  result_format format = result_format::simple;
  std::size_t repetitions = 1;
  std::chrono::nanoseconds timeout{0};  // 0 = [bench] suite-timeout
};

struct platform_config {
  std::string name;
  std::vector<std::string> labels;
  std::string node;
  std::string workdir;
  std::vector<std::string> build;  // empty = no build step
  std::vector<suite_config> suites;
  std::vector<int> cpus;  // suites' CPU affinity; empty = every CPU
  std::vector<std::pair<std::string, std::string>>
      env;                 // (name, value), for every command
  bool clear_env = false;  // commands start from an empty environment + env
};

// Declares [bench] on `cfg` and marks [bench.platforms] as a dynamic section.
void declare_bench_options(node_config& cfg, bench_settings& settings);

// Checks [bench] itself; errors name file:line and key.
status check_bench_settings(const node_config& cfg, const bench_settings& s);

// Reads and validates the platforms from `cfg.content`; errors name the
// place ("file:line: key 'bench.platforms.x.suites.micro.format' ...").
result<std::vector<platform_config>> read_platforms(const node_config& cfg);

// The scheduler's and the detector's options from [bench].
window_options window_options_of(const bench_settings& s);
detector_options detector_options_of(const bench_settings& s);

}  // namespace troupe::bench
