#include "actors/bench/compare.hpp"

#include <cmath>
#include <limits>

#include "actors/bench/statistics.hpp"

namespace troupe::bench {

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

paired_comparison compare_rounds(const std::vector<double>& base,
                                 const std::vector<double>& head,
                                 const compare_options& options) {
  paired_comparison out;
  std::vector<double> d, bases, heads;
  for (std::size_t i = 0; i < base.size() && i < head.size(); ++i) {
    if (!(base[i] > 0) || !(head[i] > 0)) continue;
    d.push_back(std::log(head[i] / base[i]));
    bases.push_back(base[i]);
    heads.push_back(head[i]);
  }
  out.rounds = d.size();
  out.low = -std::numeric_limits<double>::infinity();
  out.high = std::numeric_limits<double>::infinity();
  if (d.empty()) return out;
  auto b = summarize(bases);
  out.base = b.median;
  out.head = median(heads);
  out.noise = b.mean > 0 ? b.stddev / b.mean : 0;
  auto s = summarize(d);
  out.change = std::expm1(s.mean);
  if (d.size() < 2) return out;
  double half = student_t_quantile(0.5 + options.confidence / 2,
                                   static_cast<double>(d.size() - 1)) *
                s.stddev / std::sqrt(static_cast<double>(d.size()));
  out.low = std::expm1(s.mean - half);
  out.high = std::expm1(s.mean + half);
  out.significant =
      (out.low > 0 || out.high < 0) && std::fabs(out.change) >= options.min_change;
  if (out.significant) {
    bool slower = out.change > 0;
    out.kind =
        slower != options.higher_is_better ? verdict::regression : verdict::improvement;
  }
  return out;
}

}  // namespace troupe::bench
