// load_snapshot, runs_json and run_json (history_read.hpp).
#include "actors/bench/history_read.hpp"

#include "actors/bench/bench_store.hpp"
#include "actors/bench/history_rows.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::bench {

using namespace detail;

namespace {

json shas(const std::string& text) {
  json::array_builder a;
  for (auto& s : shas_from_json(text)) a.push_back(s);
  return a.build();
}

// SQLite's json text (json_group_array) as a value; [] when unreadable.
json embedded(const std::string& text) {
  auto v = json::parse(text);
  return v ? *v : json::array();
}

// The value of E named `text` (its to_string) among `values`, or `otherwise`.
template <class E, std::size_t N>
E named(const std::string& text, const E (&values)[N], E otherwise) {
  for (auto v : values)
    if (text == to_string(v)) return v;
  return otherwise;
}

// Stored runs are push, scheduled, manual or tagged (comparisons have a table
// of their own); the scheduler's restore took any other text as push.
bench_run_reason reason_of(const std::string& text) {
  const bench_run_reason all[] = {bench_run_reason::push, bench_run_reason::scheduled,
                                  bench_run_reason::manual, bench_run_reason::tagged};
  return named(text, all, bench_run_reason::push);
}

// A state other than queued and running (appended) has nothing to restore.
bench_run_state state_of(const std::string& text) {
  const bench_run_state all[] = {bench_run_state::queued, bench_run_state::running};
  return named(text, all, bench_run_state::appended);
}

bench_job job_of_row(const sql_row& r) {
  bench_job job;
  job.run_id = static_cast<std::uint64_t>(col_int(r, 0));
  job.branch = col_text(r, 1);
  job.sha = col_text(r, 2);
  job.reason = reason_of(col_text(r, 3));
  job.commit_range = shas_from_json(col_text(r, 4));
  job.skipped_before = shas_from_json(col_text(r, 5));
  job.created_ms = col_int(r, 6);
  return job;
}

const char* run_columns =
    "id, branch, sha, reason, commit_range, skipped_before, created_ms, queue_depth, "
    "state, "
    "dispatched_ms, appended_ms";

json run_object(const sql_row& r) {
  json::object_builder b;
  b.set("id", col_int(r, 0));
  b.set("branch", col_text(r, 1));
  b.set("commit", col_text(r, 2));
  b.set("reason", col_text(r, 3));
  b.set("commit_range", shas(col_text(r, 4)));
  b.set("skipped_before", shas(col_text(r, 5)));
  b.set("created_ms", col_int(r, 6));
  b.set("queue_depth", col_int(r, 7));
  b.set("state", col_text(r, 8));
  b.set("dispatched_ms",
        std::holds_alternative<std::nullptr_t>(r.at(9)) ? json() : json(col_int(r, 9)));
  b.set("appended_ms",
        std::holds_alternative<std::nullptr_t>(r.at(10)) ? json() : json(col_int(r, 10)));
  return b.build();
}

}  // namespace

result<bench_snapshot> load_snapshot(store& db) {
  bench_snapshot snap;
  auto commits = db.query_now(
      {"SELECT sha, branch, parent, time, message FROM bench_commits ORDER BY seq", {}});
  if (!commits) return commits.error();
  for (auto& r : *commits)
    snap.commits.push_back(
        {col_text(r, 0), col_text(r, 2), col_int(r, 3), col_text(r, 4), col_text(r, 1)});
  auto runs = db.query_now({std::string("SELECT ") + run_columns +
                                " FROM bench_runs WHERE state != 'dropped' ORDER BY id",
                            {}});
  if (!runs) return runs.error();
  for (auto& r : *runs)
    snap.runs.push_back({job_of_row(r), state_of(col_text(r, 8)),
                         static_cast<std::uint32_t>(col_int(r, 7))});
  auto skipped = db.query_now(
      {"SELECT sha, branch, reason, queue_depth, at_ms, dropped_run, superseded_by "
       "FROM bench_skipped ORDER BY rowid",
       {}});
  if (!skipped) return skipped.error();
  // sampled_out is the only reason a commit is skipped for.
  for (auto& r : *skipped)
    snap.skipped.push_back({col_text(r, 0), col_text(r, 1),
                            bench_skip_reason::sampled_out,
                            static_cast<std::uint32_t>(col_int(r, 3)), col_int(r, 4),
                            static_cast<std::uint64_t>(col_int(r, 5)),
                            static_cast<std::uint64_t>(col_int(r, 6))});
  auto windows = db.query_now(
      {"SELECT branch, widened, opened_ms, closes_ms FROM bench_windows", {}});
  if (!windows) return windows.error();
  for (auto& r : *windows)
    snap.windows.push_back(
        {col_text(r, 0), col_int(r, 1) != 0, col_int(r, 2), col_int(r, 3)});
  auto artifacts =
      db.query_now({"SELECT a.run_id, a.platform, a.document FROM bench_artifacts a "
                    "JOIN bench_runs r ON r.id = a.run_id WHERE r.state = 'running'",
                    {}});
  if (!artifacts) return artifacts.error();
  for (auto& r : *artifacts)
    snap.artifacts.push_back(
        {static_cast<std::uint64_t>(col_int(r, 0)), col_text(r, 1), col_text(r, 2)});
  auto next = db.query_now({"SELECT COALESCE(MAX(id), 0) + 1 FROM bench_runs", {}});
  if (!next) return next.error();
  snap.next_id = static_cast<std::uint64_t>(col_int(next->at(0), 0));
  auto compares = db.query_now(
      {"SELECT id, base, head, platforms, rounds, created_ms FROM bench_compares "
       "WHERE state != 'done' ORDER BY id",
       {}});
  if (!compares) return compares.error();
  for (auto& r : *compares) {
    bench_compare_record c;
    c.id = static_cast<std::uint64_t>(col_int(r, 0));
    c.request = {col_text(r, 1), col_text(r, 2), shas_from_json(col_text(r, 3)),
                 static_cast<std::uint32_t>(col_int(r, 4))};
    c.created_ms = col_int(r, 5);
    auto docs = db.query_now(
        {"SELECT platform, document FROM bench_compare_results WHERE compare_id = ?",
         {static_cast<std::int64_t>(c.id)}});
    if (!docs) return docs.error();
    for (auto& d : *docs) c.results.push_back({c.id, col_text(d, 0), col_text(d, 1)});
    snap.compares.push_back(std::move(c));
  }
  auto next_compare =
      db.query_now({"SELECT COALESCE(MAX(id), 0) + 1 FROM bench_compares", {}});
  if (!next_compare) return next_compare.error();
  snap.next_compare_id = static_cast<std::uint64_t>(col_int(next_compare->at(0), 0));
  return snap;
}

namespace {

json compare_object(const sql_row& r) {
  auto result = json::parse(col_text(r, 8));
  return json::object()
      .set("id", col_int(r, 0))
      .set("base", col_text(r, 1))
      .set("head", col_text(r, 2))
      .set("platforms", shas(col_text(r, 3)))
      .set("rounds", col_int(r, 4))
      .set("state", col_text(r, 5))
      .set("created_ms", col_int(r, 6))
      .set("finished_ms",
           std::holds_alternative<std::nullptr_t>(r.at(7)) ? json() : json(col_int(r, 7)))
      .set("result", result ? *result : json());
}

const char* compare_columns =
    "SELECT id, base, head, platforms, rounds, state, created_ms, finished_ms, "
    "COALESCE(result, '') FROM bench_compares ";

}  // namespace

result<json> compares_json(store& db, std::size_t limit) {
  auto rows = db.query_now(
      {std::string(compare_columns) + "ORDER BY id DESC LIMIT ?", {std::int64_t(limit)}});
  if (!rows) return rows.error();
  json::array_builder out;
  for (auto& r : *rows) out.push_back(compare_object(r));
  return json::object().set("compares", out.build());
}

result<std::optional<json>> compare_json(store& db, std::uint64_t id) {
  auto rows =
      db.query_now({std::string(compare_columns) + "WHERE id = ?", {std::int64_t(id)}});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<json>{};
  return std::optional<json>(compare_object(rows->at(0)));
}

result<json> runs_json(store& db, std::size_t limit) {
  auto rows =
      db.query_now({std::string("SELECT ") + run_columns +
                        ", (SELECT json_group_array(platform) FROM bench_artifacts WHERE "
                        "run_id = r.id),"
                        " (SELECT COUNT(*) FROM bench_results WHERE run_id = r.id),"
                        " (SELECT json_group_array(json_object('platform', platform, "
                        "'reason', reason, 'detail', detail))"
                        "  FROM bench_gaps WHERE run_id = r.id)"
                        " FROM bench_runs r ORDER BY id DESC LIMIT ?",
                    {static_cast<std::int64_t>(limit)}});
  if (!rows) return rows.error();
  json::array_builder out;
  for (auto& r : *rows)
    out.push_back(run_object(r)
                      .set("artifacts", embedded(col_text(r, 11)))
                      .set("results", col_int(r, 12))
                      .set("gaps", embedded(col_text(r, 13))));
  return json::object().set("runs", out.build());
}

result<std::optional<json>> run_json(store& db, std::uint64_t id) {
  auto key = static_cast<std::int64_t>(id);
  auto rows = db.query_now(
      {std::string("SELECT ") + run_columns + " FROM bench_runs WHERE id = ?", {key}});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<json>();
  auto run = run_object(rows->at(0));
  auto artifacts =
      db.query_now({"SELECT platform, document FROM bench_artifacts WHERE run_id = ? "
                    "ORDER BY platform",
                    {key}});
  if (!artifacts) return artifacts.error();
  json::object_builder docs;
  for (auto& r : *artifacts) docs.set(col_text(r, 0), embedded(col_text(r, 1)));
  auto gaps =
      db.query_now({"SELECT platform, reason, detail FROM bench_gaps WHERE run_id = ? "
                    "ORDER BY platform",
                    {key}});
  if (!gaps) return gaps.error();
  json::array_builder g;
  for (auto& r : *gaps)
    g.push_back(json::object()
                    .set("platform", col_text(r, 0))
                    .set("reason", col_text(r, 1))
                    .set("detail", col_text(r, 2)));
  return std::optional<json>(run.set("artifacts", docs.build()).set("gaps", g.build()));
}

}  // namespace troupe::bench
