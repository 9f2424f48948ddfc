// parse_pytest_benchmark: real --benchmark-json reports
// (tests/fixtures/bench-formats/pytest-benchmark), samples and the tool's
// statistics, wrong shapes and truncated reports rejected with the JSON path
// or line:col named.
#define BOOST_TEST_MODULE bench_parse_pytest_benchmark
#include "tests/actors/bench/bench_parse_support.hpp"

using namespace troupe;
using namespace troupe::bench;
using namespace troupe::bench::testing;

namespace {

using strings = std::vector<std::string>;

const strings fixture_names = {
    "test_bench.py::test_fibonacci", "test_bench.py::test_sort[10]",
    "test_bench.py::test_sort[1000]", "test_bench.py::test_join_pedantic"};

// The normal fixture with the first `needle` replaced by `with`.
std::string edited(const std::string& needle, const std::string& with) {
  std::string text = fixture("pytest-benchmark/normal.json");
  auto at = text.find(needle);
  BOOST_TEST_REQUIRE(at != std::string::npos, needle);
  return text.replace(at, needle.size(), with);
}

// The start of test_join_pedantic's samples.
const std::string first_sample =
    "\"data\": [\n                    5.8800000033443214e-08,";

std::string error_of_pytest(const std::string& text) {
  return error_of(parse_pytest_benchmark(text, "p.json"));
}

}  // namespace

BOOST_AUTO_TEST_CASE(normal_report) {
  auto s =
      ok(parse_pytest_benchmark(fixture("pytest-benchmark/normal.json"), "normal.json"));
  BOOST_TEST((s.format == result_format::pytest_benchmark));
  BOOST_TEST(names(s) == fixture_names, boost::test_tools::per_element());
  const auto& fib = s.benchmarks[0];
  BOOST_TEST(fib.unit == "s");
  BOOST_TEST(fib.n == 73u);
  BOOST_TEST(fib.samples.size() == 73u);
  BOOST_TEST(fib.samples[0] == 5.6607000033181976e-05);
  BOOST_TEST(fib.mean == 9.141234246327844e-05);
  BOOST_TEST(fib.median == 5.6105999988176336e-05);
  BOOST_TEST(fib.stddev == 0.0002800200217088467);
  BOOST_TEST(fib.min == 5.537499998808926e-05);
  BOOST_TEST(fib.max == 0.0024498270000776756);
  BOOST_TEST(!fib.error);
  BOOST_TEST(s.benchmarks[1].n == 962u);
  BOOST_TEST(s.benchmarks[2].n == 103u);

  // pedantic: 7 rounds of 100 iterations; the data are per iteration.
  const auto& join = s.benchmarks[3];
  BOOST_TEST(join.n == 7u);
  BOOST_TEST(
      (join.samples == std::vector<double>{5.8800000033443214e-08, 4.9699999635777204e-08,
                                           4.989999979443382e-08, 4.9289999424217965e-08,
                                           4.948999958287459e-08, 4.95899996622029e-08,
                                           4.95899996622029e-08}));
  BOOST_TEST(join.median == 4.95899996622029e-08);
  BOOST_TEST(join.stddev == 3.4847738416842724e-09);

  // The tool's statistics follow statistics.hpp's conventions (n - 1
  // stddev, mean of the middle two for an even count).
  auto close = boost::test_tools::tolerance(1e-9);
  for (const auto& b : s.benchmarks) {
    benchmark_result mine = b;
    compute_statistics(mine);
    BOOST_TEST(mine.mean == b.mean, close);
    BOOST_TEST(mine.median == b.median, close);
    BOOST_TEST(mine.stddev == b.stddev, close);
    BOOST_TEST(mine.min == b.min);
    BOOST_TEST(mine.max == b.max);
  }
}

BOOST_AUTO_TEST_CASE(a_benchmark_that_raised_is_left_out_by_the_tool) {
  auto s = ok(
      parse_pytest_benchmark(fixture("pytest-benchmark/failure.json"), "failure.json"));
  BOOST_TEST(names(s) == fixture_names, boost::test_tools::per_element());
  BOOST_TEST(s.benchmarks[0].n == 78u);
  BOOST_TEST(s.benchmarks[0].median == 5.6210999957784225e-05);
  // No benchmark succeeded: pytest-benchmark wrote nothing.
  std::string empty = fixture("pytest-benchmark/all-failed.stdout");
  BOOST_TEST(empty.empty());
  BOOST_TEST(error_of(parse_pytest_benchmark(empty, "all-failed"))
                 .rfind("all-failed:1:1: ", 0) == 0);
}

BOOST_AUTO_TEST_CASE(wrong_shapes_name_the_json_path) {
  BOOST_TEST(error_of_pytest(edited("\"rounds\": 7,", "\"rounds\": \"7\",")) ==
             "p.json: $.benchmarks[3].stats.rounds: expected a number, found a string");
  BOOST_TEST(error_of_pytest(edited("\"rounds\": 7,", "\"rounds\": 0,")) ==
             "p.json: $.benchmarks[3].stats.rounds: expected a whole number >= 1");
  BOOST_TEST(error_of_pytest(edited("\"rounds\": 7,", "\"rounds\": 7.5,")) ==
             "p.json: $.benchmarks[3].stats.rounds: expected a whole number >= 1");
  BOOST_TEST(error_of_pytest(edited("\"rounds\": 7,", "\"rounds\": 8,")) ==
             "p.json: $.benchmarks[3].stats.data: 7 samples, but stats.rounds is 8");
  BOOST_TEST(error_of_pytest(edited(first_sample, "\"data\": [\"fast\",")) ==
             "p.json: $.benchmarks[3].stats.data[0]: expected a number, found a string");
  BOOST_TEST(error_of_pytest(edited(first_sample, "\"data\": [-1,")) ==
             "p.json: $.benchmarks[3].stats.data[0]: expected a number >= 0, found a "
             "negative number");
  BOOST_TEST(error_of_pytest(edited("\"median\": 5.6105999988176336e-05,", "")) ==
             "p.json: $.benchmarks[0].stats.median: missing, expected a number");
  BOOST_TEST(
      error_of_pytest(edited("\"fullname\": \"test_bench.py::test_fibonacci\",", "")) ==
      "p.json: $.benchmarks[0].fullname: missing, expected a string");
  BOOST_TEST(error_of_pytest(edited("\"data\": [", "\"data\": 5, \"x\": [")) ==
             "p.json: $.benchmarks[0].stats.data: expected an array, found a number");
  BOOST_TEST(error_of_pytest(R"({"benchmarks": [{"fullname": "t", "stats": []}]})") ==
             "p.json: $.benchmarks[0].stats: expected an object, found an array");
  BOOST_TEST(error_of_pytest(R"({"benchmarks": {}})") ==
             "p.json: $.benchmarks: expected an array, found an object");
  BOOST_TEST(error_of_pytest(R"({"benchmarks": []})") ==
             "p.json: $.benchmarks: no benchmark results");
  BOOST_TEST(error_of_pytest("[]") == "p.json: $: expected an object, found an array");
  // Saved without --benchmark-save-data: no samples, the tool's statistics.
  auto s = ok(parse_pytest_benchmark(
      R"({"benchmarks": [{"fullname": "t.py::a", "stats": {"rounds": 3, "min": 1,)"
      R"( "max": 3, "mean": 2, "median": 2, "stddev": 1}}]})",
      "saved.json"));
  BOOST_TEST(s.benchmarks[0].n == 3u);
  BOOST_TEST(s.benchmarks[0].samples.empty());
  BOOST_TEST(s.benchmarks[0].median == 2.0);
}

BOOST_AUTO_TEST_CASE(broken_and_truncated_json_name_line_and_column) {
  std::string text = fixture("pytest-benchmark/normal.json");
  std::string broken = edited("\"rounds\": 7,", "\"rounds\": 7,,");
  std::string message = error_of_pytest(broken);
  std::string at = place(broken, broken.find("7,,") + 2);
  BOOST_TEST(message.rfind("p.json:" + at + ": ", 0) == 0, message);

  // Cuts spread over the report, plus cuts just before its end.
  std::vector<std::size_t> cuts;
  for (std::size_t i = 0; i < 200; ++i) cuts.push_back(i * text.size() / 200);
  for (std::size_t back = 1; back < 40; ++back) cuts.push_back(text.size() - back);
  std::size_t end = text.find_last_not_of(" \n") + 1;  // after the closing brace
  BOOST_TEST(check_cuts(result_format::pytest_benchmark, text, "normal.json", cuts) ==
             text.size() - end);  // only the trailing newline may go
}
