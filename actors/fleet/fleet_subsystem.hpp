// fleet_subsystem: plugs fleet into a node (see actors/common/subsystem.hpp):
// [fleet] and [fleet.pools] options, its tables, one pool supervisor actor per
// configured pool under the "fleet" supervisor (with the placement actor that
// worker nodes ask for pools), the /api/v1/pools endpoints and GitHub
// workflow_job webhooks. On a worker node with role creator or runner,
// attach() runs a fleet_member that creates for the coordinator's pools.
#pragma once

#include <map>
#include <memory>

#include "actors/common/subsystem.hpp"
#include "actors/fleet/fleet_config.hpp"
#include "actors/fleet/pool_directory.hpp"
#include "actors/fleet/provider.hpp"

namespace troupe::fleet {

class fleet_subsystem : public subsystem {
 public:
  std::string name() const override { return "fleet"; }
  void declare(node_config& cfg) override;
  status check(const node_config& cfg) override;
  std::vector<migration> migrations() const override;
  supervisor_actor start(node_services& services) override;
  void routes(http_server& server, node_services& services) override;
  std::vector<caf::actor> attach(const cluster_session& session,
                                 node_services& services) override;
  std::vector<std::string> cluster_lookups() const override;
  std::vector<readiness_name> readiness(const node_config& cfg) const override;

  const std::vector<pool_config>& pools() const { return pools_; }
  // The pools by name (the fleet.scale action looks them up here).
  const pool_directory& directory() const { return directory_; }

 private:
  result<std::shared_ptr<runner_provider>> provider_for(const pool_config& pool,
                                                        node_services& services);

  fleet_settings settings_;
  std::vector<pool_config> pools_;
  // Providers outlive pool restarts (the API's objects do too).
  std::map<std::string, std::shared_ptr<runner_provider>> providers_;
  pool_directory directory_;
};

}  // namespace troupe::fleet
