// A/B comparisons as plain logic: Student's t against reference quantiles,
// the paired comparison of rounds (a real change found with an interval that
// holds it, identical commits never significant, direction by unit, too few
// rounds), the ABBA plan with its builds, and the analysis of platforms'
// documents, including one that cannot be read.
#define BOOST_TEST_MODULE bench_compare
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <ostream>
#include <random>

#include "actors/bench/compare_job.hpp"
#include "actors/bench/statistics.hpp"

using namespace troupe;
using namespace troupe::bench;

namespace troupe::bench {
// For Boost.Test's messages.
std::ostream& operator<<(std::ostream& os, verdict v) {
  return os << verdict_name(v);
}
}  // namespace troupe::bench
namespace troupe {
std::ostream& operator<<(std::ostream& os, host_use u) {
  return os << host_use_name(u);
}
}  // namespace troupe

BOOST_AUTO_TEST_CASE(student_t_matches_reference_quantiles) {
  // Reference values from the t table (R: qt(p, df)).
  BOOST_TEST(student_t_quantile(0.975, 1) == 12.7062047,
             boost::test_tools::tolerance(1e-6));
  BOOST_TEST(student_t_quantile(0.975, 4) == 2.7764451,
             boost::test_tools::tolerance(1e-6));
  BOOST_TEST(student_t_quantile(0.995, 9) == 3.2498355,
             boost::test_tools::tolerance(1e-6));
  BOOST_TEST(student_t_quantile(0.995, 30) == 2.7499957,
             boost::test_tools::tolerance(1e-6));
  BOOST_TEST(std::fabs(student_t_quantile(0.5, 7)) < 1e-6);
  BOOST_TEST(student_t_cdf(2.2281389, 10) == 0.975, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(student_t_cdf(-2.2281389, 10) == 0.025, boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(a_ten_percent_slower_head_is_a_significant_regression) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 0.01);
  std::vector<double> base, head;
  for (int i = 0; i < 10; ++i) {
    double drift = 1 + 0.05 * i;  // the machine drifts; both sides of a round alike
    base.push_back(100 * drift * (1 + noise(rng)));
    head.push_back(110 * drift * (1 + noise(rng)));
  }
  auto c = compare_rounds(base, head, {});
  BOOST_TEST(c.rounds == 10u);
  BOOST_TEST(c.significant);
  BOOST_TEST(c.kind == verdict::regression);
  BOOST_TEST(c.change == 0.10, boost::test_tools::tolerance(0.1));
  BOOST_TEST(c.low < 0.10);
  BOOST_TEST(c.high > 0.10);
  BOOST_TEST(c.low > 0.0);
  // For a throughput unit a higher head is an improvement.
  compare_options throughput;
  throughput.higher_is_better = true;
  BOOST_TEST(compare_rounds(base, head, throughput).kind == verdict::improvement);
}

BOOST_AUTO_TEST_CASE(identical_commits_are_not_significant) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0, 0.01);
  int significant = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> base, head;
    for (int i = 0; i < 10; ++i) {
      base.push_back(100 * (1 + noise(rng)));
      head.push_back(100 * (1 + noise(rng)));
    }
    auto c = compare_rounds(base, head, {});
    BOOST_TEST(c.low < c.high);
    significant += c.significant;
  }
  BOOST_TEST(significant <= 2);  // a 99% interval and a 1% floor: about none of 200
}

BOOST_AUTO_TEST_CASE(too_few_rounds_and_bad_values) {
  auto one = compare_rounds({100}, {200}, {});
  BOOST_TEST(one.rounds == 1u);
  BOOST_TEST(!one.significant);
  BOOST_TEST(std::isinf(one.low));
  auto skipped =
      compare_rounds({100, std::nan(""), 0, 100, 101}, {110, 110, 110, -1, 111}, {});
  BOOST_TEST(skipped.rounds == 2u);
  auto none = compare_rounds({}, {}, {});
  BOOST_TEST(none.rounds == 0u);
  BOOST_TEST(!none.significant);
}

BOOST_AUTO_TEST_CASE(the_plan_interleaves_abba_and_builds_when_the_side_changes) {
  platform_config p;
  p.name = "linux";
  p.build = {"./build.sh", "{commit}"};
  p.suites = {{"micro", {"./micro", "{commit}"}, result_format::simple, 5, {}}};
  artifact header;
  header.run_id = 3;
  header.platform = "linux";
  header.commit = "bbbb";
  auto steps = plan_compare(p, bench_settings{}, header, "aaaa", 4);
  std::vector<std::string> order;
  for (auto& s : steps)
    order.push_back((s.suite.empty() ? "build " : "") + s.side + " " + s.spec.argv.at(1));
  std::vector<std::string> expected{"build base aaaa", "base aaaa", "build head bbbb",
                                    "head bbbb",       "head bbbb", "build base aaaa",
                                    "base aaaa",       "base aaaa", "build head bbbb",
                                    "head bbbb",       "head bbbb", "build base aaaa",
                                    "base aaaa"};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
  // Each round's suite step carries its round; a suite measures once per round.
  int measured = 0;
  for (auto& s : steps)
    if (!s.suite.empty()) {
      ++measured;
      BOOST_TEST(s.use == host_use::exclusive);
      BOOST_TEST((s.repetition >= 1 && s.repetition <= 4));
    }
  BOOST_TEST(measured == 8);
}

BOOST_AUTO_TEST_CASE(outcomes_fold_into_a_document_that_analyse_reads) {
  platform_config p;
  p.name = "linux";
  p.suites = {{"s", {"./s"}, result_format::simple, 1, {}}};
  artifact header;
  header.run_id = 9;
  header.platform = "linux";
  header.commit = "bbbb";
  auto steps = plan_compare(p, bench_settings{}, header, "aaaa", 3);
  compare_outcome outcome("linux", "aaaa", "bbbb", 3);
  for (auto& step : steps) {
    process_result r;
    r.exit_code = 0;
    double v = step.side == "base" ? 100 + step.repetition : 120 + step.repetition;
    r.out = "t " + std::to_string(v) + " ms\nt " + std::to_string(v) + " ms\n";
    BOOST_TEST(outcome.record(step, r));
  }
  auto doc = outcome.finish();
  BOOST_TEST(doc["benchmarks"]["s/t"]["base"].size() == 3u);
  BOOST_TEST(doc["benchmarks"]["s/t"]["head"][2].as_double() == 123.0);
  auto result = analyse_compare({{9, "linux", doc.dump()}, {9, "arm", "{not json"}}, {});
  auto& t = result["platforms"]["linux"]["benchmarks"]["s/t"];
  BOOST_TEST(t["rounds"].as_int() == 3);
  BOOST_TEST(t["significant"].as_bool());
  BOOST_TEST(t["verdict"].as_string() == "regression");
  BOOST_TEST(t["unit"].as_string() == "ms");
  auto& arm = result["platforms"]["arm"];
  BOOST_TEST(arm["benchmarks"].empty());
  BOOST_TEST(arm["failures"][0]["kind"].as_string() == "invalid");
}
