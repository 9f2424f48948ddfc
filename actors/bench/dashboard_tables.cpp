// The table sections of the dashboard (dashboard_sections.hpp): platforms,
// gaps and skipped commits.
#include <algorithm>
#include <cmath>

#include "actors/bench/dashboard_format.hpp"
#include "actors/bench/dashboard_sections.hpp"

namespace troupe::bench::detail {

namespace {

void cell(std::string& out, const std::string& text, const char* cls = nullptr) {
  out += cls == nullptr ? std::string("<td>") : std::string("<td class=\"") + cls + "\">";
  append_html_escaped(out, text);
  out += "</td>";
}

void time_cell(std::string& out, std::int64_t unix_seconds, const char* none) {
  if (unix_seconds == 0) return cell(out, none);
  out += "<td><time datetime=\"" + format_iso_utc(unix_seconds) + "\">" +
         format_utc(unix_seconds) + "</time></td>";
}

// "<p class="more">12 earlier rows not shown</p>" when `total` exceeds the cap;
// returns the index of the first row to show.
std::size_t first_shown(std::string& out, std::size_t total, const char* what) {
  if (total <= max_table_rows) return 0;
  std::size_t hidden = total - max_table_rows;
  out += "<p class=\"more\">" + std::to_string(hidden) + " earlier " + what +
         " not shown (the newest " + std::to_string(max_table_rows) + " are).</p>";
  return hidden;
}

std::string run_or_dash(std::uint64_t run) {
  return run == 0 ? std::string("\u2014") : "#" + std::to_string(run);
}

}  // namespace

void append_compares(std::string& out, const dashboard_data& data) {
  out += "<section id=\"compares\"><h2>Comparisons</h2>";
  if (data.compares.empty()) {
    out +=
        "<p class=\"none\">none yet: <code>troupe bench compare --base A --head "
        "B</code></p></section>";
    return;
  }
  for (const auto& c : data.compares) {
    out +=
        "<table class=\"compare\" data-id=\"" + std::to_string(c.id) + "\" data-state=\"";
    append_html_escaped(out, c.state);
    out += "\"><caption>#" + std::to_string(c.id) + " ";
    append_html_escaped(out, short_sha(c.head));
    out += " against ";
    append_html_escaped(out, short_sha(c.base));
    out += ", " + std::to_string(c.rounds) + " rounds: ";
    append_html_escaped(out, c.state);
    for (auto& m : c.missing) {
      out += " (missing ";
      append_html_escaped(out, m);
      out += ")";
    }
    out +=
        "</caption><thead><tr><th>platform</th><th>benchmark</th><th>base</th><th>head</"
        "th><th>change</th>"
        "<th>99% interval</th><th>noise</th><th>verdict</th></tr></thead><tbody>";
    for (const auto& r : c.rows) {
      auto verdict = r.significant ? r.verdict : std::string("same");
      out += "<tr class=\"compare-row\" data-verdict=\"" + verdict + "\">";
      cell(out, r.platform);
      cell(out, r.benchmark);
      cell(out, format_value(r.base) + " " + r.unit, "number");
      cell(out, format_value(r.head) + " " + r.unit, "number");
      cell(out, format_change(r.change), "number");
      cell(out, std::isfinite(r.low)
                    ? format_change(r.low) + " .. " + format_change(r.high)
                    : std::string("\u2014"));
      cell(out, format_fixed(r.noise * 100, 1) + "%", "number");
      cell(out, verdict, verdict.c_str());
      out += "</tr>";
    }
    out += "</tbody></table>";
  }
  out += "</section>";
}

void append_platforms(std::string& out, const dashboard_data& data) {
  out += "<section id=\"platforms\"><h2>Platforms</h2>";
  if (data.platforms.empty()) {
    out += "<p class=\"none\">no platform configured</p></section>";
    return;
  }
  out +=
      "<table><thead><tr><th>platform</th><th>state</th><th>current run</th>"
      "<th>host</th><th>last seen</th><th>waited for host</th></tr></thead><tbody>";
  for (const auto& p : data.platforms) {
    out += "<tr class=\"platform\" data-platform=\"";
    append_html_escaped(out, p.name);
    out += "\" data-state=\"";
    append_html_escaped(out, p.state);
    out += "\">";
    cell(out, p.name, "name");
    out += "<td><span class=\"state state-";
    append_html_escaped(out, p.state);
    out += "\">";
    append_html_escaped(out, p.state.empty()                 ? std::string("unknown")
                             : p.state == "waiting_for_host" ? "waiting for host"
                                                             : p.state);
    out += "</span></td>";
    cell(out, run_or_dash(p.current_run));
    cell(out, p.host.empty() ? std::string("\u2014") : p.host);
    time_cell(out, p.last_seen, "never");
    cell(out, format_duration_ms(p.host_wait_ms), "host-wait");
    out += "</tr>";
  }
  out += "</tbody></table></section>";
}

void append_gaps(std::string& out, const dashboard_data& data) {
  out += "<section id=\"gaps\"><h2>Gaps <span class=\"count\">" +
         std::to_string(data.gaps.size()) + "</span></h2>";
  if (data.gaps.empty()) {
    out += "<p class=\"none\">none: every run has every platform's results</p></section>";
    return;
  }
  out += "<p>Runs appended without some platform's results.</p>";
  std::size_t from = first_shown(out, data.gaps.size(), "gaps");
  out +=
      "<table><thead><tr><th>run</th><th>platform missing</th><th>reason</th></tr>"
      "</thead><tbody>";
  for (std::size_t i = from; i < data.gaps.size(); ++i) {
    const auto& g = data.gaps[i];
    out += "<tr class=\"gap\">";
    cell(out, run_or_dash(g.run_id));
    cell(out, g.platform);
    cell(out, g.reason);
    out += "</tr>";
  }
  out += "</tbody></table></section>";
}

void append_skipped(std::string& out, const dashboard_data& data) {
  out += "<section id=\"skipped\"><h2>Skipped commits <span class=\"count\">" +
         std::to_string(data.skipped.size()) + "</span></h2>";
  if (data.skipped.empty()) {
    out += "<p class=\"none\">none</p></section>";
    return;
  }
  std::size_t from = first_shown(out, data.skipped.size(), "skipped commits");
  out +=
      "<table><thead><tr><th>commit</th><th>branch</th><th>reason</th>"
      "<th>queue depth</th><th>when</th><th>superseded by</th></tr></thead><tbody>";
  for (std::size_t i = from; i < data.skipped.size(); ++i) {
    const auto& s = data.skipped[i];
    out += "<tr class=\"skip\"><td class=\"sha\" title=\"";
    append_html_escaped(out, s.sha);
    out += "\">";
    append_html_escaped(out, short_sha(s.sha));
    out += "</td>";
    cell(out, s.branch);
    cell(out, s.reason);
    cell(out, std::to_string(s.queue_depth), "number");
    time_cell(out, s.at, "\u2014");
    cell(out, run_or_dash(s.superseded_by));
    out += "</tr>";
  }
  out += "</tbody></table></section>";
}

}  // namespace troupe::bench::detail
