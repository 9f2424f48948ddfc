// troupe scale <pool> <replicas> --server=URL [--token-file=FILE]
// Sets a pool's desired count through the node's API, then follows the scale
// operation with long polls (GET /api/v1/pools/<pool>?since=V, answered on
// each change): a live progress bar on a terminal, a line per tenth otherwise,
// and a summary at the end. Exit 0 when every creation succeeded, 1 when some
// failed or the node could not be reached, 2 on bad arguments (replicas not
// a whole number >= 0, --server missing, an unreadable --token-file).
#pragma once

#include "runtime/app/cli/command_line.hpp"

namespace troupe::cli {

void add_scale(command_line& cli);

}  // namespace troupe::cli
