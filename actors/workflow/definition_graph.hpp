// definition_graph: the checks of a definition that look at its tasks as a
// graph (internal to the loader; see definition.hpp for the rules).
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/base/status.hpp"

namespace troupe::workflow {

struct workflow_definition;

// task_definition::join while loading: `"join": "all"`, resolved by
// check_graph to the number of distinct tasks with a transition to it.
constexpr std::size_t join_all = SIZE_MAX;

// Checks `do` names, joins, start tasks, reachability and unconditional
// cycles; resolves join_all and fills def.start_tasks. Errors name the JSON
// path (no source prefix).
status check_graph(workflow_definition& def);

}  // namespace troupe::workflow
