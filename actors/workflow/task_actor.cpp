#include "actors/workflow/task_actor.hpp"

#include <caf/all.hpp>
#include <chrono>
#include <unordered_map>

#include "actors/workflow/expr/context.hpp"
#include "messages/workflow.hpp"
#include "runtime/base/clock.hpp"

namespace troupe::workflow {

namespace {

constexpr std::size_t inline_slice = 1024;

struct task_actor_state {
  static inline const char* name = "workflow-task";
  task_actor_args args;
  const task_definition* def = nullptr;
  std::shared_ptr<action> act;
  std::unique_ptr<expr::json_context> ctx;
  bool with_items = false;
  json items;             // the rendered with_items array
  std::size_t total = 1;  // items (1 without with_items)
  std::size_t concurrency = 1;
  std::size_t next = 0;       // next item to start
  std::size_t in_flight = 0;  // started, not finished (waiting retries included)
  std::size_t done = 0;
  std::size_t failures = 0;
  std::string first_error;
  std::vector<json> results;
  std::vector<unsigned> attempts;  // per item, started attempts
  struct call {
    std::size_t item;
    bool direct;  // run from this actor (needs_runner() false), not the pool
  };
  action_env env;  // for direct calls
  std::uint64_t next_timer = 1;
  std::unordered_map<std::uint64_t, std::function<void()>> timers;
  std::unordered_map<std::uint64_t, call> calls;  // in the pool
  std::size_t progress_step = 1, progress_next = 1;
  bool reported = false;
};

// Internal messages (not in the type registry: no other node can send one).
// The next slice of items (inline items run 1,024 per message).
struct next_slice {};
// Item `item`'s retry delay is over.
struct retry_due {
  std::uint64_t item = 0;
};
// A direct call (an action that needs no runner) answered.
struct call_done {
  action_reply reply;
};
// Direct call `call_id` outlasted the task's timeout.
struct call_expired {
  std::uint64_t call_id = 0;
};
// An action's timer (action_env::after) `id` is due.
struct timer_due {
  std::uint64_t id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, next_slice&) {
  return f(caf::meta::type_name("task::next_slice"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, retry_due& x) {
  return f(caf::meta::type_name("task::retry_due"), x.item);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, call_done& x) {
  return f(caf::meta::type_name("task::call_done"), x.reply);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, call_expired& x) {
  return f(caf::meta::type_name("task::call_expired"), x.call_id);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, timer_due& x) {
  return f(caf::meta::type_name("task::timer_due"), x.id);
}

using task_impl =
    workflow_task_actor::extend<caf::reacts_to<next_slice>, caf::reacts_to<retry_due>,
                                caf::reacts_to<call_done>, caf::reacts_to<call_expired>,
                                caf::reacts_to<timer_due>>;
using task_actor_t = task_impl::stateful_base<task_actor_state>;

void report(task_actor_t* self, bool succeeded, json result, std::string error) {
  auto& st = self->state;
  if (st.reported) return;
  st.reported = true;
  task_report r;
  r.task = st.args.task;
  r.seq = st.args.seq;
  r.succeeded = succeeded;
  r.result = std::move(result);
  r.error = std::move(error);
  r.items_total = st.with_items ? st.total : 0;
  r.items_done = st.with_items ? st.done : 0;
  r.items_failed = st.with_items ? st.failures : 0;
  r.finished_ns = steady_ns();
  self->send(st.args.workflow, std::move(r));
  self->quit();
}

void finish_if_done(task_actor_t* self) {
  auto& st = self->state;
  bool no_more = st.next >= st.total || st.failures > 0;
  if (st.in_flight > 0 || !no_more) return;
  if (!st.with_items) {
    report(self, st.failures == 0, std::move(st.results[0]), st.first_error);
    return;
  }
  json::array_builder b(st.results.size());
  for (auto& r : st.results) b.push_back(std::move(r));
  std::string error;
  if (st.failures > 0)
    error = std::to_string(st.failures) + " of " + std::to_string(st.total) +
            " items failed; first: " + st.first_error;
  report(self, st.failures == 0, b.build(), std::move(error));
}

void item_done(task_actor_t* self, std::size_t item, action_outcome o);

// Starts attempt number st.attempts[item] of `item`. Inline actions finish
// here; returns true when the item finished synchronously.
void start_attempt(task_actor_t* self, std::size_t item) {
  auto& st = self->state;
  ++st.attempts[item];
  result<json> input = st.def->input.source();
  if (st.def->input.has_expressions()) {
    if (st.with_items) {
      expr::item_context ic(*st.ctx, st.items.at(item), static_cast<std::int64_t>(item));
      input = expr::render(st.def->input, ic);
    } else {
      input = expr::render(st.def->input, *st.ctx);
    }
  }
  if (!input) {
    // A rendering error does not go away with a retry.
    st.attempts[item] = st.def->retry.count + 1;
    return item_done(self, item, {false, nullptr, "input: " + input.error().message()});
  }
  for (auto m : st.def->literal_input.members()) *input = input->set(m.key, m.value);
  std::uint64_t id = st.args.call_ids->fetch_add(1);
  auto task_name = st.def->name + "#" + std::to_string(st.args.seq);
  auto key = st.args.execution + "/" + task_name + "/" + std::to_string(item) + "/" +
             std::to_string(st.attempts[item]);
  if (st.act->is_inline()) {
    action_outcome out;
    st.act->run({id, st.def->action, std::move(*input), st.args.execution, st.def->name,
                 std::move(key)},
                {}, [&out](action_outcome o) { out = std::move(o); });
    return item_done(self, item, std::move(out));
  }
  if (!st.act->needs_runner()) {
    st.calls.emplace(id, task_actor_state::call{item, true});
    auto me = caf::actor_cast<task_impl>(self);
    st.act->run({id, st.def->action, std::move(*input), st.args.execution, task_name,
                 std::move(key)},
                st.env, [me, id](action_outcome o) {
                  caf::anon_send(
                      me, call_done{action_reply{id, o.succeeded, std::move(o.result),
                                                 std::move(o.error)}});
                });
    if (st.def->timeout) self->delayed_send(self, *st.def->timeout, call_expired{id});
    return;
  }
  st.calls.emplace(id, task_actor_state::call{item, false});
  action_request req{id,
                     st.def->action,
                     std::move(*input),
                     st.args.execution,
                     task_name,
                     st.def->timeout ? st.def->timeout->count() : 0,
                     {},
                     std::move(key)};
  for (auto& [label, value] : st.def->worker_selector)
    req.selector.push_back(label + "=" + value);
  self->request(st.args.pool, caf::infinite, std::move(req))
      .then(
          [=](action_reply& r) {
            auto i = self->state.calls.find(r.call_id);
            if (i == self->state.calls.end()) return;  // timed out or cancelled
            auto it = i->second.item;
            self->state.calls.erase(i);
            item_done(self, it, {r.succeeded, std::move(r.result), std::move(r.error)});
          },
          [=](caf::error& err) {
            auto i = self->state.calls.find(id);
            if (i == self->state.calls.end()) return;
            auto it = i->second.item;
            self->state.calls.erase(i);
            item_done(self, it,
                      {false, nullptr, "action pool: " + self->system().render(err)});
          });
}

// Gives up on call `id`: direct calls are cancelled through their action,
// pooled ones through the pool.
void abandon(task_actor_t* self, std::uint64_t id, bool direct) {
  auto& st = self->state;
  if (direct)
    st.act->cancel(id, st.env);
  else
    self->send(st.args.pool, cancel_atom::value, id);
}

// Starts items while the concurrency allows; inline items in slices.
void fill(task_actor_t* self) {
  auto& st = self->state;
  std::size_t started = 0;
  while (st.failures == 0 && st.next < st.total && st.in_flight < st.concurrency) {
    if (st.act->is_inline() && started == inline_slice) {
      self->send(self, next_slice{});
      return;
    }
    auto item = st.next++;
    ++st.in_flight;
    ++started;
    start_attempt(self, item);
    if (st.reported) return;
  }
  finish_if_done(self);
}

void item_done(task_actor_t* self, std::size_t item, action_outcome o) {
  auto& st = self->state;
  if (st.reported) return;
  if (!o.succeeded && st.attempts[item] <= st.def->retry.count) {
    auto delay = st.def->retry.delay_before(st.attempts[item]);
    self->delayed_send(self, delay, retry_due{static_cast<std::uint64_t>(item)});
    return;  // still in flight
  }
  --st.in_flight;
  ++st.done;
  st.results[item] = std::move(o.result);
  if (!o.succeeded) {
    if (st.failures++ == 0)
      st.first_error =
          st.with_items ? "item " + std::to_string(item) + ": " + o.error : o.error;
  }
  if (st.with_items && st.done >= st.progress_next) {
    st.progress_next = st.done + st.progress_step;
    self->send(st.args.workflow, items_atom::value,
               static_cast<std::uint64_t>(st.args.task), st.args.seq,
               static_cast<std::uint64_t>(st.done), static_cast<std::uint64_t>(st.total));
  }
  // Inline completions are driven by fill()'s loop; only asynchronous ones
  // (and retries) start more from here.
  if (!st.act->is_inline() || st.attempts[item] > 1) fill(self);
}

task_impl::behavior_type task_behavior(task_actor_t* self, task_actor_args args) {
  auto& st = self->state;
  st.args = std::move(args);
  st.def = &st.args.def->tasks[st.args.task];
  st.act = st.args.actions->find(st.def->action);
  st.ctx = std::make_unique<expr::json_context>(st.args.context);
  st.env.sys = &self->system();
  st.env.caller = self->address();
  st.env.after = [self](std::chrono::milliseconds d, std::function<void()> fn) {
    auto id = self->state.next_timer++;
    self->state.timers.emplace(id, std::move(fn));
    self->delayed_send(self, d, timer_due{id});
  };
  self->send(self, next_slice{});
  bool started = false;
  return {
      [=](next_slice) mutable {
        auto& st = self->state;
        if (!started) {
          started = true;
          if (!st.act)
            return report(self, false, nullptr,
                          "unknown action '" + st.def->action + "'");
          if (st.def->with_items) {
            auto items = expr::render(*st.def->with_items, *st.ctx);
            if (!items)
              return report(self, false, nullptr,
                            "with_items: " + items.error().message());
            if (!items->is_array())
              return report(self, false, nullptr,
                            "with_items: expected an array, found " +
                                std::string(json_type_name(items->type())));
            st.with_items = true;
            st.items = std::move(*items);
            st.total = st.items.size();
            st.concurrency = st.def->concurrency > 0 ? st.def->concurrency
                                                     : st.args.default_concurrency;
            st.progress_step = std::max<std::size_t>(1, st.total / 100);
            st.progress_next = st.progress_step;
          }
          st.results.assign(st.total, json());
          st.attempts.assign(st.total, 0);
        }
        fill(self);
      },
      [=](retry_due& m) {
        if (!self->state.reported) start_attempt(self, static_cast<std::size_t>(m.item));
      },
      [=](call_done& m) {
        auto& r = m.reply;
        auto i = self->state.calls.find(r.call_id);
        if (i == self->state.calls.end()) return;  // timed out or cancelled
        auto item = i->second.item;
        self->state.calls.erase(i);
        item_done(self, item, {r.succeeded, std::move(r.result), std::move(r.error)});
      },
      [=](timer_due& m) {
        auto i = self->state.timers.find(m.id);
        if (i == self->state.timers.end()) return;
        auto fn = std::move(i->second);
        self->state.timers.erase(i);
        fn();
      },
      [=](call_expired& m) {
        // Direct calls only: the pool times pooled calls from their start.
        auto call_id = m.call_id;
        auto& st = self->state;
        auto i = st.calls.find(call_id);
        if (i == st.calls.end()) return;
        auto item = i->second.item;
        auto direct = i->second.direct;
        st.calls.erase(i);
        abandon(self, call_id, direct);
        auto secs = std::chrono::duration<double>(*st.def->timeout).count();
        char text[64];
        std::snprintf(text, sizeof text, "timeout after %gs", secs);
        item_done(self, item, {false, nullptr, text});
      },
      [=](cancel_atom) {
        auto& st = self->state;
        for (auto& [id, c] : st.calls) abandon(self, id, c.direct);
        st.calls.clear();
        report(self, false, nullptr, "canceled");
      },
  };
}

}  // namespace

workflow_task_actor spawn_task_actor(caf::local_actor* parent, task_actor_args args) {
  auto* sys = &parent->system();
  auto a = sys->spawn(task_behavior, std::move(args));
  parent->monitor(a);
  parent->link_to(a);  // it ends with its workflow actor
  return a;
}

}  // namespace troupe::workflow
