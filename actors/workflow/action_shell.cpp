#include "actors/workflow/action_shell.hpp"

#include "runtime/services/process/process_service.hpp"

namespace troupe::workflow {

namespace {

// Checks a literal-or-template input; `rendered` demands final values.
status check_shell_input(const json& input, bool rendered) {
  if (auto st =
          check_known_fields(input, {"argv", "shell", "command", "cwd", "env", "stdin"});
      !st)
    return st;
  auto literal = [&](const json& v) { return rendered || !is_template(v); };
  auto shell = input.find("shell");
  if (shell && literal(*shell) && !shell->is_bool())
    return status::error("field 'shell': expected true or false");
  bool use_shell = shell && shell->is_bool() && shell->as_bool();
  auto argv = input.find("argv");
  auto command = input.find("command");
  if (use_shell) {
    if (argv)
      return status::error("field 'argv': not with \"shell\": true (use 'command')");
    if (!command) return status::error("missing input field 'command' (\"shell\": true)");
    if (literal(*command) && !command->is_string())
      return status::error("field 'command': expected a string");
  } else {
    if (command)
      return status::error("field 'command': only with \"shell\": true (use 'argv')");
    if (!argv) return status::error("missing input field 'argv'");
    if (literal(*argv)) {
      if (!argv->is_array() || argv->empty())
        return status::error("field 'argv': expected a non-empty list of strings");
      std::size_t i = 0;
      for (auto& a : argv->items()) {
        if (literal(a) && !a.is_string() && !a.is_number() && !a.is_bool())
          return status::error("field 'argv[" + std::to_string(i) +
                               "]': expected a string, number or boolean");
        ++i;
      }
    }
  }
  for (auto key : {"cwd", "stdin"})
    if (auto v = input.find(key); v && literal(*v) && !v->is_string())
      return status::error(std::string("field '") + key + "': expected a string");
  if (auto env = input.find("env"); env && literal(*env)) {
    if (!env->is_object())
      return status::error("field 'env': expected an object of strings");
    for (auto m : env->members())
      if (!m.value.is_string() && (rendered || !is_template(m.value)))
        return status::error("field 'env." + std::string(m.key) + "': expected a string");
  }
  return status::ok();
}

json result_of(const process_result& r) {
  json::object_builder b;
  if (r.term_signal > 0) {
    b.set("exit_code", nullptr);
    b.set("signal", r.term_signal);
  } else {
    b.set("exit_code", r.exit_code);
  }
  b.set("stdout", json(r.out));
  b.set("stderr", json(r.err));
  if (r.out_truncated) b.set("stdout_truncated", true);
  if (r.err_truncated) b.set("stderr_truncated", true);
  if (!r.out.empty() && !r.out_truncated)
    if (auto parsed = json::parse(r.out, "stdout")) b.set("json", *parsed);
  return b.build();
}

}  // namespace

status shell_action::check_input(const json& input) const {
  return check_shell_input(input, false);
}

void shell_action::run(const action_call& call, const action_env& env, action_done done) {
  if (auto st = check_shell_input(call.input, true); !st)
    return done({false, nullptr, "core.shell: " + st.message()});
  process_spec spec;
  auto shell = call.input.find("shell");
  if (shell && shell->as_bool()) {
    spec.argv = {"/bin/sh", "-c", std::string(call.input["command"].as_string())};
  } else {
    // Numbers and booleans (an item of a list of ports, say) are written as
    // their JSON text; check_shell_input refused anything else.
    for (auto& a : call.input["argv"].items())
      spec.argv.push_back(a.is_string() ? std::string(a.as_string()) : a.dump());
  }
  if (auto cwd = call.input.find("cwd")) spec.cwd = std::string(cwd->as_string());
  if (auto stdin_text = call.input.find("stdin"))
    spec.stdin_data = std::string(stdin_text->as_string());
  for (auto m : call.input["env"].members())
    spec.env.emplace_back(std::string(m.key), std::string(m.value.as_string()));
  auto id = call.id;
  auto pid = env.processes->start(std::move(spec), [this, id, done](process_result r) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (processes_.erase(id) == 0) reported_early_.insert(id);
    }
    if (r.spawn_failed) return done({false, nullptr, "core.shell: " + r.error});
    auto result = result_of(r);
    if (r.ok()) return done({true, std::move(result), {}});
    std::string why = r.term_signal > 0
                          ? "killed by signal " + std::to_string(r.term_signal)
                      : !r.error.empty() ? r.error
                                         : "exit code " + std::to_string(r.exit_code);
    done({false, std::move(result), "core.shell: " + why});
  });
  // The callback may already have run (a refusal is reported at once, a
  // quick process on the service thread); then there is nothing to cancel.
  std::lock_guard<std::mutex> lock(mu_);
  if (reported_early_.erase(id) == 0) processes_[id] = pid;
}

void shell_action::cancel(std::uint64_t call_id, const action_env& env) {
  std::uint64_t pid = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto i = processes_.find(call_id);
    if (i == processes_.end()) return;
    pid = i->second;
    processes_.erase(i);
  }
  env.processes->terminate(pid);
}

}  // namespace troupe::workflow
