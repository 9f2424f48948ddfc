// platform_job: what a benchmark-platform does for one run, as plain logic.
// plan_job turns a platform's configuration and a run into the commands to
// start (the optional build, then every suite repetitions times, suites in
// name order) with the use of the host each needs (a build shares it, a
// suite measures alone: runtime/services/process/host_lock.hpp), and job_outcome folds
// how each command ended into the run's artifact: parsed results (the samples of all
// repetitions of a benchmark merged, statistics recomputed over them) and failures (a
// timeout, a crash, a non-zero exit, unparsable output), recorded, never dropped. A
// failed build stops the job: its suites are recorded as skipped.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/bench/artifact.hpp"
#include "actors/bench/bench_config.hpp"
#include "runtime/services/process/process_spec.hpp"

namespace troupe::bench {

struct job_step {
  std::string suite;             // "" for the build
  std::uint32_t repetition = 0;  // 1-based (a comparison's round); 0 for the build
  std::string side;              // a comparison's "base" or "head"; "" in a run
  result_format format = result_format::simple;
  host_use use = host_use::shared;  // exclusive for a suite
  // The platform holds the step's lease itself (through the parse of its
  // output), so spec.host is nullopt.
  process_spec spec;
};

// `argv` with {commit} and {sha} replaced by the run's commit, {run} by its
// id, {branch} and {platform} by theirs (anywhere inside an element).
std::vector<std::string> expand_argv(const std::vector<std::string>& argv,
                                     const artifact& run);

// The build of `run` (p.build must not be empty), and repetition
// `repetition` of suite `s`.
job_step build_step(const platform_config& p, const bench_settings& settings,
                    const artifact& run);
job_step suite_step(const platform_config& p, const bench_settings& settings,
                    const artifact& run, const suite_config& s, std::uint32_t repetition);

// The commands of one job; `run` is the artifact's header (run id, platform,
// commit ...). Commands run in platform.workdir with the platform's env
// (after TROUPE_BENCH_RUN, _COMMIT and _PLATFORM); suites on its cpus.
std::vector<job_step> plan_job(const platform_config& platform,
                               const bench_settings& settings, const artifact& run);

// How one step ended: the suite's parsed results, or a failure (a timeout,
// a crash, a non-zero exit, unparsable output); neither for a build that
// succeeded.
struct step_outcome {
  std::optional<suite_results> results;
  std::optional<artifact_failure> failure;
};
step_outcome outcome_of(const job_step& step, const process_result& r);

// The failure recorded for a step that never ran (an earlier build failed).
artifact_failure skipped_failure(const job_step& step);

class job_outcome {
 public:
  // `header`: the artifact without results (run, platform, host, started).
  explicit job_outcome(artifact header) : artifact_(std::move(header)) {}

  // Records how `step` ended. False when the job must stop (a failed build).
  bool record(const job_step& step, const process_result& r);

  // Records that `step` never ran (an earlier step stopped the job).
  void skip(const job_step& step);

  // Records how a suite command was measured (artifact.measurements).
  void measured(artifact_measurement m) {
    artifact_.measurements.push_back(std::move(m));
  }

  // The artifact, with results in the order first reported.
  artifact finish(std::int64_t finished_ms);

 private:
  artifact artifact_;
  std::vector<std::pair<std::string, std::string>> order_;  // (suite, benchmark)
  std::map<std::pair<std::string, std::string>, benchmark_result> merged_;
  std::map<std::pair<std::string, std::string>, std::size_t> parts_;
};

}  // namespace troupe::bench
