// The state of a benchmark-platform actor (platform_actor.cpp) and its
// internal messages. Internal.
#pragma once

#include <atomic>
#include <caf/all.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/bench/bench_metrics.hpp"
#include "actors/bench/compare_job.hpp"
#include "actors/bench/platform_actor.hpp"
#include "actors/bench/platform_job.hpp"
#include "messages/bench.hpp"

namespace troupe::bench {

// The platform's internal messages: types of this file, not in the type
// registry (no other node can send one: it does not deserialize). A
// platform has no public protocol: it pulls its work.
namespace platform_msg {

// Step `step` of the platform's job `job` (its job counter) ended: how the
// command ended (a process_result as a message).
struct step_done {
  std::uint64_t job = 0;
  std::uint32_t step = 0;
  bool spawn_failed = false;
  bool timed_out = false;
  bool cancelled = false;
  std::int32_t exit_code = -1;
  std::int32_t term_signal = 0;
  std::string error;
  std::string out, err;
  bool out_truncated = false;
  std::int64_t duration_ns = 0;
  std::int64_t cpu_ns = 0;   // the command's own CPU time (process_result::cpu)
  std::int64_t busy_ns = 0;  // a suite's: busy CPU time of everything on its CPUs
                             // while it ran (runtime/services/process/cpu_activity.hpp)
};
// The lease of the host for step `step` of job `job` is granted.
struct lease_granted {
  std::uint64_t job = 0;
  std::uint32_t step = 0;
};
// Send the unacknowledged artifact to the collector again.
struct redeliver_due {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, step_done& x) {
  return f(caf::meta::type_name("platform::step_done"), x.job, x.step, x.spawn_failed,
           x.timed_out, x.cancelled, x.exit_code, x.term_signal, x.error, x.out, x.err,
           x.out_truncated, x.duration_ns, x.cpu_ns, x.busy_ns);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lease_granted& x) {
  return f(caf::meta::type_name("platform::lease_granted"), x.job, x.step);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redeliver_due&) {
  return f(caf::meta::type_name("platform::redeliver_due"));
}

}  // namespace platform_msg

// The platform actor's own type: its internal messages only.
using platform_impl = caf::typed_actor<caf::reacts_to<platform_msg::step_done>,
                                       caf::reacts_to<platform_msg::lease_granted>,
                                       caf::reacts_to<platform_msg::redeliver_due>>;

struct platform_state {
  bench_context ctx;
  platform_config platform;
  bench_metrics metrics;
  std::uint64_t job = 0;  // counts jobs, so stale step results are ignored
  std::vector<job_step> steps;
  std::size_t next_step = 0;
  std::uint32_t attempt = 1;                 // times the step in hand has been started
  std::optional<job_outcome> outcome;        // a run in hand
  std::optional<compare_outcome> comparing;  // or a comparison
  std::uint64_t run_id = 0;
  // The process running now (0: none), for termination when the actor exits.
  std::shared_ptr<std::atomic<std::uint64_t>> running =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  // The lease of the host for the step in hand (0: none), released once
  // the step's output is parsed, or when the actor exits.
  std::shared_ptr<std::atomic<std::uint64_t>> lease =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  std::optional<std::chrono::steady_clock::time_point> waiting_since;
  // Set on a worker node: the coordinator's actors and the work count.
  std::optional<platform_upstream> upstream;
  // A job is in hand (for the work count when the actor ends mid-job).
  std::shared_ptr<std::atomic<bool>> holding = std::make_shared<std::atomic<bool>>(false);
  bool closing = false;   // the scheduler or collector went: end after the job in hand
  bool orphaned = false;  // the collector went: keep the artifact for the next one
  std::optional<bench_artifact> unacknowledged;  // sent, not yet on the collector's disk
  static inline const char* name = "troupe.bench.platform";
};

using platform_self = platform_impl::stateful_pointer<platform_state>;

}  // namespace troupe::bench
