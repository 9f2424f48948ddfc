#include "actors/bench/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace troupe::bench {

summary summarize(const std::vector<double>& samples) {
  summary s;
  s.n = samples.size();
  if (samples.empty()) return s;
  // Two passes: the mean first, then squared deviations from it, which is
  // accurate where the one-pass sum-of-squares formula cancels badly.
  double sum = std::accumulate(samples.begin(), samples.end(), 0.0);
  s.mean = sum / static_cast<double>(s.n);
  double squares = 0;
  for (double x : samples) squares += (x - s.mean) * (x - s.mean);
  s.stddev = s.n > 1 ? std::sqrt(squares / static_cast<double>(s.n - 1)) : 0.0;
  auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
  s.min = *lo;
  s.max = *hi;
  s.median = median(samples);
  return s;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), values.begin() + mid);
  return lower + (upper - lower) / 2;
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  double h = (static_cast<double>(sorted.size()) - 1) * std::clamp(q, 0.0, 1.0);
  auto below = static_cast<std::size_t>(std::floor(h));
  std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] +
         (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double median_absolute_deviation(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double center = median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double x : values) deviations.push_back(std::fabs(x - center));
  return median(std::move(deviations));
}

double hodges_lehmann(const std::vector<double>& values) {
  std::vector<double> means;
  means.reserve(values.size() * (values.size() + 1) / 2);
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = i; j < values.size(); ++j)
      means.push_back((values[i] + values[j]) / 2);
  }
  return median(std::move(means));
}

double qn_scale(const std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 2) return 0;
  std::vector<double> distances;
  distances.reserve(n * (n - 1) / 2);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j)
      distances.push_back(std::fabs(values[i] - values[j]));
  }
  // The k-th smallest distance, k = C(h, 2) with h = n / 2 + 1.
  std::size_t h = n / 2 + 1;
  std::size_t k = h * (h - 1) / 2;
  std::nth_element(distances.begin(), distances.begin() + (k - 1), distances.end());
  double qn = 2.2219 * distances[k - 1];
  // Finite-sample correction factors (Croux and Rousseeuw, 1992).
  static const double small[] = {0,     0,     0.399, 0.994, 0.512,
                                 0.844, 0.611, 0.857, 0.669, 0.872};
  double nd = static_cast<double>(n);
  double correction =
      n <= 9 ? small[n] : (n % 2 == 1 ? nd / (nd + 1.4) : nd / (nd + 3.8));
  return qn * correction;
}

double normal_upper_tail(double z) {
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

namespace {

constexpr std::size_t exact_limit = 20;

// P(U <= u) and P(U >= u) under the null hypothesis for samples of sizes m
// and n without ties, by counting orderings: with c(i, j, u) the number of
// orderings of i x-values and j y-values with statistic u, the largest value
// is either an x (beating all j y-values) or a y, so
//   c(i, j, u) = c(i - 1, j, u - j) + c(i, j - 1, u).
std::pair<double, double> exact_tails(std::size_t m, std::size_t n, std::size_t u) {
  std::size_t max_u = m * n;
  // counts[j][v] for the current i.
  std::vector<std::vector<double>> counts(n + 1, std::vector<double>(max_u + 1, 0.0));
  for (std::size_t j = 0; j <= n; ++j) counts[j][0] = 1;  // i = 0: U = 0
  for (std::size_t i = 1; i <= m; ++i) {
    std::vector<std::vector<double>> next(n + 1, std::vector<double>(max_u + 1, 0.0));
    next[0][0] = 1;  // j = 0: U = 0
    for (std::size_t j = 1; j <= n; ++j) {
      for (std::size_t v = 0; v <= i * j; ++v) {
        double x_largest = v >= j ? counts[j][v - j] : 0.0;
        next[j][v] = x_largest + next[j - 1][v];
      }
    }
    counts = std::move(next);
  }
  const std::vector<double>& dist = counts[n];
  double total = std::accumulate(dist.begin(), dist.end(), 0.0);
  double below = std::accumulate(dist.begin(), dist.begin() + u + 1, 0.0);
  double above = std::accumulate(dist.begin() + u, dist.end(), 0.0);
  return {below / total, above / total};
}

}  // namespace

rank_test mann_whitney(const std::vector<double>& x, const std::vector<double>& y) {
  rank_test out;
  if (x.empty() || y.empty()) return out;
  const double m = static_cast<double>(x.size());
  const double n = static_cast<double>(y.size());

  // Rank the pooled values (average ranks for ties) and collect tie sizes.
  std::vector<std::pair<double, bool>> pooled;  // value, from x
  pooled.reserve(x.size() + y.size());
  for (double v : x) pooled.emplace_back(v, true);
  for (double v : y) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum_x = 0;
  double tie_term = 0;  // sum of t^3 - t over groups of tied values
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k) {
      if (pooled[k].second) rank_sum_x += average_rank;
    }
    double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    i = j;
  }
  out.u = rank_sum_x - m * (m + 1) / 2;

  const double total = m + n;
  if (tie_term == total * total * total - total) return out;  // all values equal

  double mean = m * n / 2;
  double variance = m * n / 12 * ((total + 1) - tie_term / (total * (total - 1)));
  double distance = std::max(0.0, std::fabs(out.u - mean) - 0.5);  // continuity
  double z = distance / std::sqrt(variance);
  out.z = out.u >= mean ? z : -z;
  out.p_value = std::min(1.0, 2 * normal_upper_tail(z));

  if (tie_term == 0 && x.size() <= exact_limit && y.size() <= exact_limit) {
    auto [below, above] =
        exact_tails(x.size(), y.size(), static_cast<std::size_t>(std::lround(out.u)));
    out.exact = true;
    out.p_value = std::min(1.0, 2 * std::min(below, above));
  }
  return out;
}

namespace {

// The continued fraction of the incomplete beta function (modified Lentz).
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, eps = 1e-15;
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < eps) break;
  }
  return h;
}

// The regularized incomplete beta function I_x(a, b), 0 <= x <= 1.
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                          a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

}  // namespace

double student_t_cdf(double t, double df) {
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail : tail;
}

double student_t_quantile(double q, double df) {
  if (q <= 0) return -std::numeric_limits<double>::infinity();
  if (q >= 1) return std::numeric_limits<double>::infinity();
  double lo = -1, hi = 1;
  while (student_t_cdf(lo, df) > q) lo *= 2;
  while (student_t_cdf(hi, df) < q) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, std::fabs(hi)); ++i) {
    double mid = (lo + hi) / 2;
    (student_t_cdf(mid, df) < q ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace troupe::bench
