// troupe probe --node=HOST:PORT: reaches a node's published node actor
// through CAF's middleman (`[cluster] listen`), asks it to describe itself,
// sends the description back through `echo` and checks it returns
// unchanged, then prints the description as JSON. Exit 0 on success, 1 when
// the node cannot be reached or the round trip differs, 2 on bad arguments.
#pragma once

#include "runtime/app/cli/command_line.hpp"

namespace troupe::cli {

void add_probe(command_line& cli);

}  // namespace troupe::cli
