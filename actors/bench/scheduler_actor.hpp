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
// At start it restores its state from the store (through the history
// actor): pending commits stay pending, queued runs stay queued, and
// dispatched runs are handed again to every platform that has no artifact
// for them yet. Until then submissions get errc::shutting_down ("starting").
// A store write that fails ends the actor (the supervisor restarts bench,
// which restores from what is on disk). Protocol: messages/bench.hpp.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/bench/bench_context.hpp"

namespace troupe::bench {

constexpr std::size_t max_active_runs = 2;

caf::actor spawn_scheduler(caf::actor_system& sys, bench_context ctx);

}  // namespace troupe::bench
