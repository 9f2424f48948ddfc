// platform_actor: one benchmark platform. It runs one job at a time (its
// host runs one benchmark at a time) and pulls: when idle it asks the
// scheduler for its next job (bench_next_atom), runs the job's commands one
// after another through the process service (build, then each suite
// repetitions times; see platform_job.hpp), sends the artifact to the
// collector, and asks again once the collector has it on disk. Timeouts,
// crashes and unparsable output become failures in the artifact.
//
// If the scheduler or the collector fails the platform ends (bench restarts
// as a whole). On exit the command it was running is terminated.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/bench/bench_context.hpp"

namespace troupe::bench {

caf::actor spawn_platform(caf::actor_system& sys, const bench_context& ctx,
                          const platform_config& platform);

}  // namespace troupe::bench
