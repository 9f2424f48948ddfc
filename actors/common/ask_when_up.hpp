// For actions that ask another subsystem of this node (bench.submit,
// fleet.scale): a workflow started with the node, or resumed by it, must
// not fail because bench or a pool is still restoring its state.
#pragma once

#include <caf/all.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "actors/common/action.hpp"
#include "messages/errors.hpp"
#include "messages/workflow.hpp"

namespace troupe::workflow {

namespace detail {
// The helper actor's own tick (it has no protocol).
using ask_retry_atom = caf::atom_constant<caf::atom("askretry")>;
}  // namespace detail

// How long an action waits for a (re)starting subsystem, and how often it asks.
constexpr std::chrono::milliseconds subsystem_patience{30000};
constexpr std::chrono::milliseconds subsystem_poll{200};

// A helper actor asks `find()` for the target and sends it `xs...`; while
// the subsystem is (re)starting (find() gives no actor, or the target answers
// errc::shutting_down) it asks again every subsystem_poll, for up to
// `patience` (actions use subsystem_patience). Then exactly one of
// `on_reply` and `on_error` runs, on the helper's thread: the reply; the
// target's error; or, when it never came up, errc::shutting_down naming
// `what` ("bench", "pool 'x'"). When the call's actor (env.caller) ends
// first, neither runs: the helper ends with it, so that a stopping node does
// not wait for it.
// `find` returns the target's handle (caf::actor or a typed_actor whose
// protocol takes xs... and answers Reply).
template <class Reply, class Find, class... Ts>
void ask_when_up(const action_env& env, std::chrono::milliseconds patience, Find find,
                 std::string what, std::function<void(Reply&)> on_reply,
                 std::function<void(const caf::error&)> on_error, Ts... xs) {
  auto deadline = std::chrono::steady_clock::now() + patience;
  auto caller = env.caller;
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
    auto wait_or_fail = [=] {
      if (std::chrono::steady_clock::now() < deadline)
        return self->delayed_send(self, subsystem_poll, detail::ask_retry_atom::value);
      on_error(make_error(
          errc::shutting_down,
          what + " did not start within " + std::to_string(patience.count()) + " ms"));
      self->quit();
    };
    self->send(self, detail::ask_retry_atom::value);
    return {
        [=](detail::ask_retry_atom) {
          auto target = find();
          if (!target) return wait_or_fail();
          self->request(target, std::chrono::seconds(30), xs...)
              .then(
                  [=](Reply& r) {
                    on_reply(r);
                    self->quit();
                  },
                  [=](caf::error& err) {
                    if (is(err, errc::shutting_down)) return wait_or_fail();
                    on_error(err);
                    self->quit();
                  });
        },
    };
  });
}

}  // namespace troupe::workflow
