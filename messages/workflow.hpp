// workflow's protocols: the service that starts and routes runs, the
// workflow actor of each execution, its workflow-task actors, and the action
// pool with its runners (on this node and on member nodes). The typed
// interfaces at the end of this file are the contracts; an actor's internal
// messages (timers, store callbacks, slices of work) are private types of
// its implementation, so neither another actor nor another node can send
// them. Values travel as troupe::json, which serializes for CAF
// (runtime/base/json/json_caf.hpp); it is the one dependency of messages/
// outside CAF and the standard library.
#pragma once

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
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
using items_atom = caf::atom_constant<caf::atom("items")>;
using restored_atom = caf::atom_constant<caf::atom("restored")>;
using ended_atom = caf::atom_constant<caf::atom("ended")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using replay_atom = caf::atom_constant<caf::atom("replay")>;

// Start a workflow: a definition document (read by the caller from a file or
// given inline) and its parameters.
struct run_request {
  std::string source;  // names the definition in errors: a file, "inline"
  json definition;
  json parameters;  // an object
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
  return f(caf::meta::type_name("troupe::run_request"), x.source, x.definition,
           x.parameters, x.id);
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
  std::string state;          // running | paused | succeeded | failed | canceled
  bool stopping = false;      // failing or canceling: waits for running tasks
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
  return f(caf::meta::type_name("troupe::run_status"), x.id, x.workflow, x.state,
           x.stopping, x.version, x.started_ms, x.finished_ms, x.tasks_done,
           x.tasks_total, x.items_done, x.items_total, x.output, x.errors, x.tasks);
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
  return f(caf::meta::type_name("troupe::task_report"), x.task, x.seq, x.succeeded,
           x.result, x.error, x.items_total, x.items_done, x.items_failed, x.finished_ns);
}

// The workflow service, "workflow" in the node's actor names: the engine's
// front door for the API, the CLI and core.workflow.
//   (run_request) -> run_status
//       validates, stores and starts an execution; answered once it is
//       durable. invalid_argument names the JSON path of a bad definition or
//       parameters; queue_full past max-executions live runs;
//       storage_unavailable when the store cannot write
//   (status_atom, std::string id) -> run_status            not_found
//   (status_atom, std::string id, std::uint64_t since) -> run_status
//       a long poll: answered once the execution's version passes `since`
//   (wait_atom, std::string id) -> run_status    answered when it ended
//   (cancel_atom | pause_atom | resume_atom, std::string id) -> run_status
//       conflict when the execution has ended
using workflow_service_actor = caf::typed_actor<
    caf::replies_to<run_request>::with<run_status>,
    caf::replies_to<status_atom, std::string>::with<run_status>,
    caf::replies_to<status_atom, std::string, std::uint64_t>::with<run_status>,
    caf::replies_to<wait_atom, std::string>::with<run_status>,
    caf::replies_to<cancel_atom, std::string>::with<run_status>,
    caf::replies_to<pause_atom, std::string>::with<run_status>,
    caf::replies_to<resume_atom, std::string>::with<run_status>>;

// What a workflow actor tells its owner (the service):
//   (ended_atom, run_status)    the final status, just before it quits
using execution_owner_actor = caf::typed_actor<caf::reacts_to<ended_atom, run_status>>;

// What a workflow-task actor reports to its workflow actor:
//   (task_report)   the task execution ended (then the task actor quits)
//   (items_atom, std::uint64_t task, std::uint32_t seq, std::uint64_t done,
//    std::uint64_t total)   with-items progress
using task_parent_actor =
    caf::typed_actor<caf::reacts_to<task_report>,
                     caf::reacts_to<items_atom, std::uint64_t, std::uint32_t,
                                    std::uint64_t, std::uint64_t>>;

// A workflow actor, one per execution: the task side plus what its service
// forwards.
//   (run_atom) -> run_status   starts a fresh execution; answered once its
//                              first step is durable
//   (restored_atom)            resumes an execution restored from the store
//   (status_atom) -> run_status
//   (status_atom, std::uint64_t since) -> run_status   a long poll, answered
//                              at the next change or after 20 s
//   (wait_atom) -> run_status  answered when it ended
//   (cancel_atom | pause_atom | resume_atom) -> run_status
using execution_actor = task_parent_actor::extend<
    caf::replies_to<run_atom>::with<run_status>, caf::reacts_to<restored_atom>,
    caf::replies_to<status_atom>::with<run_status>,
    caf::replies_to<status_atom, std::uint64_t>::with<run_status>,
    caf::replies_to<wait_atom>::with<run_status>,
    caf::replies_to<cancel_atom>::with<run_status>,
    caf::replies_to<pause_atom>::with<run_status>,
    caf::replies_to<resume_atom>::with<run_status>>;

// A workflow-task actor, one per task execution:
//   (cancel_atom)   cancels its calls in flight; it reports the task canceled
using workflow_task_actor = caf::typed_actor<caf::reacts_to<cancel_atom>>;

// The pull side of the action pool: what action runners send it, on this
// node or on a member node (a worker's runners get this handle).
//   (ready_atom)     idle, wants a call; not_a_member from a node that has not
//                    joined
//   (action_reply)   the outcome of the call it held, and ready again
//   (replay_atom, std::vector<kept_reply>) -> std::size_t
//       replies a rejoining worker kept (action_request::key); how many the
//       pool took; not_a_member from a non-member
using action_pool_pull_actor = caf::typed_actor<
    caf::reacts_to<ready_atom>, caf::reacts_to<action_reply>,
    caf::replies_to<replay_atom, std::vector<kept_reply>>::with<std::size_t>>;

// The action pool, "wfactions" in the node's actor names: the pull side plus,
// from this node's workflow tasks (not_a_member from elsewhere),
//   (action_request) -> action_reply   the call's outcome; a failure when the
//                                      pool stops or the call is cancelled
//   (cancel_atom, std::uint64_t call_id)   the task gave up on the call
using action_pool_actor =
    action_pool_pull_actor::extend<caf::replies_to<action_request>::with<action_reply>,
                                   caf::reacts_to<cancel_atom, std::uint64_t>>;

// An action runner: one call at a time for its pool, which it pulls
// (ready_atom, then an action_reply per call).
//   (action_request)                      run it
//   (cancel_atom, std::uint64_t call_id)  cancel the running call
using action_runner_actor = caf::typed_actor<caf::reacts_to<action_request>,
                                             caf::reacts_to<cancel_atom, std::uint64_t>>;

}  // namespace troupe
