#include "actors/fleet/fleet_subsystem.hpp"

#include <spdlog/spdlog.h>

#include "actors/fleet/fleet_member.hpp"
#include "actors/fleet/placement_actor.hpp"
#include "actors/fleet/pool_actor.hpp"
#include "actors/fleet/provider_factory.hpp"
#include "actors/supervisor/supervisor.hpp"

namespace troupe::fleet {

void fleet_subsystem::declare(node_config& cfg) {
  declare_fleet_options(cfg, settings_);
}

status fleet_subsystem::check(const node_config& cfg) {
  if (auto st = check_fleet_settings(cfg, settings_); !st) return st;
  auto pools = read_pools(cfg, settings_);
  if (!pools) return pools.error();
  pools_ = std::move(*pools);
  return status::ok();
}

std::vector<migration> fleet_subsystem::migrations() const {
  return {{100, "fleet_pools_and_runners",
           "CREATE TABLE fleet_pools ("
           "  name TEXT PRIMARY KEY,"
           "  desired INTEGER NOT NULL,"
           "  updated_ms INTEGER NOT NULL);"
           "CREATE TABLE fleet_runners ("
           "  name TEXT PRIMARY KEY,"
           "  pool TEXT NOT NULL,"
           "  slot INTEGER NOT NULL,"
           "  generation INTEGER NOT NULL,"
           "  state TEXT NOT NULL,"  // creating | idle | busy | deleting
           "  updated_ms INTEGER NOT NULL);"
           "CREATE INDEX fleet_runners_pool ON fleet_runners(pool);"}};
}

result<std::shared_ptr<runner_provider>> fleet_subsystem::provider_for(
    const pool_config& p, node_services& services) {
  if (auto i = providers_.find(p.name); i != providers_.end()) return i->second;
  auto made = make_provider(p, *services.processes);
  if (made) providers_[p.name] = *made;
  return made;
}

supervisor_actor fleet_subsystem::start(node_services& services) {
  std::vector<child_spec> children;
  for (auto& p : pools_) {
    directory_.put(p.name, p.labels);  // known while starting
    auto provider = provider_for(p, services);
    if (!provider) {
      spdlog::error("fleet: {}", provider.error().message());
      continue;
    }
    pool_context ctx;
    ctx.config = p;
    ctx.settings = settings_;
    ctx.provider = *provider;
    ctx.owner = services.cfg->node.name;
    ctx.db = services.db;
    ctx.metrics = services.metrics;
    ctx.members = services.members;
    child_spec spec;
    spec.id = "pool:" + p.name;
    spec.start = [ctx](caf::actor_system& sys, const caf::message&) {
      return caf::actor_cast<caf::actor>(spawn_pool(sys, ctx));
    };
    children.push_back(std::move(spec));
  }
  // Worker nodes find the pools they may create for here (docs/fleet.md, "Placement in a
  // cluster").
  child_spec placement;
  placement.id = "placement";
  placement.start = [ctx = placement_context{pools_, &directory_, services.members,
                                             services.cfg->node.name}](
                        caf::actor_system& sys, const caf::message&) {
    auto handle = spawn_placement(sys, ctx);
    actor_directory::of(sys).put(placement_key, handle, reach::cluster);
    return caf::actor_cast<caf::actor>(handle);
  };
  children.push_back(std::move(placement));
  supervisor_flags flags;
  flags.observer = services.supervision;
  flags.name = "fleet";
  flags.intensity = 5;
  flags.period = std::chrono::seconds(30);
  return spawn_supervisor(*services.sys, flags, std::move(children));
}

std::vector<std::string> fleet_subsystem::cluster_lookups() const {
  return {placement_key.name};
}

std::vector<caf::actor> fleet_subsystem::attach(const cluster_session& session,
                                                node_services& services) {
  if (!session.has_role("creator") && !session.has_role("runner")) return {};
  auto placements = caf::actor_cast<placement_actor>(
      session.lookup(caf::atom_from_string(placement_key.name)));
  if (!placements) {
    spdlog::info("fleet: coordinator '{}' runs no fleet; nothing to create here",
                 session.coordinator);
    return {};
  }
  return {spawn_fleet_member(
      *services.sys, {placements, session.work, services.processes, session.self.name})};
}

std::vector<readiness_name> fleet_subsystem::readiness(const node_config&) const {
  std::vector<readiness_name> names;
  for (auto& p : pools_)
    names.push_back({pool_key(p.name).name, "pool '" + p.name + "'"});
  names.push_back({placement_key.name, "fleet placement"});
  return names;
}

}  // namespace troupe::fleet
