// dashboard_sections: the parts of the dashboard page, each appended to the
// page as one <section> with a stable id (coverage, platforms, charts, gaps,
// skipped) so that tests and scripts can find them. render_dashboard
// (dashboard_render.cpp) puts them in order inside the document.
#pragma once

#include <cstddef>
#include <string>

#include "actors/bench/dashboard_model.hpp"

namespace troupe::bench::detail {

// Long tables show their last `max_table_rows` rows and say how many more
// there are, so a busy day cannot make the page unreadably large.
constexpr std::size_t max_table_rows = 1000;

// True percentages over commits seen, with the numbers in elements whose ids
// are coverage-seen, coverage-benchmarked(-percent), coverage-covered(-percent),
// coverage-skipped, coverage-pending and queue-depth. No commit seen: a
// "no commits yet" line (id coverage-empty) and no percentage at all.
void append_coverage(std::string& out, const dashboard_data& data);

// One row per platform (class "platform", data-platform, data-state).
void append_platforms(std::string& out, const dashboard_data& data);

// Per platform (those of data.platforms first, in order, then any other that
// has series) a heading and one figure per series: its chart, its latest
// value and the list of its detected steps with their commit ranges.
void append_charts(std::string& out, const dashboard_data& data);

// Runs appended without some platform's results (rows of class "gap").
void append_gaps(std::string& out, const dashboard_data& data);

// Skipped commits with reason and queue depth (rows of class "skip").
void append_skipped(std::string& out, const dashboard_data& data);

// A/B comparisons, newest first: one table each (class "compare", data-id,
// data-state), a row per platform and benchmark (class "compare-row",
// data-verdict: regression | improvement | same).
void append_compares(std::string& out, const dashboard_data& data);

}  // namespace troupe::bench::detail
