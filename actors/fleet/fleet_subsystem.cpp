#include "actors/fleet/fleet_subsystem.hpp"

#include <spdlog/spdlog.h>

#include "actors/fleet/pool_actor.hpp"
#include "actors/fleet/provider_kubernetes.hpp"
#include "actors/fleet/provider_process.hpp"
#include "actors/fleet/provider_sim.hpp"
#include "actors/supervisor.hpp"

namespace troupe::fleet {

void fleet_subsystem::declare(node_config& cfg) { declare_fleet_options(cfg, settings_); }

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

result<std::shared_ptr<runner_provider>> fleet_subsystem::provider_for(const pool_config& p,
                                                                        node_services& services) {
  if (auto i = providers_.find(p.name); i != providers_.end()) return i->second;
  std::shared_ptr<runner_provider> made;
  if (p.provider == "sim") {
    sim_options o;
    o.latency = p.sim_latency;
    o.jitter = p.sim_jitter;
    o.rate = p.sim_rate;
    o.error_rate = p.sim_error_rate;
    o.quota = p.sim_quota;
    made = std::make_shared<sim_provider>(o);
  } else if (p.provider == "process") {
    made = std::make_shared<process_provider>(*services.processes, p.command);
  } else if (p.provider == "kubernetes") {
    kubernetes_config kc;
    kc.api_server = p.api_server;
    kc.resource_path = p.resource_path;
    kc.api_version = p.api_version;
    kc.kind = p.kind;
    kc.token_file = p.token_file;
    kc.ca_file = p.ca_file;
    kc.request_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(p.creation_timeout);
    kc.max_connections = std::max<std::size_t>(p.creation_concurrency, 16);
    if (!p.object_template.empty()) {
      auto tmpl = json::parse(p.object_template, "fleet.pools." + p.name + ".object-template");
      if (!tmpl) return tmpl.error();
      kc.object_template = *tmpl;
    }
    auto kube = kubernetes_provider::make(std::move(kc));
    if (!kube) return status::error("pool " + p.name + ": " + kube.error().message());
    made = *kube;
  } else {
    return status::error("pool " + p.name + ": provider '" + p.provider + "' is not available");
  }
  providers_[p.name] = made;
  return made;
}

caf::actor fleet_subsystem::start(node_services& services) {
  std::vector<child_spec> children;
  for (auto& p : pools_) {
    directory_.put(p.name, caf::actor{}, p.labels);  // known while starting
    auto provider = provider_for(p, services);
    if (!provider) {
      spdlog::error("fleet: {}", provider.error().message());
      continue;
    }
    pool_context ctx{p, settings_, *provider, services.cfg->node.name, services.db,
                     services.metrics, &directory_};
    child_spec spec;
    spec.id = "pool:" + p.name;
    spec.start = [ctx](caf::actor_system& sys, const caf::message&) { return spawn_pool(sys, ctx); };
    children.push_back(std::move(spec));
  }
  supervisor_flags flags;
  flags.name = "fleet";
  flags.intensity = 5;
  flags.period = std::chrono::seconds(30);
  return spawn_supervisor(*services.sys, flags, std::move(children));
}

}  // namespace troupe::fleet
