// The workflow engine's names in the node's actor_directory
// (actors/common/actor_directory.hpp).
#pragma once

#include "actors/common/actor_directory.hpp"
#include "messages/workflow.hpp"

namespace troupe::workflow {

// The workflow service: routes, core.workflow, the embedded engine.
inline const actor_key<workflow_service_actor> workflow_service_key{"workflow"};

// The action pool; put with reach::cluster, since worker nodes' runners look
// it up (session.lookup) to pull calls.
inline const actor_key<action_pool_actor> action_pool_key{"wfactions"};

}  // namespace troupe::workflow
