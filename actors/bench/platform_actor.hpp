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
//
// On a worker node (spawn_remote_platform) it pulls from the coordinator's
// scheduler and collector instead, which it monitors: when the scheduler
// goes it finishes and delivers the job it holds, then ends; when the
// collector goes it ends at once (nobody could take the artifact). Its jobs
// are counted in `upstream.work` (the worker's heartbeats report them).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>

#include "actors/bench/bench_context.hpp"
#include "runtime/cluster/members.hpp"

namespace troupe::bench {

// A platform that runs on this node's bench, beside the scheduler and the
// collector found in ctx.directory.
caf::actor spawn_platform(caf::actor_system& sys, const bench_context& ctx,
                          const platform_config& platform);

// Where a worker's platform pulls from: the coordinator's actors (valid
// handles, required), and the worker's count of remote work (required).
struct platform_upstream {
  caf::actor scheduler;
  caf::actor collector;
  std::shared_ptr<cluster_work> work;
};

caf::actor spawn_remote_platform(caf::actor_system& sys, const bench_context& ctx,
                                 const platform_config& platform, platform_upstream upstream);

}  // namespace troupe::bench
