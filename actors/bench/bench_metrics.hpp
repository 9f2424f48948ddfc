// bench's metrics, registered once per registry (a restart finds them again):
//   troupe_bench_queue_depth                          runs queued, not yet taken
//   troupe_bench_commits{outcome}                     covered | skipped | pending
//   troupe_bench_runs_total{event}                    created | dropped | dispatched |
//   appended troupe_bench_artifacts_total{platform,outcome}    ok | failed | late
//   troupe_bench_append_duration_seconds              append to durable
//   troupe_bench_regressions_total{platform,benchmark,kind}
//   troupe_bench_analyses_total{outcome}              appended runs analysed: ok | failed
//   troupe_bench_platform_running{platform}           1 while it runs a job
//   troupe_bench_platform_waiting_for_host{platform}  1 while it waits for its host
//   troupe_bench_host_wait_seconds_total{platform}    time spent waiting for it
//   troupe_bench_measurements_total{platform,outcome} suite commands measured:
//                                                     quiet | disturbed | repeated
//   troupe_bench_foreign_cpu_seconds_total{platform}  CPU others used beside them
// Every member is null without a registry; use the helpers, which skip them.
#pragma once

#include <string>

#include "runtime/services/metrics/metrics.hpp"

namespace troupe::bench {

struct bench_metrics {
  gauge* queue_depth = nullptr;
  metric_family<gauge>* commits = nullptr;
  metric_family<counter>* runs = nullptr;
  metric_family<counter>* artifacts = nullptr;
  histogram* append_seconds = nullptr;
  metric_family<counter>* regressions = nullptr;
  metric_family<counter>* analyses = nullptr;
  metric_family<gauge>* platform_running = nullptr;
  metric_family<gauge>* platform_waiting = nullptr;
  metric_family<counter>* host_wait_seconds = nullptr;
  metric_family<counter>* measurements = nullptr;
  metric_family<counter>* foreign_cpu_seconds = nullptr;

  static bench_metrics make(metrics_registry* registry);

  void run_event(const std::string& event, double n = 1) const {
    if (runs && n > 0) runs->with({event}).inc(n);
  }
};

}  // namespace troupe::bench
