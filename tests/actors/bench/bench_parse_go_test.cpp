// parse_go: real `go test -bench` output (tests/fixtures/bench-formats/go),
// metrics as benchmarks of their own, -count samples, the GOMAXPROCS suffix,
// failures recorded, crashes, malformed and truncated output rejected with
// the place named.
#define BOOST_TEST_MODULE bench_parse_go
#include <algorithm>

#include "tests/actors/bench/bench_parse_support.hpp"

using namespace troupe;
using namespace troupe::bench;
using namespace troupe::bench::testing;

namespace {

using strings = std::vector<std::string>;

std::string error_of_go(const std::string& text) {
  return error_of(parse_go(text, "go.txt"));
}

}  // namespace

BOOST_AUTO_TEST_CASE(normal_run_one_benchmark_per_metric) {
  auto s = ok(parse_go(fixture("go/normal.txt"), "normal.txt"));
  BOOST_TEST((s.format == result_format::go));
  BOOST_TEST(names(s) ==
                 (strings{"BenchmarkSum", "BenchmarkSum B/op", "BenchmarkSum allocs/op",
                          "BenchmarkJoin", "BenchmarkJoin MB/s", "BenchmarkJoin B/op",
                          "BenchmarkJoin allocs/op", "BenchmarkSort/n=10",
                          "BenchmarkSort/n=10 compares/op", "BenchmarkSort/n=10 B/op",
                          "BenchmarkSort/n=10 allocs/op", "BenchmarkSort/n=1000",
                          "BenchmarkSort/n=1000 compares/op", "BenchmarkSort/n=1000 B/op",
                          "BenchmarkSort/n=1000 allocs/op"}),
             boost::test_tools::per_element());
  const auto& sum = find(s, "BenchmarkSum");
  BOOST_TEST(sum.unit == "ns/op");
  BOOST_TEST(sum.n == 1u);
  BOOST_TEST((sum.samples == std::vector<double>{1444}));
  BOOST_TEST(sum.median == 1444.0);
  BOOST_TEST(sum.stddev == 0.0);
  BOOST_TEST(!sum.error);
  BOOST_TEST(find(s, "BenchmarkSum allocs/op").median == 0.0);
  BOOST_TEST(find(s, "BenchmarkJoin").median == 131.9);
  const auto& mbs = find(s, "BenchmarkJoin MB/s");
  BOOST_TEST(mbs.unit == "MB/s");
  BOOST_TEST(mbs.median == 166.80);
  BOOST_TEST(unit_higher_is_better(mbs.unit));
  BOOST_TEST(!unit_higher_is_better(find(s, "BenchmarkJoin B/op").unit));
  BOOST_TEST(find(s, "BenchmarkJoin B/op").median == 24.0);
  const auto& compares = find(s, "BenchmarkSort/n=1000 compares/op");  // ReportMetric
  BOOST_TEST(compares.unit == "compares/op");
  BOOST_TEST(compares.median == 10301.0);
  BOOST_TEST(find(s, "BenchmarkSort/n=10 compares/op").median == 45.0);
  BOOST_TEST(find(s, "BenchmarkSort/n=1000").median == 117708.0);
  BOOST_TEST(find(s, "BenchmarkSort/n=1000 B/op").median == 8248.0);
}

BOOST_AUTO_TEST_CASE(count_lines_are_samples) {
  auto s = ok(parse_go(fixture("go/count5.txt"), "count5.txt"));
  BOOST_TEST(s.benchmarks.size() == 15u);
  const auto& sum = find(s, "BenchmarkSum");
  BOOST_TEST((sum.samples == std::vector<double>{1076, 1244, 1339, 1204, 1464}));
  BOOST_TEST(sum.n == 5u);
  BOOST_TEST(sum.median == 1244.0);
  BOOST_TEST(sum.mean == 1265.4, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(sum.min == 1076.0);
  BOOST_TEST(sum.max == 1464.0);
  const auto& mbs = find(s, "BenchmarkJoin MB/s");
  BOOST_TEST(
      (mbs.samples == std::vector<double>{117.45, 104.40, 146.09, 195.93, 251.76}));
  BOOST_TEST(mbs.median == 146.09);
  const auto& sort = find(s, "BenchmarkSort/n=1000");
  BOOST_TEST((sort.samples == std::vector<double>{162529, 77795, 94364, 128718, 125188}));
  BOOST_TEST((find(s, "BenchmarkSort/n=1000 B/op").samples ==
              std::vector<double>{8248, 8248, 8248, 8248, 8248}));
}

BOOST_AUTO_TEST_CASE(failures_are_recorded_on_the_benchmark) {
  auto s = ok(parse_go(fixture("go/failure.txt"), "failure.txt"));
  BOOST_TEST(
      names(s) == (strings{"BenchmarkSum", "BenchmarkSum B/op", "BenchmarkSum allocs/op",
                           "BenchmarkFails", "BenchmarkBroken"}),
      boost::test_tools::per_element());
  BOOST_TEST(!find(s, "BenchmarkSum").error);
  BOOST_TEST(find(s, "BenchmarkSum").median == 1502.0);
  // Failed after its first run: the failure is on its (suffixed) result line.
  const auto& fails = find(s, "BenchmarkFails");
  BOOST_TEST(fails.error);
  BOOST_TEST(fails.error_message ==
             "bench_test.go:70: lost the connection after 100 iterations");
  BOOST_TEST(fails.unit == "ns/op");
  BOOST_TEST(fails.n == 0u);
  BOOST_TEST(fails.samples.empty());
  // Failed in its first run: a "--- FAIL" line of its own, no suffix.
  const auto& broken = find(s, "BenchmarkBroken");
  BOOST_TEST(broken.error);
  BOOST_TEST(broken.error_message == "bench_test.go:77: fixture file missing");

  // -v prints each message before its "--- FAIL" line, and reports skips.
  auto v = ok(parse_go(fixture("go/failure-verbose.txt"), "failure-verbose.txt"));
  BOOST_TEST(
      names(v) == (strings{"BenchmarkSum", "BenchmarkSum B/op", "BenchmarkSum allocs/op",
                           "BenchmarkFails", "BenchmarkBroken", "BenchmarkSkipped"}),
      boost::test_tools::per_element());
  BOOST_TEST(find(v, "BenchmarkSum").median == 1828.0);
  BOOST_TEST(find(v, "BenchmarkFails").error_message ==
             "bench_test.go:70: lost the connection after 100 iterations");
  BOOST_TEST(find(v, "BenchmarkBroken").error_message ==
             "bench_test.go:77: fixture file missing");
  BOOST_TEST(find(v, "BenchmarkSkipped").error);
  BOOST_TEST(find(v, "BenchmarkSkipped").error_message ==
             "skipped: bench_test.go:81: needs a GPU");
}

BOOST_AUTO_TEST_CASE(a_failure_marks_every_metric_and_keeps_earlier_samples) {
  auto s =
      ok(parse_go("BenchmarkA-4   100   10 ns/op   8 B/op\n"
                  "BenchmarkA-4   --- FAIL: BenchmarkA-4\n"
                  "    a_test.go:9: first\n"
                  "        continued\n"
                  "BenchmarkA-4   100   12 ns/op   8 B/op\n"
                  "BenchmarkA-4   --- FAIL: BenchmarkA-4\n"
                  "    a_test.go:9: second\n"
                  "BenchmarkB-4   100   7 ns/op   3.5 hits/op\n"
                  "--- BENCH: BenchmarkB-4\n"
                  "    b_test.go:3: a log line, not a failure\n"
                  "FAIL\n",
                  "go.txt"));
  BOOST_TEST(names(s) == (strings{"BenchmarkA", "BenchmarkA B/op", "BenchmarkB",
                                  "BenchmarkB hits/op"}),
             boost::test_tools::per_element());
  for (const char* name : {"BenchmarkA", "BenchmarkA B/op"}) {
    BOOST_TEST(find(s, name).error, name);
    BOOST_TEST(find(s, name).error_message == "a_test.go:9: first; continued", name);
    BOOST_TEST(find(s, name).n == 2u, name);
  }
  BOOST_TEST(find(s, "BenchmarkA").median == 11.0);
  BOOST_TEST(!find(s, "BenchmarkB").error);
  BOOST_TEST(find(s, "BenchmarkB hits/op").median == 3.5);
}

BOOST_AUTO_TEST_CASE(gomaxprocs_suffix) {
  // The same suffix on every result line: removed.
  auto same = ok(parse_go(
      "BenchmarkA/size-64-8 10 5 ns/op\nBenchmarkB-8 10 6 ns/op\nPASS\n", "go.txt"));
  BOOST_TEST(names(same) == (strings{"BenchmarkA/size-64", "BenchmarkB"}),
             boost::test_tools::per_element());
  // GOMAXPROCS=1 prints none: "-64" belongs to the name.
  auto one = ok(
      parse_go("BenchmarkA/size-64 10 5 ns/op\nBenchmarkB 10 6 ns/op\nPASS\n", "go.txt"));
  BOOST_TEST(names(one) == (strings{"BenchmarkA/size-64", "BenchmarkB"}),
             boost::test_tools::per_element());
  // -cpu 1,2: one benchmark per GOMAXPROCS, named as printed.
  auto list = ok(
      parse_go("BenchmarkA 10 5 ns/op\nBenchmarkA-2 10 3 ns/op\nBenchmarkA 10 5.5 ns/op\n"
               "BenchmarkA-2 10 3.5 ns/op\nPASS\n",
               "go.txt"));
  BOOST_TEST(names(list) == (strings{"BenchmarkA", "BenchmarkA-2"}),
             boost::test_tools::per_element());
  BOOST_TEST((find(list, "BenchmarkA-2").samples == std::vector<double>{3, 3.5}));
  // Benchmark is a valid name on its own; Benchmarking is not a benchmark.
  auto plain = ok(
      parse_go("Benchmarking the thing...\nBenchmark-2 10 5 ns/op\nok x 1s\n", "go.txt"));
  BOOST_TEST(names(plain) == (strings{"Benchmark"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(crashes_and_failing_packages_fail_the_parse) {
  std::string panic = fixture("go/panic.txt");
  std::string expected = "panic.txt:" + place(panic, panic.find("panic: ")) +
                         ": the test binary crashed (panic: assignment to entry in nil "
                         "map); the benchmarks after it never ran";
  BOOST_TEST(error_of(parse_go(panic, "panic.txt")).rfind(expected, 0) == 0,
             error_of(parse_go(panic, "panic.txt")));
  BOOST_TEST(error_of_go("BenchmarkA-2 \tfatal error: concurrent map writes\n")
                 .rfind("go.txt:1:15: the test binary crashed (fatal error: concurrent "
                        "map writes)",
                        0) == 0);
  // FAIL with no benchmark failure to show for it.
  BOOST_TEST(error_of_go("BenchmarkA-2 10 5 ns/op\nFAIL\tpkg\t0.1s\n")
                 .rfind("go.txt:2:1: go test reports a failure but no benchmark failed",
                        0) == 0);
  BOOST_TEST(error_of_go("BenchmarkA-2 10 5 ns/op\n--- FAIL: TestParse (0.00s)\nFAIL\n")
                 .rfind("go.txt:2:11: test TestParse failed (run benchmarks only: -run "
                        "'^$')",
                        0) == 0);
  // A FAIL closes one package only.
  BOOST_TEST(error_of_go("pkg: a\n--- FAIL: BenchmarkA\nFAIL\tpkg/a\t0.1s\n"
                         "pkg: b\nBenchmarkB 10 5 ns/op\nFAIL\tpkg/b\t0.1s\n")
                 .rfind("go.txt:6:1: go test reports a failure", 0) == 0);
  BOOST_TEST(error_of_go("pkg: a\nBenchmarkA 10 5 ns/op\nok a 1s\n"
                         "pkg: b\nBenchmarkA 10 5 ns/op\nok b 1s\n")
                 .rfind("go.txt:5:1: BenchmarkA also ran in package a (line 2): run one "
                        "package per suite",
                        0) == 0);
}

BOOST_AUTO_TEST_CASE(malformed_lines_name_the_place) {
  std::string text = fixture("go/normal.txt");
  std::size_t at = text.find("131.9 ns/op");
  std::string bad = text;
  bad.replace(at, 5, "13x.9");
  BOOST_TEST(error_of(parse_go(bad, "normal.txt"))
                 .rfind("normal.txt:" + place(text, at) +
                            ": expected a finite number, found \"13x.9\"",
                        0) == 0);
  at = text.find("1000000");
  bad = text;
  bad.replace(at, 7, "1e6");
  BOOST_TEST(error_of(parse_go(bad, "normal.txt"))
                 .rfind("normal.txt:" + place(text, at) +
                            ": expected an iteration count after the benchmark name, "
                            "found \"1e6\"",
                        0) == 0);
  BOOST_TEST(error_of_go("BenchmarkA 10 5\nPASS\n")
                 .rfind("go.txt:1:16: expected a unit after 5", 0) == 0);
  BOOST_TEST(
      error_of_go("BenchmarkA 10\nPASS\n")
          .rfind("go.txt:1:14: expected measurements after the iteration count", 0) == 0);
  BOOST_TEST(error_of_go("BenchmarkA 10 NaN ns/op\nPASS\n")
                 .rfind("go.txt:1:15: expected a finite number, found \"NaN\"", 0) == 0);
  BOOST_TEST(error_of_go("BenchmarkA --- FAIL:\n")
                 .rfind("go.txt:1:12: expected \"--- <KIND>: <name>\"", 0) == 0);
}

BOOST_AUTO_TEST_CASE(no_benchmark_is_an_error) {
  BOOST_TEST(error_of(parse_go(fixture("go/no-benchmarks.txt"), "no-benchmarks.txt")) ==
             "no-benchmarks.txt: no benchmark results");
  BOOST_TEST(error_of(parse_go("", "")) == "<input>: no benchmark results");
}

BOOST_AUTO_TEST_CASE(truncated_output_is_an_error) {
  for (const char* name :
       {"go/normal.txt", "go/count5.txt", "go/failure.txt", "go/failure-verbose.txt"}) {
    std::string text = fixture(name);
    std::size_t parsed = check_cuts(result_format::go, text, name, every_cut(text));
    // Complete only at the end of the closing PASS or FAIL line or of a
    // line after it.
    std::size_t closing = text.rfind("\nPASS\n");
    if (closing == std::string::npos) closing = text.find("\nFAIL\n");
    BOOST_TEST_REQUIRE(closing != std::string::npos, name);
    auto line_ends = std::count(text.begin() + closing + 5, text.end() - 1, '\n');
    BOOST_TEST(parsed == static_cast<std::size_t>(line_ends), name);
  }
  std::string text = fixture("go/normal.txt");
  std::size_t line_end = text.find("allocs/op\n") + 10;  // after the first result line
  BOOST_TEST(error_of(parse_go(text.substr(0, line_end), "n.txt"))
                 .rfind("n.txt:6:1: truncated: no PASS, ok or FAIL line after the "
                        "benchmarks from line 5",
                        0) == 0);
  BOOST_TEST(error_of(parse_go(text.substr(0, line_end - 3), "n.txt"))
                 .rfind("n.txt:" + place(text, line_end - 3) +
                            ": truncated line (no newline at end of input)",
                        0) == 0);
}
