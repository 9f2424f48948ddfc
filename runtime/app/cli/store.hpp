// troupe store: an operator's tools for a node's store (<data-dir>/troupe.db).
//
//   troupe store check  --data-dir=DIR [--full]
//       SQLite's quick_check (--full: integrity_check) and the schema version
//       against the migrations this troupe knows. Read-only except for
//       SQLite's WAL files; safe while the node runs. Prints one line per
//       finding; exit 0 when the store is sound and this troupe can run it,
//       1 when not, 2 on bad arguments.
//   troupe store backup --data-dir=DIR --out=FILE
//       A consistent copy with SQLite's online backup API, safe while the node
//       runs and writes: written beside FILE, checked, then renamed over it,
//       so FILE is either the old copy or a complete new one. Exit 0, 1 on
//       failure, 2 on bad arguments.
#pragma once

#include "runtime/app/cli/command_line.hpp"

namespace troupe::cli {

// Adds `troupe store` and its commands.
void add_store(command_line& cli);

}  // namespace troupe::cli
