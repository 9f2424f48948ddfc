// When a node is ready: every name its subsystems list (subsystem::readiness)
// is up in the node's actor_directory. GET /readyz answers from `not_up`;
// the node logs "is ready" once, the first time all are (watch_readiness),
// an event that tests and operators wait for instead of asking in a loop.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <functional>
#include <string>
#include <vector>

#include "actors/common/subsystem.hpp"
#include "messages/supervisor.hpp"

namespace troupe {

// What of `names` is not up now ("bench scheduler, pool 'linux'"), "" when
// all are.
std::string not_up(caf::actor_system& sys, const std::vector<readiness_name>& names);

// Runs `on_ready` once, on an actor's thread, when every one of `names` is
// up (at once when there are none); it waits for the directory's puts,
// nothing polls. Ends without running it when `root` ends first. The
// caller holds the returned handle while it waits: the directory holds its
// waiters weakly, and CAF ends an actor nobody references.
caf::actor watch_readiness(caf::actor_system& sys, std::vector<readiness_name> names,
                           const supervisor_actor& root, std::function<void()> on_ready);

}  // namespace troupe
