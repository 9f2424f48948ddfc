// Statistics and regression detection: descriptive statistics against hand
// computed values, the Mann-Whitney test against reference p-values, the
// run-level fence, and step detection on known series.
#define BOOST_TEST_MODULE bench_regression
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <ostream>
#include <random>
#include <vector>

#include "actors/bench/regression.hpp"
#include "actors/bench/statistics.hpp"

using namespace troupe::bench;

namespace troupe::bench {
// For Boost.Test's messages.
std::ostream& operator<<(std::ostream& os, verdict v) {
  return os << verdict_name(v);
}
std::ostream& operator<<(std::ostream& os, test_method m) {
  return os << test_method_name(m);
}
}  // namespace troupe::bench

namespace {

// A run at `level` with `n` samples spread by `cv` (deterministic per seed).
run_point run_at(double level, std::mt19937_64& rng, double cv = 0.01,
                 std::size_t n = 10) {
  std::normal_distribution<double> normal(0.0, 1.0);
  run_point r;
  for (std::size_t i = 0; i < n; ++i)
    r.samples.push_back(level * std::exp(cv * normal(rng)));
  r.value = median(r.samples);
  return r;
}

// `runs` runs with a little between-run noise; `levels[i]` is run i's level.
std::vector<run_point> series_of(const std::vector<double>& levels, std::uint64_t seed,
                                 double cv = 0.01) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<run_point> out;
  for (double level : levels)
    out.push_back(run_at(level * std::exp(0.003 * normal(rng)), rng, cv));
  return out;
}

std::vector<double> flat(std::size_t n, double level) {
  return std::vector<double>(n, level);
}

std::vector<double> concat(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<run_point> slice(const std::vector<run_point>& s, std::size_t from,
                             std::size_t to) {
  return {s.begin() + static_cast<std::ptrdiff_t>(from),
          s.begin() + static_cast<std::ptrdiff_t>(to)};
}

}  // namespace

BOOST_AUTO_TEST_CASE(descriptive_statistics) {
  summary s = summarize({3, 1, 4, 1, 5, 9, 2, 6});
  BOOST_TEST(s.n == 8u);
  BOOST_TEST(s.median == 3.5);  // even count: mean of the middle two
  BOOST_TEST(s.mean == 3.875);
  BOOST_TEST(s.stddev == 2.748376143938713,
             boost::test_tools::tolerance(1e-12));  // n - 1
  BOOST_TEST(s.min == 1.0);
  BOOST_TEST(s.max == 9.0);
  BOOST_TEST(median({5, 1, 3}) == 3.0);
  BOOST_TEST(summarize({7}).stddev == 0.0);
  BOOST_TEST(summarize({}).n == 0u);
  BOOST_TEST(median({}) == 0.0);
  // Large values with a tiny spread: the two-pass variance does not cancel.
  summary big = summarize({1e9 + 1, 1e9 + 2, 1e9 + 3});
  BOOST_TEST(big.stddev == 1.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(quantile_sorted({1, 2, 3, 4}, 0.25) == 1.75);
  BOOST_TEST(quantile_sorted({1, 2, 3, 4}, 1.0) == 4.0);
  BOOST_TEST(median_absolute_deviation({1, 1, 2, 2, 4, 6, 9}) == 1.0);
  BOOST_TEST(hodges_lehmann({1, 2, 3, 100}) == 2.75);  // one outlier barely moves it
  BOOST_TEST(hodges_lehmann({}) == 0.0);
}

BOOST_AUTO_TEST_CASE(qn_scale_is_consistent_and_robust) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal(10.0, 2.0);
  std::vector<double> v;
  for (int i = 0; i < 400; ++i) v.push_back(normal(rng));
  BOOST_TEST(qn_scale(v) == 2.0, boost::test_tools::tolerance(0.1));
  for (int i = 0; i < 40; ++i)
    v[static_cast<std::size_t>(i)] = 1000;  // 10% wild outliers
  BOOST_TEST(qn_scale(v) < 3.0);
  BOOST_TEST(qn_scale({4}) == 0.0);
  BOOST_TEST(qn_scale({4, 4, 4, 4}) == 0.0);
}

BOOST_AUTO_TEST_CASE(mann_whitney_reference_values) {
  // Exact (no ties, small): {1,2,3} vs {4,5,6}: U = 0, P = 2 * 1/20.
  rank_test a = mann_whitney({1, 2, 3}, {4, 5, 6});
  BOOST_TEST(a.exact);
  BOOST_TEST(a.u == 0.0);
  BOOST_TEST(a.p_value == 0.1, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(a.z < 0);
  // Exact, checked by enumerating all 1716 splits.
  rank_test b =
      mann_whitney({1.1, 2.5, 3.3, 0.2, 7.7, 4.1}, {4.2, 5.3, 6.6, 8.8, 9.1, 3.9, 10.5});
  BOOST_TEST(b.u == 5.0);
  BOOST_TEST(b.p_value == 0.022144522144522144, boost::test_tools::tolerance(1e-12));
  // Ties: normal approximation with tie and continuity correction.
  rank_test c = mann_whitney({1, 2, 2, 3, 4}, {3, 4, 5, 5, 6});
  BOOST_TEST(!c.exact);
  BOOST_TEST(c.u == 2.0);
  BOOST_TEST(c.p_value == 0.03445363703947131, boost::test_tools::tolerance(1e-9));
  // Degenerate inputs.
  BOOST_TEST(mann_whitney({}, {1, 2}).p_value == 1.0);
  BOOST_TEST(mann_whitney({2, 2}, {2, 2, 2}).p_value == 1.0);
  // Symmetry: swapping the samples keeps p and flips the direction.
  rank_test d = mann_whitney({4, 5, 6}, {1, 2, 3});
  BOOST_TEST(d.p_value == a.p_value, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(d.z > 0);
}

BOOST_AUTO_TEST_CASE(compare_classifies_by_direction_and_unit) {
  auto history = series_of(flat(10, 100), 7);
  std::mt19937_64 rng(8);
  detector_options options;
  comparison slower = compare({run_at(110, rng)}, history, options);
  BOOST_TEST(slower.kind == verdict::regression);
  BOOST_TEST(slower.method == test_method::mann_whitney);
  BOOST_TEST(slower.relative_change == 0.10, boost::test_tools::tolerance(0.2));
  BOOST_TEST(slower.p_value < 0.001);
  BOOST_TEST(compare({run_at(90, rng)}, history, options).kind == verdict::improvement);
  BOOST_TEST(compare({run_at(100, rng)}, history, options).kind == verdict::noise);

  options.higher_is_better = true;  // items/s: more is better
  BOOST_TEST(compare({run_at(110, rng)}, history, options).kind == verdict::improvement);
  BOOST_TEST(compare({run_at(90, rng)}, history, options).kind == verdict::regression);

  // Too little history: no verdict.
  BOOST_TEST(compare({run_at(150, rng)}, slice(history, 0, 4), options).kind ==
             verdict::noise);
  BOOST_TEST(compare({}, history, options).p_value == 1.0);
}

BOOST_AUTO_TEST_CASE(changes_below_the_minimum_are_noise) {
  // A noiseless history: a 1% change is as significant as can be, and noise.
  std::vector<run_point> history;
  for (int i = 0; i < 10; ++i) history.push_back({100, {}});
  detector_options options;
  comparison small = compare({{101, {}}}, history, options);
  BOOST_TEST(small.kind == verdict::noise);
  BOOST_TEST(std::isinf(small.score));
  BOOST_TEST(small.p_value == 0.0);
  BOOST_TEST(small.method == test_method::t_test);
  BOOST_TEST(compare({{103, {}}}, history, options).kind == verdict::regression);
}

BOOST_AUTO_TEST_CASE(between_run_noise_is_not_a_regression) {
  // Runs whose samples are tight (0.2%) but whose levels wander by +-3% from
  // run to run. Pooled samples make a +3% run look wildly significant to
  // Mann-Whitney; the run-level fence knows the history does that.
  std::mt19937_64 rng(3);
  std::vector<run_point> history;
  for (int i = 0; i < 20; ++i) history.push_back(run_at(i % 2 ? 103 : 97, rng, 0.002));
  run_point high = run_at(103.5, rng, 0.002);
  BOOST_TEST(mann_whitney(high.samples, history.front().samples).p_value < 0.001);
  comparison c = compare({high}, history, detector_options{});
  BOOST_TEST(c.kind == verdict::noise);
  BOOST_TEST(c.noise > 0.02);
}

BOOST_AUTO_TEST_CASE(finds_the_first_run_of_a_step) {
  auto series = series_of(concat(flat(20, 100), flat(12, 106)), 11);
  auto steps = find_steps(series, detector_options{});
  BOOST_TEST_REQUIRE(steps.size() == 1u);
  BOOST_TEST(steps[0].index == 20u);
  BOOST_TEST(steps[0].confirmed);
  BOOST_TEST(steps[0].evidence.kind == verdict::regression);
  BOOST_TEST(steps[0].evidence.relative_change == 0.06,
             boost::test_tools::tolerance(0.15));

  // The same series seen only up to various points: the step is suspected
  // (unconfirmed) once its first runs are in, confirmed once confirm_runs
  // runs are, and never named anywhere else.
  detector_options options;
  for (std::size_t n = 20; n <= series.size(); ++n) {
    auto prefix = find_steps(slice(series, 0, n), options);
    for (const step& s : prefix) {
      BOOST_TEST(s.index == 20u, "prefix " << n);
      BOOST_TEST(s.confirmed == (n >= 20 + options.confirm_runs), "prefix " << n);
    }
  }
}

BOOST_AUTO_TEST_CASE(outlier_runs_are_not_steps) {
  std::vector<double> levels = flat(40, 100);
  levels[15] = 120;  // one very slow run
  levels[25] = 110;  // two slow runs in a row
  levels[26] = 109;
  BOOST_TEST(find_steps(series_of(levels, 5), detector_options{}).empty());
}

BOOST_AUTO_TEST_CASE(regression_then_fix) {
  auto series = series_of(concat(concat(flat(15, 50), flat(15, 54)), flat(15, 50)), 21);
  auto steps = find_steps(series, detector_options{});
  BOOST_TEST_REQUIRE(steps.size() == 2u);
  BOOST_TEST(steps[0].index == 15u);
  BOOST_TEST(steps[0].evidence.kind == verdict::regression);
  BOOST_TEST(steps[1].index == 30u);
  BOOST_TEST(steps[1].evidence.kind == verdict::improvement);

  detector_options throughput;  // the same numbers as items/s
  throughput.higher_is_better = true;
  auto flipped = find_steps(series, throughput);
  BOOST_TEST_REQUIRE(flipped.size() == 2u);
  BOOST_TEST(flipped[0].evidence.kind == verdict::improvement);
  BOOST_TEST(flipped[1].evidence.kind == verdict::regression);
}

BOOST_AUTO_TEST_CASE(values_without_samples_use_the_run_level_test) {
  std::mt19937_64 rng(4);
  std::normal_distribution<double> normal(0.0, 0.005);
  std::vector<run_point> series;
  for (int i = 0; i < 30; ++i) {
    double level = i < 18 ? 200 : 190;  // 5% faster from run 18
    series.push_back({level * std::exp(normal(rng)), {}});
  }
  auto steps = find_steps(series, detector_options{});
  BOOST_TEST_REQUIRE(steps.size() == 1u);
  BOOST_TEST(steps[0].index == 18u);
  BOOST_TEST(steps[0].evidence.method == test_method::t_test);
  BOOST_TEST(steps[0].evidence.kind == verdict::improvement);
}

// Bare values at 1% noise: the t-test on the runs' values finds a 5% step
// at its run; a bad run (25% off) on either side neither makes a step nor
// hides the real one.
BOOST_AUTO_TEST_CASE(a_bad_run_among_bare_values_neither_makes_nor_hides_a_step) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 0.01);
  std::vector<run_point> series;
  for (int i = 0; i < 40; ++i) {
    double level = i < 24 ? 100 : 105;  // 5% slower from run 24
    series.push_back({level * std::exp(normal(rng)), {}});
  }
  series[10].value *= 1.25;  // a bad run in the baseline
  series[26].value /= 1.25;  // and one inside the new level
  auto steps = find_steps(series, detector_options{});
  BOOST_TEST_REQUIRE(steps.size() == 1u);
  BOOST_TEST(steps[0].index == 24u);
  BOOST_TEST(steps[0].confirmed);
  BOOST_TEST(steps[0].evidence.kind == verdict::regression);
  BOOST_TEST(steps[0].evidence.p_value < 1e-4);
  // Without the step: the bad runs alone are no step.
  for (int i = 24; i < 40; ++i) series[i].value /= 1.05;
  BOOST_TEST(find_steps(series, detector_options{}).empty());
}

BOOST_AUTO_TEST_CASE(noise_alone_gives_no_steps) {
  // 200 noise-only histories with 1-3% sample noise: none may be flagged
  // (regression_eval measures the rate on thousands; this guards the code).
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> cv(0.01, 0.03);
  std::size_t flagged = 0;
  for (int k = 0; k < 200; ++k) {
    auto series = series_of(flat(40, 1000), rng(), cv(rng));
    for (const step& s : find_steps(series, detector_options{})) flagged += s.confirmed;
  }
  BOOST_TEST(flagged <= 2u);
}

BOOST_AUTO_TEST_CASE(series_noise_is_the_run_to_run_spread_of_the_recent_runs) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0.0, 0.02);
  std::vector<double> values;
  for (int i = 0; i < 400; ++i) values.push_back(100 * std::exp(normal(rng)));
  BOOST_TEST(series_noise(values, 400) > 0.017);
  BOOST_TEST(series_noise(values, 400) < 0.023);
  // Only the last `runs` count: a quiet stretch after a noisy one is quiet.
  for (int i = 0; i < 30; ++i) values.push_back(100 + 0.01 * (i % 3));
  BOOST_TEST(series_noise(values, 30) < 0.001);
  // A step is not noise.
  for (int i = 0; i < 10; ++i) values.push_back(120 + 0.01 * (i % 3));
  BOOST_TEST(series_noise(values, 30) < 0.001);
  BOOST_TEST(series_noise({100, 101}, 30) == 0.0);  // too few runs to say
}

BOOST_AUTO_TEST_CASE(names) {
  BOOST_TEST(verdict_name(verdict::regression) == "regression");
  BOOST_TEST(verdict_name(verdict::improvement) == "improvement");
  BOOST_TEST(verdict_name(verdict::noise) == "noise");
  BOOST_TEST(test_method_name(test_method::mann_whitney) == "mann_whitney");
  BOOST_TEST(test_method_name(test_method::t_test) == "t_test");
}
