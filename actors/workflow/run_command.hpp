// run_command: `troupe run <workflow.json> [--param NAME=VALUE] [--params-file=F]`
// runs one workflow on an embedded engine and exits with its outcome (see
// the usage text in run_command.cpp).
#pragma once

#include <string>
#include <vector>

namespace troupe::workflow {

int run_command(const std::vector<std::string>& args);

}  // namespace troupe::workflow
