// membership: the coordinator's view of its cluster. Runs the join
// challenge, admits members into cluster_members, records heartbeats and
// declares a member down when CAF reports its agent unreachable (the
// middleman's heartbeats and connection timeout bound this) or when no
// heartbeat came for `down_after`. A member that comes back joins again and
// is up again under the same name. Protocol: messages/cluster.hpp (the node
// actor forwards join, heartbeat, lookup and members here).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <chrono>
#include <string>

#include "runtime/services/cluster/members.hpp"

namespace troupe {

class metrics_registry;

struct membership_options {
  std::string coordinator;  // this node's name
  std::string secret;       // the cluster's shared secret
  std::chrono::milliseconds down_after{3000};
  cluster_members* members = nullptr;
  metrics_registry* metrics = nullptr;
};

caf::actor spawn_membership(caf::actor_system& sys, membership_options options);

}  // namespace troupe
