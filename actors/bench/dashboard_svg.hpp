// dashboard_svg: one benchmark's history on one platform as a server-rendered
// SVG time-series chart, inline in the dashboard page (no script, no
// external resource). x is the run order (ticks labelled with run ids), y the
// median with nice ticks and the unit; a band (or a whisker for an isolated
// run) shows the spread: min..max where both are known, median +- stddev
// otherwise. Failed runs are red crosses on the x axis; detected steps are
// vertical lines, red for a regression and green for an improvement.
//
// Each drawn run is a hover target whose <title> tooltip names the run, the
// commit, its range, the value with unit, the spread and n. A long history
// keeps its size bounded: the line and band go through every run, but past
// `max_hover_points` runs only every k-th run (and every failed, marked and
// the last run) gets a hover target.
//
// Markup hooks (tests and the browser check rely on them): the <svg> has
// class "chart", data-platform, data-benchmark, data-runs (points in the
// series) and data-hover-points; hover targets have class "point" ("point
// failed" for failed runs); marks have class "mark regression" or "mark
// improvement" ("mark step" for any other kind).
#pragma once

#include <cstddef>
#include <string>

#include "actors/bench/dashboard_model.hpp"

namespace troupe::bench::detail {

struct chart_options {
  int width = 960;  // SVG user units; the page scales the chart to its column
  int height = 300;
  std::size_t max_hover_points = 500;
};

// The <svg> element for `series`; every name in it is HTML-escaped and every
// coordinate finite. An empty series gives an empty frame saying "no runs".
std::string render_chart(const dashboard_series& series,
                         const chart_options& options = {});

// The tooltip text of one run (not escaped; lines separated by '\n'), e.g.
//   run 42 · 0123abcd (push)
//   3 commits: aaaa1111..0123abcd
//   median 12.35 ns
//   spread 11.9 .. 12.8 ns, stddev 0.21 ns
//   n = 10 · 2024-05-01 12:00:00 UTC
std::string point_tooltip(const dashboard_point& point, const std::string& unit);

// The tooltip of a detected step: "regression +12.3% at run 42\n3 commits: ...".
std::string mark_tooltip(const dashboard_mark& mark);

}  // namespace troupe::bench::detail
