#include "actors/bench/compare.hpp"

#include <cmath>
#include <limits>

#include "actors/bench/statistics.hpp"

namespace troupe::bench {

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
