// The core actions that need no process: core.noop,
// core.echo, core.fail (inline) and core.sleep (a timer). core.shell is in
// action_shell.cpp, core.http in action_http.cpp.
#include "actors/workflow/action_core.hpp"

#include <cmath>

#include "actors/workflow/action_http.hpp"
#include "actors/workflow/action_shell.hpp"
#include "actors/workflow/action_workflow.hpp"

namespace troupe::workflow {

namespace {

class noop_action final : public action {
 public:
  status check_input(const json& input) const override {
    return check_known_fields(input, {});
  }
  bool is_inline() const override { return true; }
  void run(const action_call&, const action_env&, action_done done) override {
    done({true, nullptr, {}});
  }
};

// Result: its `message` input, with its type (null when absent).
class echo_action final : public action {
 public:
  status check_input(const json& input) const override {
    return check_known_fields(input, {"message"});
  }
  bool is_inline() const override { return true; }
  void run(const action_call& call, const action_env&, action_done done) override {
    done({true, call.input["message"], {}});
  }
};

// Fails with `message` (default "core.fail"); the result is the message.
class fail_action final : public action {
 public:
  status check_input(const json& input) const override {
    if (auto st = check_known_fields(input, {"message"}); !st) return st;
    auto m = input.find("message");
    if (m && !m->is_string()) return status::error("field 'message': expected a string");
    return status::ok();
  }
  bool is_inline() const override { return true; }
  void run(const action_call& call, const action_env&, action_done done) override {
    auto m = call.input.find("message");
    std::string message = m && m->is_string() ? std::string(m->as_string()) : "core.fail";
    done({false, json(message), message});
  }
};

// Waits `seconds` (a number >= 0; fractions allowed), result null.
class sleep_action final : public action {
 public:
  status check_input(const json& input) const override {
    if (auto st = check_known_fields(input, {"seconds"}); !st) return st;
    auto s = input.find("seconds");
    if (!s) return status::error("missing input field 'seconds'");
    if (!is_template(*s) && !(s->is_number() && s->as_double() >= 0))
      return status::error("field 'seconds': expected a number >= 0");
    return status::ok();
  }
  void run(const action_call& call, const action_env& env, action_done done) override {
    auto s = call.input["seconds"];
    if (!s.is_number() || !(s.as_double() >= 0) || !std::isfinite(s.as_double()))
      return done({false, nullptr, "core.sleep: 'seconds' must be a number >= 0"});
    auto ms = std::chrono::milliseconds(static_cast<std::int64_t>(s.as_double() * 1000));
    env.after(ms, [done = std::move(done)] { done({true, nullptr, {}}); });
  }
};

}  // namespace

action_registry core_actions(std::string workflows_dir) {
  action_registry r;
  r.add("core.noop", std::make_shared<noop_action>());
  r.add("core.echo", std::make_shared<echo_action>());
  r.add("core.fail", std::make_shared<fail_action>());
  r.add("core.sleep", std::make_shared<sleep_action>());
  r.add("core.shell", std::make_shared<shell_action>());
  r.add("core.http", std::make_shared<http_action>());
  r.add("core.workflow", std::make_shared<workflow_action>(std::move(workflows_dir)));
  return r;
}

}  // namespace troupe::workflow
