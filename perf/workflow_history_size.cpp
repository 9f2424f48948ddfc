// workflow_history_size: what a workflow run costs as the store's history
// grows (issue 18: "workflow with 100,000 executions stored"). One embedded
// engine with a store in a temporary directory; its history is grown to
// 1,000, 10,000 and 100,000 stored executions, and at each size the program
// measures, on the same engine and store:
//
//   run       500 executions of a 3-task chain of core.noop, one after the
//             other: wall time and process CPU time (engine and store
//             threads) per execution, each step durable (group commit, fsync)
//   list      GET /api/v1/runs' query (list_executions): the newest 50, and
//             the newest 50 failed ones, timed in SQLite (a connection of the
//             program's own; the hop to the store's thread is constant)
//   sorted    the same listing without the index, as before migration 201
//   lookup    GET /api/v1/runs/ID's query of a stored execution by id
//   resume    the query a node runs at start for executions to resume
//
// A query's figure is the median of 1,000 runs after 1,000 unmeasured ones
// (SQLite's page cache warm, as on a node that serves the API).
//
// The history is real rows: the first execution the engine ran and stored,
// copied by SQL under new ids and older start times (every tenth failed),
// with its task rows. Target: the cost per execution, per listing and per
// lookup at 100,000 within 1.2× of that at 1,000 (CPU for runs: the wall
// time holds an fsync per step, which is the disk's, not troupe's).
//
// Usage: workflow_history_size [--quick]   (quick: 1,000 and 10,000)
// Prints a table and, last, one JSON line:
// {"benchmark":"workflow_history_size","sizes":[{"stored","run_ms","run_cpu_ms",
//  "list_us","list_failed_us","list_sorted_us","lookup_us","resume_us",
//  "db_mib"}],
//  "run_cpu_ratio","list_ratio","lookup_ratio"}
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "perf/workflow_perf.hpp"

using namespace troupe;

namespace {

const std::string program = "workflow_history_size";
constexpr std::size_t runs_per_size = 500;
constexpr std::size_t queries_per_size = 1000;

json chain_definition() {
  auto task = [](const char* next) {
    json t = json::object().set("action", json("core.noop"));
    if (next == nullptr) return t;
    return t.set("next", json::array().push_back(json::object().set("do", json(next))));
  };
  json::object_builder tasks;
  tasks.set("t0", task("t1"));
  tasks.set("t1", task("t2"));
  tasks.set("t2", task(nullptr));
  return json::object()
      .set("version", json(1))
      .set("name", json("history_chain"))
      .set("tasks", tasks.build());
}

std::vector<sql_row> query_or_exit(store& db, store_record q) {
  auto rows = db.query_now(std::move(q));
  if (!rows) perf::fail(program, "store: " + rows.error().message());
  return std::move(*rows);
}

// Copies execution `model` (and its task rows) as executions hist-<from+1>
// .. hist-<to>, started before anything the engine ran; every tenth failed.
void grow_history(store& db, const std::string& model, std::int64_t from,
                  std::int64_t to) {
  const std::string numbers =
      "WITH RECURSIVE n(i) AS (SELECT ?1 + 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
      "?2) ";
  query_or_exit(
      db, {numbers +
               "INSERT INTO wf_executions (id, workflow, source, definition, parameters,"
               " state, engine, output, errors, started_ms, finished_ms)"
               " SELECT printf('hist-%07d', i), workflow, source, definition,"
               " parameters, CASE WHEN i % 10 = 0 THEN 'failed' ELSE state END, engine,"
               " output, errors, started_ms - 1000000000 + i,"
               " started_ms - 1000000000 + i + 5 FROM n, wf_executions WHERE id = ?3",
           {from, to, model}});
  query_or_exit(db,
                {numbers + "INSERT INTO wf_tasks SELECT printf('hist-%07d', i), name,"
                           " state, result, error, started_ms, finished_ms, items_done,"
                           " items_total FROM n, wf_tasks WHERE execution = ?3",
                 {from, to, model}});
}

// A read-only connection of its own to the store's file: the queries are
// timed in SQLite alone, without the hop to the store's thread and back
// (about 60 us, the same at any size, and bimodal with thread wake-ups).
class reader {
 public:
  explicit reader(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      perf::fail(program, "cannot open " + path + " to read");
  }
  ~reader() { sqlite3_close(db_); }
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;

  // Median seconds of `n` runs of `q` (after as many unmeasured ones: the
  // first reads of a page pay for the cache), each expected to return rows
  // unless `may_be_empty`.
  double time(const store_record& q, std::size_t n, bool may_be_empty = false) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, q.sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      perf::fail(program, std::string("prepare: ") + sqlite3_errmsg(db_));
    for (std::size_t i = 0; i < q.params.size(); ++i) {
      int at = static_cast<int>(i) + 1;
      if (auto* v = std::get_if<std::int64_t>(&q.params[i]))
        sqlite3_bind_int64(stmt, at, *v);
      else if (auto* t = std::get_if<std::string>(&q.params[i]))
        sqlite3_bind_text(stmt, at, t->c_str(), static_cast<int>(t->size()),
                          SQLITE_TRANSIENT);
    }
    std::vector<double> samples;
    for (std::size_t i = 0; i < 2 * n; ++i) {
      double begin = perf::steady_seconds();
      int rows = 0, rc;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) ++rows;
      if (i >= n) samples.push_back(perf::steady_seconds() - begin);
      if (rc != SQLITE_DONE)
        perf::fail(program, std::string("step: ") + sqlite3_errmsg(db_));
      if (rows == 0 && !may_be_empty) perf::fail(program, "no rows for: " + q.sql);
      sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    std::nth_element(samples.begin(), samples.begin() + n / 2, samples.end());
    return samples[n / 2];
  }

 private:
  sqlite3* db_ = nullptr;
};

struct measurement {
  std::int64_t stored = 0;
  double run_ms = 0, run_cpu_ms = 0;
  double list_us = 0, list_failed_us = 0, list_sorted_us = 0, lookup_us = 0,
         resume_us = 0;
  double db_mib = 0;
};

measurement measure(workflow::embedded_engine& engine, store& db,
                    const std::string& db_path, std::int64_t stored) {
  measurement m;
  m.stored = stored;
  double wall = perf::steady_seconds(), cpu = perf::process_cpu_seconds();
  for (std::size_t i = 0; i < runs_per_size; ++i)
    perf::run_to_end(engine, program, chain_definition(), json::object());
  m.run_ms = (perf::steady_seconds() - wall) * 1e3 / runs_per_size;
  m.run_cpu_ms = (perf::process_cpu_seconds() - cpu) * 1e3 / runs_per_size;
  db.flush();
  reader sql(db_path);
  m.list_us =
      sql.time(workflow::list_executions(std::nullopt, 50), queries_per_size) * 1e6;
  m.list_failed_us =
      sql.time(workflow::list_executions("failed", 50), queries_per_size) * 1e6;
  // The listing as it ran before migration 201: `+started_ms` keeps SQLite
  // from using the index, so it sorts every stored execution.
  auto sorted = workflow::list_executions(std::nullopt, 50);
  sorted.sql.replace(sorted.sql.find("ORDER BY started_ms"), 19, "ORDER BY +started_ms");
  m.list_sorted_us = sql.time(sorted, 20) * 1e6;
  // An execution from the middle of the history.
  char id[32];
  std::snprintf(id, sizeof id, "hist-%07lld", static_cast<long long>(stored / 2));
  m.lookup_us = sql.time(workflow::select_execution(id), queries_per_size) * 1e6;
  m.resume_us = sql.time(workflow::select_unfinished(), queries_per_size, true) * 1e6;
  m.db_mib = static_cast<double>(std::filesystem::file_size(db_path)) / (1 << 20);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  perf::quiet_logs();
  std::vector<std::int64_t> sizes{1'000, 10'000, 100'000};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      sizes = {1'000, 10'000};
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }

  perf::temp_dir dir;
  auto db = perf::open_workflow_store(dir.path());
  workflow::embedded_options options;
  options.db = db.get();
  options.resume = false;
  workflow::embedded_engine engine(std::move(options));
  auto model = perf::run_to_end(engine, program, chain_definition(), json::object());

  std::printf("%9s %8s %11s %8s %15s %10s %10s %10s %7s\n", "stored", "run_ms",
              "run_cpu_ms", "list_us", "list_failed_us", "sorted_us", "lookup_us",
              "resume_us", "db_MiB");
  std::vector<measurement> all;
  std::int64_t grown = 0;
  for (auto size : sizes) {
    grow_history(*db, model.status.id, grown, size);
    grown = size;
    auto m = measure(engine, *db, dir.path() + "/troupe.db", size);
    std::printf("%9lld %8.3f %11.3f %8.1f %15.1f %10.1f %10.1f %10.1f %7.1f\n",
                static_cast<long long>(m.stored), m.run_ms, m.run_cpu_ms, m.list_us,
                m.list_failed_us, m.list_sorted_us, m.lookup_us, m.resume_us, m.db_mib);
    std::fflush(stdout);
    all.push_back(m);
  }

  const auto& low = all.front();
  const auto& high = all.back();
  double run_ratio = high.run_cpu_ms / low.run_cpu_ms;
  double list_ratio = high.list_us / low.list_us;
  double lookup_ratio = high.lookup_us / low.lookup_us;
  std::printf(
      "at %lld vs %lld stored: run CPU %.2fx, list %.2fx, lookup %.2fx (target <= "
      "1.2x)\n",
      static_cast<long long>(high.stored), static_cast<long long>(low.stored), run_ratio,
      list_ratio, lookup_ratio);
  json::array_builder rows;
  for (const auto& m : all) {
    json::object_builder row;
    row.set("stored", m.stored);
    row.set("run_ms", m.run_ms);
    row.set("run_cpu_ms", m.run_cpu_ms);
    row.set("list_us", m.list_us);
    row.set("list_failed_us", m.list_failed_us);
    row.set("list_sorted_us", m.list_sorted_us);
    row.set("lookup_us", m.lookup_us);
    row.set("resume_us", m.resume_us);
    row.set("db_mib", m.db_mib);
    rows.push_back(row.build());
  }
  json::object_builder out;
  out.set("benchmark", program);
  out.set("sizes", rows.build());
  out.set("run_cpu_ratio", run_ratio);
  out.set("list_ratio", list_ratio);
  out.set("lookup_ratio", lookup_ratio);
  std::printf("%s\n", out.build().dump().c_str());
  return 0;
}
