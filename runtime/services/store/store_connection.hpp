// sql_connection: one SQLite connection as troupe's store uses it. It opens
// the database with the store's pragmas, keeps prepared statements cached by
// SQL text, binds sql_values, and turns every SQLite failure into a status
// whose message names the statement that failed. Internal to the store: only
// the store's writer thread holds one (see runtime/services/store/store.hpp).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/store/store_types.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace troupe {

// Not thread-safe: use from one thread at a time.
class sql_connection {
 public:
  // Opens (creating if needed) the database file at `path` with
  // journal_mode=WAL, synchronous=FULL, foreign_keys=ON and the given busy
  // timeout. Fails if the file cannot be opened or WAL cannot be enabled.
  static result<std::unique_ptr<sql_connection>> open(
      const std::string& path, std::chrono::milliseconds busy_timeout);

  // Finalizes the cached statements and closes the connection. An open
  // transaction is rolled back by SQLite.
  ~sql_connection();
  sql_connection(const sql_connection&) = delete;
  sql_connection& operator=(const sql_connection&) = delete;

  // Runs `sql`, which may hold several statements and takes no parameters,
  // statement by statement; stops at the first failure, whose message names
  // that statement. Statements run before it are not undone here.
  status exec_script(const std::string& sql);

  // Runs one statement to completion and discards any rows it returns. On
  // failure SQLite has undone that statement's own changes; see
  // in_transaction() for failures that end the whole transaction.
  status run(const store_record& record);

  // Runs one statement and returns all its rows.
  result<std::vector<sql_row>> query(const store_record& record);

  // True while a transaction is open. SQLite ends a transaction on its own
  // after some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, ...), so a
  // caller that began one checks this after a failed statement.
  bool in_transaction() const;

  // SQLite's quick_check (or, `full`, its integrity_check): ok, or an error
  // listing the first problems it found. Reads the whole file: O(its size).
  status check_integrity(bool full);

  // Copies the database as one consistent snapshot into the file `out`
  // (replaced if it exists) with SQLite's online backup API, in one read
  // transaction: other connections keep reading and writing meanwhile.
  status backup_to(const std::string& out);

  // Number of statements currently held in the cache (for tests).
  std::size_t cached_statements() const { return cache_.size(); }

 private:
  // Beyond this many distinct SQL texts the cache is emptied, so callers that
  // build SQL dynamically cannot grow it without bound.
  static constexpr std::size_t kMaxCachedStatements = 256;

  explicit sql_connection(sqlite3* db) : db_(db) {}

  // Returns the cached statement for `sql`, preparing it on first use.
  result<sqlite3_stmt*> prepare(const std::string& sql);
  // Prepares, binds and steps `record`; appends rows to `rows` when given.
  status execute(const store_record& record, std::vector<sql_row>* rows);
  // "<SQLite's message> (in \"<statement>\")"; an io_error for the resource
  // failures (SQLITE_FULL, _IOERR, _READONLY, _CANTOPEN, _PERM).
  status sql_error(const std::string& sql) const;

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// `sql` shortened to one line of at most 160 characters, for messages.
std::string describe_statement(const std::string& sql);

}  // namespace troupe
