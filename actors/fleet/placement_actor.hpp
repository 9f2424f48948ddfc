// The placement actor: a coordinator's directory of pools for its worker
// nodes, registered in the actor registry as "fleetpools"
// (placement_actor_name). A member node's fleet part asks it which pools it
// may create for (protocol: placement_actor in messages/fleet.hpp; the rules
// are placement.hpp's).
//
// It holds no state of its own: the pools' definitions are the
// coordinator's INI, their handles come from the pool directory.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <string>
#include <vector>

#include "actors/fleet/fleet_config.hpp"
#include "messages/fleet.hpp"

namespace troupe {
class cluster_members;
}

namespace troupe::fleet {

class pool_directory;

constexpr caf::atom_value placement_actor_name = caf::atom("fleetpools");

struct placement_context {
  std::vector<pool_config> pools;
  const pool_directory* directory = nullptr;  // must outlive the actor
  const cluster_members* members = nullptr;   // must outlive the actor
  std::string owner;                          // this node's name
};

placement_actor spawn_placement(caf::actor_system& sys, placement_context ctx);

}  // namespace troupe::fleet
