// ask: the bridge from non-actor threads (HTTP handlers on io threads) into
// actors without blocking them. A short-lived actor sends the request and
// hands the reply, or the error, to a callback that runs on a scheduler
// thread; callbacks must not block (an HTTP responder just posts the answer).
#pragma once

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/timespan.hpp>
#include <utility>

namespace troupe {

template <class Dest, class OnReply, class OnError, class... Ts>
void ask(caf::actor_system& sys, const Dest& dest, caf::timespan timeout,
         OnReply on_reply, OnError on_error, Ts... xs) {
  sys.spawn([=](caf::event_based_actor* self) mutable {
    self->request(dest, timeout, std::move(xs)...)
        .then(std::move(on_reply), std::move(on_error));
  });
}

}  // namespace troupe
