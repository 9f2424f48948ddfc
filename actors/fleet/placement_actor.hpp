// placement_actor: a coordinator's directory of pools for its worker nodes,
// registered in the actor registry as "fleetpools" (placement_actor_name).
// A member node's fleet part asks it which pools it may create for:
//
//   (placement_atom) -> std::vector<pool_placement>
//       the pools whose role and node labels the sending member satisfies
//       (placement.hpp), each with the pool actor's current handle (pools
//       that are restarting are left out; ask again later);
//       not_a_member for a node that is not a member.
//
// It holds no state of its own: the pools' definitions are the
// coordinator's INI, their handles come from the pool directory.
#pragma once

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <string>
#include <vector>

#include "actors/fleet/fleet_config.hpp"

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

caf::behavior placement_actor(caf::event_based_actor* self, placement_context ctx);

}  // namespace troupe::fleet
