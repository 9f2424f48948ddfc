// results: what a benchmark suite measured, in one model whatever tool
// produced it, and the parsers for the output formats a suite may have.
//
// Every parser is all-or-nothing: it returns the whole suite or an error that
// names the place (the source name plus line:col for text problems, or a
// JSON path for a value of the wrong shape, e.g.
// "google-benchmark.json: $.benchmarks[3].real_time: expected a number, found
// a string"). A suite with no benchmark at all is an error too: an empty
// output is what a crashed command leaves, not a result.
//
// Units are kept as the tool reports them (Google Benchmark's time_unit,
// seconds for hyperfine and pytest-benchmark, ns for Catch2, ns/op and the
// other per-op units for Go, anything for the simple format); nothing is
// converted, so a sample, its statistics and its unit always agree.
//
// Real output of every tool, how it was made, and the programs behind it:
// tests/fixtures/bench-formats/ (and ../shared/fixtures/bench-formats/).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/status.hpp"

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

enum class result_format {
  google_benchmark,
  hyperfine,
  simple,
  troupe_perf,
  catch2,
  pytest_benchmark,
  go
};

// "google-benchmark", "hyperfine", "simple", "troupe-perf", "catch2",
// "pytest-benchmark", "go" (the spelling of config files).
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

// The one value that stands for a benchmark in a run, wherever runs are
// compared (history analysis, series noise, the dashboard's line, A/B
// compare): its median, or its mean where the tool reports no median
// (Catch2 gives mean and standard deviation only). NaN when neither is
// known. The store's form of the same rule is summary_value_sql.
double summary_value(const benchmark_result& r);
inline constexpr const char* summary_value_sql = "COALESCE(x.median, x.mean)";

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

// Catch2 2.x's XML reporter (`-r xml`) with benchmarks compiled in
// (CATCH_CONFIG_ENABLE_BENCHMARKING). Each <BenchmarkResults> element is one
// benchmark named "<test case>/<section>/.../<benchmark>" (the enclosing
// TestCase, then the Section elements from the outside in), unit "ns" (the
// reporter writes nanoseconds). Catch2 reports no raw samples and no median,
// so samples is empty, n is the `samples` attribute, mean and stddev are the
// `value` of <mean> and <standardDeviation> (point estimates; stddev is 0
// with --benchmark-no-analysis), and median, min and max are NaN. A
// benchmark with a <failed> child (it threw), a failed <Expression>, an
// <Exception>, a <FatalErrorCondition> or <OverallResult success="false">
// (an assertion inside it) records error with that message. The root must
// be <Catch>; a full name reported twice is an error (Catch2 runs a test
// case once per leaf section, so a BENCHMARK outside the sections repeats:
// move it into a section of its own). Errors name line:col (XML syntax
// from pugixml's byte offset, values at their element).
result<suite_results> parse_catch2(std::string_view text, std::string_view source_name);

// pytest-benchmark's JSON report, written to stdout with
//   pytest -p no:terminal --benchmark-json=/dev/stdout <tests...>
// (-p no:terminal keeps pytest's own report off stdout; /dev/stdout works
// because troupe gives a suite a pipe, not a file, which `wb` would
// truncate). benchmarks[].fullname ("test_x.py::test_y[param]") is the
// name, unit "s"; stats.data[] (seconds per iteration of each round) are the
// samples, and min, max, mean, median and stddev are the tool's (required;
// they agree with statistics.hpp's conventions); n is stats.rounds, which
// must equal the number of samples when data is present (it is absent only
// in files saved without --benchmark-save-data). pytest-benchmark leaves a
// benchmark whose test raised out of the report (and writes none when no
// benchmark succeeded), so nothing records error; pytest's exit status
// reports the failure.
result<suite_results> parse_pytest_benchmark(std::string_view text,
                                             std::string_view source_name);

// `go test -run '^$' -bench . -benchmem [-count N]` text (one package per
// suite; see parse_go.cpp for the grammar). A result line
//   BenchmarkX-2   1000000   1234 ns/op   56 B/op   2 allocs/op
// gives one sample to each of its metrics: "BenchmarkX" for ns/op (unit
// "ns/op") and "BenchmarkX <unit>" for every other metric, unit <unit>
// (B/op, allocs/op, MB/s, ReportMetric's units: Go forbids spaces in both
// names and units, so the name is unambiguous). Lines repeated by -count are
// samples; statistics are computed. The "-N" GOMAXPROCS suffix is removed
// when every result line carries the same one (the usual run, so names do
// not change with the machine's core count); with GOMAXPROCS=1 (no suffix)
// or a -cpu list (several) names stay as printed. (Go prints no suffix on a
// failure in the first run: such a name loses an "-N" ending only if that is
// its own and equals the GOMAXPROCS of the run.) "--- FAIL: <name>" and
// "--- SKIP: <name>" (-v) record error on that benchmark and all its
// metrics, with the indented lines after it (before it, with -v) as the
// message ("skipped: ..." for a skip).
// Fails the parse, naming line:col: a panic or "fatal error:" (the test
// binary died, later benchmarks never ran), a FAIL line of a package with no
// recorded benchmark failure (a failing test, TestMain, a build failure),
// "--- FAIL" of a test, a malformed result line, a benchmark name seen in
// two packages, and output that ends without go test's closing PASS, ok or
// FAIL line after its last benchmark (truncated). goos:, goarch:, pkg:,
// cpu:, PASS, ok, "exit status" and any other line are not results.
result<suite_results> parse_go(std::string_view text, std::string_view source_name);

// Dispatches on `format`.
result<suite_results> parse_results(result_format format, std::string_view text,
                                    std::string_view source_name);

}  // namespace troupe::bench
