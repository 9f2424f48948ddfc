// Chart axes and dashboard number formats: nice ticks that span the data,
// finite output for degenerate input, locale-free number text.
#define BOOST_TEST_MODULE dashboard_axis
#include "actors/bench/dashboard_axis.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>

#include "actors/bench/dashboard_format.hpp"

using namespace troupe::bench::detail;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

BOOST_AUTO_TEST_CASE(ticks_are_nice_and_span_the_data) {
  auto t = nice_ticks({0.13, 0.97, 0.5});
  BOOST_TEST(t.low == 0.0);
  BOOST_TEST(t.high == 1.0);
  BOOST_TEST(tick_labels(t) ==
                 (std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}),
             boost::test_tools::per_element());
  t = nice_ticks({1234, 1811});
  BOOST_TEST(t.low <= 1234.0);
  BOOST_TEST(t.high >= 1811.0);
  BOOST_TEST(tick_labels(t).front() == "1200");
  BOOST_TEST(t.decimals == 0);
  t = nice_ticks({100.01, 100.04});  // labels still tell the ticks apart
  auto labels = tick_labels(t);
  BOOST_TEST(labels.size() >= 3u);
  for (std::size_t i = 1; i < labels.size(); ++i) BOOST_TEST(labels[i] != labels[i - 1]);
}

BOOST_AUTO_TEST_CASE(degenerate_ranges_give_finite_ticks) {
  const std::vector<std::vector<double>> cases = {
      {}, {kNaN, kInf, -kInf}, {5, 5, 5}, {0}, {-3e-9}, {-1.7e308, 1.7e308}};
  for (const auto& values : cases) {
    auto t = nice_ticks(values);
    BOOST_TEST(std::isfinite(t.low));
    BOOST_TEST(std::isfinite(t.high));
    BOOST_TEST(t.high > t.low);
    BOOST_TEST(!t.values.empty());
    for (double v : t.values) BOOST_TEST(std::isfinite(v));
  }
  auto t = nice_ticks({5, 5});
  BOOST_TEST(t.low <= 4.5);
  BOOST_TEST(t.high >= 5.5);
  BOOST_TEST(t.low > 0.0);
  for (auto& l : tick_labels(nice_ticks({-0.3, 0.3}))) BOOST_TEST(l != "-0.0");
}

BOOST_AUTO_TEST_CASE(scale_maps_linearly_and_never_to_nan) {
  linear_scale y(0, 10, 200, 0);
  BOOST_TEST(y(0) == 200.0);
  BOOST_TEST(y(10) == 0.0);
  BOOST_TEST(y(2.5) == 150.0);
  BOOST_TEST(y(kNaN) == 200.0);
  linear_scale flat(3, 3, 0, 100);
  BOOST_TEST(flat(3) == 50.0);
  BOOST_TEST(flat(kInf) == 0.0);
}

BOOST_AUTO_TEST_CASE(index_ticks_include_both_ends) {
  BOOST_TEST(index_ticks(0).empty());
  BOOST_TEST(index_ticks(1) == std::vector<std::size_t>{0},
             boost::test_tools::per_element());
  auto t = index_ticks(50);
  BOOST_TEST(t.front() == 0u);
  BOOST_TEST(t.back() == 49u);
  BOOST_TEST(t.size() <= 10u);
  for (std::size_t i = 1; i < t.size(); ++i) BOOST_TEST(t[i] > t[i - 1]);
  t = index_ticks(5000);
  BOOST_TEST(t.back() == 4999u);
  BOOST_TEST(t.size() <= 10u);
}

BOOST_AUTO_TEST_CASE(numbers_and_times_print_without_nan_or_locale) {
  BOOST_TEST(format_value(12.345) == "12.35");
  BOOST_TEST(format_value(123456.7) == "123457");
  BOOST_TEST(format_value(0.0012345) == "0.001234");
  BOOST_TEST(format_value(1.5e9) == "1.5e+09");
  BOOST_TEST(format_value(kNaN) == "-");
  BOOST_TEST(format_coord(kInf) == "0");
  BOOST_TEST(format_coord(12.345) == "12.3");
  BOOST_TEST(format_percent(2, 3) == "66.7");
  BOOST_TEST(format_percent(3, 3) == "100.0");
  BOOST_TEST(format_percent(0, 3) == "0.0");
  BOOST_TEST(format_change(0.123) == "+12.3%");
  BOOST_TEST(format_change(-0.04) == "-4.0%");
  BOOST_TEST(format_change(0) == "+0.0%");
  BOOST_TEST(format_utc(1714564800) == "2024-05-01 12:00:00 UTC");
  BOOST_TEST(format_iso_utc(0) == "1970-01-01T00:00:00Z");
  BOOST_TEST(format_utc(std::numeric_limits<std::int64_t>::max()) ==
             std::to_string(std::numeric_limits<std::int64_t>::max()));
  BOOST_TEST(short_sha("0123456789abcdef") == "01234567");
  BOOST_TEST(describe_range({}) == "no commits");
  BOOST_TEST(describe_range({"aaaaaaaaaa"}) == "1 commit: aaaaaaaa");
  BOOST_TEST(describe_range({"aaaaaaaaaa", "b", "cccccccccc"}) ==
             "3 commits: aaaaaaaa..cccccccc");
  BOOST_TEST(html_escaped("<a href=\"x\">'&'</a>") ==
             "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}
