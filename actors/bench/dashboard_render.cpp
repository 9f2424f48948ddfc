// render_dashboard (dashboard_model.hpp): the page shell, its stylesheet and
// the coverage section; the other sections are in dashboard_tables.cpp and
// dashboard_charts.cpp. The page has no script and loads nothing: charts are
// inline SVG, tooltips are SVG <title>s, so it works from file:// offline.
#include <algorithm>

#include "actors/bench/dashboard_format.hpp"
#include "actors/bench/dashboard_model.hpp"
#include "actors/bench/dashboard_sections.hpp"

namespace troupe::bench {

namespace {

constexpr const char* stylesheet = R"css(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;
 max-width:1100px;padding:0 16px 32px;color:#1d2330;background:#fff}
header{border-bottom:1px solid #d8dde6;margin-bottom:8px}
h1{margin:16px 0 4px;font-size:22px}h2{font-size:18px;margin:24px 0 8px}
h3{font-size:16px;margin:16px 0 4px}
.count{font-weight:normal;color:#5b6475}.none,.more{color:#5b6475}
.numbers{display:flex;flex-wrap:wrap;gap:8px 24px;margin:0}
.numbers div{min-width:120px}.numbers dt{color:#5b6475;font-size:12px}
.numbers dd{margin:0;font-size:20px;font-weight:600}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:#eef1f5;
 margin:8px 0;max-width:600px}
.bar .covered{background:#2f9e57}.bar .skipped{background:#e0a030}
.bar .pending{background:#9aa6b8}
table{border-collapse:collapse;font-size:13px}th,td{padding:3px 10px;text-align:left;
 border-bottom:1px solid #e6e9ef}th{color:#5b6475;font-weight:600}
td.number{text-align:right}.sha{font-family:ui-monospace,monospace}
.state{padding:1px 6px;border-radius:8px;background:#eef1f5}
.state-idle{background:#e3f4e8}.state-running{background:#e2ecfb}
.state-down{background:#fbe3e3;color:#a11}
figure.series{margin:8px 0 20px}figcaption{margin-bottom:2px}
figcaption .benchmark{font-weight:600;font-family:ui-monospace,monospace}
figcaption .latest,figcaption .runs{color:#5b6475;margin-left:12px}
.failed{color:#c62828}
figcaption .noise{color:#5b6475;margin-left:12px}
figcaption .noisy{color:#b26a00;font-weight:600}
svg.chart{width:100%;height:auto;display:block;font-size:11px}
svg.chart text{fill:#5b6475}svg.chart .unit{font-weight:600}
svg.chart .frame{fill:#fbfcfe;stroke:#d8dde6}
svg.chart .grid{stroke:#e6e9ef}svg.chart .x-axis line{stroke:#9aa6b8}
svg.chart .band{fill:#3b7dd8;fill-opacity:.18;stroke:none}
svg.chart .whisker{stroke:#3b7dd8;stroke-opacity:.5;stroke-width:2}
svg.chart .line{fill:none;stroke:#3b7dd8;stroke-width:1.5}
svg.chart circle.point{fill:#3b7dd8;stroke:#fff;stroke-width:1}
svg.chart circle.point:hover{r:6;fill:#1d4f9c}
svg.chart .point.failed{stroke:#c62828;stroke-width:2.5;fill:none}
svg.chart .mark line{stroke-width:2;stroke-dasharray:5 3}
svg.chart .mark.regression line{stroke:#c62828}svg.chart .mark.regression path{fill:#c62828}
svg.chart .mark.improvement line{stroke:#2f9e57}
svg.chart .mark.improvement path{fill:#2f9e57}
svg.chart .mark.step line{stroke:#8a5cc2}svg.chart .mark.step path{fill:#8a5cc2}
.steps{margin:4px 0;padding-left:20px}.step.regression strong{color:#c62828}
.step.improvement strong{color:#2f9e57}
table.compare{margin-bottom:12px}table.compare caption{text-align:left;font-weight:600;padding:4px 0}
td.regression{color:#c62828;font-weight:600}td.improvement{color:#2f9e57;font-weight:600}
)css";

void number(std::string& out, const char* label, const char* id, const std::string& value,
            const std::string& extra = {}) {
  out += std::string("<div><dt>") + label + "</dt><dd><span id=\"" + id + "\">" + value +
         "</span>" + extra + "</dd></div>";
}

// `count` as a share of `total` for a bar segment's width, in [0, 100].
std::string share(std::size_t count, std::size_t total) {
  double percent = 100.0 * static_cast<double>(count) / static_cast<double>(total);
  return detail::format_fixed(std::clamp(percent, 0.0, 100.0), 2);
}

}  // namespace

namespace detail {

void append_coverage(std::string& out, const dashboard_data& d) {
  out += "<section id=\"coverage\"><h2>Coverage</h2>";
  std::size_t seen = d.commits_seen;
  if (seen == 0) out += "<p id=\"coverage-empty\" class=\"none\">no commits yet</p>";
  auto percent = [&](std::size_t count, const char* id) {
    if (seen == 0) return std::string();
    return " <small>(<span id=\"" + std::string(id) + "\">" +
           format_percent(count, seen) + "</span>%)</small>";
  };
  out += "<dl class=\"numbers\">";
  number(out, "commits seen", "coverage-seen", std::to_string(seen));
  number(out, "benchmarked", "coverage-benchmarked",
         std::to_string(d.commits_benchmarked),
         percent(d.commits_benchmarked, "coverage-benchmarked-percent"));
  number(out, "covered by a run's range", "coverage-covered",
         std::to_string(d.commits_covered),
         percent(d.commits_covered, "coverage-covered-percent"));
  number(out, "skipped", "coverage-skipped", std::to_string(d.commits_skipped),
         percent(d.commits_skipped, "coverage-skipped-percent"));
  number(out, "pending", "coverage-pending", std::to_string(d.commits_pending),
         percent(d.commits_pending, "coverage-pending-percent"));
  number(out, "queue depth", "queue-depth", std::to_string(d.queue_depth));
  out += "</dl>";
  if (seen > 0) {
    out +=
        "<div class=\"bar\" title=\"covered, skipped, pending\"><span class=\"covered\" "
        "style=\"width:" +
        share(d.commits_covered, seen) +
        "%\"></span>"
        "<span class=\"skipped\" style=\"width:" +
        share(d.commits_skipped, seen) +
        "%\"></span><span class=\"pending\" style=\"width:" +
        share(d.commits_pending, seen) + "%\"></span></div>";
  }
  out +=
      "<p class=\"none\">Benchmarked: commits a run measured. Covered: commits in some "
      "run's range, so a regression they caused is found within that range.</p>";
  out += "</section>";
}

}  // namespace detail

std::string render_dashboard(const dashboard_data& data) {
  std::string out;
  out.reserve(64 * 1024);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>";
  detail::append_html_escaped(out, data.title);
  out += "</title><style>";
  out += stylesheet;
  out += "</style></head>\n<body><header><h1>";
  detail::append_html_escaped(out, data.title);
  out += "</h1><p>generated <time id=\"generated-at\" datetime=\"" +
         detail::format_iso_utc(data.generated_at) + "\">" +
         detail::format_utc(data.generated_at) + "</time></p></header>\n";
  detail::append_coverage(out, data);
  out += "\n";
  detail::append_platforms(out, data);
  out += "\n";
  detail::append_charts(out, data);
  out += "\n";
  detail::append_gaps(out, data);
  out += "\n";
  detail::append_skipped(out, data);
  out += "\n";
  detail::append_compares(out, data);
  out += "\n</body></html>\n";
  return out;
}

}  // namespace troupe::bench
