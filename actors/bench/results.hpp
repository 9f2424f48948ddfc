// results: what a benchmark suite measured, in one model whatever tool
// produced it, and the parsers for the three output formats a suite may have.
//
// Every parser is all-or-nothing: it returns the whole suite or an error that
// names the place (the source name plus line:col for text problems, or a
// JSON path for a value of the wrong shape, e.g.
// "google-benchmark.json: $.benchmarks[3].real_time: expected a number, found
// a string"). A suite with no benchmark at all is an error too: an empty
// output is what a crashed command leaves, not a result.
//
// Units are kept as the tool reports them (Google Benchmark's time_unit,
// seconds for hyperfine, anything for the simple format); nothing is
// converted, so a sample, its statistics and its unit always agree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.hpp"

namespace troupe::bench {

// One benchmark of a suite.
struct benchmark_result {
  std::string name;
  std::string unit;  // "ns", "us", "ms", "s", "items/s", ...
  // Number of measurements behind the statistics: samples.size() when the
  // raw samples are known; Google Benchmark's repetition count when its
  // output holds only aggregates.
  std::size_t n = 0;
  // Statistics in `unit` (see statistics.hpp for the conventions). Taken
  // from the tool where it reports them, computed from `samples` otherwise.
  // NaN where neither is possible (min and max of aggregates-only output);
  // all 0 for a benchmark that failed before measuring anything.
  double mean = 0;
  double median = 0;
  double stddev = 0;
  double min = 0;
  double max = 0;
  // Raw per-repetition (or per-run) values, in the order measured.
  std::vector<double> samples;
  // The benchmark reported an error (or was skipped): recorded, not
  // dropped. The statistics cover the samples that did succeed, if any.
  bool error = false;
  std::string error_message;
};

enum class result_format { google_benchmark, hyperfine, simple, troupe_perf };

// "google-benchmark", "hyperfine", "simple", "troupe-perf" (the spelling of
// config files).
std::string_view result_format_name(result_format f);
// The format named `name`; an error listing the valid names otherwise.
result<result_format> parse_result_format(std::string_view name);

// The benchmarks of one suite run, in the order the tool first reported them.
struct suite_results {
  result_format format = result_format::simple;
  std::vector<benchmark_result> benchmarks;
};

// Sets n, mean, median, stddev, min and max of `r` from r.samples.
void compute_statistics(benchmark_result& r);

// True when larger values of `unit` are better: throughput units, i.e.
// units ending in "/s", "/sec", "/second", "per_second" or "hz"
// (case-insensitive). Times and everything else: smaller is better.
bool unit_higher_is_better(std::string_view unit);

// Google Benchmark output of --benchmark_format=json (or --benchmark_out).
// Entries are grouped by run_name (the name without the aggregate suffix):
//   - "iteration" entries are the samples (real_time, in time_unit);
//   - "aggregate" entries named mean, median and stddev give those
//     statistics (the tool's own numbers win over ours); other aggregates
//     (cv, BigO, RMS, user-defined) are ignored;
//   - an entry with error_occurred records error and error_message; an
//     entry with skipped records error with "skipped: <skip_message>"; such
//     entries give no sample.
// Fields that are required: benchmarks (array), and per entry name, plus
// real_time and time_unit unless it is an error, skip or ignored aggregate.
result<suite_results> parse_google_benchmark(std::string_view text,
                                             std::string_view source_name);

// hyperfine --export-json output: results[].command is the name, unit "s",
// times[] the samples; mean, stddev, median, min, max are taken when
// present (stddev is null for a single run) and computed otherwise. A
// non-zero or missing (signal) exit code in exit_codes marks the benchmark
// as an error, naming how many runs failed. hyperfine rewrites its export
// after every command, so `--export-json /dev/stdout` gives one document per
// command, each with the results so far: every document must be valid JSON
// and the last one is the suite's result.
result<suite_results> parse_hyperfine(std::string_view text,
                                      std::string_view source_name);

// troupe's simple format, for suites that are shell scripts:
//
//   # comment lines and blank lines are ignored
//   <name> <value> <unit>       one sample of benchmark <name>
//   <name> error <message...>   benchmark <name> failed with <message>
//
// Fields are separated by spaces or tabs. <name> and <unit> are single
// words (no whitespace); <value> is a decimal number such as 12, -0.5 or
// 1.2e-3 (no leading '+', no hex, inf or nan). Lines of one name accumulate samples in
// order and must all use the same unit. Every line, the last one included,
// ends with "\n" (a "\r" before it is allowed): a last line without one is
// reported as truncated. Statistics are computed from the samples. Example:
//
//   echo "startup_ms 12.4 ms"; echo "startup_ms 12.9 ms"; echo "rps 5310 req/s"
result<suite_results> parse_simple(std::string_view text, std::string_view source_name);

// The last line of troupe's own perf/ programs (ARCHITECTURE.md: a table,
// then one JSON line {"benchmark": B, "results": [{...}, ...]}): each result
// object becomes benchmarks "<B>/<label>/<field>", one per numeric field,
// one sample each; <label> joins the object's string fields with '/', or is
// "#<index>" when it has none. Units come from the field name: *_seconds and
// *_s are "s", *_ms "ms", *_per_s, *_per_second and *_per_hour are
// throughput ("1/s", "1/h"), anything else "value".
result<suite_results> parse_troupe_perf(std::string_view text,
                                        std::string_view source_name);

// Dispatches on `format`.
result<suite_results> parse_results(result_format format, std::string_view text,
                                    std::string_view source_name);

}  // namespace troupe::bench
