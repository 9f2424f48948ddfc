// For actions that ask another subsystem of this node (bench.submit,
// fleet.scale): a workflow started with the node, or resumed by it, must
// not fail because bench or a pool is still restoring its state.
#pragma once

#include <caf/all.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "actors/common/action.hpp"
#include "actors/common/actor_directory.hpp"
#include "messages/errors.hpp"

namespace troupe::workflow {

namespace detail {
// The helper actor's deadline (it has no protocol).
using ask_patience_atom = caf::atom_constant<caf::atom("askexpire")>;
}  // namespace detail

// How long an action waits for a (re)starting subsystem.
constexpr std::chrono::milliseconds subsystem_patience{30000};

// A helper actor looks `key` up in the node's actor_directory and sends the
// actor `xs...`. While the subsystem is (re)starting (no actor under the
// name, one not up yet, or the actor answers errc::shutting_down) it waits for the name
// to be put again (actor_directory::notify_after: an event, nothing polls), for up to
// `patience` (actions use subsystem_patience). Then exactly one of `on_reply` and
// `on_error` runs, on the helper's thread: the reply; the target's error; or, when it
// never came up, errc::shutting_down naming `what` ("bench", "pool 'x'"). When the call's
// actor (env.caller) ends first, neither runs: the helper ends with it, so that a
// stopping node does not wait for it. `Handle`'s protocol takes xs... and answers Reply.
template <class Reply, class Handle, class... Ts>
void ask_when_up(const action_env& env, std::chrono::milliseconds patience,
                 actor_key<Handle> key, std::string what,
                 std::function<void(Reply&)> on_reply,
                 std::function<void(const caf::error&)> on_error, Ts... xs) {
  auto caller = env.caller;
  auto* directory = &actor_directory::of(*env.sys);
  env.sys->spawn([=](caf::event_based_actor* self) -> caf::behavior {
    if (caller) {
      // A strong handle for monitoring: the caller may have ended already.
      auto alive = caf::actor_cast<caf::actor>(caller);
      if (!alive) {
        self->quit();
        return {};
      }
      self->set_down_handler([self](caf::down_msg&) { self->quit(); });
      self->monitor(alive);
    }
    self->delayed_send(self, patience, detail::ask_patience_atom::value);
    // Asks the actor under the name now, or waits for the name's next put.
    auto try_now = [=] {
      auto found = directory->find(key.name);
      auto target = caf::actor_cast<Handle>(found.actor);
      auto me = caf::actor_cast<caf::actor>(self);
      if (!target || !found.up)
        return directory->notify_after(key.name, found.version, me);
      self->request(target, std::chrono::seconds(30), xs...)
          .then(
              [=](Reply& r) {
                on_reply(r);
                self->quit();
              },
              [=](caf::error& err) {
                if (is(err, errc::shutting_down))
                  return directory->notify_after(key.name, found.version, me);
                on_error(err);
                self->quit();
              });
    };
    try_now();
    return {
        [=](directory_put_atom) { try_now(); },
        [=](detail::ask_patience_atom) {
          on_error(make_error(errc::shutting_down, what + " did not start within " +
                                                       std::to_string(patience.count()) +
                                                       " ms"));
          self->quit();
        },
    };
  });
}

}  // namespace troupe::workflow
