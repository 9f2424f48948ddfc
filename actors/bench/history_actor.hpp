// history_actor: the read side of bench history and its files, on a thread
// of its own (a detached actor), because everything it does blocks: it
// serves the scheduler's and the collector's restore (bench_load_atom), the
// API's reads (runs, one run, regressions, a platform's history, the
// dashboard), analyses an appended run for steps (recording new ones), and
// brings history-<platform>.jsonl of every platform up to date in the
// history directory (history_export.hpp: only the new runs are written).
// Requests are served one at a time in arrival order, except that analysis
// and exports wait for a shared lease of the host (bench_context::lock): they
// never run while a benchmark measures on this machine, while reads for the
// API are answered at once. Protocol: messages/bench.hpp.
#pragma once

#include <caf/actor_system.hpp>

#include "actors/bench/bench_context.hpp"
#include "messages/bench.hpp"

namespace troupe::bench {

// Spawns the history actor (detached) and registers it in ctx.directory.
bench_history_actor spawn_history(caf::actor_system& sys, bench_context ctx);

// Writes history-<platform>.json (the version-2 document) for `platforms`
// (and every platform with history) into `dir`; series noise judged with
// `options`. Blocking; for `troupe bench report`.
status export_history(store& db, const std::string& dir,
                      const std::vector<std::string>& platforms,
                      const detector_options& options);

}  // namespace troupe::bench
