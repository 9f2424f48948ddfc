// make_provider: the runner provider a pool's configuration names, built the
// same way on a standalone node, a coordinator and a worker node.
#pragma once

#include <memory>

#include "actors/fleet/fleet_config.hpp"
#include "actors/fleet/provider.hpp"
#include "runtime/base/status.hpp"

namespace troupe {
class process_service;
}

namespace troupe::fleet {

// A new provider for `pool`; `processes` (used by process pools) must
// outlive it. Errors name the pool (a bad object-template, unreadable
// kubernetes files, an unknown provider).
result<std::shared_ptr<runner_provider>> make_provider(const pool_config& pool,
                                                       process_service& processes);

}  // namespace troupe::fleet
