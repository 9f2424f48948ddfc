// A Boost.Test fixture with an actor system that knows troupe's message
// types, for tests of actors inside one process.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <memory>

#include "messages/registry.hpp"

namespace troupe::testing {

struct system_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  system_fixture() {
    add_message_types(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
};

}  // namespace troupe::testing
