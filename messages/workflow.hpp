// workflow's messages. Values travel as troupe::json, which serializes for
// CAF (runtime/base/json/json_caf.hpp), so that any of these may later cross nodes; it
// is the one dependency of messages/ outside CAF and the standard library.
//
//   API/CLI → workflow service ("workflow" in the registry):
//     (run_request)                      -> run_status   accepted: durable, started
//     (status_atom, string id)           -> run_status
//     (status_atom, string id, uint64 v) -> run_status   long poll: answers once the
//                                                        execution's version passes v
//     (wait_atom, string id)             -> run_status   answers when it ended
//     (cancel_atom | pause_atom | resume_atom, string id) -> run_status
//     (list_atom)                        -> std::vector<run_status> (live ones, no tasks)
//   workflow-task → action pool:
//     (action_request)                   -> action_reply
//     (cancel_atom, uint64 call_id)      the task gave up on a call
//   action runner → action pool: (ready_atom)   idle, wants a call
//   workflow-task → workflow actor:
//     (task_report)                      the task execution ended
//     (items_atom, uint64 task, uint32 seq, uint64 done, uint64 total)  progress
#pragma once

#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/atoms.hpp"
#include "runtime/base/json/json_caf.hpp"

namespace troupe {

using wait_atom = caf::atom_constant<caf::atom("wait")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using pause_atom = caf::atom_constant<caf::atom("pause")>;
using resume_atom = caf::atom_constant<caf::atom("resume")>;
using list_atom = caf::atom_constant<caf::atom("list")>;
using items_atom = caf::atom_constant<caf::atom("items")>;
// Internal to workflow actors: a step became durable, a deadline passed,
// a batch of inline items continues, a retry is due.
using durable_atom = caf::atom_constant<caf::atom("durable")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
using continue_atom = caf::atom_constant<caf::atom("continue")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using action_done_atom = caf::atom_constant<caf::atom("actdone")>;
using timer_atom = caf::atom_constant<caf::atom("timer")>;
using restored_atom = caf::atom_constant<caf::atom("restored")>;
// An execution ended: its final status (workflow actor → service).
using ended_atom = caf::atom_constant<caf::atom("ended")>;
// Starts a fresh execution (service → its new workflow actor).
using run_atom = caf::atom_constant<caf::atom("run")>;
// worker → action pool: (replay_atom, std::vector<kept_reply>) -> std::size_t
// (how many it took); from cluster members only.
using replay_atom = caf::atom_constant<caf::atom("replay")>;

// Start a workflow: a definition document (read by the caller from a file or
// given inline) and its parameters.
struct run_request {
  std::string source;  // names the definition in errors: a file, "inline"
  json definition;
  json parameters;     // an object
  // Empty: a new execution under a fresh id. Otherwise the id to start it
  // under, once: while an execution with this id exists (live, ended or
  // stored; one stored as live is answered once the node has resumed it)
  // the answer is its status and nothing starts (core.workflow
  // derives it from its call, so a parent task that reruns after a crash
  // finds its child instead of starting a second one).
  std::string id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_request& x) {
  return f(caf::meta::type_name("troupe::run_request"), x.source, x.definition, x.parameters, x.id);
}

// One task execution of a run ("deploy#0").
struct run_task_status {
  std::string name;
  std::string state;  // scheduled | running | succeeded | failed | canceled
  std::int64_t started_ms = 0, finished_ms = 0;
  std::uint64_t items_done = 0, items_total = 0;
  std::string error;
  json result;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_task_status& x) {
  return f(caf::meta::type_name("troupe::run_task_status"), x.name, x.state, x.started_ms,
           x.finished_ms, x.items_done, x.items_total, x.error, x.result);
}

struct run_status {
  std::string id;
  std::string workflow;
  std::string state;  // running | paused | succeeded | failed | canceled
  bool stopping = false;  // failing or canceling: waits for running tasks
  std::uint64_t version = 0;  // grows with every change
  std::int64_t started_ms = 0, finished_ms = 0;
  std::uint64_t tasks_done = 0, tasks_total = 0;  // task executions
  std::uint64_t items_done = 0, items_total = 0;  // with-items of running tasks
  json output;
  std::vector<std::string> errors;
  std::vector<run_task_status> tasks;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_status& x) {
  return f(caf::meta::type_name("troupe::run_status"), x.id, x.workflow, x.state, x.stopping,
           x.version, x.started_ms, x.finished_ms, x.tasks_done, x.tasks_total, x.items_done,
           x.items_total, x.output, x.errors, x.tasks);
}

// One action call, for a runner.
struct action_request {
  std::uint64_t call_id = 0;
  std::string action;
  json input;
  std::string execution;
  std::string task;
  std::int64_t timeout_ms = 0;  // per attempt, from when a runner starts it; 0 = none
  // The task's worker_selector as "key=value" labels: only runners on a
  // cluster member carrying all of them take the call; empty = any runner.
  std::vector<std::string> selector;
  // The logical call, the same for every dispatch of it, across restarts of
  // the coordinator: "<execution>/<task>#<seq>/<item>/<attempt>". A worker
  // keeps the replies of the calls it ran by this key and hands them back
  // when it rejoins (replay_atom), so that a coordinator that lost a reply
  // gets it instead of running the call again.
  std::string key;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, action_request& x) {
  return f(caf::meta::type_name("troupe::action_request"), x.call_id, x.action, x.input,
           x.execution, x.task, x.timeout_ms, x.selector, x.key);
}

struct action_reply {
  std::uint64_t call_id = 0;
  bool succeeded = false;
  json result;
  std::string error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, action_reply& x) {
  return f(caf::meta::type_name("troupe::action_reply"), x.call_id, x.succeeded, x.result,
           x.error);
}

// A reply a worker kept, by its call's key (action_request::key).
struct kept_reply {
  std::string key;
  action_reply reply;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, kept_reply& x) {
  return f(caf::meta::type_name("troupe::kept_reply"), x.key, x.reply);
}

// A task execution ended (workflow-task → its workflow actor).
struct task_report {
  std::uint64_t task = 0;  // index in the definition
  std::uint32_t seq = 0;
  bool succeeded = false;
  json result;
  std::string error;
  std::uint64_t items_total = 0, items_done = 0, items_failed = 0;
  std::int64_t finished_ns = 0;  // steady clock, for dispatch latency
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_report& x) {
  return f(caf::meta::type_name("troupe::task_report"), x.task, x.seq, x.succeeded, x.result,
           x.error, x.items_total, x.items_done, x.items_failed, x.finished_ns);
}

}  // namespace troupe
