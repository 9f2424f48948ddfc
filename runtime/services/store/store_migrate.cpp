#include "runtime/services/store/store_migrate.hpp"

#include <set>
#include <string>

namespace troupe {

namespace {

std::string label(const migration& m) {
  return "migration " + std::to_string(m.version) + " '" + m.name + "'";
}

result<std::set<int>> applied_versions(sql_connection& conn) {
  auto rows = conn.query({"SELECT version FROM schema_version", {}});
  if (!rows) return rows.error();
  std::set<int> out;
  for (auto& row : *rows) {
    const auto* version = std::get_if<std::int64_t>(&row.at(0));
    if (version == nullptr)
      return status::error("schema_version holds a non-integer version");
    out.insert(static_cast<int>(*version));
  }
  return out;
}

// Runs `m` and its schema_version row in one transaction.
status apply_one(sql_connection& conn, const migration& m) {
  status done = conn.exec_script("BEGIN IMMEDIATE");
  if (done) done = conn.exec_script(m.sql);
  if (done) {
    done =
        conn.run({"INSERT INTO schema_version(version, name, applied_at) "
                  "VALUES(?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                  {std::int64_t{m.version}, m.name}});
  }
  if (done) done = conn.exec_script("COMMIT");
  if (done) return done;
  if (conn.in_transaction()) conn.exec_script("ROLLBACK");
  return status::error(label(m) + " failed: " + done.message());
}

}  // namespace

status check_migrations(const std::vector<migration>& migrations) {
  int previous = 0;
  for (const migration& m : migrations) {
    if (m.version <= 0) return status::error(label(m) + ": versions start at 1");
    if (m.version <= previous) {
      return status::error(label(m) + ": versions must be strictly increasing (follows " +
                           std::to_string(previous) + ")");
    }
    previous = m.version;
  }
  return status::ok();
}

result<int> apply_migrations(sql_connection& conn,
                             const std::vector<migration>& migrations) {
  status created = conn.exec_script(
      "CREATE TABLE IF NOT EXISTS schema_version("
      "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  if (!created)
    return status::error("cannot create schema_version: " + created.message());
  auto applied = applied_versions(conn);
  if (!applied) return applied.error();
  std::set<int> known;
  for (const migration& m : migrations) known.insert(m.version);
  for (int v : *applied) {
    if (known.count(v) == 0) {
      return status::error("database has schema version " + std::to_string(v) +
                           ", which no migration known here provides (a newer troupe?)");
    }
  }
  // Each subsystem owns a block of versions, so a block may gain a migration
  // below versions already applied from another block: apply every missing one.
  for (const migration& m : migrations) {
    if (applied->count(m.version) > 0) continue;
    status done = apply_one(conn, m);
    if (!done) return done;
    applied->insert(m.version);
  }
  return applied->empty() ? 0 : *applied->rbegin();
}

}  // namespace troupe
