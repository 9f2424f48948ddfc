#include "runtime/store_migrate.hpp"

#include <string>

namespace troupe {

namespace {

std::string label(const migration& m) {
  return "migration " + std::to_string(m.version) + " '" + m.name + "'";
}

result<int> current_version(sql_connection& conn) {
  auto rows = conn.query({"SELECT COALESCE(MAX(version), 0) FROM schema_version", {}});
  if (!rows) return rows.error();
  const auto* version = std::get_if<std::int64_t>(&rows->at(0).at(0));
  if (version == nullptr)
    return status::error("schema_version holds a non-integer version");
  return static_cast<int>(*version);
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
  auto version = current_version(conn);
  if (!version) return version.error();
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*version > newest) {
    return status::error("database schema version " + std::to_string(*version) +
                         " is newer than the newest migration known here (" +
                         std::to_string(newest) + ")");
  }
  int current = *version;
  for (const migration& m : migrations) {
    if (m.version <= current) continue;
    status applied = apply_one(conn, m);
    if (!applied) return applied;
    current = m.version;
  }
  return current;
}

}  // namespace troupe
