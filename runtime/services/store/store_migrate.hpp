// Schema versioning for troupe's store. The database records every applied
// migration in a table
//
//   schema_version(version INTEGER PRIMARY KEY, name TEXT NOT NULL,
//                  applied_at TEXT NOT NULL)  -- applied_at: UTC, ISO 8601
//
// and its schema version is the largest version in it (0 when empty). The
// store knows no application tables: subsystems pass their migrations in and
// the node assembles one list, ascending by version.
#pragma once

#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/store/store_connection.hpp"
#include "runtime/services/store/store_types.hpp"

namespace troupe {

// Ok when every version is positive and the list is strictly increasing
// (no duplicates, no going back); otherwise an error naming the offender.
status check_migrations(const std::vector<migration>& migrations);

// Creates schema_version if missing, then applies, in list order, every
// migration whose version is not recorded there yet (subsystems own blocks of
// versions: node 1-99, fleet 100-199, workflow 200-299, bench 300-399, so a
// block may grow below versions applied from another): each runs in its own
// transaction together with its schema_version row. Returns the resulting
// schema version (the largest applied). On failure the migrations committed so
// far stay, and the error names the failing migration's version and name and
// carries SQLite's message. Also fails, without touching the database, when it
// records a version that no given migration has (a downgrade). `migrations` must pass
// check_migrations; a migration's SQL must not open or end transactions itself.
result<int> apply_migrations(sql_connection& conn,
                             const std::vector<migration>& migrations);

}  // namespace troupe
