// placement: which nodes of a cluster create runners for which pool, and
// what a worker node is told about a pool so that it can (pure logic, no
// actors; the rules are in docs/fleet.md, "Placement in a cluster").
//
// A pool places its creator-workers on member nodes that carry the pool's
// role and every label of its `node-labels`: role "runner" for process
// pools (the creator-worker there spawns the runner processes on that
// node), role "creator" for kubernetes and sim pools.
#pragma once

#include <caf/actor.hpp>
#include <string>

#include "actors/fleet/fleet_config.hpp"
#include "messages/cluster.hpp"
#include "messages/fleet.hpp"

namespace troupe::fleet {

// The member role a pool with `provider` needs: "runner" or "creator".
const char* placement_role(const std::string& provider);

// True when a runner lives on the node whose provider instance created it
// (process: a child process; sim: an in-process API), so it ends with that
// node; false when the provider is shared by all nodes (kubernetes).
bool runners_live_on_node(const std::string& provider);

// Why `member` may not create for `pool` ("" when it may): the missing role
// or the missing node labels, in words.
std::string placement_refusal(const pool_config& pool, const member_info& member);

// The pool as a member node needs it; `pull` is the pool's current
// actor and `owner` the coordinator's node name.
pool_placement to_placement(const pool_config& pool, pool_pull_actor pull,
                            std::string owner);

// The pool's configuration on the member node, from what it was told.
pool_config from_placement(const pool_placement& placement);

}  // namespace troupe::fleet
