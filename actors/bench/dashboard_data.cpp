// load_dashboard (history_read.hpp): the dashboard's data from the store,
// with the scheduler's live state when there is one.
#include <cmath>
#include <ctime>
#include <map>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/history_read.hpp"
#include "actors/bench/history_rows.hpp"
#include "actors/bench/results.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::bench {

using namespace detail;

namespace {

// At most this many skipped commits and gaps are listed (newest first).
constexpr std::int64_t list_limit = 500;

status counts(store& db, dashboard_data& d) {
  auto rows =
      db.query_now({"SELECT state, COUNT(*) FROM bench_commits GROUP BY state", {}});
  if (!rows) return rows.error();
  for (auto& r : *rows) {
    auto n = static_cast<std::size_t>(col_int(r, 1));
    d.commits_seen += n;
    auto state = col_text(r, 0);
    if (state == "covered") d.commits_covered = n;
    if (state == "skipped") d.commits_skipped = n;
    if (state == "pending") d.commits_pending = n;
  }
  auto runs = db.query_now(
      {"SELECT (SELECT COUNT(DISTINCT sha) FROM bench_runs WHERE state != 'dropped'), "
       "(SELECT COUNT(*) FROM bench_runs WHERE state = 'queued')",
       {}});
  if (!runs) return runs.error();
  d.commits_benchmarked = static_cast<std::size_t>(col_int(runs->at(0), 0));
  d.queue_depth = static_cast<std::size_t>(col_int(runs->at(0), 1));
  return status::ok();
}

status series(store& db, dashboard_data& d) {
  auto rows = db.query_now(
      {std::string("SELECT x.platform, x.benchmark, x.unit, x.run_id, r.sha, "
                   "r.commit_range, r.skipped_before, r.reason, r.appended_ms, ") +
           summary_value_sql +
           ", x.min, x.max, x.stddev, x.n, x.error, x.error_message "
           "FROM bench_results x "
           "JOIN bench_runs r ON r.id = x.run_id ORDER BY x.platform, x.benchmark, "
           "x.run_id",
       {}});
  if (!rows) return rows.error();
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (auto& r : *rows) {
    auto key = std::make_pair(col_text(r, 0), col_text(r, 1));
    auto i = index.find(key);
    if (i == index.end()) {
      dashboard_series s;
      s.platform = key.first;
      s.benchmark = key.second;
      s.unit = col_text(r, 2);
      s.higher_is_better = unit_higher_is_better(s.unit);
      i = index.emplace(key, d.series.size()).first;
      d.series.push_back(std::move(s));
    }
    dashboard_point p;
    p.run_id = static_cast<std::uint64_t>(col_int(r, 3));
    p.sha = col_text(r, 4);
    p.commit_range = shas_from_json(col_text(r, 5));
    p.skipped_before = shas_from_json(col_text(r, 6));
    p.reason = col_text(r, 7);
    p.time = col_int(r, 8) / 1000;
    p.value = col_real(r, 9);
    p.min = col_real(r, 10);
    p.max = col_real(r, 11);
    p.stddev = col_real(r, 12);
    p.n = static_cast<std::size_t>(col_int(r, 13));
    p.error = col_int(r, 14) != 0;
    p.error_message = col_text(r, 15);
    d.series[i->second].points.push_back(std::move(p));
  }
  auto marks = db.query_now(
      {"SELECT g.platform, g.benchmark, g.run_id, g.kind, g.relative_change, "
       "r.commit_range "
       "FROM bench_regressions g JOIN bench_runs r ON r.id = g.run_id ORDER BY g.run_id",
       {}});
  if (!marks) return marks.error();
  for (auto& r : *marks) {
    auto i = index.find({col_text(r, 0), col_text(r, 1)});
    if (i == index.end()) continue;
    d.series[i->second].marks.push_back({static_cast<std::uint64_t>(col_int(r, 2)),
                                         col_text(r, 3), col_real(r, 4),
                                         shas_from_json(col_text(r, 5))});
  }
  return status::ok();
}

// The newest A/B comparisons.
status comparisons(store& db, dashboard_data& d) {
  auto doc = compares_json(db, 20);
  if (!doc) return doc.error();
  auto number = [](const json& v) {
    return v.is_number() ? v.as_double() : std::nan("");
  };
  for (auto& c : (*doc)["compares"].items()) {
    dashboard_compare out;
    out.id = static_cast<std::uint64_t>(c["id"].as_int());
    out.base = std::string(c["base"].as_string());
    out.head = std::string(c["head"].as_string());
    out.state = std::string(c["state"].as_string());
    out.created = c["created_ms"].as_int() / 1000;
    out.rounds = static_cast<std::uint32_t>(c["rounds"].as_int());
    auto& result = c["result"];
    for (auto& m : result["missing"].items()) out.missing.emplace_back(m.as_string());
    for (auto p : result["platforms"].members())
      for (auto b : p.value["benchmarks"].members())
        out.rows.push_back({std::string(p.key), std::string(b.key),
                            std::string(b.value["unit"].as_string()),
                            number(b.value["base"]), number(b.value["head"]),
                            number(b.value["change"]), number(b.value["low"]),
                            number(b.value["high"]), number(b.value["noise"]),
                            b.value["significant"].as_bool(),
                            std::string(b.value["verdict"].as_string())});
    d.compares.push_back(std::move(out));
  }
  return status::ok();
}

status lists(store& db, dashboard_data& d) {
  auto skipped = db.query_now(
      {"SELECT sha, branch, reason, queue_depth, at_ms, superseded_by FROM bench_skipped "
       "ORDER BY rowid DESC LIMIT ?",
       {list_limit}});
  if (!skipped) return skipped.error();
  for (auto& r : *skipped)
    d.skipped.push_back({col_text(r, 0), col_text(r, 1), col_text(r, 2),
                         static_cast<std::size_t>(col_int(r, 3)), col_int(r, 4) / 1000,
                         static_cast<std::uint64_t>(col_int(r, 5))});
  auto gaps =
      db.query_now({"SELECT run_id, platform, reason FROM bench_gaps ORDER BY run_id "
                    "DESC, platform LIMIT ?",
                    {list_limit}});
  if (!gaps) return gaps.error();
  for (auto& r : *gaps)
    d.gaps.push_back(
        {static_cast<std::uint64_t>(col_int(r, 0)), col_text(r, 1), col_text(r, 2)});
  return status::ok();
}

}  // namespace

result<dashboard_data> load_dashboard(store& db, const bench_status* live,
                                      const std::vector<std::string>& platforms,
                                      const detector_options& options) {
  dashboard_data d;
  d.generated_at = static_cast<std::int64_t>(std::time(nullptr));
  for (auto* step : {counts, series, lists, comparisons})
    if (auto st = step(db, d); !st) return st;
  for (auto& s : d.series) {
    std::vector<double> values;
    for (auto& p : s.points)
      if (!p.error) values.push_back(p.value);
    s.noise = series_noise(values, options.noise_runs);
    s.noisy = s.noise > options.max_noise;
  }
  if (live != nullptr) {
    d.queue_depth = live->queue_depth;
    for (auto& p : live->platforms)
      d.platforms.push_back({p.name, to_string(p.state), p.current_run, p.host,
                             p.last_seen, p.host_wait_ms});
  } else {
    for (auto& name : platforms) d.platforms.push_back({name, "down", 0, "", 0, 0});
  }
  return d;
}

}  // namespace troupe::bench
