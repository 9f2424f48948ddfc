// The shape of a definition: fields, types, templates, actions. The graph
// checks (tasks named in `do`, joins, start tasks, cycles) are in
// definition_graph.cpp.
#include <chrono>
#include <cmath>
#include <optional>
#include <regex>

#include "actors/workflow/definition.hpp"
#include "actors/workflow/definition_graph.hpp"
#include "runtime/base/json/json_fields.hpp"

namespace troupe::workflow {

namespace {

// Errors name the JSON path only: load_definition puts the source in front of
// each, as it does for the template and graph errors. A null member is a value
// like any other: "timeout": null is an error, not the default.
const json_fields fields(json_fields::nulls::checked);

// Member `key` of `object` (at `at`): a string that is not empty.
result<std::string> required_name(const json& object, const json_path& at,
                                  std::string_view key) {
  auto s = fields.required_string(object, at, key);
  if (s && s->empty()) return fields.error(at.key(key), "must not be empty");
  return s;
}

// Member `key` of `object` (at `at`): a number of seconds (integer or
// fraction) > 0 (>= 0 when `zero_ok`), at most a year, as milliseconds;
// nullopt when absent.
result<std::optional<std::chrono::milliseconds>> optional_seconds(const json& object,
                                                                  const json_path& at,
                                                                  std::string_view key,
                                                                  bool zero_ok = false) {
  const json* v = fields.present(object, key);
  if (!v) return std::optional<std::chrono::milliseconds>();
  if (!v->is_number()) return fields.type_error(at.key(key), "a number of seconds", *v);
  double s = v->as_double();
  if (!std::isfinite(s) || s < 0 || (s == 0 && !zero_ok))
    return fields.error(at.key(key),
                        zero_ok ? "must be >= 0 seconds" : "must be > 0 seconds");
  if (s > 365.0 * 24 * 3600)
    return fields.error(at.key(key), "must be at most a year (31536000 seconds)");
  return std::optional<std::chrono::milliseconds>(
      std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(s * 1000))));
}

// Where a template sits decides which names it may read.
enum class place { input, with_items, item_input, transition, output };

status check_roots(const std::vector<std::string>& roots, bool uses_outcome, place where,
                   const json_path& path) {
  for (auto& r : roots) {
    bool ok = r == "parameters" || r == "vars" || r == "task" || r == "system" ||
              ((r == "item" || r == "index") && where == place::item_input);
    if (!ok) {
      std::string known = "parameters, vars, task, system";
      if (where == place::item_input) known += ", item, index";
      std::string hint = (r == "item" || r == "index") ? " ('" + r +
                                                             "' exists only in the input "
                                                             "of a task with with_items)"
                                                       : "";
      return fields.error(path,
                          "unknown name '" + r + "'" + hint + " (names: " + known + ")");
    }
  }
  if (uses_outcome && where != place::transition)
    return fields.error(path,
                        "result(), succeeded() and failed() exist only in a task's next");
  return status::ok();
}

result<expr::compiled_template> compile_string(const json& v, const json_path& path,
                                               place where) {
  if (!v.is_string()) return fields.type_error(path, "a template string", v);
  auto t = expr::compile_template(v.as_string());
  if (!t) return fields.error(path, t.error().message());
  if (auto st = check_roots(t->roots(), t->uses_task_outcome(), where, path); !st)
    return st;
  return std::move(*t);
}

result<expr::json_template> compile_value(const json& v, const json_path& path,
                                          place where) {
  auto t = expr::compile_json_template(v, path);
  if (!t) return t.error();
  if (auto st = check_roots(t->roots(), t->uses_task_outcome(), where, path); !st)
    return st;
  return std::move(*t);
}

result<retry_policy> load_retry(const json& v, const json_path& path) {
  if (auto st = fields.expect(v, path, json_type::object); !st) return st;
  retry_policy r;
  auto count = fields.optional_integer(v, path, "count", 1, 0, 1000);
  if (!count) return count.error();
  r.count = static_cast<unsigned>(*count);
  auto delay = optional_seconds(v, path, "delay", true);
  if (!delay) return delay.error();
  if (*delay) r.delay = **delay;
  auto max_delay = optional_seconds(v, path, "max_delay", true);
  if (!max_delay) return max_delay.error();
  if (*max_delay) r.max_delay = **max_delay;
  auto backoff = fields.optional_string(v, path, "backoff", "constant");
  if (!backoff) return backoff.error();
  auto kind = parse_backoff(*backoff);
  if (!kind) return fields.error(path.key("backoff"), kind.error().message());
  r.backoff = *kind;
  if (auto st = fields.known(v, path, {"count", "delay", "backoff", "max_delay"}); !st)
    return st;
  return r;
}

result<transition> load_transition(const json& v, const json_path& path) {
  if (auto st = fields.expect(v, path, json_type::object); !st) return st;
  transition t;
  if (auto* w = fields.present(v, "when")) {
    auto c = compile_string(*w, path.key("when"), place::transition);
    if (!c) return c.error();
    t.when = std::move(*c);
  }
  auto publish = fields.optional_object(v, path, "publish");
  if (!publish) return publish.error();
  for (auto m : publish->members()) {
    auto c = compile_value(m.value, path.key("publish").key(m.key), place::transition);
    if (!c) return c.error();
    t.publish.emplace_back(std::string(m.key), std::move(*c));
  }
  if (auto* d = fields.present(v, "do")) {
    if (d->is_string()) {
      t.next_tasks.emplace_back(d->as_string());
    } else if (d->is_array()) {
      std::size_t i = 0;
      for (auto& name : d->items()) {
        if (!name.is_string())
          return fields.type_error(path.key("do").index(i), "a task name", name);
        t.next_tasks.emplace_back(name.as_string());
        ++i;
      }
    } else {
      return fields.type_error(path.key("do"), "a task name or a list of task names", *d);
    }
  }
  if (auto st = fields.known(v, path, {"when", "publish", "do"}); !st) return st;
  return t;
}

status load_labels(const json& v, const json_path& path,
                   std::map<std::string, std::string>& out) {
  if (!v.is_object()) return fields.type_error(path, "an object of labels", v);
  for (auto m : v.members()) {
    if (auto st = fields.expect(m.value, path.key(m.key), json_type::string); !st)
      return st;
    out[std::string(m.key)] = std::string(m.value.as_string());
  }
  return status::ok();
}

result<task_definition> load_task(std::string_view name, const json& v,
                                  const json_path& path, const action_catalog& actions) {
  if (!v.is_object()) return fields.type_error(path, "a task object", v);
  task_definition t;
  t.name = std::string(name);
  auto action = required_name(v, path, "action");
  if (!action) return action.error();
  t.action = std::move(*action);
  auto input = fields.optional_object(v, path, "input");
  if (!input) return input.error();
  if (auto st = actions.check_input(t.action, *input); !st)
    return fields.error(path.key(fields.present(v, "input") ? "input" : "action"),
                        st.message());
  if (auto* w = fields.present(v, "with_items")) {
    auto c = compile_string(*w, path.key("with_items"), place::with_items);
    if (!c) return c.error();
    t.with_items = std::move(*c);
  }
  json templated = *input;
  for (auto& field : actions.literal_fields(t.action))
    if (auto* v = input->find(field)) {
      t.literal_input = t.literal_input.set(field, *v);
      templated = templated.erase(field);
    }
  auto in = compile_value(templated, path.key("input"),
                          t.with_items ? place::item_input : place::input);
  if (!in) return in.error();
  t.input = std::move(*in);
  auto concurrency = fields.optional_integer(v, path, "concurrency", 0, 1, 1'000'000);
  if (!concurrency) return concurrency.error();
  t.concurrency = static_cast<std::size_t>(*concurrency);
  if (fields.present(v, "concurrency") && !t.with_items)
    return fields.error(path.key("concurrency"),
                        "only a task with with_items has a concurrency");
  if (auto* r = fields.present(v, "retry")) {
    auto retry = load_retry(*r, path.key("retry"));
    if (!retry) return retry.error();
    t.retry = *retry;
  }
  auto timeout = optional_seconds(v, path, "timeout");
  if (!timeout) return timeout.error();
  t.timeout = *timeout;
  if (auto* n = fields.present(v, "next")) {
    if (!n->is_array())
      return fields.type_error(path.key("next"), "a list of transitions", *n);
    std::size_t i = 0;
    for (auto& entry : n->items()) {
      auto tr = load_transition(entry, path.key("next").index(i++));
      if (!tr) return tr.error();
      t.next.push_back(std::move(*tr));
    }
  }
  if (auto* j = fields.present(v, "join")) {
    if (j->is_string() && j->as_string() == "all") {
      t.join = join_all;
    } else if (j->is_int() && j->as_int() >= 1 && j->as_int() <= 100'000) {
      t.join = static_cast<std::size_t>(j->as_int());
    } else {
      return fields.error(path.key("join"),
                          "expected \"all\" or an integer from 1 to 100000");
    }
  }
  if (auto* s = fields.present(v, "worker_selector"))
    if (auto st = load_labels(*s, path.key("worker_selector"), t.worker_selector); !st)
      return st;
  if (auto st =
          fields.known(v, path,
                       {"action", "input", "with_items", "concurrency", "retry",
                        "timeout", "next", "join", "worker_selector", "description"});
      !st)
    return st;
  if (auto d = fields.optional_string(v, path, "description"); !d) return d.error();
  return t;
}

const std::regex& name_pattern() {
  static const std::regex re("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
  return re;
}

}  // namespace

const task_definition* workflow_definition::find(std::string_view task_name) const {
  auto i = task_index.find(task_name);
  return i == task_index.end() ? nullptr : &tasks[i->second];
}

result<definition_ptr> load_definition(const json& doc, std::string_view source,
                                       const action_catalog& actions) {
  auto prefixed = [&](status st) {
    return status::error(std::string(source) + ": " + st.message());
  };
  json_path root;
  if (!doc.is_object())
    return prefixed(fields.type_error(root, "a workflow object", doc));
  auto def = std::make_shared<workflow_definition>();
  def->source = std::string(source);
  def->document = doc;
  auto version = fields.optional_integer(doc, root, "version", 0, 1, 1);
  if (!version) return prefixed(version.error());
  if (!fields.present(doc, "version"))
    return prefixed(fields.error(root.key("version"), "missing, expected 1"));
  auto name = required_name(doc, root, "name");
  if (!name) return prefixed(name.error());
  if (!std::regex_match(*name, name_pattern()))
    return prefixed(fields.error(root.key("name"),
                                 "must be a name of letters, digits, '_', '.', '-'"));
  def->name = std::move(*name);
  auto description = fields.optional_string(doc, root, "description");
  if (!description) return prefixed(description.error());
  def->description = std::move(*description);
  auto input = fields.optional_object(doc, root, "input");
  if (!input) return prefixed(input.error());
  def->input = *input;
  auto vars = fields.optional_object(doc, root, "vars");
  if (!vars) return prefixed(vars.error());
  for (auto m : vars->members()) {
    // Initial values are literals: templates in them would have no context.
    auto at = root.key("vars").key(m.key);
    auto t = expr::compile_json_template(m.value, at);
    if (!t) return prefixed(t.error());
    if (t->has_expressions())
      return prefixed(fields.error(at,
                                   "initial values are literals; set computed values "
                                   "with a task's publish"));
  }
  def->vars = *vars;
  auto* tasks = fields.present(doc, "tasks");
  if (!tasks)
    return prefixed(
        fields.error(root.key("tasks"), "missing, expected a non-empty object of tasks"));
  if (!tasks->is_object() || tasks->empty())
    return prefixed(
        fields.error(root.key("tasks"), "expected a non-empty object of tasks"));
  for (auto m : tasks->members()) {
    auto path = root.key("tasks").key(m.key);
    if (!std::regex_match(std::string(m.key), name_pattern()))
      return prefixed(
          fields.error(path, "a task name is letters, digits, '_', '.', '-'"));
    auto t = load_task(m.key, m.value, path, actions);
    if (!t) return prefixed(t.error());
    t->index = def->tasks.size();
    def->task_index.emplace(t->name, t->index);
    def->tasks.push_back(std::move(*t));
  }
  if (auto* o = fields.present(doc, "output")) {
    auto t = compile_value(*o, root.key("output"), place::output);
    if (!t) return prefixed(t.error());
    def->output = std::move(*t);
  }
  auto timeout = optional_seconds(doc, root, "timeout");
  if (!timeout) return prefixed(timeout.error());
  def->timeout = *timeout;
  if (auto st = fields.known(doc, root,
                             {"version", "name", "description", "input", "vars", "tasks",
                              "output", "timeout"});
      !st)
    return prefixed(st);
  if (auto st = check_graph(*def); !st) return prefixed(st);
  return definition_ptr(std::move(def));
}

result<definition_ptr> parse_definition(std::string_view text, std::string_view source,
                                        const action_catalog& actions) {
  auto doc = json::parse(text, source);
  if (!doc) return doc.error();
  return load_definition(*doc, source, actions);
}

result<json> bind_parameters(const workflow_definition& def, const json& given) {
  if (!given.is_object())
    return fields.type_error(json_path(), "an object of parameters", given);
  json out = def.input;
  for (auto m : given.members()) {
    if (!def.input.contains(m.key)) {
      std::string known;
      for (auto d : def.input.members())
        known += (known.empty() ? "" : ", ") + std::string(d.key);
      return status::error("unknown parameter '" + std::string(m.key) + "' (workflow " +
                           def.name + " declares: " + (known.empty() ? "none" : known) +
                           ")");
    }
    out = out.set(m.key, m.value);
  }
  return out;
}

}  // namespace troupe::workflow
