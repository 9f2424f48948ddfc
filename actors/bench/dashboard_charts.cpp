// The charts section of the dashboard (dashboard_sections.hpp): per platform,
// one figure per benchmark with its SVG chart and its detected steps.
#include <algorithm>

#include "actors/bench/dashboard_format.hpp"
#include "actors/bench/dashboard_sections.hpp"
#include "actors/bench/dashboard_svg.hpp"

namespace troupe::bench::detail {

namespace {

// Platform names in display order: configured ones first, then the others
// that have series, each once.
std::vector<std::string> platform_order(const dashboard_data& data) {
  std::vector<std::string> order;
  auto add = [&](const std::string& name) {
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  };
  for (const auto& p : data.platforms) add(p.name);
  for (const auto& s : data.series) add(s.platform);
  return order;
}

void append_caption(std::string& out, const dashboard_series& s) {
  std::size_t failed = static_cast<std::size_t>(
      std::count_if(s.points.begin(), s.points.end(),
                    [](const dashboard_point& p) { return p.error; }));
  out += "<figcaption><span class=\"benchmark\">";
  append_html_escaped(out, s.benchmark);
  out += "</span>";
  auto latest = std::find_if(s.points.rbegin(), s.points.rend(),
                             [](const dashboard_point& p) { return !p.error; });
  if (latest != s.points.rend()) {
    out += " <span class=\"latest\">latest ";
    append_html_escaped(out, format_value(latest->value) + " " + s.unit);
    out += " at run #" + std::to_string(latest->run_id) + "</span>";
  }
  if (s.points.size() >= 3) {
    out += s.noisy ? " <span class=\"noise noisy\" title=\"noisier than max-noise: "
                     "only large steps are told from it\">noisy: "
                   : " <span class=\"noise\">noise ";
    out += format_fixed(s.noise * 100, 1) + "%</span>";
  }
  out += " <span class=\"runs\">" + std::to_string(s.points.size()) +
         (s.points.size() == 1 ? " run" : " runs");
  if (failed > 0)
    out += ", <span class=\"failed\">" + std::to_string(failed) + " failed</span>";
  out += "</span></figcaption>";
}

void append_steps(std::string& out, const dashboard_series& s) {
  if (s.marks.empty()) return;
  out += "<ul class=\"steps\">";
  for (const auto& m : s.marks) {
    bool charted =
        std::any_of(s.points.begin(), s.points.end(),
                    [&](const dashboard_point& p) { return p.run_id == m.run_id; });
    out += "<li class=\"step ";
    append_html_escaped(out, m.kind);
    out += "\"><strong>";
    append_html_escaped(out, m.kind);
    out += " " + format_change(m.relative_change) + "</strong> at run #" +
           std::to_string(m.run_id) + (charted ? "" : " (not in this chart)") +
           "; culprit search starts from ";
    if (m.commit_range.empty()) {
      out += "no commits";
    } else {
      out += std::to_string(m.commit_range.size()) +
             (m.commit_range.size() == 1 ? " commit: " : " commits: ");
      out += "<span class=\"sha\" title=\"";
      append_html_escaped(out, m.commit_range.front());
      out += "\">";
      append_html_escaped(out, short_sha(m.commit_range.front()));
      out += "</span>";
      if (m.commit_range.size() > 1) {
        out += "..<span class=\"sha\" title=\"";
        append_html_escaped(out, m.commit_range.back());
        out += "\">";
        append_html_escaped(out, short_sha(m.commit_range.back()));
        out += "</span>";
      }
    }
    out += "</li>";
  }
  out += "</ul>";
}

}  // namespace

void append_charts(std::string& out, const dashboard_data& data) {
  out += "<section id=\"charts\"><h2>Benchmarks</h2>";
  if (data.series.empty()) out += "<p class=\"none\">no benchmark results yet</p>";
  std::size_t figure = 0;
  for (const auto& platform : platform_order(data)) {
    bool any =
        std::any_of(data.series.begin(), data.series.end(),
                    [&](const dashboard_series& s) { return s.platform == platform; });
    if (!any) continue;
    out += "<section class=\"platform-charts\" data-platform=\"";
    append_html_escaped(out, platform);
    out += "\"><h3>";
    append_html_escaped(out, platform);
    out += "</h3>";
    for (const auto& s : data.series) {
      if (s.platform != platform) continue;
      out += "<figure class=\"series\" id=\"series-" + std::to_string(++figure) + "\">";
      append_caption(out, s);
      out += render_chart(s);
      append_steps(out, s);
      out += "</figure>";
    }
    out += "</section>";
  }
  out += "</section>";
}

}  // namespace troupe::bench::detail
