#include "actors/workflow/action_pool.hpp"

#include <caf/all.hpp>
#include <deque>
#include <unordered_map>

#include "messages/workflow.hpp"
#include "runtime/process/process_service.hpp"

namespace troupe::workflow {

namespace {

struct runner_state {
  static inline const char* name = "action-runner";
  std::uint64_t call_id = 0;  // the call running, 0 when idle
  std::shared_ptr<action> running;
  std::uint64_t next_timer = 1;
  std::unordered_map<std::uint64_t, std::function<void()>> timers;
  action_env env;
};

// Runs one call at a time; the reply goes to the pool, which is also the
// sign that this runner is free again.
caf::behavior action_runner(caf::stateful_actor<runner_state>* self, caf::actor pool,
                            std::shared_ptr<const action_registry> actions,
                            process_service* processes) {
  self->state.env.sys = &self->system();
  self->state.env.processes = processes;
  self->state.env.after = [self](std::chrono::milliseconds d, std::function<void()> fn) {
    auto id = self->state.next_timer++;
    self->state.timers.emplace(id, std::move(fn));
    self->delayed_send(self, d, timer_atom::value, id);
  };
  self->send(pool, ready_atom::value);
  return {
      [=](action_request& req) {
        auto a = actions->find(req.action);
        auto me = caf::actor_cast<caf::actor>(self);
        auto id = req.call_id;
        if (!a) {
          self->send(pool, action_reply{id, false, nullptr, "unknown action '" + req.action + "'"});
          return;
        }
        self->state.call_id = id;
        self->state.running = a;
        // The attempt's timeout counts from here, not from the queue.
        if (req.timeout_ms > 0)
          self->delayed_send(self, std::chrono::milliseconds(req.timeout_ms), deadline_atom::value, id,
                             req.timeout_ms);
        action_call call{id, std::move(req.action), std::move(req.input), std::move(req.execution),
                         std::move(req.task)};
        a->run(call, self->state.env, [me, id](action_outcome o) {
          caf::anon_send(me, action_done_atom::value,
                         action_reply{id, o.succeeded, std::move(o.result), std::move(o.error)});
        });
      },
      [=](action_done_atom, action_reply& reply) {
        if (reply.call_id != self->state.call_id) return;  // cancelled, already replaced
        self->state.call_id = 0;
        self->state.running.reset();
        self->send(pool, std::move(reply));
      },
      [=](deadline_atom, std::uint64_t call_id, std::int64_t timeout_ms) {
        if (call_id != self->state.call_id || !self->state.running) return;
        self->state.running->cancel(call_id, self->state.env);
        self->state.call_id = 0;
        self->state.running.reset();
        char text[64];
        std::snprintf(text, sizeof text, "timeout after %gs", static_cast<double>(timeout_ms) / 1000);
        self->send(pool, action_reply{call_id, false, nullptr, text});
      },
      [=](cancel_atom, std::uint64_t call_id) {
        if (call_id != self->state.call_id || !self->state.running) return;
        self->state.running->cancel(call_id, self->state.env);
        // The pool already answered the caller; this runner is free now.
        self->state.call_id = 0;
        self->state.running.reset();
        self->send(pool, ready_atom::value);
      },
      [=](timer_atom, std::uint64_t id) {
        auto i = self->state.timers.find(id);
        if (i == self->state.timers.end()) return;
        auto fn = std::move(i->second);
        self->state.timers.erase(i);
        fn();
      },
  };
}

struct pool_state {
  static inline const char* name = "action-pool";
  struct queued {
    action_request request;
    caf::response_promise promise;
  };
  std::deque<queued> queue;
  std::vector<caf::actor> idle;
  std::unordered_map<std::uint64_t, caf::response_promise> waiting;  // running calls
  std::unordered_map<std::uint64_t, caf::actor> runner_of;
};

void assign(caf::stateful_actor<pool_state>* self) {
  auto& st = self->state;
  while (!st.queue.empty() && !st.idle.empty()) {
    auto runner = st.idle.back();
    st.idle.pop_back();
    auto q = std::move(st.queue.front());
    st.queue.pop_front();
    auto id = q.request.call_id;
    st.waiting.emplace(id, std::move(q.promise));
    st.runner_of[id] = runner;
    self->send(runner, std::move(q.request));
  }
}

caf::behavior action_pool(caf::stateful_actor<pool_state>* self, action_pool_options options) {
  // Leaving (shutdown, restart): every caller gets an answer, none waits forever.
  self->set_exit_handler([=](caf::exit_msg& em) {
    auto& st = self->state;
    if (!em.reason) return;
    for (auto& q : st.queue)
      q.promise.deliver(action_reply{q.request.call_id, false, nullptr, "the action pool stopped"});
    for (auto& [id, rp] : st.waiting) rp.deliver(action_reply{id, false, nullptr, "the action pool stopped"});
    st.queue.clear();
    st.waiting.clear();
    self->quit(em.reason);
  });
  for (std::size_t i = 0; i < std::max<std::size_t>(options.runners, 1); ++i)
    self->spawn<caf::linked>(action_runner, caf::actor_cast<caf::actor>(self), options.actions,
                             options.processes);
  return {
      [=](action_request& req) -> caf::result<action_reply> {
        auto rp = self->make_response_promise<action_reply>();
        self->state.queue.push_back({std::move(req), rp});
        assign(self);
        return rp;
      },
      [=](ready_atom) {
        auto runner = caf::actor_cast<caf::actor>(self->current_sender());
        if (!runner) return;
        self->state.idle.push_back(runner);
        assign(self);
      },
      [=](action_reply& reply) {
        auto& st = self->state;
        auto runner = caf::actor_cast<caf::actor>(self->current_sender());
        if (auto i = st.waiting.find(reply.call_id); i != st.waiting.end()) {
          i->second.deliver(std::move(reply));
          st.runner_of.erase(i->first);
          st.waiting.erase(i);
        }
        if (runner) {
          st.idle.push_back(runner);
        }
        assign(self);
      },
      [=](cancel_atom, std::uint64_t call_id) {
        auto& st = self->state;
        for (auto i = st.queue.begin(); i != st.queue.end(); ++i)
          if (i->request.call_id == call_id) {
            i->promise.deliver(action_reply{call_id, false, nullptr, "cancelled"});
            st.queue.erase(i);
            return;
          }
        if (auto i = st.waiting.find(call_id); i != st.waiting.end()) {
          i->second.deliver(action_reply{call_id, false, nullptr, "cancelled"});
          st.waiting.erase(i);
          if (auto r = st.runner_of.find(call_id); r != st.runner_of.end()) {
            self->send(r->second, cancel_atom::value, call_id);
            st.runner_of.erase(r);
          }
        }
      },
  };
}

}  // namespace

caf::actor spawn_action_pool(caf::actor_system& sys, action_pool_options options) {
  return sys.spawn(action_pool, std::move(options));
}

}  // namespace troupe::workflow
