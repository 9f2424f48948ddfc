#include "actors/workflow/workflow_actor.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <set>

#include "actors/common/durable_writes.hpp"
#include "actors/common/long_polls.hpp"
#include "actors/workflow/task_actor.hpp"
#include "actors/workflow/workflow_records.hpp"
#include "messages/errors.hpp"
#include "messages/workflow.hpp"
#include "runtime/base/clock.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe::workflow {

namespace {

// Internal messages (not in the type registry: no other node can send one);
// the store's answers come back as durable_written (durable_writes.hpp).
// Store the whole execution for the unstored steps (a checkpoint).
struct checkpoint_due {};
// The workflow's timeout passed.
struct timeout_due {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, checkpoint_due&) {
  return f(caf::meta::type_name("workflow::checkpoint_due"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, timeout_due&) {
  return f(caf::meta::type_name("workflow::timeout_due"));
}

using wf_impl =
    execution_actor::extend<caf::reacts_to<durable_written>,
                            caf::reacts_to<checkpoint_due>, caf::reacts_to<timeout_due>,
                            caf::reacts_to<long_polls_due>>;

struct wf_state {
  static inline const char* name = "workflow";
  engine_services services;
  std::optional<execution> ex;
  std::string source;
  std::uint64_t version = 1;
  std::uint64_t next_step = 1;
  std::map<std::uint64_t, std::vector<task_key>> pending_steps;  // step -> scheduled keys
  // Steps the store could not write for a resource (a full disk): they wait
  // for one checkpoint of the whole execution, which stores them all.
  std::set<std::uint64_t> unstored;
  durable_writes writes;  // steps and checkpoints the store has not answered yet
  bool checkpoint_armed = false;
  caf::timespan checkpoint_wait = std::chrono::seconds(1);  // doubles to 30 s
  std::map<caf::actor_addr, task_key> running;              // task actors
  std::map<task_key, workflow_task_actor> actor_of;
  std::map<task_key, std::int64_t> dispatched_ns;
  std::map<task_key, std::int64_t> trigger_ns;  // predecessor's end, for dispatch latency
  std::map<task_key, std::pair<std::uint64_t, std::uint64_t>> items;
  std::vector<std::size_t> result_bytes;  // per task: stored size of its latest result
  std::size_t vars_bytes = 0;
  execution_owner_actor owner;
  caf::response_promise starter;
  std::vector<caf::response_promise> waiters;
  // GET .../runs/{id}?since=V: answered at the next change, or before the
  // asker's own timeout (HTTP: 30 s).
  long_polls<run_status> polls{std::chrono::seconds(20)};
  bool finishing = false;
  std::string live_label;  // the state this execution counts under in executions_live
};

using wf_actor = wf_impl::stateful_base<wf_state>;

// The engine's wall clock (engine_services::now), in unix milliseconds.
std::int64_t now_ms(wf_actor* self) {
  return unix_ms(self->state.services.now());
}

// Moves this execution to the executions_live gauge of its current state
// ("" when it is gone).
void count_live(wf_actor* self, const std::string& label) {
  auto& st = self->state;
  if (label == st.live_label) return;
  if (auto* g = st.services.metrics->executions_live) {
    if (!st.live_label.empty()) g->with({st.live_label}).dec();
    if (!label.empty()) g->with({label}).inc();
  }
  st.live_label = label;
}

void changed(wf_actor* self) {
  auto& st = self->state;
  ++st.version;
  count_live(self, is_final(st.ex->state())
                       ? ""
                       : std::string(execution_state_name(st.ex->state())));
  // describe() is O(task executions): built only for someone waiting.
  st.polls.answer_all([&st] { return describe(*st.ex, st.version, st.items); });
}

// Writes `records` as one durable step; step_answered runs when the store
// answered. Without a store, the step is handled at once.
void persist(wf_actor* self, std::vector<store_record> records,
             std::vector<task_key> scheduled);

void on_durable(wf_actor* self, std::uint64_t step);
void cancel_running(wf_actor* self);
void step_answered(wf_actor* self, std::uint64_t step, const caf::error& err);
void checkpoint_answered(wf_actor* self, const std::vector<std::uint64_t>& steps,
                         const caf::error& err);

void persist(wf_actor* self, std::vector<store_record> records,
             std::vector<task_key> scheduled) {
  auto& st = self->state;
  auto step = st.next_step++;
  st.pending_steps.emplace(step, std::move(scheduled));
  if (!st.services.db) return on_durable(self, step);
  // Behind an unstored step, a step waits for the checkpoint too: written on
  // its own it could land before the older state the checkpoint rewrites.
  if (!st.unstored.empty()) {
    st.unstored.insert(step);
    return;
  }
  st.writes.write(
      st.services.db, caf::actor_cast<wf_impl>(self), std::move(records), "workflow step",
      [self, step](const caf::error& err) { step_answered(self, step, err); });
}

// A step failed for a resource: it waits, with the steps after it, for a
// checkpoint that rewrites the execution's whole current state (its row and
// every task row, all idempotent), tried with a backoff until the store
// writes again. Tasks the steps scheduled start only once it is durable.
void defer_step(wf_actor* self, std::uint64_t step) {
  auto& st = self->state;
  st.unstored.insert(step);
  if (st.checkpoint_armed) return;
  st.checkpoint_armed = true;
  self->delayed_send(self, st.checkpoint_wait, checkpoint_due{});
  st.checkpoint_wait =
      std::min<caf::timespan>(st.checkpoint_wait * 2, std::chrono::seconds(30));
}

// The store's answer for `step` other than a resource failure: on an error
// (the store refused the records themselves) the execution cannot go on
// safely and fails; either way the step is done with.
void stored(wf_actor* self, std::uint64_t step, const caf::error& err) {
  if (err) {
    self->state.ex->fail("step " + std::to_string(step) +
                         " was not stored (the store refused it; see the node's log)");
    cancel_running(self);
  }
  on_durable(self, step);
}

void checkpoint(wf_actor* self) {
  auto& st = self->state;
  st.checkpoint_armed = false;
  if (st.unstored.empty()) return;
  std::vector<store_record> records;
  for (auto& [k, r] : st.ex->tasks()) records.push_back(save_task(*st.ex, r));
  records.push_back(
      update_execution(*st.ex, is_final(st.ex->state()) ? now_ms(self) : 0));
  std::vector<std::uint64_t> steps(st.unstored.begin(), st.unstored.end());
  st.unstored.clear();
  st.writes.write(st.services.db, caf::actor_cast<wf_impl>(self), std::move(records),
                  "workflow checkpoint", [self, steps](const caf::error& err) {
                    checkpoint_answered(self, steps, err);
                  });
}

// The store's answer for a checkpoint of `steps`.
void checkpoint_answered(wf_actor* self, const std::vector<std::uint64_t>& steps,
                         const caf::error& err) {
  auto& st = self->state;
  if (is(err, errc::storage_unavailable)) {
    for (auto step : steps) defer_step(self, step);
    return;
  }
  st.checkpoint_wait = std::chrono::seconds(1);
  if (!err)
    spdlog::info("workflow: execution {} stored again ({} step(s) waited)", st.ex->id(),
                 steps.size());
  for (auto step : steps) stored(self, step, err);
}

// The store's answer for `step`: a resource failure defers it to a
// checkpoint, anything else ends it (stored()).
void step_answered(wf_actor* self, std::uint64_t step, const caf::error& err) {
  auto& st = self->state;
  if (err)
    spdlog::error("workflow: step {} of execution {} was not stored: {}", step,
                  st.ex->id(), self->system().render(err));
  if (is(err, errc::storage_unavailable)) {
    // Its first step (the execution's own row) never stored: the run did not
    // start, and its caller learns why.
    if (st.starter.pending() && step == 1) {
      st.starter.deliver(err);
      return self->quit();
    }
    return defer_step(self, step);
  }
  stored(self, step, err);
}

void cancel_running(wf_actor* self) {
  for (auto& [k, a] : self->state.actor_of) self->send(a, cancel_atom::value);
}

// The records of a step that changed only the execution: its row, plus the
// rows of task executions it canceled before they started.
std::vector<store_record> execution_step(wf_actor* self) {
  auto& st = self->state;
  std::vector<store_record> records;
  for (auto& k : st.ex->take_canceled())
    if (st.services.db) records.push_back(save_task(*st.ex, *st.ex->find(k)));
  if (st.services.db) records.push_back(update_execution(*st.ex));
  return records;
}

// Arms the workflow's timeout, counted from its start (also across restarts).
void arm_deadline(wf_actor* self) {
  auto& st = self->state;
  if (auto t = st.ex->definition().timeout) {
    auto elapsed = std::chrono::milliseconds(now_ms(self) - st.ex->started_ms());
    self->delayed_send(self, std::max(*t - elapsed, std::chrono::milliseconds(0)),
                       timeout_due{});
  }
}

void dispatch(wf_actor* self) {
  auto& st = self->state;
  for (auto& k : st.ex->dispatchable()) {
    task_actor_args args;
    args.def = st.ex->shared_definition();
    args.task = k.task;
    args.seq = k.seq;
    args.context = st.ex->context();
    args.execution = st.ex->id();
    args.workflow = caf::actor_cast<task_parent_actor>(self);
    args.pool = st.services.pool;
    args.actions = st.services.actions;
    args.default_concurrency = st.services.default_concurrency;
    args.call_ids = st.services.call_ids;
    auto now = steady_ns();
    auto a = spawn_task_actor(self, std::move(args));
    st.running.emplace(a.address(), k);
    st.actor_of.emplace(k, a);
    st.dispatched_ns[k] = now;
    if (auto t = st.trigger_ns.find(k); t != st.trigger_ns.end()) {
      double seconds = (now - t->second) * 1e-9;
      if (auto* h = st.services.metrics->dispatch_latency) h->observe(seconds);
      if (auto& sink = st.services.metrics->dispatch_latency_sink) sink(seconds);
      st.trigger_ns.erase(t);
    }
    st.ex->mark_running(k, now_ms(self));
  }
}

void finish(wf_actor* self) {
  auto& st = self->state;
  if (st.finishing || !st.ex->done()) return;
  st.finishing = true;
  st.ex->finish();
  auto state = std::string(execution_state_name(st.ex->state()));
  if (auto* f = st.services.metrics->executions_ended) f->with({state}).inc();
  spdlog::info("workflow {}: execution {} {}", st.ex->definition().name, st.ex->id(),
               state);
  persist(self, {update_execution(*st.ex, now_ms(self))}, {});
}

void on_durable(wf_actor* self, std::uint64_t step) {
  auto& st = self->state;
  auto i = st.pending_steps.find(step);
  if (i == st.pending_steps.end()) return;
  st.ex->mark_durable(i->second);
  st.pending_steps.erase(i);
  if (st.starter.pending()) st.starter.deliver(describe(*st.ex, st.version, st.items));
  if (st.finishing && st.pending_steps.empty()) {
    changed(self);
    auto status = describe(*st.ex, st.version, st.items);
    for (auto& w : st.waiters) w.deliver(status);
    st.waiters.clear();
    self->send(st.owner, ended_atom::value, status);
    self->quit();
    return;
  }
  dispatch(self);
  changed(self);
  finish(self);
}

void on_report(wf_actor* self, task_key k, task_result r, std::int64_t finished_ns) {
  auto& st = self->state;
  st.running.erase(st.actor_of[k].address());
  st.actor_of.erase(k);
  st.items.erase(k);
  auto& m = *st.services.metrics;
  auto outcome =
      r.succeeded ? "succeeded" : (r.error == "canceled" ? "canceled" : "failed");
  if (m.tasks) m.tasks->with({outcome}).inc();
  if (m.items && r.items_total > 0) {
    m.items->with({"succeeded"}).inc(static_cast<double>(r.items_done - r.items_failed));
    if (r.items_failed > 0)
      m.items->with({"failed"}).inc(static_cast<double>(r.items_failed));
  }
  if (m.task_duration)
    if (auto d = st.dispatched_ns.find(k); d != st.dispatched_ns.end())
      m.task_duration->observe((finished_ns - d->second) * 1e-9);
  st.dispatched_ns.erase(k);
  bool was_stopping = st.ex->stopping();
  auto changes = st.ex->complete(k, std::move(r), now_ms(self));
  if (!was_stopping && st.ex->stopping()) {
    spdlog::warn("workflow {}: execution {} failing: {}", st.ex->definition().name,
                 st.ex->id(), st.ex->errors().empty() ? "" : st.ex->errors().back());
    cancel_running(self);
  }
  std::vector<store_record> records;
  if (st.services.db) {
    records.push_back(save_task(*st.ex, *st.ex->find(k), &st.result_bytes[k.task]));
    for (auto& s : changes.scheduled)
      records.push_back(save_task(*st.ex, *st.ex->find(s)));
    for (auto& c : st.ex->take_canceled())
      records.push_back(save_task(*st.ex, *st.ex->find(c)));
    auto exec = update_execution(*st.ex);
    if (changes.vars_changed) st.vars_bytes = st.ex->vars().dump().size();
    records.push_back(std::move(exec));
    if (m.context_bytes) {
      std::size_t total = st.vars_bytes;
      for (auto b : st.result_bytes) total += b;
      m.context_bytes->observe(static_cast<double>(total));
    }
  }
  for (auto& s : changes.scheduled) st.trigger_ns[s] = finished_ns;
  persist(self, std::move(records), std::move(changes.scheduled));
}

wf_impl::behavior_type workflow_actor(wf_actor* self, engine_services services,
                                      execution e, std::string source,
                                      execution_owner_actor owner) {
  auto& st = self->state;
  st.owner = std::move(owner);
  st.services = std::move(services);
  st.source = std::move(source);
  st.result_bytes.assign(e.definition().tasks.size(), 0);
  st.ex.emplace(std::move(e));
  // Versions grow across restarts, so a client's long poll from before a
  // restart is answered by the first change after it.
  st.version = static_cast<std::uint64_t>(now_ms(self)) * 1000;
  count_live(self, std::string(execution_state_name(st.ex->state())));
  // Linked to the service: when it goes (shutdown, restart) the execution
  // stops where it is, writes nothing more, and resumes from the store on
  // the next start. Task actors are linked to this actor the same way.
  self->set_exit_handler([=](caf::exit_msg& em) {
    if (em.reason && em.source != self->state.owner.address() &&
        self->state.running.count(em.source))
      return;  // a task actor died: its down message reports it
    if (em.reason) self->quit(em.reason);
  });
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    auto i = st.running.find(dm.source);
    if (i == st.running.end()) return;  // reported already
    auto k = i->second;
    on_report(self, k,
              {false, nullptr, "task actor ended: " + self->system().render(dm.reason)},
              steady_ns());
  });
  return {
      [=](run_atom) -> caf::result<run_status> {
        auto& st = self->state;
        st.starter = self->make_response_promise<run_status>();
        auto changes = st.ex->begin();
        std::vector<store_record> records;
        if (st.services.db) {
          records.push_back(insert_execution(*st.ex, st.source));
          for (auto& k : changes.scheduled)
            records.push_back(save_task(*st.ex, *st.ex->find(k)));
        }
        persist(self, std::move(records), std::move(changes.scheduled));
        arm_deadline(self);
        return st.starter;
      },
      [=](restored_atom) {
        arm_deadline(self);
        dispatch(self);
        finish(self);
      },
      [=](task_report& r) {
        task_key k{static_cast<std::size_t>(r.task), r.seq};
        if (!self->state.actor_of.count(k)) return;
        auto ns = r.finished_ns;
        on_report(self, k,
                  {r.succeeded, std::move(r.result), std::move(r.error), r.items_total,
                   r.items_done, r.items_failed},
                  ns);
      },
      [=](items_atom, std::uint64_t task, std::uint32_t seq, std::uint64_t done,
          std::uint64_t total) {
        self->state.items[{static_cast<std::size_t>(task), seq}] = {done, total};
        changed(self);
      },
      [=](checkpoint_due) { checkpoint(self); },
      [=](durable_written& m) { self->state.writes.done(m); },
      [=](timeout_due) {
        auto& st = self->state;
        if (is_final(st.ex->state()) || st.ex->stopping()) return;
        auto secs = std::chrono::duration<double>(*st.ex->definition().timeout).count();
        char text[80];
        std::snprintf(text, sizeof text, "workflow timed out after %gs", secs);
        st.ex->fail(text);
        cancel_running(self);
        persist(self, execution_step(self), {});
        changed(self);
        finish(self);
      },
      [=](status_atom) -> caf::result<run_status> {
        return describe(*self->state.ex, self->state.version, self->state.items);
      },
      [=](status_atom, std::uint64_t since) -> caf::result<run_status> {
        auto& st = self->state;
        return st.polls.answer(self, st.version, since,
                               [&st] { return describe(*st.ex, st.version, st.items); });
      },
      [=](long_polls_due& due) {
        auto& st = self->state;
        st.polls.expire(due, [&st] { return describe(*st.ex, st.version, st.items); });
      },
      [=](wait_atom) -> caf::result<run_status> {
        auto rp = self->make_response_promise<run_status>();
        self->state.waiters.push_back(rp);
        return rp;
      },
      [=](cancel_atom) -> caf::result<run_status> {
        auto& st = self->state;
        if (!st.finishing && !st.ex->stopping()) {
          st.ex->cancel();
          cancel_running(self);
          persist(self, execution_step(self), {});
          changed(self);
          finish(self);
        }
        return describe(*st.ex, st.version, st.items);
      },
      [=](pause_atom) -> caf::result<run_status> {
        auto& st = self->state;
        if (!st.finishing && st.ex->state() == execution_state::running) {
          st.ex->pause();
          persist(self, execution_step(self), {});
          changed(self);
        }
        return describe(*st.ex, st.version, st.items);
      },
      [=](resume_atom) -> caf::result<run_status> {
        auto& st = self->state;
        if (!st.finishing && st.ex->state() == execution_state::paused) {
          st.ex->resume();
          persist(self, execution_step(self), {});
          changed(self);
        }
        return describe(*st.ex, st.version, st.items);
      },
  };
}

}  // namespace

execution_actor spawn_workflow_actor(caf::actor_system& sys, engine_services services,
                                     execution e, std::string source,
                                     execution_owner_actor owner) {
  return sys.spawn(workflow_actor, std::move(services), std::move(e), std::move(source),
                   std::move(owner));
}

}  // namespace troupe::workflow
