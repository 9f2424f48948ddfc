// node_actor: answers what a troupe node is (name, role, version, uptime)
// and how its supervision tree is doing, for GET /api/v1/node and for other
// nodes and CLIs reaching it through CAF's middleman (`troupe probe`).
// Talks to: the root supervisor (describe_atom → supervisor_report), the
// membership actor (the cluster's requests, delegated).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <string>

#include "messages/node.hpp"
#include "messages/supervisor.hpp"

namespace troupe {

struct node_identity {
  std::string name;
  std::string role;
  std::string version;
};

// Spawns the node actor for the node whose root supervisor is `root`. On a
// coordinator `membership` (actors/cluster/membership.hpp) answers the
// cluster's requests; elsewhere they fail with not_a_member.
node_actor spawn_node_actor(caf::actor_system& sys, node_identity id,
                            supervisor_actor root, caf::actor membership = {});

}  // namespace troupe
