// Registers every message type troupe sends, so that each can cross nodes.
// Call once on the actor_system_config before the actor system starts.
#pragma once

#include <caf/actor_system_config.hpp>

namespace troupe {

void add_message_types(caf::actor_system_config& cfg);

}  // namespace troupe
