// The node's schema: every migration of every subsystem, in version order.
// Subsystems own their tables; this list is where they are put together.
#pragma once

#include <vector>

#include "runtime/services/store/store_types.hpp"

namespace troupe {

std::vector<migration> node_migrations();

}  // namespace troupe
