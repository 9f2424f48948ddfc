// history_read: bench's reads of the store, blocking (store::query_now). For
// the history actor (detached: it owns its thread) and for the CLI, never
// for an event-based actor. Documents are troupe::json values; the HTTP
// API and the exported files show them as they are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actors/bench/dashboard_model.hpp"
#include "actors/bench/regression.hpp"
#include "messages/bench.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe {
class store;
}

namespace troupe::bench {

// What the scheduler and the collector restore at start.
result<bench_snapshot> load_snapshot(store& db);

// The newest `limit` runs, newest first, each with its state, artifacts
// received, result count and gaps.
result<json> runs_json(store& db, std::size_t limit);

// One run with its artifacts (the documents), gaps and results; nullopt
// when there is no such run.
result<std::optional<json>> run_json(store& db, std::uint64_t id);

// A/B comparisons, newest first: {"compares": [{id, base, head, platforms,
// rounds, state, created_ms, finished_ms, result}]}, result being
// analyse_compare's document with "missing" (platforms that never reported;
// null until done); one by id (nullopt when
// there is no such comparison).
result<json> compares_json(store& db, std::size_t limit);
result<std::optional<json>> compare_json(store& db, std::uint64_t id);

// Every detected step, newest first.
result<json> regressions_json(store& db);

// The platforms with history (results or gaps).
result<std::vector<std::string>> history_platforms(store& db);

// {"version": 2, "platform": p, "runs": [...], "series": {...}}: the appended
// runs that have results or a gap for `platform`, oldest first, and each
// benchmark's run-to-run noise (series_noise over `options.noise_runs` runs,
// noisy above `options.max_noise`) (docs/bench.md, "Artifact and history file formats").
result<json> history_json(store& db, const std::string& platform,
                          const detector_options& options);

// The `runs` of history_json with run ids greater than `after`: a JSON array.
result<json> history_runs(store& db, const std::string& platform, std::uint64_t after);

// Finds steps in the series of every benchmark run `run` has results for,
// records the new ones in bench_regressions (durably) and returns them.
result<std::vector<bench_regression>> analyze_run(store& db, std::uint64_t run,
                                                  const detector_options& options);

// The dashboard's data. `live` (the scheduler's status) gives queue depth
// and platforms' state; without it, `platforms` are listed as down. Series
// noise as in history_json (`options`: noise_runs, max_noise).
result<dashboard_data> load_dashboard(store& db, const bench_status* live,
                                      const std::vector<std::string>& platforms,
                                      const detector_options& options);

}  // namespace troupe::bench
