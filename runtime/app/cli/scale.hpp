// troupe scale <pool> <N> --server=URL [--token-file=FILE]
// Sets a pool's desired count through the node's API, then follows the scale
// operation with long polls (GET /api/v1/pools/<pool>?since=V, answered on
// each change): a live progress bar on a terminal, a line per tenth otherwise,
// and a summary at the end. Exit 0 when every creation succeeded, 1 when some
// failed or the node could not be reached, 2 on bad arguments.
#pragma once

#include <string>
#include <vector>

namespace troupe {

int run_scale(const std::vector<std::string>& args);

}  // namespace troupe
