#include "actors/bench/dashboard_axis.hpp"

#include <algorithm>
#include <cmath>

#include "actors/bench/dashboard_format.hpp"

namespace troupe::bench::detail {

namespace {

// Heckbert's nice number near `x` > 0: 1, 2, 5 or 10 times a power of ten,
// rounded to the nearest one or the next one up.
double nice_number(double x, bool round) {
  double exponent = std::floor(std::log10(x));
  double power = std::pow(10.0, exponent);
  double fraction = x / power;
  double nice;
  if (round)
    nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

constexpr std::size_t max_ticks = 50;

}  // namespace

axis_ticks nice_ticks(const std::vector<double>& values, int target) {
  target = std::max(target, 2);
  bool any = false;
  double low = 0, high = 1;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    low = any ? std::min(low, v) : v;
    high = any ? std::max(high, v) : v;
    any = true;
  }
  if (!any) low = 0, high = 1;
  if (low == high) {
    double pad = low == 0 ? 1 : std::fabs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  axis_ticks ticks;
  double span = high - low;
  if (!std::isfinite(span)) {  // beyond double's range: no nice steps
    ticks.low = low;
    ticks.high = high;
    ticks.values = {low, high};
    return ticks;
  }
  double step = nice_number(nice_number(span, false) / target, true);
  ticks.low = std::floor(low / step) * step;
  ticks.high = std::ceil(high / step) * step;
  auto count = static_cast<std::size_t>(std::llround((ticks.high - ticks.low) / step));
  count = std::min(count, max_ticks);
  for (std::size_t i = 0; i <= count; ++i) {
    double v = ticks.low + static_cast<double>(i) * step;
    if (std::fabs(v) < step * 1e-9) v = 0;  // no "-0.00" from rounding noise
    ticks.values.push_back(v);
  }
  ticks.decimals =
      std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 17);
  return ticks;
}

std::vector<std::string> tick_labels(const axis_ticks& ticks) {
  std::vector<std::string> labels;
  labels.reserve(ticks.values.size());
  for (double v : ticks.values) labels.push_back(format_fixed(v, ticks.decimals));
  return labels;
}

linear_scale::linear_scale(double domain_low, double domain_high, double range_low,
                           double range_high)
    : domain_low_(domain_low),
      domain_span_(domain_high - domain_low),
      range_low_(range_low),
      range_span_(range_high - range_low) {
  if (!std::isfinite(domain_low_) || !std::isfinite(domain_span_)) domain_span_ = 0;
}

double linear_scale::operator()(double value) const {
  if (!std::isfinite(value)) return range_low_;
  if (!(domain_span_ > 0)) return range_low_ + range_span_ / 2;
  double mapped = range_low_ + (value - domain_low_) / domain_span_ * range_span_;
  return std::isfinite(mapped) ? mapped : range_low_;
}

std::vector<std::size_t> index_ticks(std::size_t count, int target) {
  if (count == 0) return {};
  if (count == 1) return {0};
  target = std::max(target, 1);
  std::size_t last = count - 1;
  auto step = static_cast<std::size_t>(
      std::max(1.0, nice_number(static_cast<double>(last) / target, false)));
  std::vector<std::size_t> ticks;
  for (std::size_t i = 0; i < last; i += step) ticks.push_back(i);
  // Keep the last index; drop a regular tick too close to it to label both.
  if (!ticks.empty() && ticks.back() != 0 && last - ticks.back() < step / 2)
    ticks.pop_back();
  ticks.push_back(last);
  return ticks;
}

}  // namespace troupe::bench::detail
