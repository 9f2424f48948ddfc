#include "actors/workflow/action_runner.hpp"

#include <caf/all.hpp>
#include <optional>
#include <unordered_map>

#include "messages/workflow.hpp"

namespace troupe::workflow {

namespace {

// Internal messages (not in the type registry: no other node can send one).
// The action answered call `reply.call_id`.
struct call_done {
  action_reply reply;
};
// Call `call_id` outlasted its timeout of `timeout_ms`.
struct call_expired {
  std::uint64_t call_id = 0;
  std::int64_t timeout_ms = 0;
};
// An action's timer (action_env::after) `id` is due.
struct timer_due {
  std::uint64_t id = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, call_done& x) {
  return f(caf::meta::type_name("action_runner::call_done"), x.reply);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, call_expired& x) {
  return f(caf::meta::type_name("action_runner::call_expired"), x.call_id, x.timeout_ms);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, timer_due& x) {
  return f(caf::meta::type_name("action_runner::timer_due"), x.id);
}

using runner_impl =
    action_runner_actor::extend<caf::reacts_to<call_done>, caf::reacts_to<call_expired>,
                                caf::reacts_to<timer_due>>;

struct runner_state {
  static inline const char* name = "action-runner";
  std::uint64_t call_id = 0;  // the call running, 0 when idle
  std::string key;            // its action_request::key
  std::shared_ptr<action> running;
  bool orphaned = false;  // the pool is gone: end after this call
  std::uint64_t next_timer = 1;
  std::unordered_map<std::uint64_t, std::function<void()>> timers;
  action_env env;
  std::shared_ptr<cluster_work> work;
  std::shared_ptr<reply_keeper> keeper;
};

using runner_ptr = runner_impl::stateful_pointer<runner_state>;

// The call ended (done, timed out or cancelled): this runner is free.
// A reply (none when cancelled) goes to the pool, if there still is one, and
// to the keeper.
void finish(runner_ptr self, const action_pool_pull_actor& pool,
            std::optional<action_reply> reply) {
  auto& st = self->state;
  if (reply && st.keeper) st.keeper->keep(st.key, *reply);
  if (reply && !st.orphaned) self->send(pool, std::move(*reply));
  st.call_id = 0;
  st.running.reset();
  if (st.work) st.work->finished();
  if (st.orphaned) self->quit();
}

runner_impl::behavior_type action_runner(runner_ptr self, action_runner_options opts) {
  auto pool = opts.pool;
  auto actions = opts.actions;
  self->state.work = opts.work;
  self->state.keeper = opts.keeper;
  self->state.env.sys = &self->system();
  self->state.env.caller = self->address();
  self->state.env.processes = opts.processes;
  self->state.env.after = [self](std::chrono::milliseconds d, std::function<void()> fn) {
    auto id = self->state.next_timer++;
    self->state.timers.emplace(id, std::move(fn));
    self->delayed_send(self, d, timer_due{id});
  };
  if (pool->node() != self->node()) {
    self->monitor(pool);
    self->set_down_handler([self](caf::down_msg&) {
      self->state.orphaned = true;
      if (self->state.call_id == 0) self->quit();
    });
  }
  self->send(pool, ready_atom::value);
  return {
      [=](action_request& req) {
        auto a = actions->find(req.action);
        auto me = caf::actor_cast<runner_impl>(self);
        auto id = req.call_id;
        if (!a) {
          self->send(pool, action_reply{id, false, nullptr,
                                        "unknown action '" + req.action + "'"});
          return;
        }
        self->state.call_id = id;
        self->state.key = req.key;
        self->state.running = a;
        if (self->state.work) self->state.work->started();
        // The attempt's timeout counts from here, not from the queue.
        if (req.timeout_ms > 0)
          self->delayed_send(self, std::chrono::milliseconds(req.timeout_ms),
                             call_expired{id, req.timeout_ms});
        action_call call{id,
                         std::move(req.action),
                         std::move(req.input),
                         std::move(req.execution),
                         std::move(req.task),
                         std::move(req.key)};
        a->run(call, self->state.env, [me, id](action_outcome o) {
          caf::anon_send(me, call_done{action_reply{id, o.succeeded, std::move(o.result),
                                                    std::move(o.error)}});
        });
      },
      [=](call_done& m) {
        if (m.reply.call_id != self->state.call_id)
          return;  // cancelled, already replaced
        finish(self, pool, std::move(m.reply));
      },
      [=](call_expired& m) {
        auto call_id = m.call_id;
        auto timeout_ms = m.timeout_ms;
        if (call_id != self->state.call_id || !self->state.running) return;
        self->state.running->cancel(call_id, self->state.env);
        char text[64];
        std::snprintf(text, sizeof text, "timeout after %gs",
                      static_cast<double>(timeout_ms) / 1000);
        finish(self, pool, action_reply{call_id, false, nullptr, text});
      },
      [=](cancel_atom, std::uint64_t call_id) {
        if (call_id != self->state.call_id || !self->state.running) return;
        self->state.running->cancel(call_id, self->state.env);
        // The pool already answered the caller; this runner is free now.
        if (!self->state.orphaned) self->send(pool, ready_atom::value);
        finish(self, pool, std::nullopt);
      },
      [=](timer_due& m) {
        auto i = self->state.timers.find(m.id);
        if (i == self->state.timers.end()) return;
        auto fn = std::move(i->second);
        self->state.timers.erase(i);
        fn();
      },
  };
}

}  // namespace

action_runner_actor spawn_linked_runner(caf::local_actor* parent,
                                        action_runner_options options) {
  return parent->spawn<caf::linked>(action_runner, std::move(options));
}

action_runner_actor spawn_remote_runner(caf::actor_system& sys,
                                        action_runner_options options) {
  return sys.spawn(action_runner, std::move(options));
}

}  // namespace troupe::workflow
