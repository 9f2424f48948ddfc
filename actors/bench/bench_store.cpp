#include "actors/bench/bench_store.hpp"

#include <cmath>

#include "runtime/base/json/json.hpp"

namespace troupe::bench {

std::vector<migration> bench_migrations() {
  return {
      {300, "bench_pipeline",
       "CREATE TABLE bench_commits ("
       "  seq INTEGER PRIMARY KEY,"
       "  sha TEXT NOT NULL UNIQUE,"
       "  branch TEXT NOT NULL,"
       "  parent TEXT NOT NULL,"
       "  time INTEGER NOT NULL,"
       "  message TEXT NOT NULL,"
       "  arrived_ms INTEGER NOT NULL,"
       "  state TEXT NOT NULL,"
       "  run_id INTEGER);"
       "CREATE TABLE bench_runs ("
       "  id INTEGER PRIMARY KEY,"
       "  branch TEXT NOT NULL,"
       "  sha TEXT NOT NULL,"
       "  reason TEXT NOT NULL,"
       "  commit_range TEXT NOT NULL,"
       "  skipped_before TEXT NOT NULL,"
       "  created_ms INTEGER NOT NULL,"
       "  queue_depth INTEGER NOT NULL,"
       "  state TEXT NOT NULL,"
       "  dispatched_ms INTEGER,"
       "  appended_ms INTEGER);"
       "CREATE TABLE bench_skipped ("
       "  sha TEXT PRIMARY KEY,"
       "  branch TEXT NOT NULL,"
       "  reason TEXT NOT NULL,"
       "  queue_depth INTEGER NOT NULL,"
       "  at_ms INTEGER NOT NULL,"
       "  dropped_run INTEGER NOT NULL,"
       "  superseded_by INTEGER NOT NULL);"
       "CREATE TABLE bench_windows ("
       "  branch TEXT PRIMARY KEY,"
       "  widened INTEGER NOT NULL,"
       "  opened_ms INTEGER NOT NULL,"
       "  closes_ms INTEGER NOT NULL);"
       "CREATE TABLE bench_artifacts ("
       "  run_id INTEGER NOT NULL,"
       "  platform TEXT NOT NULL,"
       "  document TEXT NOT NULL,"
       "  received_ms INTEGER NOT NULL,"
       "  PRIMARY KEY (run_id, platform));"
       "CREATE TABLE bench_results ("
       "  run_id INTEGER NOT NULL,"
       "  platform TEXT NOT NULL,"
       "  benchmark TEXT NOT NULL,"
       "  unit TEXT NOT NULL,"
       "  n INTEGER NOT NULL,"
       "  mean REAL, median REAL, stddev REAL, min REAL, max REAL,"
       "  samples TEXT NOT NULL,"
       "  error INTEGER NOT NULL,"
       "  error_message TEXT NOT NULL,"
       "  PRIMARY KEY (run_id, platform, benchmark));"
       "CREATE INDEX bench_results_series ON bench_results(platform, benchmark, run_id);"
       "CREATE TABLE bench_gaps ("
       "  run_id INTEGER NOT NULL,"
       "  platform TEXT NOT NULL,"
       "  reason TEXT NOT NULL,"
       "  detail TEXT NOT NULL,"
       "  PRIMARY KEY (run_id, platform));"
       "CREATE TABLE bench_regressions ("
       "  run_id INTEGER NOT NULL,"
       "  platform TEXT NOT NULL,"
       "  benchmark TEXT NOT NULL,"
       "  kind TEXT NOT NULL,"
       "  relative_change REAL NOT NULL,"
       "  p_value REAL NOT NULL,"
       "  baseline REAL NOT NULL,"
       "  candidate REAL NOT NULL,"
       "  method TEXT NOT NULL,"
       "  detected_ms INTEGER NOT NULL,"
       "  PRIMARY KEY (run_id, platform, benchmark));"},
      {301, "bench_compares",
       "CREATE TABLE bench_compares ("
       "  id INTEGER PRIMARY KEY,"
       "  base TEXT NOT NULL,"
       "  head TEXT NOT NULL,"
       "  platforms TEXT NOT NULL,"
       "  rounds INTEGER NOT NULL,"
       "  state TEXT NOT NULL,"
       "  created_ms INTEGER NOT NULL,"
       "  finished_ms INTEGER,"
       "  result TEXT);"
       "CREATE TABLE bench_compare_results ("
       "  compare_id INTEGER NOT NULL,"
       "  platform TEXT NOT NULL,"
       "  document TEXT NOT NULL,"
       "  PRIMARY KEY (compare_id, platform));"},
      {302, "bench_regression_noise",
       "ALTER TABLE bench_regressions ADD COLUMN noise REAL;"}};
}

store_record insert_compare(std::uint64_t id, const bench_compare_request& r,
                            std::int64_t at_ms) {
  return {
      "INSERT OR IGNORE INTO bench_compares(id, base, head, platforms, rounds, state, "
      "created_ms) "
      "VALUES (?, ?, ?, ?, ?, 'queued', ?)",
      {std::int64_t(id), r.base, r.head, shas_json(r.platforms), std::int64_t(r.rounds),
       at_ms}};
}

store_record insert_compare_result(const bench_compare_result& r) {
  return {
      "INSERT OR IGNORE INTO bench_compare_results(compare_id, platform, document) "
      "VALUES (?, ?, ?)",
      {std::int64_t(r.id), r.platform, r.document}};
}

store_record finish_compare(std::uint64_t id, const std::string& result,
                            std::int64_t at_ms) {
  return {
      "UPDATE bench_compares SET state = 'done', result = ?, finished_ms = ? WHERE id = "
      "?",
      {result, at_ms, std::int64_t(id)}};
}

std::int64_t to_ms(time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch())
      .count();
}

time_point from_ms(std::int64_t ms) {
  return time_point(
      std::chrono::duration_cast<time_point::duration>(std::chrono::milliseconds(ms)));
}

std::string shas_json(const std::vector<std::string>& shas) {
  json::array_builder a(shas.size());
  for (auto& s : shas) a.push_back(s);
  return a.build().dump();
}

std::vector<std::string> shas_from_json(const std::string& text) {
  std::vector<std::string> out;
  auto doc = json::parse(text);
  if (!doc) return out;
  for (auto& s : doc->items())
    if (s.is_string()) out.emplace_back(s.as_string());
  return out;
}

store_record insert_commit(const commit& c, std::int64_t arrived_ms) {
  return {
      "INSERT OR IGNORE INTO bench_commits(sha, branch, parent, time, message, "
      "arrived_ms, state) "
      "VALUES (?, ?, ?, ?, ?, ?, 'pending')",
      {c.sha, c.branch, c.parent,
       std::int64_t{
           std::chrono::duration_cast<std::chrono::seconds>(c.time.time_since_epoch())
               .count()},
       c.message, arrived_ms}};
}

void append_changes(std::vector<store_record>& out, const scheduler_changes& changes) {
  for (auto id : changes.dropped)
    out.push_back(
        {"UPDATE bench_runs SET state = 'dropped' WHERE id = ?", {std::int64_t(id)}});
  for (const auto& s : changes.skipped) {
    out.push_back(
        {"INSERT OR REPLACE INTO bench_skipped(sha, branch, reason, queue_depth, at_ms, "
         "dropped_run, superseded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
         {s.sha, s.branch, std::string(skip_reason_name(s.reason)),
          std::int64_t(s.queue_depth), to_ms(s.at), std::int64_t(s.dropped_run),
          std::int64_t(s.superseded_by)}});
    out.push_back(
        {"UPDATE bench_commits SET state = 'skipped', run_id = NULL WHERE sha = ?",
         {s.sha}});
  }
  for (const auto& r : changes.created) {
    out.push_back(
        {"INSERT INTO bench_runs(id, branch, sha, reason, commit_range, skipped_before, "
         "created_ms, queue_depth, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued')",
         {std::int64_t(r.id), r.branch, r.sha, std::string(run_reason_name(r.reason)),
          shas_json(r.commit_range), shas_json(r.skipped_before), to_ms(r.created),
          std::int64_t(r.queue_depth)}});
    if (!r.commit_range.empty())
      out.push_back(
          {"UPDATE bench_commits SET state = 'covered', run_id = ? "
           "WHERE sha IN (SELECT value FROM json_each(?))",
           {std::int64_t(r.id), shas_json(r.commit_range)}});
  }
}

void append_windows(std::vector<store_record>& out,
                    const std::vector<branch_window>& windows) {
  out.push_back({"DELETE FROM bench_windows", {}});
  for (const auto& w : windows)
    out.push_back(
        {"INSERT INTO bench_windows(branch, widened, opened_ms, closes_ms) VALUES (?, ?, "
         "?, ?)",
         {w.branch, std::int64_t(w.widened), to_ms(w.opened), to_ms(w.closes)}});
}

store_record mark_running(std::uint64_t run, std::int64_t at_ms) {
  return {
      "UPDATE bench_runs SET state = 'running', dispatched_ms = ? WHERE id = ? AND state "
      "= 'queued'",
      {at_ms, std::int64_t(run)}};
}

store_record insert_artifact(std::uint64_t run, const std::string& platform,
                             const std::string& document, std::int64_t at_ms) {
  return {
      "INSERT OR IGNORE INTO bench_artifacts(run_id, platform, document, received_ms) "
      "VALUES (?, ?, ?, ?)",
      {std::int64_t(run), platform, document, at_ms}};
}

std::vector<store_record> append_run(std::uint64_t run,
                                     const std::vector<artifact>& artifacts,
                                     const std::vector<run_gap>& gaps, std::int64_t at_ms,
                                     std::size_t retention_runs) {
  std::vector<store_record> out;
  auto id = std::int64_t(run);
  auto real = [](double v) -> sql_value {
    if (std::isnan(v)) return nullptr;
    return v;
  };
  for (const auto& a : artifacts) {
    for (const auto& r : a.results) {
      json::array_builder samples(r.result.samples.size());
      for (double s : r.result.samples) samples.push_back(s);
      out.push_back(
          {"INSERT OR IGNORE INTO bench_results(run_id, platform, benchmark, unit, n, "
           "mean, median, "
           "stddev, min, max, samples, error, error_message) VALUES (?, ?, ?, ?, ?, ?, "
           "?, ?, ?, ?, ?, ?, ?)",
           {id, a.platform, benchmark_key(r.suite, r.result.name), r.result.unit,
            std::int64_t(r.result.n), real(r.result.mean), real(r.result.median),
            real(r.result.stddev), real(r.result.min), real(r.result.max),
            samples.build().dump(), std::int64_t(r.result.error),
            r.result.error_message}});
    }
  }
  for (const auto& g : gaps)
    out.push_back(
        {"INSERT OR IGNORE INTO bench_gaps(run_id, platform, reason, detail) VALUES (?, "
         "?, ?, ?)",
         {id, g.platform, g.reason, g.detail}});
  out.push_back(
      {"UPDATE bench_runs SET state = 'appended', appended_ms = ? WHERE id = ? AND state "
       "= 'running'",
       {at_ms, id}});
  if (retention_runs > 0) {
    std::string old =
        "(SELECT id FROM bench_runs WHERE state = 'appended' ORDER BY id DESC LIMIT -1 "
        "OFFSET " +
        std::to_string(retention_runs) + ")";
    out.push_back({"DELETE FROM bench_results WHERE run_id IN " + old, {}});
    out.push_back({"DELETE FROM bench_gaps WHERE run_id IN " + old, {}});
  }
  return out;
}

}  // namespace troupe::bench
