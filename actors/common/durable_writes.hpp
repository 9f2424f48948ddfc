// durable_writes: the one way an actor acts on a store write only once it is
// durable: answering a submitter, a platform or a scale request, calling a
// provider after the intent is stored. The store answers on its own thread;
// its callback sends the actor `durable_written`, and the actor's handler
// for it calls done(), which runs the write's continuation on the actor's
// thread, where it may touch the actor's state.
//
// An actor keeps one durable_writes in its state and lists
// caf::reacts_to<durable_written> among its internal messages (only its own
// store callbacks send it; the type is not in the type registry, so no other
// node can).
#pragma once

#include <caf/actor_cast.hpp>
#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/send.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "messages/errors.hpp"
#include "runtime/services/store/store.hpp"

namespace troupe {

// Write `id` of the receiving actor's durable_writes is durable (`err`
// empty) or failed.
struct durable_written {
  std::uint64_t id = 0;
  caf::error err;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, durable_written& x) {
  return f(caf::meta::type_name("durable_written"), x.id, x.err);
}

class durable_writes {
 public:
  // Gets an empty error once the write is durable; otherwise the store's
  // error (errc::storage_unavailable for a resource that failed, else
  // errc::shutting_down), naming what was written.
  using then_fn = std::function<void(const caf::error&)>;

  // Writes `records` as one durable group (all or none) and runs `then` in
  // the actor `me` once the store answered. `what` starts the error's text
  // ("bench append"). Without a store (`db` null: unit tests) the write is
  // durable at once, and `then` still runs from the actor's mailbox, never
  // inside this call.
  template <class Handle>
  void write(store* db, const Handle& me, std::vector<store_record> records,
             std::string what, then_fn then) {
    auto id = ++next_;
    waiting_.emplace(id, std::move(then));
    if (db == nullptr) return caf::anon_send(me, durable_written{id, {}});
    db->write_group(
        std::move(records), durability::durable,
        [me, id, what = std::move(what)](status s) {
          caf::anon_send(
              me, durable_written{id, from_status(s, errc::shutting_down, what + ": ")});
        });
  }

  // Runs the continuation of write `m.id` (once; an id already ended by
  // fail_all is ignored).
  void done(durable_written& m);

  // Runs every waiting continuation with `err`: an actor that restarts from
  // the store after a failed write tells everyone still waiting.
  void fail_all(const caf::error& err);

  std::size_t waiting() const { return waiting_.size(); }

 private:
  std::uint64_t next_ = 0;
  std::map<std::uint64_t, then_fn> waiting_;  // by id: oldest first
};

}  // namespace troupe
