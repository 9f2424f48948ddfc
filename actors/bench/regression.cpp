#include "actors/bench/regression.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "actors/bench/statistics.hpp"

namespace troupe::bench {

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double mad_to_sigma = 1.4826;  // MAD of a normal sample -> its sigma

// Variance of the median of n values relative to the variance of one value
// (normal data): exact for n <= 2, the asymptotic pi / 2n beyond (which
// overstates it a little for small n, erring on the quiet side).
double median_variance_factor(std::size_t n) {
  return n <= 2 ? 1.0 / static_cast<double>(n) : pi / (2.0 * static_cast<double>(n));
}

// A robust spread of `values`: the larger of Qn and 1.4826 x MAD, or
// IQR / 1.349 when most of the values are equal (quantized timers).
double robust_sigma(const std::vector<double>& values) {
  // Qn alone collapses on two-level (bimodal) data, which benchmarks do
  // show (layout, frequency states); the MAD does not, so take the larger.
  double s = std::max(qn_scale(values), mad_to_sigma * median_absolute_deviation(values));
  if (s > 0 || values.size() < 2) return s;
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  return (quantile_sorted(sorted, 0.75) - quantile_sorted(sorted, 0.25)) / 1.349;
}

// What the tests need of one run, computed once per run.
struct run_stats {
  double location = 0;  // Hodges-Lehmann of its samples, or its value
  // The spread of that location implied by the samples alone (no between-run
  // noise): HL's variance is the mean's over its efficiency, 0.955. 0 with
  // fewer than 2 samples.
  double within = 0;
};

std::vector<run_stats> stats_of(const std::vector<run_point>& runs) {
  std::vector<run_stats> out;
  out.reserve(runs.size());
  for (const run_point& r : runs) {
    run_stats st;
    st.location = r.value;
    if (r.samples.size() >= 2) {
      double n = static_cast<double>(r.samples.size());
      st.location = hodges_lehmann(r.samples);
      st.within = robust_sigma(r.samples) / std::sqrt(0.955 * n);
    }
    out.push_back(st);
  }
  return out;
}

// One slice [from, to) of a series.
struct span {
  std::size_t from, to;
  std::size_t size() const { return to - from; }
};

std::vector<double> locations(const std::vector<run_stats>& stats, span s) {
  std::vector<double> out;
  for (std::size_t i = s.from; i < s.to; ++i) out.push_back(stats[i].location);
  return out;
}

std::vector<double> pooled_samples(const std::vector<run_point>& runs, span s) {
  std::vector<double> out;
  for (std::size_t i = s.from; i < s.to; ++i) {
    out.insert(out.end(), runs[i].samples.begin(), runs[i].samples.end());
  }
  return out;
}

// The normal score with the tail probability of Student's t = `t` with
// `df` degrees of freedom (Hill's approximation, good to a few percent for
// df >= 2).
double normal_equivalent(double t, double df) {
  if (df <= 0) return 0;
  return t * (1 - 1 / (4 * df)) / std::sqrt(1 + t * t / (2 * df));
}

// Sum of absolute deviations of values[from, to) from their median.
double deviation_cost(const std::vector<double>& values, std::size_t from,
                      std::size_t to) {
  std::vector<double> part(values.begin() + static_cast<std::ptrdiff_t>(from),
                           values.begin() + static_cast<std::ptrdiff_t>(to));
  double center = median(part);
  double cost = 0;
  for (double v : part) cost += std::fabs(v - center);
  return cost;
}

// The split point in [first, last) that best separates values[lo, j) from
// values[j, hi) (least total absolute deviation); the earliest on ties.
std::size_t locate_split(const std::vector<double>& values, std::size_t lo,
                         std::size_t hi, std::size_t first, std::size_t last) {
  std::size_t best = first;
  double best_cost = std::numeric_limits<double>::infinity();
  for (std::size_t j = first; j < last; ++j) {
    double cost = deviation_cost(values, lo, j) + deviation_cost(values, j, hi);
    if (cost < best_cost) {
      best_cost = cost;
      best = j;
    }
  }
  return best;
}

// Clamps `values` to their median +- limit: one bad run moves a mean by at
// most limit / n.
std::vector<double> winsorized(std::vector<double> values, double limit) {
  double center = median(values);
  for (double& v : values) v = std::clamp(v, center - limit, center + limit);
  return values;
}

// Two-sided p-value of a pooled two-sample t-test of the means of `a` and
// `b`; 1 when a side is empty or there are fewer than 3 values in all.
double t_test_p(const std::vector<double>& a, const std::vector<double>& b) {
  auto na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  if (na + nb < 3 || na < 1 || nb < 1) return 1;
  auto moments = [](const std::vector<double>& x) {
    double mean = 0, ss = 0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    for (double v : x) ss += (v - mean) * (v - mean);
    return std::make_pair(mean, ss);
  };
  auto [ma, ssa] = moments(a);
  auto [mb, ssb] = moments(b);
  double df = na + nb - 2;
  double variance = (ssa + ssb) / df;
  double distance = std::fabs(ma - mb);
  if (!(variance > 0)) return distance > 0 ? 0.0 : 1.0;
  double t = distance / std::sqrt(variance * (1 / na + 1 / nb));
  return std::min(1.0, 2 * (1 - student_t_cdf(t, df)));
}

// Compares runs[candidate] with runs[baseline] (see compare()).
comparison compare_spans(const std::vector<run_point>& runs,
                         const std::vector<run_stats>& stats, span candidate,
                         span baseline, const detector_options& options) {
  comparison out;
  if (candidate.size() == 0 || baseline.size() == 0 ||
      baseline.size() < options.min_baseline_runs) {
    return out;
  }
  // The center from the last K runs, the spread from all of them.
  std::size_t k =
      std::min(baseline.size(), std::max<std::size_t>(1, options.baseline_runs));
  span recent{baseline.to - k, baseline.to};
  out.baseline = median(locations(stats, recent));
  out.candidate = median(locations(stats, candidate));
  double scale = std::fabs(out.baseline);
  out.relative_change = scale > 0 ? (out.candidate - out.baseline) / scale : 0;

  double between = robust_sigma(locations(stats, baseline));
  std::vector<double> within_runs;
  for (std::size_t i = baseline.from; i < baseline.to; ++i) {
    if (stats[i].within > 0) within_runs.push_back(stats[i].within);
  }
  double within = median(std::move(within_runs));
  double s = std::max(between, within);
  out.noise = scale > 0 ? s / scale : 0;
  double se =
      s * std::sqrt(median_variance_factor(candidate.size()) + median_variance_factor(k));
  double distance = std::fabs(out.candidate - out.baseline);
  out.score = se > 0 ? distance / se
                     : (distance > 0 ? std::numeric_limits<double>::infinity() : 0.0);
  // A spread estimated from a few run values makes the score a t statistic
  // (heavier tails than normal); Qn keeps about 82% of the information.
  if (between >= within && std::isfinite(out.score)) {
    out.score =
        normal_equivalent(out.score, 0.82 * static_cast<double>(baseline.size() - 1));
  }

  // A run with one sample is a bare value: pooling single values into a
  // rank test would test run values with the power of a small sample.
  auto sampled = [&](span s) {
    for (std::size_t i = s.from; i < s.to; ++i)
      if (runs[i].samples.size() < 2) return false;
    return true;
  };
  std::vector<double> candidate_samples = pooled_samples(runs, candidate);
  std::vector<double> baseline_samples = pooled_samples(runs, recent);
  bool significant = false;
  if (sampled(candidate) && sampled(recent) &&
      candidate_samples.size() >= options.min_samples &&
      baseline_samples.size() >= options.min_samples) {
    out.method = test_method::mann_whitney;
    out.p_value = mann_whitney(candidate_samples, baseline_samples).p_value;
    significant = out.score >= options.fence && out.p_value < options.alpha;
    // Runs that differ from each other by more than their samples do carry
    // as much evidence as there are runs, not samples (a rank test of
    // correlated samples overstates it): the run values must then show the
    // step by themselves too.
    if (significant && between > within) {
      significant =
          t_test_p(winsorized(locations(stats, candidate), 3 * s),
                   winsorized(locations(stats, baseline), 3 * s)) < options.alpha_values;
    }
  } else {
    // Bare values: the means of the runs' values, each side clamped to its
    // median +- 3 s so that one bad run neither makes nor hides a step.
    out.method = test_method::t_test;
    out.p_value = t_test_p(winsorized(locations(stats, candidate), 3 * s),
                           winsorized(locations(stats, baseline), 3 * s));
    significant = out.p_value < options.alpha_values;
  }
  double floor = std::max(options.min_change, options.noise_factor * out.noise);
  if (significant && std::fabs(out.relative_change) >= floor) {
    bool worse = (out.relative_change > 0) != options.higher_is_better;
    out.kind = worse ? verdict::regression : verdict::improvement;
  }
  return out;
}

}  // namespace

double series_noise(const std::vector<double>& values, std::size_t runs) {
  std::size_t from = values.size() > runs ? values.size() - runs : 0;
  std::vector<double> last(values.begin() + static_cast<std::ptrdiff_t>(from),
                           values.end());
  if (last.size() < 3) return 0;
  double center = std::fabs(median(last));
  if (!(center > 0)) return 0;
  // From the differences of neighbouring runs, so that a step (one large
  // difference) is not taken for noise: each has twice a run's variance.
  std::vector<double> moves;
  for (std::size_t i = 1; i < last.size(); ++i)
    moves.push_back(std::fabs(last[i] - last[i - 1]));
  return mad_to_sigma * median(std::move(moves)) / std::sqrt(2.0) / center;
}

std::string_view verdict_name(verdict v) {
  switch (v) {
    case verdict::regression:
      return "regression";
    case verdict::improvement:
      return "improvement";
    case verdict::noise:
      break;
  }
  return "noise";
}

std::string_view test_method_name(test_method m) {
  switch (m) {
    case test_method::mann_whitney:
      return "mann_whitney";
    case test_method::t_test:
      return "t_test";
  }
  return "t_test";
}

comparison compare(const std::vector<run_point>& candidate,
                   const std::vector<run_point>& baseline,
                   const detector_options& options) {
  std::vector<run_point> runs = baseline;
  runs.insert(runs.end(), candidate.begin(), candidate.end());
  return compare_spans(runs, stats_of(runs), {baseline.size(), runs.size()},
                       {0, baseline.size()}, options);
}

std::vector<step> find_steps(const std::vector<run_point>& series,
                             const detector_options& options) {
  std::vector<step> steps;
  const std::size_t n = series.size();
  const std::size_t window = std::max<std::size_t>(1, options.confirm_runs);
  const std::size_t history = std::max<std::size_t>(1, options.baseline_runs);
  const std::size_t spread = std::max(history, options.noise_runs);
  const std::size_t warmup = std::max<std::size_t>(1, options.min_baseline_runs);
  std::vector<run_stats> stats = stats_of(series);
  std::vector<double> values = locations(stats, {0, n});

  std::size_t segment = 0;  // first run of the current level
  for (std::size_t i = segment + warmup; i < n;) {
    std::size_t noise_lo = std::max(segment, i >= spread ? i - spread : 0);
    std::size_t hi = std::min(n, i + window);
    comparison c = compare_spans(series, stats, {i, hi}, {noise_lo, i}, options);
    if (c.kind == verdict::noise) {
      ++i;
      continue;
    }
    // A window that straddles the step also differs from its baseline; the
    // step belongs to the run where the level changes. If that is later in
    // the window, the scan gets there and judges it with its own window.
    if (locate_split(values, noise_lo, hi, i, hi) != i) {
      ++i;
      continue;
    }
    if (hi - i < window) {  // the last runs: too few to confirm it yet
      steps.push_back({i, c, false});
      break;
    }
    steps.push_back({i, c, true});
    segment = i;
    i = segment + warmup;
  }
  return steps;
}

}  // namespace troupe::bench
