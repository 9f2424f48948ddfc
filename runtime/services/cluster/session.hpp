// cluster_session: what a worker node's subsystems get each time the node
// (re)joins its coordinator (subsystem::attach). `lookup` finds a named
// actor of the coordinator's registry among those the agent looked up for
// this attach (subsystem::cluster_lookups); it returns an invalid handle
// for a name the coordinator did not have or did not answer for, and for
// names not asked for.
#pragma once

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <functional>
#include <memory>
#include <string>

#include "messages/cluster.hpp"
#include "runtime/services/cluster/members.hpp"

namespace troupe {

struct cluster_session {
  member_info self;                    // this worker as it joined
  std::string coordinator;             // the coordinator's node name
  std::shared_ptr<cluster_work> work;  // count remote work here (heartbeats report it)
  std::function<caf::actor(caf::atom_value)> lookup;

  bool has_role(const std::string& role) const { return troupe::has_role(self, role); }
};

}  // namespace troupe
