// The placement actor: a coordinator's directory of pools for its worker
// nodes, put in the node's actor_directory as "fleetpools" (placement_key,
// reach::cluster). A member node's fleet part asks it which pools it
// may create for (protocol: placement_actor in messages/fleet.hpp; the rules
// are placement.hpp's).
//
// It holds no state of its own: the pools' definitions are the
// coordinator's INI, their handles come from the pool directory.
#pragma once

#include <caf/actor_system.hpp>
#include <string>
#include <vector>

#include "actors/common/actor_directory.hpp"
#include "actors/fleet/fleet_config.hpp"
#include "messages/fleet.hpp"

namespace troupe {
class cluster_members;
}

namespace troupe::fleet {

class pool_directory;

inline const actor_key<placement_actor> placement_key{"fleetpools"};

struct placement_context {
  std::vector<pool_config> pools;
  const pool_directory* directory = nullptr;  // must outlive the actor
  const cluster_members* members = nullptr;   // must outlive the actor
  std::string owner;                          // this node's name
};

placement_actor spawn_placement(caf::actor_system& sys, placement_context ctx);

}  // namespace troupe::fleet
