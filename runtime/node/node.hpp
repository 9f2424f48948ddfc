// The node assembly: builds a troupe node from its configuration (store,
// actor system, supervision tree, HTTP, publication on the network) and runs
// it until a shutdown signal. This is "main" in the layering of
// ARCHITECTURE.md: the one place allowed to include every layer.
#pragma once

#include "runtime/config/node_config.hpp"

namespace troupe {

// Exit codes of `troupe node`.
enum exit_code : int {
  exit_ok = 0,
  exit_failure = 1,   // the node could not start, or its root supervisor gave up
  exit_config = 2,    // bad configuration
};

// Runs a node with a loaded, validated configuration; returns the exit code.
int run_node(node_config& cfg);

}  // namespace troupe
