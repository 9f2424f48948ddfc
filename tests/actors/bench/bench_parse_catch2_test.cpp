// parse_catch2: real XML reporter output (tests/fixtures/bench-formats/catch2),
// names from test cases and sections, failures recorded, broken, malformed
// and truncated XML rejected with line:col named.
#define BOOST_TEST_MODULE bench_parse_catch2
#include "tests/actors/bench/bench_parse_support.hpp"

using namespace troupe;
using namespace troupe::bench;
using namespace troupe::bench::testing;

namespace {

using strings = std::vector<std::string>;

// The normal fixture with the first `needle` replaced by `with`.
std::string edited(const std::string& needle, const std::string& with) {
  std::string text = fixture("catch2/normal.xml");
  auto at = text.find(needle);
  BOOST_TEST_REQUIRE(at != std::string::npos, needle);
  return text.replace(at, needle.size(), with);
}

// True if parsing `text` fails with a message that starts with
// "c.xml:<place of the first `where` in text>: <what>".
bool fails_at(const std::string& text, const std::string& where,
              const std::string& what) {
  auto at = text.find(where);
  BOOST_TEST_REQUIRE(at != std::string::npos, where);
  std::string message = error_of(parse_catch2(text, "c.xml"));
  std::string expected = "c.xml:" + place(text, at) + ": " + what;
  BOOST_TEST_INFO("got      " << message);
  BOOST_TEST_INFO("expected " << expected);
  return message.rfind(expected, 0) == 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(normal_run) {
  auto s = ok(parse_catch2(fixture("catch2/normal.xml"), "normal.xml"));
  BOOST_TEST((s.format == result_format::catch2));
  BOOST_TEST(names(s) == (strings{"Fibonacci/fibonacci 10", "Fibonacci/fibonacci 20",
                                  "Containers/vector/push_back 1000",
                                  "Containers/string & <escapes>/append \"quoted\""}),
             boost::test_tools::per_element());
  const auto& fib = s.benchmarks[0];
  BOOST_TEST(fib.unit == "ns");
  BOOST_TEST(fib.n == 100u);
  BOOST_TEST(fib.samples.empty());
  BOOST_TEST(fib.mean == 172.263);
  BOOST_TEST(fib.stddev == 1346.52);
  BOOST_TEST(std::isnan(fib.median));  // Catch2 reports no median, min or max
  BOOST_TEST(std::isnan(fib.min));
  BOOST_TEST(std::isnan(fib.max));
  BOOST_TEST(!fib.error);
  BOOST_TEST(s.benchmarks[1].mean == 34004.8);
  BOOST_TEST(s.benchmarks[1].stddev == 213022.0);
  BOOST_TEST(s.benchmarks[2].mean == 3583.14);
  BOOST_TEST(s.benchmarks[3].mean == 19.7164);
  BOOST_TEST(s.benchmarks[3].stddev == 9.47589);
}

BOOST_AUTO_TEST_CASE(sample_count_and_no_analysis) {
  auto s = ok(parse_catch2(fixture("catch2/samples-20-no-analysis.xml"), "s.xml"));
  BOOST_TEST(names(s) == (strings{"Fibonacci/fibonacci 10", "Fibonacci/fibonacci 20"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.benchmarks[0].n == 20u);
  BOOST_TEST(s.benchmarks[0].mean == 174.721);
  BOOST_TEST(s.benchmarks[0].stddev == 0.0);  // --benchmark-no-analysis writes 0
  BOOST_TEST(s.benchmarks[1].mean == 6429.37);
}

BOOST_AUTO_TEST_CASE(failures_are_recorded) {
  auto s = ok(parse_catch2(fixture("catch2/failure.xml"), "failure.xml"));
  BOOST_TEST(names(s) == (strings{"Failures/sum 100", "Failures/throws",
                                  "Assertion in a benchmark/requires"}),
             boost::test_tools::per_element());
  BOOST_TEST(!s.benchmarks[0].error);
  BOOST_TEST(s.benchmarks[0].mean == 137.806);
  const auto& throws = s.benchmarks[1];
  BOOST_TEST(throws.error);
  BOOST_TEST(throws.error_message == "device lost");
  BOOST_TEST(throws.n == 0u);
  BOOST_TEST(throws.mean == 0.0);
  BOOST_TEST(throws.unit == "ns");
  const auto& assertion = s.benchmarks[2];
  BOOST_TEST(assertion.error);
  BOOST_TEST(assertion.error_message ==
             "bench.cpp:58: REQUIRE(fibonacci(5) == 6) failed: 5 == 6");
}

BOOST_AUTO_TEST_CASE(a_name_reported_twice_is_an_error) {
  std::string text = fixture("catch2/repeated-outside-sections.xml");
  std::size_t second = text.find("<BenchmarkResults name=\"outside\"", text.find("in a"));
  std::string message = error_of(parse_catch2(text, "r.xml"));
  BOOST_TEST(
      message.rfind("r.xml:" + place(text, second) +
                        ": benchmark \"T/outside\" reported twice (first on line 5)",
                    0) == 0,
      message);
}

BOOST_AUTO_TEST_CASE(malformed_values_name_their_element) {
  BOOST_TEST(fails_at(
      edited("<mean value=\"172.263\"", "<mean value=\"fast\""), "<mean value=\"fast\"",
      "value of <mean> of benchmark \"Fibonacci/fibonacci 10\": expected a number >= 0, "
      "found \"fast\""));
  BOOST_TEST(fails_at(
      edited("<standardDeviation value=\"1346.52\"", "<standardDeviation value=\"-3\""),
      "<standardDeviation value=\"-3\"",
      "value of <standardDeviation> of benchmark \"Fibonacci/fibonacci 10\": expected "
      "a number >= 0, found \"-3\""));
  BOOST_TEST(fails_at(edited("<mean value=\"172.263\"", "<mean value=\"inf\""),
                      "<mean value=\"inf\"", "value of <mean>"));
  BOOST_TEST(
      fails_at(edited("<mean value=\"172.263\"", "<mean"), "<mean",
               "value of <mean> of benchmark \"Fibonacci/fibonacci 10\": missing"));
  BOOST_TEST(
      fails_at(edited("<mean value=\"172.263\"", "<median value=\"172.263\""),
               "<BenchmarkResults name=\"fibonacci 10\"",
               "benchmark \"Fibonacci/fibonacci 10\" has no <mean> (and no <failed>)"));
  BOOST_TEST(
      fails_at(edited("samples=\"100\"", "samples=\"0\""),
               "<BenchmarkResults name=\"fibonacci 10\"",
               "samples of <BenchmarkResults> of benchmark \"Fibonacci/fibonacci 10\": "
               "expected a whole "
               "number >= 1"));
  BOOST_TEST(fails_at(
      edited("samples=\"100\"", "samples=\"1e2x\""),
      "<BenchmarkResults name=\"fibonacci 10\"",
      "samples of <BenchmarkResults> of benchmark \"Fibonacci/fibonacci 10\": expected "
      "a number >= 0, found \"1e2x\""));
  BOOST_TEST(
      fails_at(edited("<BenchmarkResults name=\"fibonacci 10\"", "<BenchmarkResults"),
               "<BenchmarkResults", "<BenchmarkResults> without a name attribute"));
  // JUnit's reporter, not the XML reporter.
  BOOST_TEST(
      fails_at("<?xml version=\"1.0\"?>\n<testsuites>\n</testsuites>\n", "<testsuites>",
               "expected the root element <Catch> of Catch2's XML reporter (-r xml), "
               "found <testsuites>"));
}

BOOST_AUTO_TEST_CASE(broken_xml_names_line_and_column) {
  // An attribute without its closing quote.
  std::string broken = edited("<mean value=\"172.263\" ", "<mean value=\"172.263 ");
  std::string message = error_of(parse_catch2(broken, "c.xml"));
  BOOST_TEST(message.rfind("c.xml:7:", 0) == 0, message);
  BOOST_TEST(error_of(parse_catch2("", "c.xml"))
                 .rfind("c.xml:1:1: No document element found", 0) == 0);
  BOOST_TEST(error_of(parse_catch2("<Catch>\n  <Group>\n</Catch>\n", "c.xml"))
                 .rfind("c.xml:3:", 0) == 0);
}

BOOST_AUTO_TEST_CASE(no_benchmark_is_an_error) {
  BOOST_TEST(error_of(parse_catch2(fixture("catch2/no-benchmarks.xml"), "none.xml")) ==
             "none.xml: no benchmark results (no <BenchmarkResults> element)");
}

BOOST_AUTO_TEST_CASE(truncated_output_is_an_error) {
  for (const char* name :
       {"catch2/normal.xml", "catch2/failure.xml", "catch2/samples-20-no-analysis.xml"}) {
    std::string text = fixture(name);
    std::size_t parsed = check_cuts(result_format::catch2, text, name, every_cut(text));
    // Complete once the root element is closed; only the final newline may go.
    BOOST_TEST(text.substr(text.size() - 9) == "</Catch>\n", name);
    BOOST_TEST(parsed == 1u, name);
  }
}
