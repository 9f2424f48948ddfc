// TEMPORARY render_dashboard: a plain HTML table so the bench backend links
// and its tests run. The real renderer (charts, coverage, gaps) replaces this
// file when the dashboard branch is merged.
#include <cmath>
#include <string>

#include "actors/bench/dashboard_model.hpp"

namespace troupe::bench {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::string render_dashboard(const dashboard_data& d) {
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(d.title) +
                  "</title></head><body>\n<h1>" + escape(d.title) + "</h1>\n";
  h += "<p>commits seen " + std::to_string(d.commits_seen) + ", benchmarked " +
       std::to_string(d.commits_benchmarked) + ", covered " + std::to_string(d.commits_covered) +
       ", skipped " + std::to_string(d.commits_skipped) + ", pending " +
       std::to_string(d.commits_pending) + "; queue depth " + std::to_string(d.queue_depth) + "</p>\n";
  h += "<table id=\"platforms\"><tr><th>platform</th><th>state</th><th>run</th><th>host</th></tr>\n";
  for (const auto& p : d.platforms)
    h += "<tr><td>" + escape(p.name) + "</td><td>" + escape(p.state) + "</td><td>" +
         std::to_string(p.current_run) + "</td><td>" + escape(p.host) + "</td></tr>\n";
  h += "</table>\n";
  for (const auto& s : d.series) {
    h += "<h2>" + escape(s.platform) + " / " + escape(s.benchmark) + " (" + escape(s.unit) + ")</h2>\n";
    h += "<table class=\"series\"><tr><th>run</th><th>commit</th><th>median</th><th>min</th><th>max</th></tr>\n";
    for (const auto& p : s.points)
      h += "<tr><td>" + std::to_string(p.run_id) + "</td><td>" + escape(p.sha) + "</td><td>" +
           number(p.value) + "</td><td>" + number(p.min) + "</td><td>" + number(p.max) + "</td></tr>\n";
    h += "</table>\n";
    for (const auto& m : s.marks)
      h += "<p class=\"mark\">" + escape(m.kind) + " at run " + std::to_string(m.run_id) + " (" +
           number(m.relative_change * 100) + "%)</p>\n";
  }
  h += "<h2>skipped</h2><ul>\n";
  for (const auto& s : d.skipped)
    h += "<li>" + escape(s.sha) + " " + escape(s.branch) + " " + escape(s.reason) + "</li>\n";
  h += "</ul><h2>gaps</h2><ul>\n";
  for (const auto& g : d.gaps)
    h += "<li>run " + std::to_string(g.run_id) + " " + escape(g.platform) + " " + escape(g.reason) + "</li>\n";
  return h + "</ul></body></html>\n";
}

}  // namespace troupe::bench
