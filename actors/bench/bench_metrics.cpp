#include "actors/bench/bench_metrics.hpp"

namespace troupe::bench {

bench_metrics bench_metrics::make(metrics_registry* r) {
  bench_metrics m;
  if (r == nullptr) return m;
  m.queue_depth = &r->gauge_metric("troupe_bench_queue_depth",
                                   "Bench runs queued, not yet taken by the platforms");
  m.commits = &r->gauge_family(
      "troupe_bench_commits",
      "Commits seen by bench, by outcome (covered by a run, skipped, pending)",
      {"outcome"});
  m.runs = &r->counter_family(
      "troupe_bench_runs_total",
      "Bench runs by event (created, dropped, dispatched, appended)", {"event"});
  m.artifacts =
      &r->counter_family("troupe_bench_artifacts_total",
                         "Artifacts received by the collector, by platform and outcome",
                         {"platform", "outcome"});
  m.append_seconds = &r->histogram_metric(
      "troupe_bench_append_duration_seconds",
      "Time from a run's append to its durable commit", default_duration_buckets());
  m.regressions = &r->counter_family("troupe_bench_regressions_total",
                                     "Steps detected in a benchmark's history, by kind",
                                     {"platform", "benchmark", "kind"});
  m.analyses = &r->counter_family(
      "troupe_bench_analyses_total",
      "Appended runs whose history was analysed for steps, by outcome (ok, failed)",
      {"outcome"});
  m.platform_running =
      &r->gauge_family("troupe_bench_platform_running",
                       "1 while a benchmark platform runs a job", {"platform"});
  m.platform_waiting = &r->gauge_family(
      "troupe_bench_platform_waiting_for_host",
      "1 while a benchmark platform waits for its host (another measures)", {"platform"});
  m.host_wait_seconds = &r->counter_family(
      "troupe_bench_host_wait_seconds_total",
      "Time a benchmark platform spent waiting for its host", {"platform"});
  m.measurements = &r->counter_family(
      "troupe_bench_measurements_total",
      "Suite commands measured: quiet, disturbed (kept: no retries left), or "
      "repeated (disturbed, measured again)",
      {"platform", "outcome"});
  m.foreign_cpu_seconds = &r->counter_family(
      "troupe_bench_foreign_cpu_seconds_total",
      "CPU time other processes used on a suite's CPUs while it measured", {"platform"});
  return m;
}

}  // namespace troupe::bench
