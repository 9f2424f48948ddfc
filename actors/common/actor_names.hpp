// actor_names: troupe's own table of named actors ("workflow", "wfactions",
// "bsched", ...), per actor system. It replaces CAF's registry for names
// because CAF 0.17 delivers messages from any connected node to the actors
// named in its registry (BASP's named receivers, middleman::remote_lookup),
// before any troupe check could run. Names here are reachable from other
// nodes only through the node actor's lookup, which answers cluster members
// only. Entries are weak: a name whose actor ended resolves to nothing.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>

namespace troupe {

// Names `a` in `sys` (replacing an earlier entry).
void put_actor_name(caf::actor_system& sys, caf::atom_value name, const caf::actor& a);

// The live actor named `name` in `sys`, or an invalid handle.
caf::actor find_actor_name(caf::actor_system& sys, caf::atom_value name);

// The same for typed handles: a name stands for one protocol, which the
// caller names as `Handle` (a typed_actor of messages/).
template <class Handle>
void put_actor_name(caf::actor_system& sys, caf::atom_value name, const Handle& a) {
  put_actor_name(sys, name, caf::actor_cast<caf::actor>(a));
}
template <class Handle>
Handle find_actor_name_as(caf::actor_system& sys, caf::atom_value name) {
  return caf::actor_cast<Handle>(find_actor_name(sys, name));
}

}  // namespace troupe
