// bench_subsystem::attach: a worker node's side of bench placement
// (placement.hpp). Runs on the cluster agent's thread, so it may block.
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/bench/bench_subsystem.hpp"
#include "actors/bench/placement.hpp"
#include "actors/bench/platform_actor.hpp"

namespace troupe::bench {

namespace {

constexpr auto ask_timeout = std::chrono::seconds(10);

// The definition of `platform` from the coordinator's scheduler (blocking).
result<bench_platform_def> fetch_definition(caf::actor_system& sys,
                                            const bench_pull_actor& scheduler,
                                            const std::string& platform) {
  caf::scoped_actor self{sys};
  result<bench_platform_def> out = status::error("no answer");
  self->request(scheduler, ask_timeout, bench_platform_atom::value, platform)
      .receive([&](bench_platform_def& def) { out = std::move(def); },
               [&](caf::error& err) { out = status::error(sys.render(err)); });
  return out;
}

// Artifacts of benchmarks that ran while the coordinator was away go to its
// collector before the platform pulls again (blocking); undelivered ones
// are kept for the next join.
void deliver_kept(caf::actor_system& sys, const bench_artifact_actor& collector,
                  kept_artifacts& kept) {
  std::vector<bench_artifact> undelivered;
  caf::scoped_actor self{sys};
  for (auto& a : kept.take()) {
    self->request(collector, ask_timeout, a)
        .receive(
            [&](bool) {
              spdlog::info("bench: delivered the kept artifact of run {} ({})", a.run_id,
                           a.platform);
            },
            [&](caf::error& err) {
              spdlog::warn(
                  "bench: the collector did not take the kept artifact of run {}: {}",
                  a.run_id, sys.render(err));
              // Kept for the next join only if it may still be taken.
              if (err == caf::sec::request_timeout) undelivered.push_back(std::move(a));
            });
  }
  kept.give_back(std::move(undelivered));
}

}  // namespace

std::vector<std::string> bench_subsystem::cluster_lookups() const {
  return {scheduler_key.name, collector_key.name};
}

std::vector<caf::actor> bench_subsystem::attach(const cluster_session& session,
                                                node_services& services) {
  auto& platform = session.self.platform;
  if (!session.has_role("platform") || platform.empty()) return {};
  // A member may send them what a platform sends (messages/bench.hpp).
  auto scheduler = caf::actor_cast<bench_pull_actor>(
      session.lookup(caf::atom_from_string(scheduler_key.name)));
  auto collector = caf::actor_cast<bench_artifact_actor>(
      session.lookup(caf::atom_from_string(collector_key.name)));
  if (!scheduler || !collector) {
    spdlog::error("bench: coordinator '{}' has no bench scheduler or collector for {}",
                  session.coordinator, platform);
    return {};
  }
  auto def = fetch_definition(*services.sys, scheduler, platform);
  auto parsed = def ? from_definition(*def)
                    : result<std::pair<platform_config, bench_settings>>(def.error());
  if (!parsed) {
    spdlog::error("bench: platform {} from coordinator '{}': {}", platform,
                  session.coordinator, parsed.error().message());
    return {};
  }
  if (!host_read_) {
    host_ = read_host_facts();
    host_read_ = true;
  }
  auto& [config, limits] = *parsed;
  bench_context ctx;
  ctx.settings = limits;
  ctx.platforms = {config};
  ctx.host = host_;
  ctx.db = services.db;
  ctx.metrics = services.metrics;
  ctx.processes = services.processes;
  ctx.lock = services.host;  // the worker's own machine
  deliver_kept(*services.sys, collector, *kept_);
  spdlog::info("bench: running platform {} for coordinator '{}' ({} suite(s))", platform,
               session.coordinator, config.suites.size());
  return {spawn_remote_platform(*services.sys, ctx, config,
                                {scheduler, collector, session.work, kept_})};
}

}  // namespace troupe::bench
