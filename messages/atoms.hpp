// Every atom troupe's actors exchange. CAF 0.17 atoms hold at most 10
// characters; the constant's name says what the message means.
#pragma once

#include <caf/atom.hpp>

namespace troupe {

// Asks an actor to describe itself (supervisor report, node description).
using describe_atom = caf::atom_constant<caf::atom("describe")>;
// Starts a dynamic child of a supervisor from its child template.
using start_child_atom = caf::atom_constant<caf::atom("startchild")>;
// Stops a supervisor's child for good (no restart).
using stop_child_atom = caf::atom_constant<caf::atom("stopchild")>;
// Returns its argument unchanged: a round trip through the network layer.
using echo_atom = caf::atom_constant<caf::atom("echo")>;
// Asks for a status (a pool's, a workflow run's).
using status_atom = caf::atom_constant<caf::atom("status")>;
// A worker is idle and wants its next job (pull protocol).
using ready_atom = caf::atom_constant<caf::atom("ready")>;

}  // namespace troupe
