// workflow_service: the engine's front door, "workflow" in the node's actor
// registry. It validates and starts executions (one workflow actor each),
// routes status/wait/cancel/pause/resume to the live ones, answers for
// finished ones from the store, and at start resumes every execution the
// store holds as running or paused (a detached loader reads the store and
// rebuilds them; nothing blocks the scheduler).
//
// Errors come back as caf::error with troupe's errc: invalid_argument for a
// definition or parameters that do not load (the message names the JSON
// path), not_found for an unknown id, queue_full past max_executions live
// executions.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/workflow/workflow_actor.hpp"

namespace troupe::workflow {

struct service_options {
  std::size_t max_executions = 1000;  // live at once; past it: queue_full
  bool resume = true;                 // resume stored executions at start
};

// Protocol: workflow_service_actor in messages/workflow.hpp.
workflow_service_actor spawn_workflow_service(caf::actor_system& sys,
                                              engine_services services,
                                              service_options options);

// A new execution id: time-ordered, unique across restarts
// ("0193a1b2c3d4-5e6f": unix milliseconds and 16 random bits, in hex).
std::string make_execution_id();

}  // namespace troupe::workflow
