// action: what a task does, by name ("core.shell", "fleet.scale", ...), and
// the registry through which subsystems add theirs. The workflow engine runs
// actions; fleet and bench plug theirs in, so the interface lives here, below
// all three (it keeps the workflow namespace, the engine's vocabulary).
//
// Contract of an action:
//   - check_input() judges the literal input of a definition (strings may
//     still be templates) so that a definition is rejected before it runs;
//   - run() starts one call with the rendered input and must call `done`
//     exactly once, from any thread, without blocking the caller: work that
//     waits (processes, timers, other actors) finishes through callbacks;
//   - inline actions (is_inline()) call `done` before run() returns and do
//     nothing else: the engine runs them on the task's own actor, without a
//     runner (core.noop, core.echo, core.fail — Orquesta's conductor treats
//     its noop the same way);
//   - cancel() asks a running call to stop (timeout, cancel of the
//     execution); the engine has already given up on it, so a `done` that
//     still comes is ignored. It must be harmless for an unknown or finished
//     call.
#pragma once

#include <caf/actor_addr.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/base/json/json.hpp"
#include "runtime/base/status.hpp"

namespace caf {
class actor_system;
}

namespace troupe {
class process_service;
}

namespace troupe::workflow {

// What the loader knows about actions: which exist and which input fields
// each accepts. The engine's action registry provides it.
class action_catalog {
 public:
  virtual ~action_catalog() = default;
  // ok() if `action` exists and `input` (the literal input object; strings
  // may be templates whose values are unknown yet) can be given to it;
  // otherwise an error message without a path ("unknown action 'core.shel'",
  // "unknown input field 'agrv'"; "field 'argv': ...").
  virtual status check_input(std::string_view action, const json& input) const = 0;
  // Input fields of `action` passed as written, not rendered as templates
  // (core.workflow's inline "definition" holds the child's own templates).
  virtual std::vector<std::string> literal_fields(std::string_view action) const = 0;
};

struct action_call {
  std::uint64_t id = 0;  // unique in the node, never reused
  std::string action;
  json input;  // rendered
  std::string execution;
  std::string task;
  // The logical call, the same across restarts of the node (action_request::key):
  // "<execution>/<task>#<seq>/<item>/<attempt>".
  std::string key;
};

struct action_outcome {
  bool succeeded = false;
  json result;        // the result; for a failure, what the action reported
  std::string error;  // why it failed; empty on success
};

using action_done = std::function<void(action_outcome)>;

// What actions may use: the node's services. `after` runs a callback after a
// delay on an engine thread (it must not block either).
struct action_env {
  caf::actor_system* sys = nullptr;
  process_service* processes = nullptr;
  std::function<void(std::chrono::milliseconds, std::function<void()>)> after;
  // The actor running the call (a task or a runner actor); actors an action
  // spawns for a call end with it (see ask_when_up.hpp).
  caf::actor_addr caller;
};

class action {
 public:
  virtual ~action() = default;
  virtual status check_input(const json& input) const = 0;
  virtual bool is_inline() const { return false; }
  // False for actions that only wait for other actors (core.workflow,
  // fleet.scale): they run from the task's actor without holding one of the
  // node's action runners, so a parent never blocks its child's runners.
  virtual bool needs_runner() const { return true; }
  // Input fields passed as written (see action_catalog::literal_fields).
  virtual std::vector<std::string> literal_fields() const { return {}; }
  virtual void run(const action_call& call, const action_env& env, action_done done) = 0;
  virtual void cancel(std::uint64_t /*call_id*/, const action_env& /*env*/) {}
};

class action_registry final : public action_catalog {
 public:
  // Adds (or replaces) the action called `name`.
  void add(std::string name, std::shared_ptr<action> a);
  // The action called `name`, or nullptr.
  std::shared_ptr<action> find(std::string_view name) const;
  status check_input(std::string_view action, const json& input) const override;
  std::vector<std::string> literal_fields(std::string_view action) const override;
  // Names, sorted.
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::shared_ptr<action>, std::less<>> actions_;
};

// Helpers for check_input implementations: ok() when every member of
// `input` is in `known`, otherwise "unknown input field 'x' (fields: ...)".
status check_known_fields(const json& input,
                          std::initializer_list<std::string_view> known);
// True when `v` is a string holding a template (its value is known later).
bool is_template(const json& v);

}  // namespace troupe::workflow
