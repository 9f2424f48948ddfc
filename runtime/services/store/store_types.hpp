// The vocabulary of troupe's store (runtime/services/store/store.hpp): SQL values and
// rows, one statement with its parameters, schema migrations, and the options of a store.
// Plain data; no SQLite types leak out of the store.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace troupe {

// One SQL value. Strings bind and read as TEXT; a BLOB column reads back as
// its raw bytes in a std::string.
using sql_value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// One result row, columns in SELECT order.
using sql_row = std::vector<sql_value>;

// Typed reads of a column value. NULL (or another type) reads as 0, "" and
// NaN; a REAL read as an integer is truncated, an INTEGER read as real converted.
inline std::int64_t sql_int(const sql_value& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  return 0;
}
inline std::string sql_text(const sql_value& v) {
  auto* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}
inline double sql_real(const sql_value& v) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::numeric_limits<double>::quiet_NaN();
}

// One SQL statement and the values for its `?` parameters, in order. The
// number of values must equal the statement's parameter count.
struct store_record {
  std::string sql;
  std::vector<sql_value> params;
};

// How soon a write must reach disk. Every write is acknowledged only after
// the transaction holding it committed; `durable` also makes the writer
// commit as soon as it is free instead of waiting for the batch to fill.
enum class durability { batched, durable };

// One step of a subsystem's schema. `sql` may hold several statements; it
// runs in one transaction together with its row in the schema_version table.
struct migration {
  int version = 0;
  std::string name;
  std::string sql;
};

struct store_options {
  // Full path of the database file, e.g. "<data-dir>/troupe.db".
  std::string path;
  // Group commit: a transaction commits after this many records...
  std::size_t batch_records = 256;
  // ...or this long after its first record, whichever comes first.
  std::chrono::milliseconds batch_interval{10};
  // How long SQLite waits for a lock held by another connection (a CLI or
  // a test reading the same file) before failing with "database is locked".
  std::chrono::milliseconds busy_timeout{5000};
  // While writes fail for a resource, how often the writer tries a probe
  // write to learn whether they work again (store::health).
  std::chrono::milliseconds probe_interval{1000};
  // Where the callbacks of write(), write_group() and query() run. Empty (the
  // product): on the store thread, as store.hpp describes. A test that runs
  // actors on CAF's single-threaded deterministic scheduler sets it to queue
  // them and runs them on its own thread, because that scheduler must not be
  // entered from a second thread (tests/support/store_callbacks.hpp).
  std::function<void(std::function<void()>)> run_callback = {};
};

}  // namespace troupe
