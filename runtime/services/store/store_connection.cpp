#include "runtime/services/store/store_connection.hpp"

#include <sqlite3.h>

#include <cctype>
#include <cstring>
#include <type_traits>

namespace troupe {

namespace {

// Runs a pragma (or any parameterless statement) and returns its first
// column of the first row as text ("" when it returns no row).
result<std::string> pragma(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return status::error(std::string(sqlite3_errmsg(db)) + " (in \"" + sql + "\")");
  }
  std::string value;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) value = reinterpret_cast<const char*>(text);
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    return status::error(std::string(sqlite3_errmsg(db)) + " (in \"" + sql + "\")");
  }
  return value;
}

status bind_value(sqlite3_stmt* stmt, int index, const sql_value& value) {
  int rc = std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          return sqlite3_bind_null(stmt, index);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return sqlite3_bind_int64(stmt, index, v);
        } else if constexpr (std::is_same_v<T, double>) {
          return sqlite3_bind_double(stmt, index, v);
        } else {
          return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
        }
      },
      value);
  if (rc == SQLITE_OK) return status::ok();
  return status::error("cannot bind parameter " + std::to_string(index) + ": " +
                       sqlite3_errstr(rc));
}

sql_value column_value(sqlite3_stmt* stmt, int column) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, column));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, column);
    case SQLITE_NULL:
      return nullptr;
    default: {  // TEXT or BLOB: the bytes as stored.
      const void* data = sqlite3_column_blob(stmt, column);
      int size = sqlite3_column_bytes(stmt, column);
      if (data == nullptr) return std::string();
      return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
    }
  }
}

}  // namespace

std::string describe_statement(const std::string& sql) {
  constexpr std::size_t kMax = 160;
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= kMax) {
      out += "...";
      break;
    }
  }
  return out;
}

result<std::unique_ptr<sql_connection>> sql_connection::open(
    const std::string& path, std::chrono::milliseconds busy_timeout) {
  sqlite3* db = nullptr;
  // NOMUTEX: the connection is confined to the store's writer thread.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return status::error("cannot open database " + path + ": " + message);
  }
  std::unique_ptr<sql_connection> conn(new sql_connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));

  auto mode = pragma(db, "PRAGMA journal_mode=WAL");
  if (!mode)
    return status::error("cannot enable WAL on " + path + ": " + mode.error().message());
  if (*mode != "wal") {
    return status::error("cannot enable WAL on " + path + ": journal_mode is " + *mode);
  }
  // In WAL mode synchronous=NORMAL fsyncs only at checkpoints: a commit
  // survives a process crash but may roll back after a power loss or OS
  // crash. FULL fsyncs the WAL at every commit, which is what lets the store
  // acknowledge a durable write only once it is on stable storage. Group
  // commit is what keeps that affordable.
  for (const char* sql : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    auto done = pragma(db, sql);
    if (!done)
      return status::error("cannot configure " + path + ": " + done.error().message());
  }
  return conn;
}

sql_connection::~sql_connection() {
  for (auto& entry : cache_) sqlite3_finalize(entry.second);
  sqlite3_close(db_);
}

status sql_connection::exec_script(const std::string& sql) {
  const char* tail = sql.c_str();
  while (*tail != '\0') {
    sqlite3_stmt* stmt = nullptr;
    const char* next = nullptr;
    if (sqlite3_prepare_v2(db_, tail, -1, &stmt, &next) != SQLITE_OK) {
      return sql_error(std::string(tail, std::strcspn(tail, ";")));
    }
    if (stmt == nullptr) break;  // only whitespace or comments remain
    int rc;
    do {
      rc = sqlite3_step(stmt);
    } while (rc == SQLITE_ROW);
    if (rc != SQLITE_DONE) {
      status error = sql_error(sqlite3_sql(stmt));
      sqlite3_finalize(stmt);
      return error;
    }
    sqlite3_finalize(stmt);
    tail = next;
  }
  return status::ok();
}

status sql_connection::check_integrity(bool full) {
  auto rows = query({full ? "PRAGMA integrity_check(10)" : "PRAGMA quick_check(10)", {}});
  if (!rows) return rows.error();
  std::string problems;
  for (auto& row : *rows) {
    auto line = row.empty() ? std::string() : sql_text(row[0]);
    if (line == "ok") continue;
    problems += (problems.empty() ? "" : "; ") + line;
  }
  if (problems.empty()) return status::ok();
  return status::error("the database is damaged (" + problems + ")");
}

status sql_connection::backup_to(const std::string& out) {
  sqlite3* target = nullptr;
  int rc = sqlite3_open_v2(out.c_str(), &target,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  auto fail = [&](const std::string& what) {
    std::string message = target ? sqlite3_errmsg(target) : sqlite3_errstr(rc);
    sqlite3_close(target);
    return status::io_error("backup to " + out + ": " + what + ": " + message);
  };
  if (rc != SQLITE_OK) return fail("cannot open");
  sqlite3_backup* copy = sqlite3_backup_init(target, "main", db_, "main");
  if (copy == nullptr) return fail("cannot start");
  rc = sqlite3_backup_step(copy, -1);  // every page, in one read transaction
  sqlite3_backup_finish(copy);
  if (rc != SQLITE_DONE) return fail("cannot copy");
  rc = sqlite3_close(target);
  if (rc != SQLITE_OK)
    return status::io_error("backup to " + out + ": cannot close: " + sqlite3_errstr(rc));
  return status::ok();
}

status sql_connection::run(const store_record& record) {
  return execute(record, nullptr);
}

result<std::vector<sql_row>> sql_connection::query(const store_record& record) {
  std::vector<sql_row> rows;
  status done = execute(record, &rows);
  if (!done) return done;
  return rows;
}

bool sql_connection::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

result<sqlite3_stmt*> sql_connection::prepare(const std::string& sql) {
  auto found = cache_.find(sql);
  if (found != cache_.end()) return found->second;
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, &tail) !=
      SQLITE_OK) {
    return sql_error(sql);
  }
  if (stmt == nullptr) return status::error("empty statement (in \"" + sql + "\")");
  for (; *tail != '\0'; ++tail) {
    if (!std::isspace(static_cast<unsigned char>(*tail)) && *tail != ';') {
      sqlite3_finalize(stmt);
      return status::error("a store_record holds one statement; found more (in \"" +
                           describe_statement(sql) + "\")");
    }
  }
  if (cache_.size() >= kMaxCachedStatements) {
    for (auto& entry : cache_) sqlite3_finalize(entry.second);
    cache_.clear();
  }
  cache_.emplace(sql, stmt);
  return stmt;
}

status sql_connection::execute(const store_record& record, std::vector<sql_row>* rows) {
  auto prepared = prepare(record.sql);
  if (!prepared) return prepared.error();
  sqlite3_stmt* stmt = *prepared;
  std::size_t expected = static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt));
  if (expected != record.params.size()) {
    return status::error("statement takes " + std::to_string(expected) +
                         " parameters, got " + std::to_string(record.params.size()) +
                         " (in \"" + describe_statement(record.sql) + "\")");
  }
  // Leaves the cached statement reset and unbound whatever happens below.
  struct resetter {
    sqlite3_stmt* stmt;
    ~resetter() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  } reset{stmt};
  for (std::size_t i = 0; i < record.params.size(); ++i) {
    status bound = bind_value(stmt, static_cast<int>(i + 1), record.params[i]);
    if (!bound) {
      return status::error(bound.message() + " (in \"" + describe_statement(record.sql) +
                           "\")");
    }
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (rows == nullptr) continue;
    int columns = sqlite3_column_count(stmt);
    sql_row row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) row.push_back(column_value(stmt, c));
    rows->push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return sql_error(record.sql);
  return status::ok();
}

status sql_connection::sql_error(const std::string& sql) const {
  auto text =
      std::string(sqlite3_errmsg(db_)) + " (in \"" + describe_statement(sql) + "\")";
  // The resource failures: the file system is full, failing, read-only or
  // out of reach. Everything else (constraints, syntax, corruption) is the
  // statement's or the data's.
  switch (sqlite3_extended_errcode(db_) & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return status::io_error(std::move(text));
    default:
      return status::error(std::move(text));
  }
}

}  // namespace troupe
