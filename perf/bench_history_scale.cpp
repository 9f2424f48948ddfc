// bench_history_scale: does the work after each append stay flat as history
// grows? A real store (SQLite, WAL, synchronous=FULL) filled with N runs of
// one platform, each with B benchmarks of 10 samples (a noise-only series
// with one 5% step at run N/2 in benchmark 0), appended as the collector does
// (append_run write groups). At N = 100, 1,000 and 10,000 runs it times, for
// one more appended run:
//   analysis   analyze_run (history_read.hpp): the detector over each
//              benchmark's series as the history actor runs it after an
//              append; per benchmark;
//   export     history_exporter::update: the run's line appended to
//              history-<platform>.jsonl (the file was brought up to date at
//              the previous size);
//   full       the version-2 document of the whole history (what every append
//              used to write): for comparison.
// Target (issue 11): analysis <= 10 ms per benchmark at 10,000 runs; export
// flat. Prints a table, then one JSON line.
//
//   bench_history_scale [--quick]     (--quick: N up to 1,000, B = 5)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/history_export.hpp"
#include "actors/bench/history_read.hpp"
#include "perf/workflow_perf.hpp"
#include "runtime/services/store/store.hpp"

using namespace troupe;
using namespace troupe::bench;
using steady = std::chrono::steady_clock;

namespace {

const char* program = "perf/bench_history_scale";

double ms_since(steady::time_point t0) {
  return std::chrono::duration<double, std::milli>(steady::now() - t0).count();
}

void check(const status& st) {
  if (!st) perf::fail(program, st.message());
}

// Appends runs (from, to] as the collector would: one run row, then its results.
void append_runs(store& db, std::uint64_t from, std::uint64_t to, std::size_t benchmarks,
                 std::mt19937_64& rng, std::uint64_t step_at) {
  std::normal_distribution<double> noise(0, 0.01);
  for (auto id = from + 1; id <= to; ++id) {
    std::vector<store_record> records;
    auto sha = std::to_string(1000000 + id);
    records.push_back(
        {"INSERT INTO bench_runs(id, branch, sha, reason, commit_range, skipped_before, "
         "created_ms, "
         "queue_depth, state) VALUES (?, 'main', ?, 'push', ?, '[]', 0, 0, 'running')",
         {std::int64_t(id), sha, shas_json({sha})}});
    artifact a;
    a.run_id = id;
    a.platform = "linux";
    for (std::size_t b = 0; b < benchmarks; ++b) {
      benchmark_result r;
      r.name = "b" + std::to_string(b);
      r.unit = "ns";
      double level = 1000 * (b == 0 && id >= step_at ? 1.05 : 1.0);
      for (int k = 0; k < 10; ++k) r.samples.push_back(level * (1 + noise(rng)));
      compute_statistics(r);
      a.results.push_back({"s", r});
    }
    auto run = append_run(id, {a}, {}, 0, 0);
    records.insert(records.end(), run.begin(), run.end());
    std::promise<status> done;
    db.write_group(std::move(records), durability::batched,
                   [&done](status s) { done.set_value(s); });
    check(done.get_future().get());
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  std::vector<std::uint64_t> sizes = quick ? std::vector<std::uint64_t>{100, 1000}
                                           : std::vector<std::uint64_t>{100, 1000, 10000};
  std::size_t benchmarks = quick ? 5 : 10;
  perf::temp_dir dir;
  store_options so;
  so.path = dir.path() + "/troupe.db";
  auto opened = store::open(so, bench_migrations());
  if (!opened) perf::fail(program, opened.error().message());
  auto& db = **opened;
  std::mt19937_64 rng(42);
  history_exporter exporter(dir.path());
  detector_options detector;

  std::printf("%8s %11s %22s %11s %11s\n", "runs", "benchmarks", "analysis_ms_per_bench",
              "export_ms", "full_ms");
  json::array_builder rows;
  std::uint64_t have = 0;
  for (auto n : sizes) {
    append_runs(db, have, n - 1, benchmarks, rng, sizes.back() / 2);
    check(exporter.update(db, "linux"));  // up to date before the measured append
    append_runs(db, n - 1, n, benchmarks, rng, sizes.back() / 2);
    have = n;
    auto t0 = steady::now();
    auto steps = analyze_run(db, n, detector);
    double analysis = ms_since(t0) / static_cast<double>(benchmarks);
    if (!steps) perf::fail(program, steps.error().message());
    t0 = steady::now();
    check(exporter.update(db, "linux"));
    double export_ms = ms_since(t0);
    t0 = steady::now();
    auto doc = history_json(db, "linux", detector_options{});
    if (!doc) perf::fail(program, doc.error().message());
    auto text = doc->dump(2);
    double full_ms = ms_since(t0);
    std::printf("%8llu %11zu %22.2f %11.2f %11.1f\n", static_cast<unsigned long long>(n),
                benchmarks, analysis, export_ms, full_ms);
    rows.push_back(json::object()
                       .set("runs", n)
                       .set("benchmarks", benchmarks)
                       .set("analysis_ms_per_benchmark", analysis)
                       .set("export_ms", export_ms)
                       .set("full_export_ms", full_ms)
                       .set("full_export_bytes", text.size()));
  }
  std::printf("%s\n", json::object()
                          .set("benchmark", "bench_history_scale")
                          .set("results", rows.build())
                          .dump()
                          .c_str());
  return 0;
}
