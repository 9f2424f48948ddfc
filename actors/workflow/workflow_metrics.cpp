#include "actors/workflow/workflow_metrics.hpp"

namespace troupe::workflow {

std::shared_ptr<workflow_metrics> workflow_metrics::make(metrics_registry* r) {
  auto m = std::make_shared<workflow_metrics>();
  if (!r) return m;
  m->tasks = &r->counter_family("troupe_workflow_tasks_total",
                                "Task executions ended, by outcome.", {"outcome"});
  m->items = &r->counter_family("troupe_workflow_items_total",
                                "With-items items ended, by outcome.", {"outcome"});
  m->task_duration = &r->histogram_metric("troupe_workflow_task_duration_seconds",
                                          "Dispatch to end of a task execution.",
                                          default_duration_buckets());
  m->dispatch_latency = &r->histogram_metric(
      "troupe_workflow_dispatch_latency_seconds",
      "End of a task execution to the start of a successor it scheduled.",
      exponential_buckets(1e-6, 4, 12));
  m->executions_ended = &r->counter_family(
      "troupe_workflow_executions_total", "Executions ended, by final state.", {"state"});
  m->executions_live = &r->gauge_family("troupe_workflow_executions",
                                        "Executions running or paused now.", {"state"});
  m->context_bytes = &r->histogram_metric(
      "troupe_workflow_context_bytes",
      "Stored size of an execution's context (vars and task results) at each step.",
      exponential_buckets(1024, 4, 10));
  return m;
}

}  // namespace troupe::workflow
