// Benchmark result parsers: the real fixtures of each tool, repetitions and
// aggregates, errors and skips recorded, malformed and truncated input
// rejected with the place named, never a partial result. The catch2,
// pytest-benchmark and go formats have modules of their own beside this one.
#define BOOST_TEST_MODULE bench_parse
#include "tests/actors/bench/bench_parse_support.hpp"

using namespace troupe;
using namespace troupe::bench;
using namespace troupe::bench::testing;

namespace {

// A Google Benchmark document with `entries` (comma-separated objects).
std::string gbench(const std::string& entries) {
  return R"({"context": {"date": "x"}, "benchmarks": [)" + entries + "]}";
}

std::string iteration(const std::string& name, double t, const std::string& unit = "ns") {
  return R"({"name": ")" + name + R"(", "run_name": ")" + name +
         R"(", "run_type": "iteration", "repetitions": 3, "real_time": )" +
         std::to_string(t) + R"(, "cpu_time": 1, "time_unit": ")" + unit + R"("})";
}

std::string aggregate(const std::string& name, const std::string& agg, double t,
                      const std::string& unit_kind = "time") {
  return R"({"name": ")" + name + "_" + agg + R"(", "run_name": ")" + name +
         R"(", "run_type": "aggregate", "repetitions": 3, "aggregate_name": ")" + agg +
         R"(", "aggregate_unit": ")" + unit_kind + R"(", "real_time": )" +
         std::to_string(t) + R"(, "cpu_time": 1, "time_unit": "us"})";
}

}  // namespace

BOOST_AUTO_TEST_CASE(google_benchmark_fixture) {
  auto s = ok(parse_google_benchmark(shared_fixture("google-benchmark.json"),
                                     "google-benchmark.json"));
  BOOST_TEST(s.benchmarks.size() == 9u);
  BOOST_TEST(s.benchmarks.front().name == "BM_VectorPush/8");
  const auto& push = find(s, "BM_VectorPush/8");
  BOOST_TEST(push.unit == "ns");
  BOOST_TEST(push.n == 1u);
  BOOST_TEST(push.samples.size() == 1u);
  BOOST_TEST(push.median == 1.7205370849881481e+02);
  BOOST_TEST(push.mean == push.median);
  BOOST_TEST(push.min == push.max);
  BOOST_TEST(push.stddev == 0.0);
  BOOST_TEST(!push.error);
  const auto& fails = find(s, "BM_Fails");
  BOOST_TEST(fails.error);
  BOOST_TEST(fails.error_message == "resource unavailable");
  BOOST_TEST(fails.n == 0u);
  BOOST_TEST(fails.samples.empty());
}

BOOST_AUTO_TEST_CASE(google_benchmark_repetitions_and_aggregates) {
  // Interleaved repetitions (--benchmark_enable_random_interleaving), then
  // aggregates; the tool's mean/median/stddev win, cv is ignored.
  std::string text = gbench(
      iteration("BM_a", 10, "us") + "," + iteration("BM_b", 100, "us") + "," +
      iteration("BM_a", 12, "us") + "," + iteration("BM_b", 101, "us") + "," +
      iteration("BM_a", 11, "us") + "," + iteration("BM_b", 103, "us") + "," +
      aggregate("BM_a", "mean", 11) + "," + aggregate("BM_a", "median", 11) + "," +
      aggregate("BM_a", "stddev", 1) + "," + aggregate("BM_a", "cv", 0.09, "percentage"));
  auto s = ok(parse_google_benchmark(text, "reps.json"));
  BOOST_TEST_REQUIRE(s.benchmarks.size() == 2u);
  const auto& a = s.benchmarks[0];
  BOOST_TEST(a.name == "BM_a");
  BOOST_TEST(a.unit == "us");
  BOOST_TEST(a.n == 3u);
  BOOST_TEST((a.samples == std::vector<double>{10, 12, 11}));
  BOOST_TEST(a.mean == 11.0);
  BOOST_TEST(a.median == 11.0);
  BOOST_TEST(a.stddev == 1.0);
  BOOST_TEST(a.min == 10.0);
  BOOST_TEST(a.max == 12.0);
  const auto& b = s.benchmarks[1];  // no aggregates: computed
  BOOST_TEST(b.median == 101.0);
  BOOST_TEST(b.mean == 304.0 / 3, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(b.stddev == std::sqrt(((100 - b.mean) * (100 - b.mean) +
                                    (101 - b.mean) * (101 - b.mean) +
                                    (103 - b.mean) * (103 - b.mean)) /
                                   2),
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(google_benchmark_aggregates_only) {
  // --benchmark_report_aggregates_only: no samples; min and max unknown.
  std::string text =
      gbench(aggregate("BM_a", "mean", 11) + "," + aggregate("BM_a", "median", 10.5) +
             "," + aggregate("BM_a", "stddev", 0.5));
  auto s = ok(parse_google_benchmark(text, "agg.json"));
  BOOST_TEST_REQUIRE(s.benchmarks.size() == 1u);
  const auto& a = s.benchmarks[0];
  BOOST_TEST(a.n == 3u);
  BOOST_TEST(a.samples.empty());
  BOOST_TEST(a.mean == 11.0);
  BOOST_TEST(a.median == 10.5);
  BOOST_TEST(a.stddev == 0.5);
  BOOST_TEST(std::isnan(a.min));
  BOOST_TEST(std::isnan(a.max));
}

BOOST_AUTO_TEST_CASE(google_benchmark_old_format_big_o_and_skips) {
  // No run_name/run_type (old versions); BigO and RMS entries are ignored;
  // a skipped benchmark is recorded as an error with its message.
  std::string text = gbench(
      R"({"name": "BM_x/8", "iterations": 5, "real_time": 2.5, "cpu_time": 2, "time_unit": "ms"},)"
      R"({"name": "BM_x_BigO", "run_name": "BM_x", "run_type": "aggregate",)"
      R"( "aggregate_name": "BigO", "cpu_coefficient": 1.5, "real_coefficient": 1.5,)"
      R"( "big_o": "N", "time_unit": "ms"},)"
      R"({"name": "BM_x_RMS", "run_name": "BM_x", "run_type": "aggregate",)"
      R"( "aggregate_name": "RMS", "rms": 0.1},)"
      R"({"name": "BM_skip", "run_name": "BM_skip", "run_type": "iteration",)"
      R"( "skipped": true, "skip_message": "needs AVX-512", "iterations": 0,)"
      R"( "real_time": 0, "cpu_time": 0, "time_unit": "ns"})");
  auto s = ok(parse_google_benchmark(text, "old.json"));
  BOOST_TEST_REQUIRE(s.benchmarks.size() == 2u);
  BOOST_TEST(s.benchmarks[0].name == "BM_x/8");
  BOOST_TEST(s.benchmarks[0].median == 2.5);
  BOOST_TEST(s.benchmarks[0].unit == "ms");
  BOOST_TEST(s.benchmarks[1].name == "BM_skip");
  BOOST_TEST(s.benchmarks[1].error);
  BOOST_TEST(s.benchmarks[1].error_message == "skipped: needs AVX-512");
}

BOOST_AUTO_TEST_CASE(google_benchmark_errors_name_the_place) {
  std::string text = shared_fixture("google-benchmark.json");
  // Make the fourth entry's real_time a string.
  std::string needle = "\"real_time\": 1.1969048762702354e+02";
  auto at = text.find(needle);
  BOOST_TEST_REQUIRE(at != std::string::npos);
  std::string bad = text;
  bad.replace(at, needle.size(), "\"real_time\": \"fast\"");
  BOOST_TEST(error_of(parse_google_benchmark(bad, "google-benchmark.json")) ==
             "google-benchmark.json: $.benchmarks[3].real_time: expected a number, found "
             "a string");

  BOOST_TEST(error_of(parse_google_benchmark("[]", "g.json")) ==
             "g.json: $: expected an object, found an array");
  BOOST_TEST(error_of(parse_google_benchmark(R"({"context": {}})", "g.json")) ==
             "g.json: $.benchmarks: missing, expected an array");
  BOOST_TEST(error_of(parse_google_benchmark(gbench(""), "g.json")) ==
             "g.json: $.benchmarks: no benchmark results");
  BOOST_TEST(error_of(parse_google_benchmark(gbench("7"), "g.json")) ==
             "g.json: $.benchmarks[0]: expected an object, found a number");
  BOOST_TEST(error_of(parse_google_benchmark(gbench(iteration("a", -1)), "g.json")) ==
             "g.json: $.benchmarks[0].real_time: expected a number >= 0, found a "
             "negative number");
  BOOST_TEST(
      error_of(parse_google_benchmark(
          gbench(iteration("a", 1, "ns") + "," + iteration("a", 1, "ms")), "g.json")) ==
      "g.json: $.benchmarks[1].time_unit: unit \"ms\" differs from \"ns\" of earlier "
      "entries of a");
  BOOST_TEST(
      error_of(parse_google_benchmark(
          gbench(
              R"({"name": "a", "run_type": "warmup", "real_time": 1, "time_unit": "ns"})"),
          "g.json")) ==
      "g.json: $.benchmarks[0].run_type: expected \"iteration\" or \"aggregate\", found "
      "\"warmup\"");
  BOOST_TEST(error_of(parse_google_benchmark(gbench(R"({"name": "a", "real_time": 1})"),
                                             "g.json")) ==
             "g.json: $.benchmarks[0].time_unit: missing, expected a string");
  // Text errors come from the JSON parser with line:col.
  std::string syntax =
      error_of(parse_google_benchmark("{\n  \"benchmarks\": [1,]\n}", "g.json"));
  BOOST_TEST(syntax.rfind("g.json:2:", 0) == 0, syntax);
}

BOOST_AUTO_TEST_CASE(hyperfine_fixture) {
  auto s = ok(parse_hyperfine(shared_fixture("hyperfine.json"), "hyperfine.json"));
  BOOST_TEST_REQUIRE(s.benchmarks.size() == 2u);
  const auto& sleep = s.benchmarks[0];
  BOOST_TEST(sleep.name == "sleep 0.01");
  BOOST_TEST(sleep.unit == "s");
  BOOST_TEST(sleep.n == 10u);
  BOOST_TEST(sleep.samples.size() == 10u);
  BOOST_TEST(sleep.mean == 0.012680191100000002);
  BOOST_TEST(sleep.median == 0.012062294500000001);
  BOOST_TEST(sleep.min == 0.011764243);
  BOOST_TEST(sleep.max == 0.015885932000000002);
  BOOST_TEST(!sleep.error);
  BOOST_TEST(s.benchmarks[1].name == "true");

  // Our own statistics agree with hyperfine's (even-count median, n-1 stddev).
  benchmark_result mine = sleep;
  compute_statistics(mine);
  auto close = boost::test_tools::tolerance(1e-12);
  BOOST_TEST(mine.mean == 0.012680191100000002, close);
  BOOST_TEST(mine.median == 0.012062294500000001, close);
  BOOST_TEST(mine.stddev == 0.0012997706321966071, close);
}

BOOST_AUTO_TEST_CASE(hyperfine_single_run_failures_and_errors) {
  auto one = ok(parse_hyperfine(
      R"({"results": [{"command": "x", "mean": 2.0, "stddev": null, "median": 2.0,)"
      R"( "min": 2.0, "max": 2.0, "times": [2.0], "exit_codes": [0]}]})",
      "h.json"));
  BOOST_TEST(one.benchmarks[0].stddev == 0.0);
  BOOST_TEST(one.benchmarks[0].n == 1u);

  auto failed = ok(parse_hyperfine(
      R"({"results": [{"command": "x", "times": [1.0, 1.5, 2.0], "exit_codes": [0, 1, null]}]})",
      "h.json"));
  BOOST_TEST(failed.benchmarks[0].error);
  BOOST_TEST(failed.benchmarks[0].error_message ==
             "command failed (non-zero exit code or signal) in 2 of 3 runs");
  BOOST_TEST(failed.benchmarks[0].median == 1.5);  // computed: no statistics given

  BOOST_TEST(error_of(parse_hyperfine(
                 R"({"results": [{"command": "x", "times": [1, "2"]}]})", "h.json")) ==
             "h.json: $.results[0].times[1]: expected a number, found a string");
  BOOST_TEST(error_of(parse_hyperfine(R"({"results": [{"times": [1]}]})", "h.json")) ==
             "h.json: $.results[0].command: missing, expected a string");
  BOOST_TEST(error_of(parse_hyperfine(R"({"results": []})", "h.json")) ==
             "h.json: $.results: no benchmark results");
  BOOST_TEST(error_of(parse_hyperfine(R"({"results": [{"command": "x", "times": []}]})",
                                      "h.json")) ==
             "h.json: $.results[0].times: no measurements (empty times)");
  BOOST_TEST(
      error_of(parse_hyperfine(
          R"({"results": [{"command": "x", "times": [1], "mean": "1"}]})", "h.json")) ==
      "h.json: $.results[0].mean: expected a number, found a string");
}

BOOST_AUTO_TEST_CASE(truncated_json_is_always_an_error) {
  for (const char* name : {"google-benchmark.json", "hyperfine.json"}) {
    std::string text = shared_fixture(name);
    std::size_t end = text.find_last_not_of(" \n\r\t") + 1;  // the closing brace
    auto format = std::string(name) == "hyperfine.json" ? result_format::hyperfine
                                                        : result_format::google_benchmark;
    for (std::size_t cut = 0; cut < end; ++cut) {
      auto r = parse_results(format, std::string_view(text).substr(0, cut), name);
      BOOST_TEST_REQUIRE(!r.is_ok(), name << " cut at " << cut << " parsed");
      BOOST_TEST_REQUIRE(r.error().message().rfind(std::string(name) + ":", 0) == 0,
                         r.error().message());
    }
    BOOST_TEST(parse_results(format, text, name).is_ok());
  }
}

BOOST_AUTO_TEST_CASE(simple_format) {
  std::string text =
      "# startup of the node\n"
      "\n"
      "startup_ms 12.5 ms\n"
      "  startup_ms\t13.5   ms  \r\n"
      "rps 5310 req/s\n"
      "startup_ms 12 ms\n"
      "build error compiler crashed: exit 139 \n"
      "rps 5290 req/s\n";
  auto s = ok(parse_simple(text, "suite.txt"));
  BOOST_TEST_REQUIRE(s.benchmarks.size() == 3u);
  const auto& startup = s.benchmarks[0];
  BOOST_TEST(startup.name == "startup_ms");
  BOOST_TEST(startup.unit == "ms");
  BOOST_TEST((startup.samples == std::vector<double>{12.5, 13.5, 12}));
  BOOST_TEST(startup.median == 12.5);
  BOOST_TEST(startup.n == 3u);
  BOOST_TEST(s.benchmarks[1].name == "rps");
  BOOST_TEST(s.benchmarks[1].median == 5300.0);
  BOOST_TEST(unit_higher_is_better(s.benchmarks[1].unit));
  BOOST_TEST(s.benchmarks[2].name == "build");
  BOOST_TEST(s.benchmarks[2].error);
  BOOST_TEST(s.benchmarks[2].error_message == "compiler crashed: exit 139");
  BOOST_TEST(s.benchmarks[2].n == 0u);
}

BOOST_AUTO_TEST_CASE(simple_format_errors_name_line_and_column) {
  BOOST_TEST(error_of(parse_simple("a 1 ms\na fast ms\n", "s.txt")) ==
             "s.txt:2:3: expected a finite number or \"error\", found \"fast\"");
  BOOST_TEST(error_of(parse_simple("a 1 ms\na 2 us\n", "s.txt")) ==
             "s.txt:2:5: unit \"us\" differs from \"ms\" of a on line 1");
  BOOST_TEST(error_of(parse_simple("a 1\n", "s.txt")) ==
             "s.txt:1:4: expected a unit after the value");
  BOOST_TEST(error_of(parse_simple("a\n", "s.txt")) ==
             "s.txt:1:2: expected a value or \"error\" after the name");
  BOOST_TEST(error_of(parse_simple("a 1 ms extra\n", "s.txt")) ==
             "s.txt:1:8: unexpected \"extra\" after the unit");
  BOOST_TEST(error_of(parse_simple("a 1 ms\na 2 ms", "s.txt")) ==
             "s.txt:2:7: truncated line (no newline at end of input)");
  for (const char* bad : {"inf", "nan", "0x10", "+1", "1e999", "1,5"}) {
    BOOST_TEST(!parse_simple(std::string("a ") + bad + " ms\n", "s.txt").is_ok(), bad);
  }
  BOOST_TEST(error_of(parse_simple("", "s.txt")) == "s.txt: no benchmark results");
  BOOST_TEST(error_of(parse_simple("# nothing\n\n", "")) ==
             "<input>: no benchmark results");
}

BOOST_AUTO_TEST_CASE(truncated_simple_output_is_an_error_unless_at_a_line_end) {
  std::string text = "a 10.25 ms\nb 7 items/s\na 11.5 ms\nb error lost the device\n";
  for (std::size_t cut = 0; cut < text.size(); ++cut) {
    auto r = parse_simple(std::string_view(text).substr(0, cut), "s.txt");
    bool line_end = cut > 0 && text[cut - 1] == '\n';
    BOOST_TEST(r.is_ok() == line_end, "cut at " << cut);
    if (!r.is_ok()) BOOST_TEST(r.error().message().rfind("s.txt:", 0) == 0);
  }
}

BOOST_AUTO_TEST_CASE(formats_and_units) {
  for (auto f : {result_format::google_benchmark, result_format::hyperfine,
                 result_format::simple, result_format::troupe_perf, result_format::catch2,
                 result_format::pytest_benchmark, result_format::go}) {
    BOOST_TEST((parse_result_format(result_format_name(f)).value() == f));
  }
  BOOST_TEST(result_format_name(result_format::catch2) == "catch2");
  BOOST_TEST(result_format_name(result_format::pytest_benchmark) == "pytest-benchmark");
  BOOST_TEST(result_format_name(result_format::go) == "go");
  BOOST_TEST(
      parse_result_format("csv").error().message() ==
      "unknown result format \"csv\" (expected google-benchmark, hyperfine, simple, "
      "troupe-perf, catch2, pytest-benchmark or go)");
  for (const char* u :
       {"items/s", "B/s", "ops/sec", "req/second", "bytes_per_second", "MHz"}) {
    BOOST_TEST(unit_higher_is_better(u), u);
  }
  for (const char* u : {"ns", "s", "ms", "bytes", "instructions"}) {
    BOOST_TEST(!unit_higher_is_better(u), u);
  }
}
