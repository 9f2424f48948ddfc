// troupe bench: the command line of the bench subsystem.
//
//   troupe bench submit --server=URL [--token-file=F] [--repo=DIR]
//                       [--commit=SHA | --range=A..B] [--branch=NAME]
//     reads commits from a local git repository (git run from an argv, never
//     a shell; bounded output) and POSTs them to /api/v1/bench/commits:
//     one commit (default HEAD), or the commits of A..B oldest first. The
//     branch defaults to the repository's current branch.
//   troupe bench compare --server=URL --base=A --head=B ...
//   (runtime/app/cli/bench_compare.cpp)
//     an A/B comparison as a CI gate.
//   troupe bench report --out=DIR (--server=URL [--token-file=F] | --config-file=INI)
//     writes DIR/index.html (the dashboard) and DIR/history-<platform>.json,
//     from a running node's API or straight from a node's store.
// Exit 0 on success, 1 when the node or git failed, 2 on bad arguments
// (bench compare has its own: see its file).
// Like the node assembly, this command may use every layer.
#pragma once

#include "runtime/app/cli/command_line.hpp"

namespace troupe::cli {

// Adds `troupe bench` and its commands.
void add_bench(command_line& cli);

}  // namespace troupe::cli
