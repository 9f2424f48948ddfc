#include "actors/bench/dashboard_svg.hpp"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "actors/bench/dashboard_axis.hpp"
#include "actors/bench/dashboard_format.hpp"

namespace troupe::bench::detail {

namespace {

struct frame {
  double left, right, top, bottom;  // the plot area in SVG user units
};

// The spread of a successful run as [low, high]: min..max where both are
// known, median +- stddev otherwise; false when neither is.
bool spread_of(const dashboard_point& p, double& low, double& high) {
  if (std::isfinite(p.min) && std::isfinite(p.max)) {
    low = p.min, high = p.max;
    return true;
  }
  if (std::isfinite(p.stddev) && p.stddev > 0 && std::isfinite(p.value)) {
    low = p.value - p.stddev, high = p.value + p.stddev;
    return true;
  }
  return false;
}

void append_xy(std::string& out, double x, double y) {
  out += format_coord(x);
  out += ',';
  out += format_coord(y);
}

void append_title(std::string& out, const std::string& text) {
  out += "<title>";
  append_html_escaped(out, text);
  out += "</title>";
}

void append_y_axis(std::string& out, const axis_ticks& ticks, const linear_scale& y,
                   const frame& f, const dashboard_series& s) {
  auto labels = tick_labels(ticks);
  out += "<g class=\"y-axis\">";
  for (std::size_t i = 0; i < ticks.values.size(); ++i) {
    std::string at = format_coord(y(ticks.values[i]));
    out += "<line class=\"grid\" x1=\"" + format_coord(f.left) + "\" x2=\"" +
           format_coord(f.right) + "\" y1=\"" + at + "\" y2=\"" + at + "\"/>";
    out += "<text x=\"" + format_coord(f.left - 6) + "\" y=\"" + at +
           "\" dy=\"0.35em\" text-anchor=\"end\">" + labels[i] + "</text>";
  }
  out += "<text class=\"unit\" x=\"4\" y=\"12\">";
  append_html_escaped(out, s.unit.empty() ? std::string("value") : s.unit);
  out += s.higher_is_better ? " (higher is better)" : " (lower is better)";
  out += "</text></g>";
}

void append_x_axis(std::string& out, const dashboard_series& s, const linear_scale& x,
                   const frame& f) {
  out += "<g class=\"x-axis\">";
  for (std::size_t i : index_ticks(s.points.size())) {
    std::string at = format_coord(x(static_cast<double>(i)));
    out += "<line x1=\"" + at + "\" x2=\"" + at + "\" y1=\"" + format_coord(f.bottom) +
           "\" y2=\"" + format_coord(f.bottom + 4) + "\"/>";
    out += "<text x=\"" + at + "\" y=\"" + format_coord(f.bottom + 16) +
           "\" text-anchor=\"middle\">#" + std::to_string(s.points[i].run_id) + "</text>";
  }
  out += "<text x=\"" + format_coord(f.right) + "\" y=\"" + format_coord(f.bottom + 30) +
         "\" text-anchor=\"end\">run</text></g>";
}

// The band as closed subpaths over consecutive runs with a known spread, and
// a whisker for each run whose neighbours have none.
void append_spread(std::string& out, const dashboard_series& s, const linear_scale& x,
                   const linear_scale& y) {
  std::string band, whiskers;
  std::vector<std::size_t> run;  // indexes of the current stretch
  auto flush = [&] {
    if (run.size() == 1) {
      double low = 0, high = 0;
      spread_of(s.points[run[0]], low, high);
      std::string at = format_coord(x(static_cast<double>(run[0])));
      whiskers += "M" + at + "," + format_coord(y(low)) + "V" + format_coord(y(high));
    } else if (run.size() > 1) {
      for (std::size_t k = 0; k < run.size(); ++k) {  // the high edge forwards
        double low = 0, high = 0;
        spread_of(s.points[run[k]], low, high);
        band += k == 0 ? "M" : "L";
        append_xy(band, x(static_cast<double>(run[k])), y(high));
      }
      for (std::size_t k = run.size(); k-- > 0;) {  // the low edge back
        double low = 0, high = 0;
        spread_of(s.points[run[k]], low, high);
        band += "L";
        append_xy(band, x(static_cast<double>(run[k])), y(low));
      }
      band += "Z";
    }
    run.clear();
  };
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    double low = 0, high = 0;
    if (s.points[i].error || !spread_of(s.points[i], low, high))
      flush();
    else
      run.push_back(i);
  }
  flush();
  if (!band.empty()) out += "<path class=\"band\" d=\"" + band + "\"/>";
  if (!whiskers.empty()) out += "<path class=\"whisker\" d=\"" + whiskers + "\"/>";
}

void append_line(std::string& out, const dashboard_series& s, const linear_scale& x,
                 const linear_scale& y) {
  std::string points;
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    if (s.points[i].error) continue;
    if (!points.empty()) points += ' ';
    append_xy(points, x(static_cast<double>(i)), y(s.points[i].value));
  }
  if (!points.empty()) out += "<polyline class=\"line\" points=\"" + points + "\"/>";
}

void append_marks(std::string& out, const dashboard_series& s,
                  const std::unordered_map<std::uint64_t, std::size_t>& index_of,
                  const linear_scale& x, const frame& f) {
  for (const auto& mark : s.marks) {
    auto found = index_of.find(mark.run_id);
    if (found == index_of.end()) continue;  // listed under the chart only
    const char* kind = mark.kind == "regression"    ? "regression"
                       : mark.kind == "improvement" ? "improvement"
                                                    : "step";
    std::string at = format_coord(x(static_cast<double>(found->second)));
    out += std::string("<g class=\"mark ") + kind + "\"><line x1=\"" + at + "\" x2=\"" +
           at + "\" y1=\"" + format_coord(f.top) + "\" y2=\"" + format_coord(f.bottom) +
           "\"/><path d=\"M" + at + "," + format_coord(f.top) + "l-6,-8h12z\"/>";
    append_title(out, mark_tooltip(mark));
    out += "</g>";
  }
}

void append_points(std::string& out, const dashboard_series& s,
                   const std::unordered_set<std::uint64_t>& marked, const linear_scale& x,
                   const linear_scale& y, const frame& f, std::size_t max_hover,
                   std::size_t& shown) {
  std::size_t n = s.points.size();
  std::size_t stride =
      n <= max_hover || max_hover == 0 ? 1 : (n + max_hover - 1) / max_hover;
  out += "<g class=\"points\">";
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = s.points[i];
    if (i % stride != 0 && i + 1 != n && !p.error && marked.count(p.run_id) == 0)
      continue;
    ++shown;
    std::string cx = format_coord(x(static_cast<double>(i)));
    if (p.error) {
      out += "<path class=\"point failed\" d=\"M" + cx + "," +
             format_coord(f.bottom - 10) + "m-4,-4l8,8m0,-8l-8,8\">";
      append_title(out, point_tooltip(p, s.unit));
      out += "</path>";
    } else {
      out += "<circle class=\"point\" cx=\"" + cx + "\" cy=\"" +
             format_coord(y(p.value)) + "\" r=\"3\">";
      append_title(out, point_tooltip(p, s.unit));
      out += "</circle>";
    }
  }
  out += "</g>";
}

}  // namespace

std::string render_chart(const dashboard_series& s, const chart_options& options) {
  frame f{64, static_cast<double>(options.width) - 12, 24,
          static_cast<double>(options.height) - 36};
  std::vector<double> extent;
  std::unordered_map<std::uint64_t, std::size_t> index_of;
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    const auto& p = s.points[i];
    index_of.emplace(p.run_id, i);
    if (p.error) continue;
    extent.push_back(p.value);
    double low = 0, high = 0;
    if (spread_of(p, low, high)) extent.insert(extent.end(), {low, high});
  }
  std::unordered_set<std::uint64_t> marked;
  for (const auto& m : s.marks) marked.insert(m.run_id);

  axis_ticks ticks = nice_ticks(extent);
  linear_scale y(ticks.low, ticks.high, f.bottom, f.top);
  double inset = 8;  // keeps the first and last point off the frame
  linear_scale x(0, s.points.empty() ? 0 : static_cast<double>(s.points.size() - 1),
                 f.left + inset, f.right - inset);

  std::string body;
  std::size_t shown = 0;
  body += "<rect class=\"frame\" x=\"" + format_coord(f.left) + "\" y=\"" +
          format_coord(f.top) + "\" width=\"" + format_coord(f.right - f.left) +
          "\" height=\"" + format_coord(f.bottom - f.top) + "\"/>";
  if (s.points.empty()) {
    body += "<text class=\"empty\" x=\"" + format_coord((f.left + f.right) / 2) +
            "\" y=\"" + format_coord((f.top + f.bottom) / 2) +
            "\" text-anchor=\"middle\">no runs yet</text>";
  } else {
    append_y_axis(body, ticks, y, f, s);
    append_x_axis(body, s, x, f);
    append_spread(body, s, x, y);
    append_line(body, s, x, y);
    append_marks(body, s, index_of, x, f);
    append_points(body, s, marked, x, y, f, options.max_hover_points, shown);
  }

  std::string out =
      "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
      std::to_string(options.width) + " " + std::to_string(options.height) +
      "\" data-platform=\"";
  append_html_escaped(out, s.platform);
  out += "\" data-benchmark=\"";
  append_html_escaped(out, s.benchmark);
  out += "\" data-runs=\"" + std::to_string(s.points.size()) + "\" data-hover-points=\"" +
         std::to_string(shown) + "\" role=\"img\" aria-label=\"";
  append_html_escaped(out, s.benchmark + " on " + s.platform);
  out += "\">" + body + "</svg>";
  return out;
}

}  // namespace troupe::bench::detail
