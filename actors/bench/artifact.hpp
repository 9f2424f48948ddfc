// artifact: one platform's result for one run, as a JSON document (schema in
// docs/bench.md, "Artifact and history file formats"). A benchmark-platform actor builds
// it; the collector parses it back and appends its results to history. The document is
// the contract between the two, so that a platform may one day run on another node (or be
// replayed from a file) without either side changing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/bench/results.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::bench {

// The machine a platform ran on.
struct host_facts {
  std::string hostname;
  std::string kernel;  // uname: sysname release machine
  std::string cpu_model;
  std::uint32_t cpu_count = 0;
};

// Reads this machine's facts (gethostname, uname, /proc/cpuinfo). Blocking
// (a small file read): call at start-up, not from an actor.
host_facts read_host_facts();

// One benchmark of one suite.
struct artifact_result {
  std::string suite;
  benchmark_result result;
};

// A command of the job that did not give results.
struct artifact_failure {
  std::string step;              // "build" or the suite's name
  std::uint32_t repetition = 0;  // 1-based; 0 for the build
  std::string kind;  // spawn | timeout | signal | exit | parse | cancelled | skipped
  std::int32_t exit_code = -1;
  std::string message;
};

// One suite command as measured: how long it ran, the CPU it used, and the
// CPU time everything else used on its CPUs meanwhile (foreign), which the
// host lock cannot prevent (processes outside troupe, a hypervisor's steal).
// `attempts` counts the times it ran: a disturbed measurement is repeated
// ([bench] max-disturbance, disturbance-retries) and the last one is kept.
struct artifact_measurement {
  std::string suite;
  std::uint32_t repetition = 0;  // 1-based
  double seconds = 0;
  double cpu_seconds = 0;
  double foreign_cpu_seconds = 0;
  std::uint32_t attempts = 1;
  // Foreign CPU seconds per second of the measurement: 1.0 = one other CPU
  // busy throughout.
  double disturbance() const { return seconds > 0 ? foreign_cpu_seconds / seconds : 0; }
};

struct artifact {
  static constexpr int schema_version = 1;
  std::uint64_t run_id = 0;
  std::string platform;
  std::string branch;
  std::string commit;
  std::string reason;
  std::vector<std::string> commit_range;
  std::vector<std::string> skipped_before;
  host_facts host;
  std::int64_t started_ms = 0;
  std::int64_t finished_ms = 0;
  std::vector<artifact_result> results;
  std::vector<artifact_failure> failures;
  std::vector<artifact_measurement> measurements;  // one per suite command that ran
};

// "<suite>/<name>": how history names a benchmark.
std::string benchmark_key(const std::string& suite, const std::string& name);

json to_json(const host_facts& h);
json to_json(const benchmark_result& r);  // n, mean, ..., samples, unit, error
json to_json(const artifact& a);

// Parses an artifact document; all-or-nothing, errors name the JSON path
// ("artifact run 3/linux: $.results[2].samples[0]: expected a number ...").
// A schema_version other than artifact::schema_version is an error.
result<artifact> parse_artifact(std::string_view text, std::string_view source_name);

}  // namespace troupe::bench
