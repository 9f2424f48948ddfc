#include "actors/workflow/action_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <deque>
#include <optional>
#include <set>
#include <unordered_map>

#include "actors/workflow/action_runner.hpp"
#include "messages/errors.hpp"
#include "messages/workflow.hpp"
#include "runtime/services/metrics/metrics.hpp"

namespace troupe::workflow {

namespace {

struct pool_state {
  static inline const char* name = "action-pool";
  struct queued {
    action_request request;
    caf::response_promise promise;
  };
  struct running {
    action_request request;  // kept to run it again if the runner's node goes down
    caf::response_promise promise;
    action_runner_actor runner;
  };
  struct idle_runner {
    action_runner_actor runner;
    std::vector<std::string> labels;  // its node's cluster labels
  };
  std::deque<queued> queue;
  std::vector<idle_runner> idle;
  std::unordered_map<std::uint64_t, running> waiting;  // running calls
  std::vector<std::string> local_labels;
  const cluster_members* members = nullptr;
  // members->version() when idle runners of non-members were last dropped.
  std::uint64_t members_seen = 0;
  std::set<caf::actor_addr> remote;  // remote runners, monitored
  // Replies workers kept and handed back (replay_atom), by call key, until a
  // request for that call takes them; bounded, oldest dropped first.
  struct replayed_reply {
    action_reply reply;
    std::size_t bytes;
  };
  std::unordered_map<std::string, replayed_reply> replayed;
  std::deque<std::string> replayed_order;
  std::size_t replayed_bytes = 0;
  counter* redispatched = nullptr;  // null without a metrics registry
};

using self_ptr = action_pool_actor::stateful_pointer<pool_state>;

constexpr std::size_t max_replayed = 16384;
constexpr std::size_t max_replayed_bytes = 64 << 20;

// Answers `req` from a replayed reply when a worker handed one back for its
// call; true when it did.
bool answer_from_replay(self_ptr self, const action_request& req,
                        caf::response_promise& rp) {
  auto& st = self->state;
  if (req.key.empty()) return false;
  auto i = st.replayed.find(req.key);
  if (i == st.replayed.end()) return false;
  auto reply = std::move(i->second.reply);
  st.replayed_bytes -= i->second.bytes;
  st.replayed.erase(i);
  reply.call_id = req.call_id;
  rp.deliver(std::move(reply));
  return true;
}

// Takes the replies a rejoining worker kept; queued calls they answer are
// answered now.
std::size_t take_replayed(self_ptr self, std::vector<kept_reply>& kept) {
  auto& st = self->state;
  for (auto& k : kept) {
    if (k.key.empty()) continue;
    auto bytes = k.key.size() + k.reply.error.size() + k.reply.result.dump().size();
    if (st.replayed.emplace(k.key, pool_state::replayed_reply{std::move(k.reply), bytes})
            .second) {
      st.replayed_bytes += bytes;
      st.replayed_order.push_back(std::move(k.key));
    }
  }
  while (!st.replayed_order.empty() && (st.replayed_order.size() > max_replayed ||
                                        st.replayed_bytes > max_replayed_bytes)) {
    if (auto i = st.replayed.find(st.replayed_order.front()); i != st.replayed.end()) {
      st.replayed_bytes -= i->second.bytes;
      st.replayed.erase(i);
    }
    st.replayed_order.pop_front();
  }
  for (auto q = st.queue.begin(); q != st.queue.end();)
    q = answer_from_replay(self, q->request, q->promise) ? st.queue.erase(q)
                                                         : std::next(q);
  return kept.size();
}

// Hands queued calls to idle runners: each call goes to an idle runner whose
// labels satisfy its selector; a call no idle runner matches waits without
// holding back the calls behind it.
void assign(self_ptr self) {
  auto& st = self->state;
  // Idle runners on a node that is no longer a member (declared down) get
  // no more calls; they come back with a new ready after the node rejoins.
  // Only after membership changed: a runner joins the idle list only from
  // a member (on_ready), so nothing else can have left it.
  if (st.members && st.members->changed_since(st.members_seen)) {
    st.idle.erase(std::remove_if(st.idle.begin(), st.idle.end(),
                                 [&](const pool_state::idle_runner& r) {
                                   return !st.members->allowed(r.runner->node(),
                                                               self->node());
                                 }),
                  st.idle.end());
  }
  for (auto q = st.queue.begin(); q != st.queue.end() && !st.idle.empty();) {
    auto r = std::find_if(st.idle.rbegin(), st.idle.rend(),
                          [&](const pool_state::idle_runner& x) {
                            return labels_match(x.labels, q->request.selector);
                          });
    if (r == st.idle.rend()) {
      ++q;
      continue;
    }
    auto runner = r->runner;
    st.idle.erase(std::next(r).base());
    auto id = q->request.call_id;
    self->send(runner, q->request);
    st.waiting[id] = {std::move(q->request), std::move(q->promise), runner};
    q = st.queue.erase(q);
  }
}

// The labels of the runner that sent the current message, or nullopt when
// its node is not this node and not a cluster member.
std::optional<std::vector<std::string>> sender_labels(self_ptr self) {
  auto& sender = self->current_sender();
  if (!sender) return std::nullopt;
  if (sender->node() == self->node()) return self->state.local_labels;
  if (!self->state.members) return std::nullopt;
  auto m = self->state.members->find(sender->node());
  if (!m) return std::nullopt;
  return m->labels;
}

// A remote runner is gone (its node is down): calls it ran go back to the
// front of the queue (at-least-once).
void runner_lost(self_ptr self, const caf::actor_addr& who) {
  auto& st = self->state;
  st.remote.erase(who);
  st.idle.erase(std::remove_if(st.idle.begin(), st.idle.end(),
                               [&](const pool_state::idle_runner& r) {
                                 return r.runner.address() == who;
                               }),
                st.idle.end());
  for (auto i = st.waiting.begin(); i != st.waiting.end();) {
    if (i->second.runner.address() != who) {
      ++i;
      continue;
    }
    spdlog::warn("workflow: call {} ({}) lost its runner's node; dispatching it again",
                 i->first, i->second.request.task);
    if (st.redispatched) st.redispatched->inc();
    st.queue.push_front({std::move(i->second.request), std::move(i->second.promise)});
    i = st.waiting.erase(i);
  }
  assign(self);
}

action_pool_actor::behavior_type action_pool(self_ptr self, action_pool_options options) {
  auto& st = self->state;
  st.local_labels = options.labels;
  st.members = options.members;
  if (options.metrics)
    st.redispatched =
        &options.metrics
             ->counter_family(
                 "troupe_workflow_calls_redispatched_total",
                 "Action calls run again because their runner's node went down", {})
             .with({});
  // Leaving (shutdown, restart): every caller gets an answer, none waits forever.
  self->set_exit_handler([=](caf::exit_msg& em) {
    auto& st = self->state;
    if (!em.reason) return;
    for (auto& q : st.queue)
      q.promise.deliver(
          action_reply{q.request.call_id, false, nullptr, "the action pool stopped"});
    for (auto& [id, r] : st.waiting)
      r.promise.deliver(action_reply{id, false, nullptr, "the action pool stopped"});
    st.queue.clear();
    st.waiting.clear();
    self->quit(em.reason);
  });
  self->set_down_handler([self](caf::down_msg& dm) { runner_lost(self, dm.source); });
  for (std::size_t i = 0; i < options.runners; ++i)
    spawn_linked_runner(self, {caf::actor_cast<action_pool_pull_actor>(self),
                               options.actions, options.processes, nullptr, nullptr});
  return {
      [=](action_request& req) -> caf::result<action_reply> {
        // Calls come from this node's tasks only (a worker's runners pull
        // them; no other node hands any in).
        if (!from_this_node(self->current_sender(), self->node()))
          return make_error(errc::not_a_member,
                            "action calls come from this node's workflow tasks only");
        auto rp = self->make_response_promise<action_reply>();
        if (answer_from_replay(self, req, rp)) return rp;
        self->state.queue.push_back({std::move(req), rp});
        assign(self);
        return rp;
      },
      [=](ready_atom) -> caf::result<void> {
        auto labels = sender_labels(self);
        if (!labels)
          return make_error(errc::not_a_member,
                            "action runners must run on a cluster member");
        auto runner = caf::actor_cast<action_runner_actor>(self->current_sender());
        if (runner->node() != self->node() &&
            self->state.remote.insert(runner.address()).second)
          self->monitor(runner);
        self->state.idle.push_back({runner, std::move(*labels)});
        assign(self);
        return caf::unit;
      },
      [=](replay_atom, std::vector<kept_reply>& kept) -> caf::result<std::size_t> {
        if (!sender_labels(self))
          return make_error(errc::not_a_member,
                            "replies from a node that has not joined");
        return take_replayed(self, kept);
      },
      [=](action_reply& reply) {
        auto& st = self->state;
        auto i = st.waiting.find(reply.call_id);
        // Only the runner that holds the call answers it (a late answer from
        // a runner whose call was dispatched again is dropped).
        if (i == st.waiting.end() ||
            i->second.runner.address() != self->current_sender()) {
          if (auto labels = sender_labels(self))
            self->state.idle.push_back(
                {caf::actor_cast<action_runner_actor>(self->current_sender()),
                 std::move(*labels)});
          return assign(self);
        }
        i->second.promise.deliver(std::move(reply));
        auto runner = i->second.runner;
        st.waiting.erase(i);
        if (auto labels = sender_labels(self))
          st.idle.push_back({runner, std::move(*labels)});
        assign(self);
      },
      [=](cancel_atom, std::uint64_t call_id) {
        if (!from_this_node(self->current_sender(), self->node())) return;
        auto& st = self->state;
        for (auto i = st.queue.begin(); i != st.queue.end(); ++i)
          if (i->request.call_id == call_id) {
            i->promise.deliver(action_reply{call_id, false, nullptr, "cancelled"});
            st.queue.erase(i);
            return;
          }
        if (auto i = st.waiting.find(call_id); i != st.waiting.end()) {
          i->second.promise.deliver(action_reply{call_id, false, nullptr, "cancelled"});
          self->send(i->second.runner, cancel_atom::value, call_id);
          st.waiting.erase(i);
        }
      },
  };
}

}  // namespace

action_pool_actor spawn_action_pool(caf::actor_system& sys, action_pool_options options) {
  return sys.spawn(action_pool, std::move(options));
}

}  // namespace troupe::workflow
