// troupe run <workflow.json> [--param NAME=VALUE ...] [--params-file=FILE ...]
//            [--action-runners=N] [--log-level=LEVEL]
// Runs one workflow on an embedded engine (no store, no HTTP) and exits with
// its outcome: 0 succeeded, 1 failed or canceled, 2 an invalid definition,
// invalid parameters or bad arguments. Progress goes to stderr on a
// terminal; stdout gets only the workflow's output as JSON.
#pragma once

#include "runtime/app/cli/command_line.hpp"

namespace troupe::cli {

void add_run(command_line& cli);

}  // namespace troupe::cli
