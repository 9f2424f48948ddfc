// execution: the state of one run of a workflow, as pure logic. The workflow
// actor (workflow_actor.cpp) feeds it events — a task started, a task
// finished, pause, resume, cancel, a timeout — persists what it reports and
// dispatches the task executions it schedules; this class decides.
//
// The context is one immutable json value:
//   {"parameters": {...}, "vars": {...}, "task": {"<name>": {"result": ...,
//    "state": "succeeded"|"failed"}}, "system": {"execution", "workflow",
//    "started"}}
// A task execution sees the context as it was when it was dispatched (an
// O(1) copy); finishing a task sets its entry and publishing sets vars, each
// a new version sharing everything else with the previous one.
//
// Task executions are named by task and sequence number ("deploy#0"): a task
// without join runs once per arrival, so a loop runs "retry#0", "retry#1"...
// These keys are the task executions' stable identities in the store.
//
// States: running -> (paused <-> running) -> succeeded | failed | canceled.
// While failing or canceling (a failure nobody handled, a timeout, a cancel)
// nothing new is dispatched and the execution ends when no task runs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actors/workflow/definition.hpp"
#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace troupe::workflow {

enum class execution_state { running, paused, succeeded, failed, canceled };
// "running", "paused", "succeeded", "failed", "canceled".
std::string_view execution_state_name(execution_state s);
result<execution_state> parse_execution_state(std::string_view name);
bool is_final(execution_state s);

enum class task_state { scheduled, running, succeeded, failed, canceled };
// "scheduled", "running", "succeeded", "failed", "canceled".
std::string_view task_state_name(task_state s);
result<task_state> parse_task_state(std::string_view name);

struct task_key {
  std::size_t task = 0;  // index in the definition
  std::uint32_t seq = 0;
  bool operator<(const task_key& o) const {
    return task != o.task ? task < o.task : seq < o.seq;
  }
  bool operator==(const task_key& o) const { return task == o.task && seq == o.seq; }
};

// One task execution.
struct task_record {
  task_key key;
  task_state state = task_state::scheduled;
  bool durable = false;  // its scheduling is in the store: it may be dispatched
  json result;
  std::string error;
  std::int64_t started_ms = 0, finished_ms = 0;
  std::uint64_t items_total = 0, items_done = 0;
};

// How a task execution ended, as its workflow-task actor reports it.
struct task_result {
  bool succeeded = false;
  json result;        // the action's result, or the list of item results
  std::string error;  // why it failed
  std::uint64_t items_total = 0, items_done = 0, items_failed = 0;
};

// What complete() changed, for the actor to persist and act on.
struct step_changes {
  std::vector<task_key> scheduled;  // new task executions, in order
  bool vars_changed = false;
};

class execution {
 public:
  execution(definition_ptr def, std::string id, json parameters, std::int64_t started_ms);

  const workflow_definition& definition() const { return *def_; }
  const definition_ptr& shared_definition() const { return def_; }
  const std::string& id() const { return id_; }
  execution_state state() const { return state_; }
  // True while a failure, timeout or cancel waits for running tasks to end.
  bool stopping() const { return stopping_; }
  const json& context() const { return context_; }
  const json& parameters() const { return context_["parameters"]; }
  const json& vars() const { return context_["vars"]; }
  std::int64_t started_ms() const { return started_ms_; }
  const std::map<task_key, task_record>& tasks() const { return tasks_; }
  const task_record* find(const task_key& k) const;
  // "name#seq".
  std::string key_name(const task_key& k) const;
  // The key named "name#seq", or nullopt.
  std::optional<task_key> parse_key(std::string_view name) const;
  // Errors that failed the execution, in order ("task check: exit code 1").
  const std::vector<std::string>& errors() const { return errors_; }
  const json& output() const { return output_; }

  // Schedules the start tasks. Call once, on a fresh execution.
  step_changes begin();
  // The scheduling of `keys` reached the store: they may be dispatched.
  void mark_durable(const std::vector<task_key>& keys);
  // Task executions that may start now: durable, scheduled, and the
  // execution running (not paused, not stopping).
  std::vector<task_key> dispatchable() const;
  void mark_running(const task_key& k, std::int64_t now_ms);
  // Task `k` ended. Records its result in the context; if it is running (not
  // stopping), evaluates its `next` entries in order: each match publishes,
  // then schedules its `do` tasks (joins count arrivals). A failure that no
  // entry matched, or a template error, starts stopping with state failed.
  step_changes complete(const task_key& k, task_result r, std::int64_t now_ms);

  void pause();
  void resume();
  // Stops with state canceled / failed (`why` recorded): scheduled tasks are
  // canceled; running ones are for the actor to cancel.
  void cancel();
  void fail(std::string why);

  // Task executions canceled (never started) since the last call: their
  // rows must be written with the step that stops the execution.
  std::vector<task_key> take_canceled() { return std::exchange(canceled_, {}); }

  // True when no task is scheduled or running: nothing more can happen. (A
  // paused execution with scheduled tasks is not done.)
  bool done() const;
  // Ends a done execution: state succeeded (with output rendered; an output
  // template error fails it) unless it was stopping. Idempotent.
  void finish();

  // -- persistence ---------------------------------------------------------
  // What the store keeps besides task rows: vars, join arrivals, errors and
  // whether it is stopping. O(vars + joins), not O(tasks run).
  json engine_state() const;
  // Rebuilds an execution from the store: `engine` from engine_state(),
  // `tasks` its task rows. Running tasks become scheduled (they run again:
  // at-least-once); all restored scheduling is durable.
  static result<execution> restore(definition_ptr def, std::string id, json parameters,
                                   std::int64_t started_ms, execution_state state,
                                   const json& engine, std::vector<task_record> tasks);

 private:
  // Task `task` arrives (from task `from`, or a start task when from is
  // npos) and is scheduled unless a join still waits.
  void schedule(std::size_t task, std::size_t from, step_changes& changes);
  // Scheduled tasks become canceled (cancel, fail).
  void cancel_scheduled();
  std::vector<task_key> canceled_;  // canceled by cancel_scheduled, not yet taken
  void set_task_entry(const task_key& k, const task_record& r);
  status evaluate_next(const task_definition& t, bool succeeded, const json& result,
                       step_changes& changes);

  definition_ptr def_;
  std::string id_;
  std::int64_t started_ms_ = 0;
  execution_state state_ = execution_state::running;
  bool stopping_ = false;
  execution_state stop_state_ = execution_state::failed;
  json context_;
  std::map<task_key, task_record> tasks_;
  // Keys of tasks_ scheduled or running: what dispatchable() and done() look
  // at, so that a step costs O(frontier), not O(every task execution so far).
  std::set<task_key> active_;
  std::vector<std::size_t> arrivals_;                // per task, for joins of N
  std::vector<std::set<std::size_t>> arrived_from_;  // per task, for joins of "all"
  std::vector<std::size_t> join_tasks_;              // tasks with a join
  std::vector<std::uint32_t> next_seq_;              // per task
  std::vector<std::string> errors_;
  json output_;
};

}  // namespace troupe::workflow
