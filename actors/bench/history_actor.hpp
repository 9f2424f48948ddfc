// history_actor: the read side of bench history and its files, on a thread
// of its own (a detached actor), because everything it does blocks: it
// serves the scheduler's and the collector's restore (bench_load_atom), the
// API's reads (runs, one run, regressions, a platform's history, the
// dashboard), analyses an appended run for steps (recording new ones), and
// exports history-<platform>.json for every platform into the history
// directory, each file written atomically (temp file, fsync, rename).
// Requests are served one at a time in arrival order. Protocol:
// messages/bench.hpp.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/bench/bench_context.hpp"

namespace troupe::bench {

caf::actor spawn_history(caf::actor_system& sys, bench_context ctx);

// Writes history-<platform>.json for `platforms` (and every platform with
// history) into `dir`. Blocking; also used by `troupe bench report`.
status export_history(store& db, const std::string& dir, const std::vector<std::string>& platforms);

}  // namespace troupe::bench
