// fleet_actions: what fleet adds to the workflow engine's action registry.
//
//   fleet.scale  {"pool": "<name>", "replicas": N}
//     sets the pool's desired size (as POST /api/v1/pools/<pool>/scale);
//     result: the pool's status as the API shows it. Fails for an unknown
//     pool or one that is (re)starting.
#pragma once

#include <memory>

#include "actors/common/action.hpp"
#include "actors/fleet/pool_directory.hpp"

namespace troupe::fleet {

// `pools` must outlive the action (the fleet subsystem owns both).
std::shared_ptr<workflow::action> make_scale_action(const pool_directory& pools);

}  // namespace troupe::fleet
