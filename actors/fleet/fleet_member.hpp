// fleet_member: a worker node's fleet part, attached after each join to the
// coordinator (fleet_subsystem::attach). It asks the coordinator's
// placement actor for the pools this node may create for, and for each runs
// `worker-creators` remote creator-workers with a provider instance of its
// own (runners of process pools are children of this node's process
// service). It forwards the exits of those runners to their pool.
//
// Lifetime: it monitors the placement actor and ends when that goes down
// (the coordinator or its fleet is gone; the agent attaches again after the
// next join). It monitors each pool: when one goes down, its creators end,
// the runners this node started for it are removed (the pool, restarted or
// not, no longer counts them), and the pool is looked up again later.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <memory>
#include <string>

#include "messages/fleet.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe {
class process_service;
}

namespace troupe::fleet {

struct member_context {
  placement_actor placements;            // the coordinator's placement actor
  std::shared_ptr<cluster_work> work;    // this node's load
  process_service* processes = nullptr;  // must outlive the actor system
  std::string node;  // this node's name (owner of its process runners)
};

// The member has no protocol: the handle is for its lifetime (the cluster
// agent ends it when the node leaves).
caf::actor spawn_fleet_member(caf::actor_system& sys, member_context ctx);

}  // namespace troupe::fleet
