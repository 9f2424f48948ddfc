#include "actors/bench/bench_subsystem.hpp"

#include <filesystem>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/collector_actor.hpp"
#include "actors/bench/history_actor.hpp"
#include "actors/bench/placement.hpp"
#include "actors/bench/platform_actor.hpp"
#include "actors/bench/scheduler_actor.hpp"
#include "actors/supervisor/supervisor.hpp"
#include "runtime/services/http/client.hpp"

namespace troupe::bench {

bench_subsystem::bench_subsystem() = default;
bench_subsystem::~bench_subsystem() = default;

void bench_subsystem::declare(node_config& cfg) {
  declare_bench_options(cfg, settings_);
}

status bench_subsystem::check(const node_config& cfg) {
  if (auto st = check_bench_settings(cfg, settings_); !st) return st;
  auto platforms = read_platforms(cfg);
  if (!platforms) return platforms.error();
  platforms_ = std::move(*platforms);
  role_ = cfg.node.role;
  if (role_ == "worker" && !platforms_.empty())
    return status::error(cfg.origin("bench.platforms") +
                         ": a worker defines no [bench.platforms]; it runs the "
                         "coordinator's platform named by "
                         "[cluster] platform");
  history_dir_ = settings_.history_dir.empty()
                     ? (std::filesystem::path(cfg.node.data_dir) / "bench").string()
                     : settings_.history_dir;
  if (!platforms_.empty() && role_ != "coordinator") {
    host_ = read_host_facts();  // blocking, so here at start-up
    host_read_ = true;
  }
  return status::ok();
}

std::vector<migration> bench_subsystem::migrations() const {
  return bench_migrations();
}

supervisor_actor bench_subsystem::start(node_services& services) {
  if (!settings_.alert_webhook.empty() && !alerts_)
    alerts_ = std::make_unique<http_client>();
  bench_context ctx;
  ctx.settings = settings_;
  ctx.platforms = platforms_;
  ctx.host = host_;
  ctx.history_dir = history_dir_;
  ctx.db = services.db;
  ctx.metrics = services.metrics;
  ctx.processes = services.processes;
  ctx.lock = services.host;
  ctx.alerts = alerts_.get();
  ctx.members = services.members;
  bool coordinator = role_ == "coordinator";
  // Workers find the scheduler and the collector by name (session.lookup).
  if (coordinator) ctx.scope = reach::cluster;
  std::vector<child_spec> children;
  auto add = [&children](std::string id, child_start start) {
    child_spec spec;
    spec.id = std::move(id);
    spec.start = std::move(start);
    children.push_back(std::move(spec));
  };
  // Start order: what the others ask first comes first.
  add("history", [ctx](caf::actor_system& sys, const caf::message&) {
    return caf::actor_cast<caf::actor>(spawn_history(sys, ctx));
  });
  // A supervisor's child is a lifetime handle (caf::actor).
  add("collector", [ctx](caf::actor_system& sys, const caf::message&) {
    return caf::actor_cast<caf::actor>(spawn_collector(sys, ctx));
  });
  add("scheduler", [ctx](caf::actor_system& sys, const caf::message&) {
    return caf::actor_cast<caf::actor>(spawn_scheduler(sys, ctx));
  });
  // On a coordinator the platforms run on workers (attach), not here.
  if (!coordinator)
    for (auto& p : platforms_)
      add("platform:" + p.name, [ctx, p](caf::actor_system& sys, const caf::message&) {
        return spawn_platform(sys, ctx, p);
      });
  supervisor_flags flags;
  flags.observer = services.supervision;
  flags.name = "bench";
  flags.strategy = restart_strategy::one_for_all;
  flags.intensity = 5;
  flags.period = std::chrono::seconds(30);
  return spawn_supervisor(*services.sys, flags, std::move(children));
}

std::vector<readiness_name> bench_subsystem::readiness(const node_config&) const {
  return {{history_key.name, "bench history"},
          {collector_key.name, "bench collector"},
          {scheduler_key.name, "bench scheduler"}};
}

}  // namespace troupe::bench
