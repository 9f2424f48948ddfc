// workflow_records: how executions and task executions are kept in the store
// (tables wf_executions and wf_tasks, migrations 200 and 201) and how they are read
// back, for crash resume and for the API's view of finished runs.
//
// A step of an execution — a task finished, what it scheduled, the new vars —
// is one write_group, so the store holds either the step or nothing of it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actors/workflow/execution.hpp"
#include "messages/workflow.hpp"
#include "runtime/services/store/store_types.hpp"

namespace troupe::workflow {

// The schema: 200 the tables, 201 the indexes that serve GET /api/v1/runs
// newest first (with and without a state) without sorting the table.
std::vector<migration> workflow_migrations();

// The newest `limit` executions (in `state`, if given): id, workflow,
// state, started_ms, finished_ms. Read from an index (migration 201).
store_record list_executions(const std::optional<std::string>& state, std::int64_t limit);

// INSERT of a new execution (its definition document and parameters too).
store_record insert_execution(const execution& e, const std::string& source);
// UPDATE of an execution's state, engine state, output, errors, finished time.
store_record update_execution(const execution& e, std::int64_t finished_ms = 0);
// INSERT OR REPLACE of one task execution's row; `result_bytes` (optional)
// gets the size of the stored result text.
store_record save_task(const execution& e, const task_record& r,
                       std::size_t* result_bytes = nullptr);

// One execution as stored.
struct stored_execution {
  std::string id, workflow, source, state;
  json definition, parameters, engine, output;
  std::vector<std::string> errors;
  std::int64_t started_ms = 0, finished_ms = 0;
  std::vector<task_record> tasks;
  std::vector<std::string> task_names;  // "name#seq", parallel to tasks
};

// SELECT of the executions not in a final state (resume), and of one by id.
store_record select_unfinished();
store_record select_execution(const std::string& id);
// SELECT of the task rows of one execution.
store_record select_tasks(const std::string& id);

// Rows of select_unfinished / select_execution, without tasks. Errors name
// the execution whose row is damaged.
result<std::vector<stored_execution>> read_executions(const std::vector<sql_row>& rows);
// Rows of select_tasks into `e.tasks`, keys resolved against `def`
// (nullptr: names only, keys unresolved).
status read_tasks(const std::vector<sql_row>& rows, const workflow_definition* def,
                  stored_execution& e);

// The API's view of a live execution; `items` holds progress of running
// with-items tasks (key -> done, total).
run_status describe(
    const execution& e, std::uint64_t version,
    const std::map<task_key, std::pair<std::uint64_t, std::uint64_t>>& items,
    bool with_tasks = true);
// The API's view of a stored execution.
run_status describe(const stored_execution& e);

}  // namespace troupe::workflow
