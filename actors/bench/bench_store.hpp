// bench_store: bench's tables (migrations 300-399) and the statements that
// change them. Every change the scheduler makes in one step (commits that
// arrived, runs created, dropped or dispatched, skipped commits, the open
// windows) is one write_group, so the tables always hold a state the
// window_scheduler was in; a run's append (its results, its gaps, its state)
// is one write_group too, so history holds whole runs only.
//
//   bench_commits(seq, sha, branch, parent, time, message, arrived_ms,
//                 state pending|covered|skipped, run_id)   arrival order = seq
//   bench_runs(id, branch, sha, reason, commit_range, skipped_before,
//              created_ms, queue_depth, state queued|running|appended|dropped,
//              dispatched_ms, appended_ms)   ranges as JSON arrays of shas
//   bench_skipped(sha, branch, reason, queue_depth, at_ms, dropped_run, superseded_by)
//   bench_windows(branch, widened, opened_ms, closes_ms)   open windows only
//   bench_artifacts(run_id, platform, document, received_ms)   idempotent by key
//   bench_results(run_id, platform, benchmark, unit, n, mean, median, stddev,
//                 min, max, samples, error, error_message)      history
//   bench_gaps(run_id, platform, reason, detail)   platforms a run lacks
//   bench_regressions(run_id, platform, benchmark, kind, relative_change,
//                     p_value, baseline, candidate, method, detected_ms)
//   bench_compares(id, base, head, platforms, rounds, state queued|done,
//                  created_ms, finished_ms, result)   A/B comparisons; result JSON
//   bench_compare_results(compare_id, platform, document)   a platform's rounds
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "actors/bench/artifact.hpp"
#include "actors/bench/windows.hpp"
#include "messages/bench.hpp"
#include "runtime/services/store/store_types.hpp"

namespace troupe::bench {

std::vector<migration> bench_migrations();

std::int64_t to_ms(time_point t);
time_point from_ms(std::int64_t ms);

// JSON text of a list of shas, and back (empty on malformed text).
std::string shas_json(const std::vector<std::string>& shas);
std::vector<std::string> shas_from_json(const std::string& text);

// A commit that arrived (ignored if its sha is known).
store_record insert_commit(const commit& c, std::int64_t arrived_ms);

// What one scheduler call changed.
void append_changes(std::vector<store_record>& out, const scheduler_changes& changes);

// The open windows after a change (replacing the stored ones).
void append_windows(std::vector<store_record>& out,
                    const std::vector<branch_window>& windows);

// A run handed to the platforms.
store_record mark_running(std::uint64_t run, std::int64_t at_ms);

// An artifact as received (idempotent).
store_record insert_artifact(std::uint64_t run, const std::string& platform,
                             const std::string& document, std::int64_t at_ms);

// An A/B comparison queued; a platform's rounds of it (idempotent); its
// result once analysed.
store_record insert_compare(std::uint64_t id, const bench_compare_request& r,
                            std::int64_t at_ms);
store_record insert_compare_result(const bench_compare_result& r);
store_record finish_compare(std::uint64_t id, const std::string& result,
                            std::int64_t at_ms);

// A platform a run is appended without, and why (deadline | failed | ...).
struct run_gap {
  std::string platform;
  std::string reason;
  std::string detail;
};

// The append of run `run`: the results of `artifacts`, the gaps, and its
// state; one write_group. Idempotent: appending twice changes nothing.
std::vector<store_record> append_run(std::uint64_t run,
                                     const std::vector<artifact>& artifacts,
                                     const std::vector<run_gap>& gaps, std::int64_t at_ms,
                                     std::size_t retention_runs);

}  // namespace troupe::bench
