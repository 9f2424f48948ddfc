#include "runtime/app/node/migrations.hpp"

namespace troupe {

std::vector<migration> node_migrations() {
  return {
      {1, "node_events",
       "CREATE TABLE node_events ("
       "  id INTEGER PRIMARY KEY,"
       "  time INTEGER NOT NULL,"  // unix seconds
       "  event TEXT NOT NULL,"    // start | stop
       "  detail TEXT NOT NULL DEFAULT '')"},
  };
}

}  // namespace troupe
