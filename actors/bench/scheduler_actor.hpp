// scheduler_actor: bench's intake and scheduler. It feeds the
// window_scheduler with the commits that arrive (API, webhooks, CLI), manual
// runs, window deadlines (a delayed_send to itself at next_deadline(), no
// polling) and the scheduled tick; persists every change as one durable
// write_group before it acknowledges the submitter; refuses submissions past
// [bench] intake-queue (errc::queue_full, the API's 429); and hands runs to
// the benchmark-platform actors as they ask (pull): an idle platform gets
// the oldest dispatched run it has not run yet, or a new run from the queue
// while fewer than `max_active_runs` runs are dispatched and not yet
// appended, so a fast platform runs ahead of a slow one by at most that.
//
// Pulls from another node are taken only from a cluster member that fits
// the platform (placement.hpp; errc::not_a_member otherwise). One actor runs
// a platform at a time: the pull of a second one (another worker with the
// same platform) stands by until the first ends. When a platform's actor
// ends during a job, that run is handed again to the platform's next pull
// (the standby, or the worker once it is back); the collector's deadline
// still bounds how long the run waits.
//
// At start it restores its state from the store (through the history
// actor): pending commits stay pending, queued runs stay queued, and
// dispatched runs are handed again to every platform that has no artifact
// for them yet. Until then submissions get errc::shutting_down ("starting").
// A store write that fails ends the actor (the supervisor restarts bench,
// which restores from what is on disk). Protocol: messages/bench.hpp.
#pragma once

#include <caf/actor_system.hpp>

#include "actors/bench/bench_context.hpp"
#include "messages/bench.hpp"

namespace troupe::bench {

constexpr std::size_t max_active_runs = 2;

// Spawns the scheduler and registers it in ctx.directory.
bench_scheduler_actor spawn_scheduler(caf::actor_system& sys, bench_context ctx);

}  // namespace troupe::bench
