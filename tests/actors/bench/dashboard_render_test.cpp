// The dashboard page: true coverage percentages, escaping of everything a user
// or tool supplied, no NaN or infinity anywhere (empty, constant, single and
// unknown-spread series), charts with one hover point per run, marks and
// failed runs drawn distinctly, tooltips that name the run, and a bounded
// size for long histories and long tables.
#define BOOST_TEST_MODULE dashboard_render
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <regex>
#include <string>

#include "actors/bench/dashboard_model.hpp"
#include "actors/bench/dashboard_svg.hpp"
#include "tests/support/html_text.hpp"

using namespace troupe::bench;
using troupe::testing::count_of;
using troupe::testing::text_by_id;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// No "nan", "inf" or "infinity" as a word anywhere, and every numeric
// attribute of the charts parses as a finite number.
void require_finite(const std::string& html) {
  static const std::regex word(R"(\b(nan|inf|infinity)\b)", std::regex::icase);
  BOOST_TEST(!std::regex_search(html, word));
  static const std::regex attr(R"re(\b(cx|cy|x|y|x1|x2|y1|y2|width|height)="([^"]*)")re");
  for (std::sregex_iterator it(html.begin(), html.end(), attr), end; it != end; ++it) {
    std::string v = (*it)[2];
    char* stop = nullptr;
    double d = std::strtod(v.c_str(), &stop);
    BOOST_TEST((*stop == '\0' && std::isfinite(d)),
               (*it)[0] << " is not a finite number");
  }
}

dashboard_point point(std::uint64_t run, double value) {
  dashboard_point p;
  p.run_id = run;
  p.sha = "c0ffee" + std::to_string(1000 + run) + "aabbccdd";
  p.commit_range = {"aaaa1111" + std::to_string(run), "bbbb2222", p.sha};
  p.reason = "push";
  p.time = 1714564800 + static_cast<std::int64_t>(run) * 900;
  p.value = value;
  p.min = value * 0.95;
  p.max = value * 1.05;
  p.stddev = value * 0.02;
  p.n = 10;
  return p;
}

dashboard_series series(std::size_t runs, double value = 100) {
  dashboard_series s;
  s.platform = "linux-x64";
  s.benchmark = "BM_parse/1024";
  s.unit = "ns";
  for (std::size_t i = 1; i <= runs; ++i) s.points.push_back(point(i, value + (i % 7)));
  return s;
}

dashboard_data with(dashboard_series s) {
  dashboard_data d;
  d.generated_at = 1714564800;
  d.series.push_back(std::move(s));
  return d;
}

}  // namespace

BOOST_AUTO_TEST_CASE(empty_data_is_a_whole_page_saying_no_commits_yet) {
  std::string html = render_dashboard({});
  BOOST_TEST(html.rfind("<!DOCTYPE html>", 0) == 0);
  BOOST_TEST(html.find("</html>") != std::string::npos);
  BOOST_TEST(text_by_id(html, "coverage-empty") == "no commits yet");
  BOOST_TEST(text_by_id(html, "coverage-seen") == "0");
  BOOST_TEST(html.find("coverage-benchmarked-percent") == std::string::npos);
  BOOST_TEST(count_of(html, "class=\"chart\"") == 0u);
  BOOST_TEST(html.find("no benchmark results yet") != std::string::npos);
  require_finite(html);
}

BOOST_AUTO_TEST_CASE(page_loads_nothing_from_the_network) {
  std::string html = render_dashboard(with(series(20)));
  BOOST_TEST(html.find("<script") == std::string::npos);
  BOOST_TEST(html.find("<link") == std::string::npos);
  BOOST_TEST(html.find("src=") == std::string::npos);
  BOOST_TEST(html.find("http://") == html.find("http://www.w3.org/2000/svg"));
  BOOST_TEST(html.find("https://") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(coverage_is_a_true_percentage_of_commits_seen) {
  dashboard_data d;
  d.commits_seen = 3, d.commits_benchmarked = 2, d.commits_covered = 3;
  d.commits_skipped = 0, d.commits_pending = 0, d.queue_depth = 7;
  std::string html = render_dashboard(d);
  BOOST_TEST(text_by_id(html, "coverage-benchmarked") == "2");
  BOOST_TEST(text_by_id(html, "coverage-benchmarked-percent") == "66.7");
  BOOST_TEST(text_by_id(html, "coverage-covered-percent") == "100.0");
  BOOST_TEST(text_by_id(html, "queue-depth") == "7");
  BOOST_TEST(html.find("coverage-empty") == std::string::npos);

  d.commits_seen = 2000, d.commits_benchmarked = 1, d.commits_covered = 1999;
  d.commits_skipped = 1, d.commits_pending = 0;
  html = render_dashboard(d);
  BOOST_TEST(text_by_id(html, "coverage-covered-percent") ==
             "99.9");  // never 100 if one is missing
  BOOST_TEST(text_by_id(html, "coverage-benchmarked-percent") ==
             "0.1");  // never 0 if one is there
  BOOST_TEST(text_by_id(html, "coverage-skipped") == "1");
  BOOST_TEST(text_by_id(html, "coverage-pending") == "0");
}

BOOST_AUTO_TEST_CASE(everything_supplied_is_escaped) {
  dashboard_series s = series(3);
  s.platform = "lin\"ux' onload='x";
  s.benchmark = "<script>alert(\"pwn\")</script>";
  s.unit = "<b>ns</b>";
  s.points[1].error = true;
  s.points[1].error_message = "crashed: <img src=x onerror=alert(1)> & \"quoted\"";
  s.points[2].sha = "<sha>";
  s.marks.push_back({2, "<i>regression</i>", 0.2, {"<x>", "'y'"}});
  dashboard_data d = with(s);
  d.title = "bench <b>& \"co\"";
  d.platforms.push_back({"<p1>", "<running>", 4, "host\"<>", 0, 0});
  d.skipped.push_back(
      {"<evil sha>", "feature/<x>", "sampled_out<br>", 30, 1714564800, 9});
  d.gaps.push_back({3, "<p2>", "dead\"line"});
  std::string html = render_dashboard(d);

  BOOST_TEST(html.find("<script") == std::string::npos);
  BOOST_TEST(html.find("<img") == std::string::npos);
  BOOST_TEST(html.find("<b>") == std::string::npos);
  BOOST_TEST(html.find("<i>") == std::string::npos);
  BOOST_TEST(html.find("<x>") == std::string::npos);
  BOOST_TEST(html.find("<br>") == std::string::npos);
  BOOST_TEST(html.find("<p1>") == std::string::npos);
  BOOST_TEST(html.find("onload='x") == std::string::npos);
  BOOST_TEST(html.find("&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt;") !=
             std::string::npos);
  BOOST_TEST(html.find("data-platform=\"lin&quot;ux&#39; onload=&#39;x\"") !=
             std::string::npos);
  BOOST_TEST(
      html.find("crashed: &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;") !=
      std::string::npos);
  BOOST_TEST(html.find("<title>bench &lt;b&gt;&amp; &quot;co&quot;</title>") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(one_hover_point_per_run_and_failed_runs_distinct) {
  dashboard_series s = series(50);
  s.points[10].error = true;
  s.points[10].error_message = "timeout after 600 s";
  std::string html = render_dashboard(with(s));
  BOOST_TEST(count_of(html, "class=\"chart\"") == 1u);
  BOOST_TEST(count_of(html, "<circle class=\"point\"") == 49u);
  BOOST_TEST(count_of(html, "class=\"point failed\"") == 1u);
  BOOST_TEST(html.find("data-runs=\"50\" data-hover-points=\"50\"") != std::string::npos);
  BOOST_TEST(html.find("FAILED: timeout after 600 s") != std::string::npos);
  BOOST_TEST(html.find("1 failed") != std::string::npos);
  BOOST_TEST(html.find("data-platform=\"linux-x64\" data-benchmark=\"BM_parse/1024\"") !=
             std::string::npos);
  require_finite(html);
}

BOOST_AUTO_TEST_CASE(tooltips_name_run_commit_range_value_spread_and_n) {
  dashboard_point p = point(42, 12.346);
  p.skipped_before = {"s1", "s2"};
  std::string tip = detail::point_tooltip(p, "ns");
  BOOST_TEST(tip.find("run 42") != std::string::npos);
  BOOST_TEST(tip.find(p.sha.substr(0, 8)) != std::string::npos);
  BOOST_TEST(tip.find("(push)") != std::string::npos);
  BOOST_TEST(tip.find("3 commits: aaaa1111..c0ffee10") != std::string::npos);
  BOOST_TEST(tip.find("2 skipped before") != std::string::npos);
  BOOST_TEST(tip.find("median 12.35 ns") != std::string::npos);
  BOOST_TEST(tip.find("spread 11.73 .. 12.96 ns, stddev 0.2469 ns") != std::string::npos);
  BOOST_TEST(tip.find("n = 10") != std::string::npos);
  BOOST_TEST(tip.find("2024-05-01 22:30:00 UTC") != std::string::npos);

  p.min = p.max = kNaN;
  tip = detail::point_tooltip(p, "ns");
  BOOST_TEST(tip.find("spread stddev 0.2469 ns") != std::string::npos);
  BOOST_TEST(tip.find("nan") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(marks_are_drawn_by_kind_and_listed_with_their_range) {
  dashboard_series s = series(30);
  s.marks.push_back({20, "regression", 0.123, {"1111aaaa9999", "2222bbbb9999"}});
  s.marks.push_back({25, "improvement", -0.08, {"3333cccc9999"}});
  s.marks.push_back({999, "regression", 0.5, {}});  // a run this chart does not have
  std::string html = render_dashboard(with(s));
  BOOST_TEST(count_of(html, "class=\"mark regression\"") == 1u);
  BOOST_TEST(count_of(html, "class=\"mark improvement\"") == 1u);
  BOOST_TEST(
      html.find("<title>regression +12.3% at run 20\n2 commits: 1111aaaa..2222bbbb") !=
      std::string::npos);
  BOOST_TEST(count_of(html, "<li class=\"step regression\">") == 2u);
  BOOST_TEST(html.find("-8.0%</strong> at run #25; culprit search starts from 1 commit: "
                       "<span class=\"sha\" title=\"3333cccc9999\">3333cccc</span>") !=
             std::string::npos);
  BOOST_TEST(html.find("at run #999 (not in this chart)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(degenerate_series_stay_finite) {
  dashboard_data d;
  d.series.push_back(series(0));  // empty
  d.series.push_back(series(1));  // one point
  dashboard_series flat = series(5);
  for (auto& p : flat.points) p.value = p.min = p.max = 0, p.stddev = 0;
  d.series.push_back(flat);  // all equal (and zero)
  dashboard_series unknown = series(4);
  for (auto& p : unknown.points) p.min = p.max = p.stddev = kNaN;
  unknown.points[2].value = kNaN;
  unknown.points[3].value = std::numeric_limits<double>::infinity();
  d.series.push_back(unknown);  // no spread, broken values
  dashboard_series failed = series(3);
  for (auto& p : failed.points) p.error = true;
  d.series.push_back(failed);  // nothing measured
  dashboard_series huge = series(2);
  huge.points[0].value = -1.7e308, huge.points[1].value = 1.7e308;
  d.series.push_back(huge);  // a span beyond double's range
  std::string html = render_dashboard(d);
  BOOST_TEST(count_of(html, "class=\"chart\"") == 6u);
  BOOST_TEST(html.find("no runs yet") != std::string::npos);
  BOOST_TEST(count_of(html, "class=\"point failed\"") == 3u);
  require_finite(html);
}

BOOST_AUTO_TEST_CASE(long_histories_keep_every_run_on_the_line_but_few_hover_targets) {
  dashboard_series s = series(5000);
  s.points[4321].error = true;
  s.marks.push_back({1234, "regression", 0.1, {"x"}});
  std::string svg = detail::render_chart(s);
  BOOST_TEST(svg.find("data-runs=\"5000\"") != std::string::npos);
  std::size_t hover =
      count_of(svg, "class=\"point\"") + count_of(svg, "class=\"point failed\"");
  BOOST_TEST(hover >= 500u);
  BOOST_TEST(hover <= 503u);  // every 10th, the last, the failed and the marked run
  BOOST_TEST(svg.find("run 1234 ") != std::string::npos);
  BOOST_TEST(svg.find("run 5000 ") != std::string::npos);
  BOOST_TEST(svg.find("FAILED") != std::string::npos);
  // The line goes through all 4999 successful runs.
  auto line = svg.substr(svg.find("<polyline"),
                         svg.find("/>", svg.find("<polyline")) - svg.find("<polyline"));
  BOOST_TEST(count_of(line, ",") == 4999u);
  BOOST_TEST(svg.size() < 600u * 1024);
  require_finite(svg);
}

BOOST_AUTO_TEST_CASE(tables_list_platforms_gaps_and_skipped_commits) {
  dashboard_data d;
  d.platforms.push_back({"linux-x64", "running", 17, "bench-1", 1714564800, 0});
  d.platforms.push_back({"macos-arm", "down", 0, "", 0, 0});
  d.gaps.push_back({17, "macos-arm", "deadline"});
  for (int i = 0; i < 1005; ++i)
    d.skipped.push_back(
        {"deadbeef" + std::to_string(i), "main", "sampled_out", 25, 0, 18});
  std::string html = render_dashboard(d);
  BOOST_TEST(count_of(html, "<tr class=\"platform\"") == 2u);
  BOOST_TEST(html.find("data-platform=\"macos-arm\" data-state=\"down\"") !=
             std::string::npos);
  BOOST_TEST(html.find("never") != std::string::npos);
  BOOST_TEST(count_of(html, "<tr class=\"gap\">") == 1u);
  BOOST_TEST(html.find("<td>macos-arm</td><td>deadline</td>") != std::string::npos);
  BOOST_TEST(count_of(html, "<tr class=\"skip\">") == 1000u);
  BOOST_TEST(html.find("5 earlier skipped commits not shown") != std::string::npos);
  BOOST_TEST(html.find("<td>sampled_out</td><td class=\"number\">25</td>") !=
             std::string::npos);
  BOOST_TEST(html.find("Skipped commits <span class=\"count\">1005</span>") !=
             std::string::npos);
}
