// The node actor's protocol: what any node (or CLI) may ask a troupe node
// about itself, locally or across the network (`troupe probe`), and the
// door through which worker nodes join a coordinator.
#pragma once

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "messages/atoms.hpp"
#include "messages/cluster.hpp"
#include "messages/supervisor.hpp"

namespace troupe {

// A node's identity and its supervision tree (the root supervisor, whose
// subtree holds each subsystem's supervisor).
struct node_description {
  std::string name;
  std::string role;
  std::string version;
  std::int64_t uptime_ms = 0;
  supervisor_report supervision;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_description& x) {
  return f(caf::meta::type_name("troupe::node_description"), x.name, x.role, x.version,
           x.uptime_ms, x.supervision);
}

// describe → the node's description; echo → its argument, unchanged; the
// cluster's requests (messages/cluster.hpp), answered by a coordinator only.
using node_actor = membership_actor::extend<
    caf::replies_to<describe_atom>::with<node_description>,
    caf::replies_to<echo_atom, node_description>::with<node_description>>;

}  // namespace troupe
