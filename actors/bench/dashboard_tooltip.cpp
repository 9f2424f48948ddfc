// The hover texts of dashboard_svg.hpp: one run or one detected step in words.
#include <cmath>

#include "actors/bench/dashboard_format.hpp"
#include "actors/bench/dashboard_svg.hpp"

namespace troupe::bench::detail {

namespace {

std::string with_unit(double value, const std::string& unit) {
  std::string text = format_value(value);
  if (!unit.empty() && text != "-") text += " " + unit;
  return text;
}

}  // namespace

std::string point_tooltip(const dashboard_point& point, const std::string& unit) {
  std::string text = "run " + std::to_string(point.run_id) + " \u00b7 " +
                     (point.sha.empty() ? "(no sha)" : short_sha(point.sha));
  if (!point.reason.empty()) text += " (" + point.reason + ")";
  text += "\n" + describe_range(point.commit_range);
  if (!point.skipped_before.empty())
    text += ", " + std::to_string(point.skipped_before.size()) + " skipped before";
  if (point.error) {
    text += "\nFAILED";
    if (!point.error_message.empty()) text += ": " + point.error_message;
  } else {
    text += "\nmedian " + with_unit(point.value, unit);
    bool range_known = std::isfinite(point.min) && std::isfinite(point.max);
    bool stddev_known = std::isfinite(point.stddev);
    if (range_known || stddev_known) {
      text += "\nspread ";
      if (range_known)
        text += format_value(point.min) + " .. " + with_unit(point.max, unit);
      if (range_known && stddev_known) text += ", ";
      if (stddev_known) text += "stddev " + with_unit(point.stddev, unit);
    }
  }
  text += "\nn = " + std::to_string(point.n);
  if (point.time != 0) text += " \u00b7 " + format_utc(point.time);
  return text;
}

std::string mark_tooltip(const dashboard_mark& mark) {
  return mark.kind + " " + format_change(mark.relative_change) + " at run " +
         std::to_string(mark.run_id) + "\n" + describe_range(mark.commit_range);
}

}  // namespace troupe::bench::detail
