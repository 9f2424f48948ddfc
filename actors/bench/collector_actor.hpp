// collector_actor: gathers the artifacts of each dispatched run. Every
// artifact is written durably (idempotent by run and platform) before the
// platform gets its answer. When every configured platform has reported, or
// [bench] collector-deadline after the run was dispatched (or after a
// restart found it unfinished), the run is appended to history in ONE
// durable write_group: its results, a gap for each platform missing
// (deadline) or without results (failed), and its state. A duplicate
// artifact changes nothing; a late one (for a run already appended) is kept
// in bench_artifacts but not appended.
//
// After an append: the scheduler is told (bench_appended_atom), the history
// actor analyses the run's series for steps (alerts: a log line,
// troupe_bench_regressions_total, GET /api/v1/bench/regressions, the
// optional [bench] alert-webhook POST) and exports the new runs to
// history-<platform>.jsonl. Messages that arrive before the restore are held until it is
// done. Artifacts from another node are taken only from a cluster member that fits the
// artifact's platform (placement.hpp); others get errc::not_a_member.
#pragma once

#include <caf/actor_system.hpp>

#include "actors/bench/bench_context.hpp"
#include "messages/bench.hpp"

namespace troupe::bench {

// Spawns the collector and registers it in ctx.directory.
bench_collector_actor spawn_collector(caf::actor_system& sys, bench_context ctx);

}  // namespace troupe::bench
