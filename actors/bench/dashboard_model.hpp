// dashboard_model: everything the bench dashboard shows, as plain data. The
// bench subsystem fills it from the store; render_dashboard turns it into one
// self-contained HTML page (no network needed to view it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace troupe::bench {

struct dashboard_point {
  std::uint64_t run_id = 0;
  std::string sha;
  std::vector<std::string> commit_range;    // oldest first, ends with sha
  std::vector<std::string> skipped_before;  // sampled-out commits before the range
  std::string reason;                       // push | scheduled | manual | tagged
  std::int64_t time = 0;                    // unix seconds the run was appended
  double value = 0;                         // median
  double min = 0, max = 0, stddev = 0;      // spread (min/max NaN when unknown)
  std::size_t n = 0;
  bool error = false;
  std::string error_message;
};

struct dashboard_mark {  // a detected step
  std::uint64_t run_id = 0;
  std::string kind;  // regression | improvement
  double relative_change = 0;
  std::vector<std::string> commit_range;  // where the culprit search starts
};

struct dashboard_series {
  std::string platform;
  std::string benchmark;
  std::string unit;
  bool higher_is_better = false;
  std::vector<dashboard_point> points;  // oldest first
  std::vector<dashboard_mark> marks;
  double noise = 0;    // run-to-run noise of the recent runs (series_noise)
  bool noisy = false;  // above max-noise: flagged
};

struct dashboard_platform {
  std::string name;
  std::string state;              // idle | running | waiting_for_host | down
  std::uint64_t current_run = 0;  // 0 when idle
  std::string host;
  std::int64_t last_seen = 0;     // unix seconds
  std::int64_t host_wait_ms = 0;  // time spent waiting for its host in all
};

struct dashboard_skip {
  std::string sha, branch, reason;
  std::size_t queue_depth = 0;
  std::int64_t at = 0;
  std::uint64_t superseded_by = 0;
};

struct dashboard_gap {  // a run appended without some platform's results
  std::uint64_t run_id = 0;
  std::string platform;
  std::string reason;  // deadline | failed | ...
};

struct dashboard_compare_row {  // one benchmark of an A/B comparison
  std::string platform, benchmark, unit;
  double base = 0, head = 0;
  double change = 0, low = 0,
         high = 0;   // low/high: the 99% interval (NaN below 2 rounds)
  double noise = 0;  // CV of the base rounds
  bool significant = false;
  std::string verdict;  // regression | improvement | noise
};

struct dashboard_compare {
  std::uint64_t id = 0;
  std::string base, head, state;  // queued | done
  std::int64_t created = 0;       // unix seconds
  std::uint32_t rounds = 0;
  std::vector<dashboard_compare_row> rows;
  std::vector<std::string> missing;  // platforms that never reported
};

struct dashboard_data {
  std::string title = "troupe bench";
  std::int64_t generated_at = 0;  // unix seconds
  std::size_t commits_seen = 0, commits_benchmarked = 0, commits_covered = 0,
              commits_skipped = 0, commits_pending = 0;
  std::size_t queue_depth = 0;
  std::vector<dashboard_platform> platforms;
  std::vector<dashboard_series> series;
  std::vector<dashboard_skip> skipped;
  std::vector<dashboard_gap> gaps;
  std::vector<dashboard_compare> compares;  // newest first
};

// One complete HTML document showing `data`.
std::string render_dashboard(const dashboard_data& data);

}  // namespace troupe::bench
