// The node assembly: builds a troupe node from its configuration (store,
// actor system, supervision tree, HTTP, publication on the network) and runs
// it until a shutdown signal. This is "main" in the layering of
// ARCHITECTURE.md: the one place allowed to include every layer.
#pragma once

#include <memory>
#include <vector>

#include "actors/common/subsystem.hpp"
#include "runtime/services/config/node_config.hpp"
#include "runtime/services/store/store_types.hpp"

namespace troupe {

// Exit codes of `troupe node`.
enum exit_code : int {
  exit_ok = 0,
  exit_failure = 1,  // the node could not start, or its root supervisor gave up
  exit_config = 2,   // bad configuration, or a data directory or store the
                     // node cannot use (damaged, from a newer troupe, no access)
};

using subsystem_list = std::vector<std::unique_ptr<subsystem>>;

// fleet, workflow and bench, in start order.
subsystem_list make_subsystems();

// Declares the subsystems' options, reads `args` and validates everything.
// Returns exit_ok to run, or the code to exit with (help printed, or a
// configuration error, which it reports on stderr).
int configure_node(node_config& cfg, subsystem_list& subsystems,
                   const std::vector<std::string>& args);

// Every schema migration of the node and its subsystems, ascending by version.
std::vector<migration> node_schema(subsystem_list& subsystems);

// What an operator can do about a store that does not open (`path`): the
// hint printed after the store's own error.
std::string store_open_hint(const std::string& path);

// Runs a node with a loaded, validated configuration; returns the exit code.
int run_node(node_config& cfg, subsystem_list& subsystems);

}  // namespace troupe
