// workflow_metrics: the workflow engine's metrics, registered once per node.
//   troupe_workflow_tasks_total{outcome}         task executions ended
//   troupe_workflow_items_total{outcome}         with-items items ended
//   troupe_workflow_task_duration_seconds        dispatch to end of a task execution
//   troupe_workflow_dispatch_latency_seconds     end of a task to start of a successor
//   troupe_workflow_executions_total{state}      executions ended, by final state
//   troupe_workflow_executions{state}            executions live now (running, paused)
//   troupe_workflow_context_bytes                a context's stored size, at each step
// outcome and state are the names of task_state / execution_state.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "runtime/services/metrics/metrics.hpp"

namespace troupe::workflow {

struct workflow_metrics {
  metric_family<counter>* tasks = nullptr;
  metric_family<counter>* items = nullptr;
  histogram* task_duration = nullptr;
  histogram* dispatch_latency = nullptr;
  metric_family<counter>* executions_ended = nullptr;
  metric_family<gauge>* executions_live = nullptr;
  histogram* context_bytes = nullptr;
  // Optional: gets every dispatch latency (seconds) that dispatch_latency
  // observes, as an exact sample (a histogram keeps only buckets); for
  // perf/dispatch_latency. Called on workflow actors' threads, concurrently
  // for different executions: it must be thread-safe and cheap. Works with
  // or without a registry.
  std::function<void(double seconds)> dispatch_latency_sink;

  // Registers the families in `registry` (nullptr: every metric is off).
  static std::shared_ptr<workflow_metrics> make(metrics_registry* registry);
};

}  // namespace troupe::workflow
