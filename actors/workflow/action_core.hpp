// The core actions every node has.
#pragma once

#include <string>

#include "actors/common/action.hpp"

namespace troupe::workflow {

// A registry with troupe's core actions: core.noop, core.echo, core.sleep,
// core.fail, core.shell, core.http (without secrets: a node adds its own
// [workflow.secrets]), core.workflow (names looked up in `workflows_dir`).
action_registry core_actions(std::string workflows_dir = {});

}  // namespace troupe::workflow
