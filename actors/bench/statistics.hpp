// statistics: the descriptive statistics and the rank test behind benchmark
// results and regression detection. Pure functions over samples; no state.
//
// Conventions, fixed here once for the whole bench subsystem:
//   - median of an even count is the mean of the two middle values;
//   - stddev is the sample standard deviation (divisor n - 1), 0 for n = 1;
//   - quantiles interpolate linearly between order statistics (Hyndman and
//     Fan type 7, the default of R and NumPy);
//   - an empty input has no statistics: functions say what they return then.
#pragma once

#include <cstddef>
#include <vector>

namespace troupe::bench {

// n, mean, median, stddev, min and max of a set of samples.
struct summary {
  std::size_t n = 0;
  double mean = 0;
  double median = 0;
  double stddev = 0;
  double min = 0;
  double max = 0;
};

// The summary of `samples`; all zeros for an empty input. Samples must be
// finite (parsers reject the others).
summary summarize(const std::vector<double>& samples);

// The median of `values`; 0 for an empty input.
double median(std::vector<double> values);

// The q-quantile (0 <= q <= 1) of `sorted`, which must be sorted ascending
// and non-empty.
double quantile_sorted(const std::vector<double>& sorted, double q);

// The median absolute deviation from the median, unscaled (multiply by
// 1.4826 for a consistent estimate of a normal standard deviation); 0 for
// an empty input.
double median_absolute_deviation(const std::vector<double>& values);

// Rousseeuw and Croux's Qn scale estimator: a consistent estimate of the
// standard deviation of normal data that, unlike the MAD, keeps 82% of the
// efficiency of the standard deviation while tolerating up to half the
// values being outliers. Small-sample corrected; 0 for fewer than 2 values.
// O(n^2 log n): meant for series of run values, not for large sample sets.
double qn_scale(const std::vector<double>& values);

// The Hodges-Lehmann estimate of location: the median of all pairwise means
// (x_i + x_j) / 2, i <= j. As efficient as the mean within 5% for normal data
// while tolerating up to 29% outliers (the median keeps only 64%); 0 for an
// empty input. O(n^2 log n).
double hodges_lehmann(const std::vector<double>& values);

// Result of a two-sided Mann-Whitney U test of "x and y come from the same
// distribution" against "one tends to be larger".
struct rank_test {
  double u = 0;        // U of x: pairs (xi, yj) with xi > yj, ties counting 1/2
  double z = 0;        // normal score of U (continuity-corrected); > 0: x larger
  double p_value = 1;  // two-sided
  bool exact = false;  // exact null distribution (small samples, no ties)
};

// Mann-Whitney U test of `x` against `y`. Uses the exact distribution of U
// when there are no ties and both samples have at most 20 values, otherwise
// the normal approximation with tie correction and continuity correction.
// Returns p_value 1 when either sample is empty or all values are equal.
rank_test mann_whitney(const std::vector<double>& x, const std::vector<double>& y);

// P(Z > z) for a standard normal Z.
double normal_upper_tail(double z);

// P(T <= t) for Student's t with `df` (> 0) degrees of freedom.
double student_t_cdf(double t, double df);

// The q-quantile (0 < q < 1) of Student's t with `df` degrees of freedom.
double student_t_quantile(double q, double df);

}  // namespace troupe::bench
