// actor_directory: the one table of a node's named actors, one per actor
// system: the workflow service, the action pool, every pool, the bench
// scheduler, collector and history, fleet's placement actor. An actor is
// put at its spawn and again at each restart (the new handle replaces the
// old), so whoever looks a name up at the moment it needs it holds no stale
// handle. Entries are weak: a name whose actor ended resolves to nothing,
// and the actor system need not wait for it.
//
// Reach. A name put with reach::cluster may be looked up by other nodes,
// through the node actor's lookup, which answers cluster members only
// (actors/cluster/membership.cpp). CAF's own registry is not used for names:
// CAF 0.17 delivers messages from any connected node to the actors named in
// it (BASP's named receivers), before any troupe check could run.
//
// Events, not polling. Each put raises the name's version. An actor that
// waits for a name (to come up, or to come up again after answering that it
// is starting) asks to be told once the version passes the one it saw
// (`notify_after`): it gets `directory_put_atom` then. An actor that is up
// only after some work of its own (the bench scheduler restores its state)
// puts itself again when that work is done: first with put_starting (its
// routes answer "starting"), then with put.
//
// Readiness. A name is up when its actor is live and was last put with
// put, not put_starting. The node is ready when every name its subsystems
// list (subsystem::readiness) is up (`not_up`, GET /readyz).
//
// Thread-safe; messages are sent outside the lock.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace troupe {

// The message a waiter of notify_after receives.
using directory_put_atom = caf::atom_constant<caf::atom("dirput")>;

// A name and the protocol of the actor it stands for (a typed_actor of
// messages/, or caf::actor), so that lookups come back typed.
template <class Handle>
struct actor_key {
  std::string name;
};

enum class reach { node, cluster };

class actor_directory {
 public:
  // The directory of `sys`, made on first use (the node's, the embedded
  // engine's, a test's: one per actor system).
  static actor_directory& of(caf::actor_system& sys);

  // Names `a` (replacing an earlier entry), raises the name's version and
  // tells its waiters. `a` must convert to the key's protocol (an actor's
  // own type, with its internal messages, does).
  template <class Handle, class Actor>
  void put(const actor_key<Handle>& key, const Actor& a, reach r = reach::node) {
    const Handle& typed = a;
    put_actor(key.name, caf::actor_cast<caf::actor>(typed), r, true);
  }

  // As put, for an actor that takes requests but answers "starting" until
  // its own start-up work is done; it calls put when it is.
  template <class Handle, class Actor>
  void put_starting(const actor_key<Handle>& key, const Actor& a, reach r = reach::node) {
    const Handle& typed = a;
    put_actor(key.name, caf::actor_cast<caf::actor>(typed), r, false);
  }

  // The live actor named `key`, or an invalid handle.
  template <class Handle>
  Handle get(const actor_key<Handle>& key) const {
    return caf::actor_cast<Handle>(find(key.name).actor);
  }

  // A name's actor and version (0: never put), read together; `up` when
  // the actor is live and was put with put.
  struct found {
    caf::actor actor;
    std::uint64_t version = 0;
    bool up = false;
  };
  found find(const std::string& name) const;

  // Those of `names` that are not up, in the order given.
  std::vector<std::string> not_up(const std::vector<std::string>& names) const;

  // The live actor named `name` if it was put with reach::cluster, else an
  // invalid handle (for another node's lookup).
  caf::actor find_published(const std::string& name) const;

  // Sends `listener` directory_put_atom once `name`'s version is past
  // `seen`: at once if it already is, else at the next put. Once only; a
  // listener that ended by then is skipped.
  void notify_after(const std::string& name, std::uint64_t seen,
                    const caf::actor& listener);

 private:
  struct entry {
    caf::actor_addr actor;
    reach scope = reach::node;
    std::uint64_t version = 0;
    bool up = false;
    std::vector<caf::actor_addr> waiters;
  };

  void put_actor(const std::string& name, const caf::actor& a, reach r, bool up);

  mutable std::mutex mu_;
  std::map<std::string, entry> entries_;
};

}  // namespace troupe
