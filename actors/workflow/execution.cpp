#include "actors/workflow/execution.hpp"

#include <algorithm>
#include <ctime>

#include "actors/workflow/expr/context.hpp"
#include "actors/workflow/expr/values.hpp"
#include "runtime/base/clock.hpp"

namespace troupe::workflow {

namespace {

constexpr std::string_view execution_state_names[] = {"running", "paused", "succeeded",
                                                      "failed", "canceled"};
constexpr std::string_view task_state_names[] = {"scheduled", "running", "succeeded",
                                                 "failed", "canceled"};

}  // namespace

std::string_view execution_state_name(execution_state s) {
  return execution_state_names[static_cast<int>(s)];
}

result<execution_state> parse_execution_state(std::string_view name) {
  for (int i = 0; i < 5; ++i)
    if (execution_state_names[i] == name) return static_cast<execution_state>(i);
  return status::error("unknown execution state '" + std::string(name) + "'");
}

bool is_final(execution_state s) {
  return s == execution_state::succeeded || s == execution_state::failed ||
         s == execution_state::canceled;
}

std::string_view task_state_name(task_state s) {
  return task_state_names[static_cast<int>(s)];
}

result<task_state> parse_task_state(std::string_view name) {
  for (int i = 0; i < 5; ++i)
    if (task_state_names[i] == name) return static_cast<task_state>(i);
  return status::error("unknown task state '" + std::string(name) + "'");
}

execution::execution(definition_ptr def, std::string id, json parameters,
                     std::int64_t started_ms)
    : def_(std::move(def)), id_(std::move(id)), started_ms_(started_ms) {
  json::object_builder system;
  system.set("execution", json(id_));
  system.set("workflow", json(def_->name));
  system.set("started", json(iso_time(started_ms)));
  json::object_builder ctx;
  ctx.set("parameters", std::move(parameters));
  ctx.set("vars", def_->vars);
  ctx.set("task", json::object());
  ctx.set("system", system.build());
  context_ = ctx.build();
  arrivals_.assign(def_->tasks.size(), 0);
  arrived_from_.assign(def_->tasks.size(), {});
  next_seq_.assign(def_->tasks.size(), 0);
  for (auto& t : def_->tasks)
    if (t.join > 0) join_tasks_.push_back(t.index);
}

const task_record* execution::find(const task_key& k) const {
  auto i = tasks_.find(k);
  return i == tasks_.end() ? nullptr : &i->second;
}

std::string execution::key_name(const task_key& k) const {
  return def_->tasks[k.task].name + "#" + std::to_string(k.seq);
}

std::optional<task_key> execution::parse_key(std::string_view name) const {
  auto hash = name.rfind('#');
  if (hash == std::string_view::npos) return std::nullopt;
  auto* t = def_->find(name.substr(0, hash));
  if (!t) return std::nullopt;
  std::uint32_t seq = 0;
  auto digits = name.substr(hash + 1);
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return task_key{t->index, seq};
}

void execution::schedule(std::size_t task, std::size_t from, step_changes& changes) {
  auto& t = def_->tasks[task];
  if (t.join_all) {
    arrived_from_[task].insert(from);
    if (arrived_from_[task].size() < t.join) return;
    arrived_from_[task].clear();  // a loop may join again
  } else if (t.join > 0) {
    if (++arrivals_[task] < t.join) return;
    arrivals_[task] = 0;
  }
  task_key k{task, next_seq_[task]++};
  task_record r;
  r.key = k;
  tasks_[k] = r;
  active_.insert(k);
  changes.scheduled.push_back(k);
}

step_changes execution::begin() {
  step_changes changes;
  if (stopping_) return changes;  // failed (a timeout) before it began
  for (auto i : def_->start_tasks) schedule(i, SIZE_MAX, changes);
  return changes;
}

void execution::mark_durable(const std::vector<task_key>& keys) {
  for (auto& k : keys)
    if (auto i = tasks_.find(k); i != tasks_.end()) i->second.durable = true;
}

std::vector<task_key> execution::dispatchable() const {
  std::vector<task_key> out;
  if (state_ != execution_state::running || stopping_) return out;
  for (auto& k : active_)
    if (auto& r = tasks_.at(k); r.state == task_state::scheduled && r.durable)
      out.push_back(k);
  return out;
}

void execution::mark_running(const task_key& k, std::int64_t now_ms) {
  auto i = tasks_.find(k);
  if (i == tasks_.end() || i->second.state != task_state::scheduled) return;
  i->second.state = task_state::running;
  i->second.started_ms = now_ms;
}

void execution::set_task_entry(const task_key& k, const task_record& r) {
  json::object_builder entry;
  entry.set("result", r.result);
  entry.set("state", json(task_state_name(r.state)));
  if (!r.error.empty()) entry.set("error", json(r.error));
  auto& name = def_->tasks[k.task].name;
  context_ = context_.set("task", context_["task"].set(name, entry.build()));
}

status execution::evaluate_next(const task_definition& t, bool succeeded,
                                const json& result, step_changes& changes) {
  bool matched = false;
  for (std::size_t i = 0; i < t.next.size(); ++i) {
    auto& tr = t.next[i];
    auto where = json_path().key("tasks").key(t.name).key("next").index(i);
    bool match = succeeded;
    if (tr.when) {
      expr::json_context ctx(context_, expr::task_outcome{succeeded, result});
      auto v = expr::render(*tr.when, ctx);
      if (!v)
        return status::error("task " + t.name + ", " + where.key("when").str() + ": " +
                             v.error().message());
      match = expr::truthy(*v);
    }
    if (!match) continue;
    matched = true;
    for (auto& [name, value] : tr.publish) {
      expr::json_context ctx(context_, expr::task_outcome{succeeded, result});
      auto v = expr::render(value, ctx);
      if (!v) return status::error("task " + t.name + ": " + v.error().message());
      context_ = context_.set("vars", context_["vars"].set(name, std::move(*v)));
      changes.vars_changed = true;
    }
    for (auto& next : tr.next_tasks) schedule(def_->find(next)->index, t.index, changes);
  }
  if (!succeeded && !matched) return status::error("task " + t.name + " failed");
  return status::ok();
}

step_changes execution::complete(const task_key& k, task_result r, std::int64_t now_ms) {
  step_changes changes;
  auto i = tasks_.find(k);
  if (i == tasks_.end() || (i->second.state != task_state::running &&
                            i->second.state != task_state::scheduled))
    return changes;
  auto& rec = i->second;
  // A task that stopped because the execution is stopping was canceled,
  // not failed.
  rec.state = r.succeeded                          ? task_state::succeeded
              : stopping_ && r.error == "canceled" ? task_state::canceled
                                                   : task_state::failed;
  active_.erase(k);
  rec.result = std::move(r.result);
  rec.error = std::move(r.error);
  rec.finished_ms = now_ms;
  rec.items_total = r.items_total;
  rec.items_done = r.items_done;
  set_task_entry(k, rec);
  if (stopping_ || is_final(state_)) return changes;
  auto& t = def_->tasks[k.task];
  auto st = evaluate_next(t, r.succeeded, rec.result, changes);
  if (!st) {
    // An unhandled failure names the task's own error; a template error
    // names the template.
    fail(r.succeeded || rec.error.empty() ? st.message()
                                          : "task " + t.name + ": " + rec.error);
  }
  return changes;
}

void execution::pause() {
  if (state_ == execution_state::running) state_ = execution_state::paused;
}

void execution::resume() {
  if (state_ == execution_state::paused) state_ = execution_state::running;
}

void execution::cancel() {
  if (is_final(state_) || stopping_) return;
  stopping_ = true;
  stop_state_ = execution_state::canceled;
  errors_.push_back("canceled");
  cancel_scheduled();
}

void execution::fail(std::string why) {
  if (is_final(state_)) return;
  errors_.push_back(std::move(why));
  if (stopping_) return;
  stopping_ = true;
  stop_state_ = execution_state::failed;
  cancel_scheduled();
}

void execution::cancel_scheduled() {
  for (auto i = active_.begin(); i != active_.end();) {
    auto& r = tasks_.at(*i);
    if (r.state != task_state::scheduled) {
      ++i;
      continue;
    }
    r.state = task_state::canceled;
    canceled_.push_back(*i);
    i = active_.erase(i);
  }
}

bool execution::done() const {
  return active_.empty();
}

void execution::finish() {
  if (is_final(state_) || !done()) return;
  if (stopping_) {
    state_ = stop_state_;
    return;
  }
  if (def_->output) {
    expr::json_context ctx(context_);
    auto out = expr::render(*def_->output, ctx);
    if (!out) {
      errors_.push_back("output: " + out.error().message());
      state_ = execution_state::failed;
      return;
    }
    output_ = std::move(*out);
  } else {
    output_ = json::object();
  }
  state_ = execution_state::succeeded;
}

json execution::engine_state() const {
  // Sequence numbers are not kept: restore() derives them from the task rows.
  json::object_builder arrivals;
  for (auto i : join_tasks_) {
    if (arrivals_[i] > 0) arrivals.set(def_->tasks[i].name, arrivals_[i]);
    if (!arrived_from_[i].empty()) {
      json::array_builder from;
      for (auto f : arrived_from_[i]) from.push_back(json(def_->tasks[f].name));
      arrivals.set(def_->tasks[i].name, from.build());
    }
  }
  json::object_builder b;
  b.set("vars", vars());
  b.set("arrivals", arrivals.build());
  if (stopping_) b.set("stopping", json(execution_state_name(stop_state_)));
  json::array_builder errors;
  for (auto& e : errors_) errors.push_back(json(e));
  b.set("errors", errors.build());
  return b.build();
}

result<execution> execution::restore(definition_ptr def, std::string id, json parameters,
                                     std::int64_t started_ms, execution_state state,
                                     const json& engine, std::vector<task_record> tasks) {
  execution e(std::move(def), std::move(id), std::move(parameters), started_ms);
  e.state_ = state;
  e.context_ =
      e.context_.set("vars", engine["vars"].is_object() ? engine["vars"] : e.def_->vars);
  for (auto m : engine["arrivals"].members()) {
    auto* t = e.def_->find(m.key);
    if (!t) continue;
    if (m.value.is_int())
      e.arrivals_[t->index] = static_cast<std::size_t>(m.value.as_int());
    for (auto& from : m.value.items())
      if (auto* f = from.is_string() ? e.def_->find(from.as_string()) : nullptr)
        e.arrived_from_[t->index].insert(f->index);
  }
  for (auto& err : engine["errors"].items())
    if (err.is_string()) e.errors_.emplace_back(err.as_string());
  if (auto s = engine.find("stopping"); s && s->is_string()) {
    auto st = parse_execution_state(s->as_string());
    if (!st) return st.error();
    e.stopping_ = true;
    e.stop_state_ = *st;
  }
  // Finished tasks enter the context in the order they finished, so that
  // task.<name> is the latest execution of <name>, as before the restart.
  std::sort(tasks.begin(), tasks.end(), [](const task_record& a, const task_record& b) {
    return a.finished_ms != b.finished_ms ? a.finished_ms < b.finished_ms : a.key < b.key;
  });
  for (auto& r : tasks) {
    if (r.key.task >= e.def_->tasks.size())
      return status::error("execution " + e.id_ + ": task row " +
                           std::to_string(r.key.task) + "#" + std::to_string(r.key.seq) +
                           " does not match the definition");
    r.durable = true;
    if (r.state == task_state::running) r.state = task_state::scheduled;
    if (r.state == task_state::succeeded || r.state == task_state::failed)
      e.set_task_entry(r.key, r);
    e.next_seq_[r.key.task] = std::max(e.next_seq_[r.key.task], r.key.seq + 1);
    if (r.state == task_state::scheduled) e.active_.insert(r.key);
    e.tasks_[r.key] = std::move(r);
  }
  // Stopping at the crash: what was scheduled or running will not run.
  if (e.stopping_) e.cancel_scheduled();
  return e;
}

}  // namespace troupe::workflow
