// dashboard_axis: the arithmetic of a chart's axes. Turns the range of the
// data into "nice" tick values (1, 2 or 5 times a power of ten, as in
// Heckbert's "Nice numbers for graph labels", Graphics Gems, 1990) and maps
// data values to pixels. Pure; every output is finite whatever the input
// (empty, constant, NaN or infinite values), so an SVG built from it never
// holds "nan" in a coordinate.
#pragma once

#include <string>
#include <vector>

namespace troupe::bench::detail {

struct axis_ticks {
  double low = 0;              // the axis starts here (<= every finite value given)
  double high = 1;             // and ends here (>= every finite value given); high > low
  std::vector<double> values;  // low, low + step, ..., high
  int decimals = 0;            // digits after the point that tell the ticks apart
};

// Nice ticks spanning the finite values among `values` with about `target`
// (>= 2) intervals. No finite value: 0..1. All equal to v: a small range
// around v (v - 1 .. v + 1 for v = 0, otherwise +-10% of |v|, made nice).
axis_ticks nice_ticks(const std::vector<double>& values, int target = 5);

// The tick labels of `ticks`: format_fixed(value, ticks.decimals) each.
std::vector<std::string> tick_labels(const axis_ticks& ticks);

// A linear map from [domain_low, domain_high] to [range_low, range_high]. A
// degenerate domain maps everything to the middle of the range; a value
// that is not finite maps to range_low.
class linear_scale {
 public:
  linear_scale(double domain_low, double domain_high, double range_low,
               double range_high);
  double operator()(double value) const;

 private:
  double domain_low_, domain_span_, range_low_, range_span_;
};

// Up to about `target` indexes in [0, count) for the run-order axis, evenly
// spaced on nice steps (0, 10, 20, ...) and always including the last
// index; empty for count == 0.
std::vector<std::size_t> index_ticks(std::size_t count, int target = 8);

}  // namespace troupe::bench::detail
