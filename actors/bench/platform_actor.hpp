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
// scheduler and collector instead, which it monitors: when either goes (the
// coordinator died or restarted its bench) it finishes the job it holds and
// ends. An artifact the collector has not acknowledged when the collector
// goes is put in `upstream.kept`; the worker hands it to the coordinator's
// new collector when it rejoins (bench_attach.cpp), so the result of a
// benchmark that ran through the coordinator's death is delivered once it
// returns. Its jobs are counted in `upstream.work` (the worker's heartbeats
// report them).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "actors/bench/bench_context.hpp"
#include "messages/bench.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe::bench {

// A platform that runs on this node's bench, beside the scheduler and the
// collector found in ctx.directory. It has no protocol: the handle is for
// its lifetime (a supervisor's child).
caf::actor spawn_platform(caf::actor_system& sys, const bench_context& ctx,
                          const platform_config& platform);

// Artifacts a worker's platform could not deliver, kept for the next
// collector; thread-safe, bounded (the oldest go first past 64).
class kept_artifacts {
 public:
  void keep(bench_artifact a);
  std::vector<bench_artifact> take();  // all of them; the keeper is then empty
  void give_back(std::vector<bench_artifact> undelivered);

 private:
  std::mutex mu_;
  std::vector<bench_artifact> artifacts_;
};

// Where a worker's platform pulls from: the pull sides of the coordinator's
// scheduler and collector (valid handles, required), and the worker's count
// of remote work (required).
struct platform_upstream {
  bench_pull_actor scheduler;
  bench_artifact_actor collector;
  std::shared_ptr<cluster_work> work;
  std::shared_ptr<kept_artifacts> kept;
};

caf::actor spawn_remote_platform(caf::actor_system& sys, const bench_context& ctx,
                                 const platform_config& platform,
                                 platform_upstream upstream);

}  // namespace troupe::bench
