#include "actors/fleet/fleet_member.hpp"

#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <map>

#include "actors/fleet/creator_worker.hpp"
#include "actors/fleet/placement.hpp"
#include "actors/fleet/provider_factory.hpp"
#include "messages/errors.hpp"
#include "messages/fleet.hpp"

namespace troupe::fleet {

namespace {

using namespace std::chrono_literals;

// Internal messages (not in the type registry: no other node can send one).
// Ask the placement actor again.
struct refresh_due {};
// A runner this node started for `pool` ended.
struct runner_ended {
  std::string pool;
  std::string runner;
  std::int32_t code = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, refresh_due&) {
  return f(caf::meta::type_name("fleet_member::refresh_due"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, runner_ended& x) {
  return f(caf::meta::type_name("fleet_member::runner_ended"), x.pool, x.runner, x.code);
}

// No public protocol: only its own messages.
using member_impl =
    caf::typed_actor<caf::reacts_to<refresh_due>, caf::reacts_to<runner_ended>>;

constexpr auto ask_timeout = 10s;
constexpr auto refresh_delay = 1s;

struct attached_pool {
  pool_pull_actor pool;
  std::string owner;  // the owner label of its runners
  bool node_local = false;
  std::shared_ptr<runner_provider> provider;
  std::vector<creator_actor> creators;
};

struct member_state {
  static inline const char* name = "troupe.fleet.member";
  member_context ctx;
  std::map<std::string, attached_pool> pools;
};

using member_self = member_impl::stateful_pointer<member_state>;

// Removes what this node's provider holds for `pool` (node-local runners
// only; kubernetes objects belong to the shared API the pool lists).
void remove_runners(const std::string& pool, const attached_pool& a) {
  if (!a.node_local) return;
  auto provider = a.provider;
  provider->list(pool, a.owner,
                 [provider, pool](bool, std::vector<runner_object> objects, call_report) {
                   for (auto& o : objects)
                     provider->remove(pool, o.name, [](call_report) {});
                 });
}

void start_pool(member_self self, const pool_placement& placement) {
  auto& st = self->state;
  auto config = from_placement(placement);
  auto provider = make_provider(config, *st.ctx.processes);
  if (!provider) {
    spdlog::error("fleet: cannot create for pool {}: {}", placement.name,
                  provider.error().message());
    return;
  }
  attached_pool a;
  a.pool = placement.pool;
  a.node_local = runners_live_on_node(config.provider);
  // Node-local runners carry this node's name as their owner.
  a.owner = a.node_local ? st.ctx.node : placement.owner;
  a.provider = *provider;
  auto me = caf::actor_cast<member_impl>(self);
  auto pool_name = placement.name;
  a.provider->on_exit([me, pool_name](const std::string& runner, int code) {
    caf::anon_send(me, runner_ended{pool_name, runner, static_cast<std::int32_t>(code)});
  });
  remove_runners(pool_name, a);  // what an earlier attachment left in this process
  worker_context wc{a.pool,        a.provider, pool_name,
                    config.labels, a.owner,    config.creation_timeout,
                    true,          st.ctx.work};
  for (std::uint32_t i = 0; i < placement.worker_creators; ++i)
    a.creators.push_back(spawn_creator(self->system(), wc));
  self->monitor(a.pool);
  spdlog::info("fleet: creating for pool {} of the coordinator ({} creator-workers)",
               pool_name, a.creators.size());
  st.pools.emplace(pool_name, std::move(a));
}

void stop_pool(member_self self, std::map<std::string, attached_pool>::iterator i) {
  for (auto& c : i->second.creators) self->send_exit(c, caf::exit_reason::user_shutdown);
  self->demonitor(i->second.pool.address());
  remove_runners(i->first, i->second);
  self->state.pools.erase(i);
}

void stop_all(member_self self) {
  auto& pools = self->state.pools;
  while (!pools.empty()) stop_pool(self, pools.begin());
}

void refresh(member_self self) {
  auto& st = self->state;
  self->request(st.ctx.placements, ask_timeout, placement_atom::value)
      .then(
          [self](std::vector<pool_placement>& placements) {
            for (auto& p : placements)
              if (p.pool && self->state.pools.count(p.name) == 0) start_pool(self, p);
          },
          [self](caf::error& err) {
            spdlog::warn("fleet: the coordinator did not list its pools: {}",
                         is(err, errc::not_a_member) ? error_context(err)
                                                     : self->system().render(err));
            self->delayed_send(self, refresh_delay, refresh_due{});
          });
}

member_impl::behavior_type fleet_member(member_self self, member_context ctx) {
  self->state.ctx = std::move(ctx);
  self->monitor(self->state.ctx.placements);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    if (dm.source == st.ctx.placements.address()) {
      stop_all(self);
      return self->quit();
    }
    for (auto i = st.pools.begin(); i != st.pools.end(); ++i) {
      if (dm.source != i->second.pool.address()) continue;
      spdlog::info("fleet: pool {} of the coordinator went down; looking it up again",
                   i->first);
      stop_pool(self, i);
      self->delayed_send(self, refresh_delay, refresh_due{});
      return;
    }
  });
  self->set_exit_handler([self](caf::exit_msg& em) {
    stop_all(self);
    self->quit(em.reason);
  });
  refresh(self);
  return {
      [self](refresh_due) { refresh(self); },
      [self](runner_ended& m) {
        auto i = self->state.pools.find(m.pool);
        if (i != self->state.pools.end())
          self->send(i->second.pool, runner_exit_atom::value, m.runner, m.code);
      },
  };
}

}  // namespace

caf::actor spawn_fleet_member(caf::actor_system& sys, member_context ctx) {
  return caf::actor_cast<caf::actor>(sys.spawn(fleet_member, std::move(ctx)));
}

}  // namespace troupe::fleet
