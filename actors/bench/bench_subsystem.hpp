// bench_subsystem: plugs continuous benchmarking into a node (see
// actors/common/subsystem.hpp): the [bench] and [bench.platforms] options, its
// tables (migrations 300-399), the "bench" supervisor (one_for_all, since
// its actors restore together from the store) with the history actor, the
// collector, the intake/scheduler and one benchmark-platform actor per
// configured platform; the /api/v1/bench endpoints, GET /dashboard and GitHub
// push webhooks. Without platforms the pipeline takes commits and plans runs
// but nothing runs them.
//
// Placement (placement.hpp): on a coordinator the platforms are not spawned
// here; the scheduler and the collector are registered for the workers, and
// each worker node whose [cluster] platform names a platform runs it
// (attach). A worker's INI defines no platforms: it gets the definition from
// the coordinator.
#pragma once

#include <memory>

#include "actors/bench/bench_context.hpp"
#include "actors/bench/platform_actor.hpp"
#include "actors/common/subsystem.hpp"

namespace troupe::bench {

class bench_subsystem : public subsystem {
 public:
  bench_subsystem();
  ~bench_subsystem() override;
  std::string name() const override { return "bench"; }
  void declare(node_config& cfg) override;
  status check(const node_config& cfg) override;
  std::vector<migration> migrations() const override;
  supervisor_actor start(node_services& services) override;
  void routes(http_server& server, node_services& services) override;
  // On a worker with the role "platform" and a [cluster] platform: fetches
  // the platform's definition from the coordinator's scheduler and spawns
  // its platform actor, pulling from the coordinator (bench_attach.cpp).
  // Returns nothing (after logging why) when the coordinator has no bench
  // actors or refuses this worker.
  std::vector<caf::actor> attach(const cluster_session& session,
                                 node_services& services) override;
  std::vector<std::string> cluster_lookups() const override;
  std::vector<readiness_name> readiness(const node_config& cfg) const override;

  const std::vector<platform_config>& platforms() const { return platforms_; }
  const bench_settings& settings() const { return settings_; }

 private:
  bench_settings settings_;
  std::vector<platform_config> platforms_;
  host_facts host_;
  bool host_read_ = false;
  std::string role_;  // [node] role
  std::string history_dir_;
  // On a worker: artifacts that could not be delivered (coordinator away).
  std::shared_ptr<kept_artifacts> kept_ = std::make_shared<kept_artifacts>();
  std::unique_ptr<http_client> alerts_;  // for [bench] alert-webhook
};

}  // namespace troupe::bench
