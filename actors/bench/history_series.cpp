// history_platforms, history_json, regressions_json and analyze_run
// (history_read.hpp): history per platform and the steps in its series.
#include <algorithm>
#include <cmath>
#include <map>

#include "actors/bench/artifact.hpp"
#include "actors/bench/bench_store.hpp"
#include "actors/bench/history_read.hpp"
#include "actors/bench/history_rows.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::bench {

using namespace detail;

namespace {

// Runs a detector looks back over: enough for its noise estimate, its
// baseline and a confirmation window, with room to spare.
constexpr std::int64_t series_window = 120;
// A step found again within this many runs of a recorded one of the same
// kind is that step (the detector's split can move by a run when the window
// moves); recording it twice would report one change as two.
constexpr std::ptrdiff_t same_step_runs = 2;

json shas(const std::string& text) {
  json::array_builder a;
  for (auto& s : shas_from_json(text)) a.push_back(s);
  return a.build();
}

json samples(const std::string& text) {
  auto v = json::parse(text);
  return v && v->is_array() ? *v : json::array();
}

}  // namespace

result<std::vector<std::string>> history_platforms(store& db) {
  auto rows =
      db.query_now({"SELECT DISTINCT platform FROM bench_results UNION "
                    "SELECT DISTINCT platform FROM bench_gaps ORDER BY 1",
                    {}});
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (auto& r : *rows) out.push_back(col_text(r, 0));
  return out;
}

result<json> history_json(store& db, const std::string& platform,
                          const detector_options& options) {
  auto runs = history_runs(db, platform, 0);
  if (!runs) return runs.error();
  std::map<std::string, std::vector<double>> values;  // benchmark -> run values
  for (auto& run : runs->items())
    for (auto m : run["results"].members())
      if (!m.value["error"].as_bool() && m.value["value"].is_number())
        values[std::string(m.key)].push_back(m.value["value"].as_double());
  json::object_builder series;
  for (auto& [benchmark, run_values] : values) {
    double noise = series_noise(run_values, options.noise_runs);
    series.set(
        benchmark,
        json::object().set("noise", noise).set("noisy", noise > options.max_noise));
  }
  return json::object()
      .set("version", 2)
      .set("platform", platform)
      .set("runs", std::move(*runs))
      .set("series", series.build());
}

result<json> history_runs(store& db, const std::string& platform, std::uint64_t after) {
  auto from = static_cast<std::int64_t>(after);
  auto runs = db.query_now(
      {"SELECT r.id, r.branch, r.sha, r.reason, r.commit_range, r.skipped_before, "
       "r.created_ms, r.appended_ms, "
       "g.reason, g.detail FROM bench_runs r LEFT JOIN bench_gaps g ON g.run_id = r.id "
       "AND g.platform = ?1 "
       "WHERE r.id > ?2 AND r.state = 'appended' AND (g.run_id IS NOT NULL OR "
       "EXISTS (SELECT 1 FROM bench_results x WHERE x.run_id = r.id AND x.platform = "
       "?1)) ORDER BY r.id",
       {platform, from}});
  if (!runs) return runs.error();
  // "+platform": walk the primary key from `after` on (the newest runs), not
  // the series index, which would read every run of the platform.
  auto results = db.query_now(
      {std::string("SELECT x.run_id, x.benchmark, x.unit, x.n, x.mean, x.median, "
                   "x.stddev, x.min, x.max, x.samples, x.error, x.error_message, ") +
           summary_value_sql +
           " FROM bench_results x WHERE x.run_id > ? AND +x.platform = ? "
           "ORDER BY x.run_id, x.benchmark",
       {from, platform}});
  if (!results) return results.error();
  json::array_builder out;
  std::size_t next = 0;
  for (auto& r : *runs) {
    auto id = col_int(r, 0);
    json::object_builder bench;
    for (; next < results->size() && col_int(results->at(next), 0) <= id; ++next) {
      auto& x = results->at(next);
      if (col_int(x, 0) != id) continue;
      json::object_builder b;
      b.set("n", col_int(x, 3));
      b.set("mean", col_real(x, 4));
      b.set("median", col_real(x, 5));
      b.set("value", col_real(x, 12));  // what analysis and the dashboard use
      b.set("stddev", col_real(x, 6));
      // The result's own noise: its samples' coefficient of variation.
      double mean = col_real(x, 4), stddev = col_real(x, 6);
      b.set("cv", col_int(x, 3) >= 2 && mean != 0 && std::isfinite(mean) &&
                          std::isfinite(stddev)
                      ? json(stddev / std::fabs(mean))
                      : json());
      b.set("min", col_real(x, 7));
      b.set("max", col_real(x, 8));
      b.set("samples", samples(col_text(x, 9)));
      b.set("unit", col_text(x, 2));
      b.set("error", col_int(x, 10) != 0);
      b.set("error_message", col_text(x, 11));
      bench.set(col_text(x, 1), b.build());
    }
    json::object_builder run;
    run.set("run_id", id);
    run.set("branch", col_text(r, 1));
    run.set("commit", col_text(r, 2));
    run.set("reason", col_text(r, 3));
    run.set("commit_range", shas(col_text(r, 4)));
    run.set("skipped_before", shas(col_text(r, 5)));
    run.set("created_ms", col_int(r, 6));
    run.set("appended_ms", col_int(r, 7));
    run.set(
        "gap",
        std::holds_alternative<std::nullptr_t>(r.at(8))
            ? json()
            : json::object().set("reason", col_text(r, 8)).set("detail", col_text(r, 9)));
    run.set("results", bench.build());
    out.push_back(run.build());
  }
  return out.build();
}

result<json> regressions_json(store& db) {
  auto rows =
      db.query_now({"SELECT g.run_id, g.platform, g.benchmark, g.kind, "
                    "g.relative_change, g.p_value, g.baseline, g.candidate, "
                    "g.method, g.detected_ms, r.sha, r.commit_range, r.skipped_before, "
                    "g.noise "
                    "FROM bench_regressions g "
                    "JOIN bench_runs r ON r.id = g.run_id ORDER BY g.detected_ms DESC, "
                    "g.run_id DESC LIMIT 1000",
                    {}});
  if (!rows) return rows.error();
  json::array_builder out;
  for (auto& r : *rows) {
    json::object_builder b;
    b.set("run_id", col_int(r, 0));
    b.set("platform", col_text(r, 1));
    b.set("benchmark", col_text(r, 2));
    b.set("kind", col_text(r, 3));
    b.set("relative_change", col_real(r, 4));
    b.set("p_value", col_real(r, 5));
    b.set("baseline", col_real(r, 6));
    b.set("candidate", col_real(r, 7));
    b.set("method", col_text(r, 8));
    b.set("detected_ms", col_int(r, 9));
    b.set("noise", col_real(r, 13));  // null for steps found before it was recorded
    b.set("commit", col_text(r, 10));
    b.set("commit_range", shas(col_text(r, 11)));
    b.set("skipped_before", shas(col_text(r, 12)));
    out.push_back(b.build());
  }
  return json::object().set("regressions", out.build());
}

result<std::vector<bench_regression>> analyze_run(store& db, std::uint64_t run,
                                                  const detector_options& options) {
  auto key = static_cast<std::int64_t>(run);
  auto pairs = db.query_now(
      {"SELECT DISTINCT platform, benchmark, unit FROM bench_results WHERE run_id = ?",
       {key}});
  if (!pairs) return pairs.error();
  std::vector<bench_regression> found;
  for (auto& p : *pairs) {
    auto platform = col_text(p, 0), benchmark = col_text(p, 1);
    auto rows = db.query_now({std::string("SELECT x.run_id, ") + summary_value_sql +
                                  ", x.samples, r.sha, r.commit_range, r.skipped_before "
                                  "FROM bench_results x "
                                  "JOIN bench_runs r ON r.id = x.run_id WHERE x.platform "
                                  "= ? AND x.benchmark = "
                                  "? AND x.run_id <= ? AND x.error = 0 AND " +
                                  summary_value_sql +
                                  " IS NOT NULL ORDER BY x.run_id DESC LIMIT ?",
                              {platform, benchmark, key, series_window}});
    if (!rows) return rows.error();
    std::reverse(rows->begin(), rows->end());
    std::vector<run_point> series;
    for (auto& r : *rows) {
      run_point point;
      point.value = col_real(r, 1);
      auto raw =
          samples(col_text(r, 2));  // named: a range-for over a temporary's items dangles
      for (auto& s : raw.items())
        if (s.is_number()) point.samples.push_back(s.as_double());
      series.push_back(std::move(point));
    }
    auto opts = options;
    opts.higher_is_better = unit_higher_is_better(col_text(p, 2));
    for (auto& step : find_steps(series, opts)) {
      if (!step.confirmed || step.evidence.kind == verdict::noise) continue;
      auto& at = rows->at(step.index);
      auto step_run = col_int(at, 0);
      // Known already: the same step, found by an earlier analysis at this
      // run or, over a window that has since moved on, at a neighbouring one.
      auto kind = step.evidence.kind == verdict::regression
                      ? bench_step_kind::regression
                      : bench_step_kind::improvement;
      auto near = [&](std::ptrdiff_t by) {
        auto i =
            std::clamp<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(step.index) + by, 0,
                                       static_cast<std::ptrdiff_t>(rows->size()) - 1);
        return col_int(rows->at(static_cast<std::size_t>(i)), 0);
      };
      auto known = db.query_now(
          {"SELECT 1 FROM bench_regressions WHERE platform = ? AND benchmark = ? AND "
           "((run_id BETWEEN ? AND ? AND kind = ?) OR run_id = ?)",
           {platform, benchmark, near(-same_step_runs), near(same_step_runs),
            std::string(to_string(kind)), step_run}});
      if (!known) return known.error();
      if (!known->empty()) continue;
      bench_regression g;
      g.run_id = static_cast<std::uint64_t>(step_run);
      g.platform = platform;
      g.benchmark = benchmark;
      g.kind = kind;
      g.relative_change = step.evidence.relative_change;
      g.p_value = step.evidence.p_value;
      g.baseline = step.evidence.baseline;
      g.candidate = step.evidence.candidate;
      g.method = std::string(test_method_name(step.evidence.method));
      g.noise = step.evidence.noise;
      g.sha = col_text(at, 3);
      g.commit_range = shas_from_json(col_text(at, 4));
      g.skipped_before = shas_from_json(col_text(at, 5));
      auto saved = db.query_now(
          {"INSERT OR IGNORE INTO bench_regressions(run_id, platform, benchmark, kind, "
           "relative_change, p_value, "
           "baseline, candidate, method, noise, detected_ms) VALUES (?, ?, ?, ?, ?, ?, "
           "?, "
           "?, ?, ?, CAST(strftime('%s','now') AS INTEGER) * 1000)",
           {step_run, platform, benchmark, std::string(to_string(g.kind)),
            g.relative_change, g.p_value, g.baseline, g.candidate, g.method, g.noise}});
      if (!saved) return saved.error();
      found.push_back(std::move(g));
    }
  }
  return found;
}

}  // namespace troupe::bench
