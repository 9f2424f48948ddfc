#include "actors/workflow/workflow_json.hpp"

#include "runtime/base/clock.hpp"

namespace troupe::workflow {

json iso_time_json(std::int64_t ms) {
  if (ms <= 0) return nullptr;
  return json(iso_time(ms));
}

json to_json(const run_status& s) {
  json::object_builder progress;
  progress.set("tasks_done", s.tasks_done);
  progress.set("tasks_total", s.tasks_total);
  progress.set("items_done", s.items_done);
  progress.set("items_total", s.items_total);
  json::array_builder errors;
  for (auto& e : s.errors) errors.push_back(json(e));
  json::array_builder tasks;
  for (auto& t : s.tasks) {
    json::object_builder b;
    b.set("name", json(t.name));
    b.set("state", json(t.state));
    b.set("started", iso_time_json(t.started_ms));
    b.set("finished", iso_time_json(t.finished_ms));
    b.set("items_done", t.items_done);
    b.set("items_total", t.items_total);
    b.set("error", t.error.empty() ? json() : json(t.error));
    b.set("result", t.result);
    tasks.push_back(b.build());
  }
  json::object_builder b;
  b.set("id", json(s.id));
  b.set("workflow", json(s.workflow));
  b.set("state", json(s.state));
  b.set("stopping", s.stopping);
  b.set("version", s.version);
  b.set("started", iso_time_json(s.started_ms));
  b.set("finished", iso_time_json(s.finished_ms));
  b.set("progress", progress.build());
  b.set("output", s.output);
  b.set("errors", errors.build());
  b.set("tasks", tasks.build());
  return b.build();
}

}  // namespace troupe::workflow
