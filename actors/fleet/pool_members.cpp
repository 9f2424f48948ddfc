// A pool's creator-workers, local and on member nodes: who may pull jobs,
// which worker takes which job, and what a remote creator or a whole node
// going down changes (the rules are in docs/fleet.md, "Placement in a cluster").
//
// Jobs of node-local providers (process, sim) are bound to the node that
// holds the runner: a deletion, or the retry of a create that may have
// happened, runs on that node (elsewhere the provider would not know the
// runner). Such a job waits ("parked") while every creator of its node is
// busy; when the node is gone, so is the runner, and the job settles as such.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "actors/fleet/placement.hpp"
#include "actors/fleet/pool_state.hpp"
#include "messages/errors.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe::fleet {

namespace {

bool node_local(pool_self self) {
  return runners_live_on_node(self->state.ctx.config.provider);
}

bool node_alive(pool_self self, const caf::node_id& node) {
  auto& st = self->state;
  if (node == self->node()) return !st.workers.empty();
  auto i = st.node_creators.find(node);
  return i != st.node_creators.end() && i->second > 0;
}

// Takes the oldest idle worker on `node` (any node when null). Idle
// creators of a node that is no longer a member (declared down) are
// dropped: they get no more jobs until their node rejoins.
creator_actor take_idle(pool_self self, const caf::node_id* node) {
  auto& st = self->state;
  auto& idle = st.idle_workers;
  // Only after membership changed: a creator is enlisted only from a member.
  auto* members = st.ctx.members;
  if (members != nullptr && members->changed_since(st.members_seen)) {
    idle.erase(std::remove_if(idle.begin(), idle.end(),
                              [&](const creator_actor& w) {
                                return !members->allowed(w.node(), self->node());
                              }),
               idle.end());
  }
  for (auto i = idle.begin(); i != idle.end(); ++i) {
    if (node != nullptr && i->node() != *node) continue;
    auto worker = *i;
    idle.erase(i);
    return worker;
  }
  return {};
}

bool has_idle_on(pool_self self, const caf::node_id& node) {
  for (auto& w : self->state.idle_workers)
    if (w.node() == node) return true;
  return false;
}

// What a job that cannot run any more answers: the runner's node is gone
// (node-local: the runner with it; a create never happened there) or the
// creator holding it went down (kubernetes: the create may have happened).
fleet_job_result lost_result(pool_self self, const fleet_job& job,
                             const std::string& why) {
  fleet_job_result r;
  r.job = job;
  if (node_local(self) && job.kind == fleet_job_kind::remove) {
    r.http_status = 404;
    r.status_reason = "NotFound";
  } else {
    r.transport = node_local(self) ? transport_error::connection_refused
                                   : transport_error::connection_reset;
  }
  r.status_message = why;
  return r;
}

fleet_job to_message(const pool_job& job) {
  return {job.kind, job.name, job.slot, job.generation, job.attempt};
}

// The last creator of `node` is gone: for node-local providers its runners
// went with it; parked jobs settle; the model refills to the desired count.
void on_node_lost(pool_self self, const caf::node_id& node) {
  auto& st = self->state;
  auto& pool = st.ctx.config.name;
  std::size_t lost = 0;
  if (auto p = st.parked.find(node); p != st.parked.end()) {
    auto jobs = std::move(p->second);
    st.parked.erase(p);
    for (auto& job : jobs)
      on_job_result(self, creator_actor{},
                    lost_result(self, to_message(job), "node lost"));
  }
  for (auto i = st.runner_node.begin(); i != st.runner_node.end();) {
    if (i->second != node) {
      ++i;
      continue;
    }
    auto name = i->first;
    i = st.runner_node.erase(i);
    auto* r = st.model.find(name);
    if (r != nullptr &&
        (r->state == runner_state::idle || r->state == runner_state::busy)) {
      st.model.on_finished(name, false);
      forget_runner(self, name);
      ++lost;
    }
  }
  auto who = st.node_names.count(node) ? st.node_names[node] : caf::to_string(node);
  st.node_names.erase(node);
  spdlog::warn(
      "pool {}: lost the creators of node '{}'; {} runners that lived there are gone",
      pool, who, lost);
  add_event(self, "node_lost", who + ": " + std::to_string(lost) + " runners gone");
  dispatch(self);
  touch(self);
}

}  // namespace

caf::result<bool> on_enlist(pool_self self) {
  auto& st = self->state;
  auto& sender = self->current_sender();
  if (!sender) return make_error(errc::invalid_argument, "enlist needs a sender");
  auto node = sender->node();
  if (node == self->node()) return true;
  auto info = st.ctx.members ? st.ctx.members->find(node) : std::nullopt;
  if (!info)
    return make_error(errc::not_a_member, "node " + caf::to_string(node) +
                                              " is not a member of this cluster");
  if (auto why = placement_refusal(st.ctx.config, *info); !why.empty())
    return make_error(errc::not_a_member, why);
  auto worker = caf::actor_cast<creator_actor>(sender);
  if (st.remote.emplace(worker.address(), node).second) {
    self->monitor(worker);
    st.node_names[node] = info->name;
    if (st.node_creators[node]++ == 0)
      spdlog::info("pool {}: node '{}' creates for it", st.ctx.config.name, info->name);
  }
  return true;
}

bool is_creator(pool_self self, const caf::strong_actor_ptr& sender) {
  if (!sender) return false;
  if (sender->node() == self->node()) return true;
  return self->state.remote.count(caf::actor_cast<caf::actor_addr>(sender)) > 0;
}

bool may_report_exit(pool_self self, const caf::strong_actor_ptr& sender) {
  if (!sender || sender->node() == self->node()) return true;
  auto* members = self->state.ctx.members;
  return members != nullptr && members->find(sender->node()).has_value();
}

void on_creator_down(pool_self self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto r = st.remote.find(dm.source);
  if (r == st.remote.end()) return;
  auto node = r->second;
  st.remote.erase(r);
  auto& idle = st.idle_workers;
  idle.erase(
      std::remove_if(idle.begin(), idle.end(),
                     [&](const creator_actor& w) { return w.address() == dm.source; }),
      idle.end());
  if (auto j = st.in_flight.find(dm.source); j != st.in_flight.end()) {
    auto job = j->second;
    st.in_flight.erase(j);
    on_job_result(
        self, creator_actor{},
        lost_result(self, job, "creator lost: " + self->system().render(dm.reason)));
  }
  if (--st.node_creators[node] == 0) {
    st.node_creators.erase(node);
    on_node_lost(self, node);
  }
}

bool has_assignment(pool_self self) {
  auto& st = self->state;
  for (auto& [node, jobs] : st.parked)
    if (!jobs.empty() && has_idle_on(self, node)) return true;
  return st.model.has_job();
}

std::optional<std::pair<creator_actor, pool_job>> take_assignment(pool_self self) {
  auto& st = self->state;
  for (auto& [node, jobs] : st.parked) {
    if (jobs.empty()) continue;
    if (auto worker = take_idle(self, &node)) {
      auto job = jobs.front();
      jobs.pop_front();
      return std::make_pair(worker, job);
    }
  }
  if (!st.model.has_job()) return std::nullopt;
  auto job = *st.model.next_job();
  auto bound = node_local(self) ? st.runner_node.find(job.name) : st.runner_node.end();
  if (bound != st.runner_node.end() && !node_alive(self, bound->second)) {
    // The runner's node is gone: a deletion is done; a create starts afresh.
    if (job.kind == job_kind::remove) {
      st.model.on_deleted(job.name);
      forget_runner(self, job.name);
      st.runner_node.erase(bound);
      return std::nullopt;
    }
    st.runner_node.erase(bound);
    bound = st.runner_node.end();
  }
  if (bound != st.runner_node.end()) {
    auto node = bound->second;
    if (auto worker = take_idle(self, &node)) return std::make_pair(worker, job);
    st.parked[node].push_back(job);
    return std::nullopt;
  }
  auto worker = take_idle(self, nullptr);
  if (!worker) {  // not reached: callers hold an idle worker; keep the job
    st.parked[self->node()].push_back(job);
    return std::nullopt;
  }
  if (node_local(self) && job.kind == job_kind::create)
    st.runner_node[job.name] = worker.node();
  return std::make_pair(worker, job);
}

void settle_binding(pool_self self, const std::string& runner) {
  auto& st = self->state;
  auto i = st.runner_node.find(runner);
  if (i == st.runner_node.end()) return;
  auto* r = st.model.find(runner);
  if (r == nullptr || (r->state == runner_state::backoff && !r->uncertain))
    st.runner_node.erase(i);
}

}  // namespace troupe::fleet
