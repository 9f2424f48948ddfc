// workflow_json: the API's JSON for runs (GET /api/v1/runs/<id>):
//   {"id", "workflow", "state", "stopping", "version", "started", "finished",
//    "progress": {"tasks_done", "tasks_total", "items_done", "items_total"},
//    "output", "errors": [...], "tasks": [{"name", "state", "started",
//    "finished", "items_done", "items_total", "error", "result"}]}
// Times are ISO 8601 UTC strings, null when unknown.
#pragma once

#include "messages/workflow.hpp"
#include "runtime/base/json/json.hpp"

namespace troupe::workflow {

json to_json(const run_status& s);

// "2026-11-22T07:30:48.123Z", or null for 0.
json iso_time_json(std::int64_t unix_ms);

}  // namespace troupe::workflow
