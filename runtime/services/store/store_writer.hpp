// store_writer: the transaction state behind troupe's store, driven by the
// store's writer thread (runtime/services/store/store.hpp decides *when* to commit; this
// class knows *how*). Writes execute at once inside one open transaction;
// their callbacks wait until that transaction ends and then learn whether
// their records are on disk.
//
// Failure rules: a failing single statement is undone by SQLite on its own
// and only that write's callback gets the error. A group runs under a
// SAVEPOINT, so a failing statement rolls back the whole group and only
// that group's callback gets the error. When SQLite rolls back the entire
// transaction itself (disk full, I/O error) or COMMIT fails, every write in
// the transaction gets the error. Nothing is retried.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/store/store_connection.hpp"
#include "runtime/services/store/store_types.hpp"

namespace troupe {

// Not thread-safe, except for the counters, which any thread may read.
class store_writer {
 public:
  // Called with the outcome of every transaction that ended (commit, failed
  // commit, or lost to SQLite's own rollback) and of every write that failed
  // for a resource (status::is_io_error) while its transaction stayed open.
  using observer = std::function<void(const status&)>;

  store_writer(std::unique_ptr<sql_connection> conn, observer observe)
      : conn_(std::move(conn)), observe_(std::move(observe)) {}

  // Executes `records` in the open transaction, beginning one if needed;
  // more than one record run as an atomic group (all or none). `on_commit`
  // (may be empty) is called from commit() with the outcome for them.
  void write(const std::vector<store_record>& records, durability d,
             std::function<void(status)> on_commit);

  // Commits the open transaction, if any, then calls every waiting callback,
  // in the order the writes came, with its outcome.
  void commit();

  // commit(), then closes the connection; nothing but the counters may be
  // used afterwards.
  void close();

  // Records executed in the open transaction (0 when none is open).
  std::size_t pending_records() const { return pending_records_; }
  // True when a write in the open transaction asked for durability.
  bool durable_pending() const { return durable_pending_; }
  // True when commit() has work: an open transaction or waiting callbacks.
  bool has_pending() const { return conn_->in_transaction() || !waiting_.empty(); }
  // When the open transaction began (meaningless when none is open).
  std::chrono::steady_clock::time_point batch_started() const { return batch_started_; }

  sql_connection& connection() { return *conn_; }

  // Committed records and write transactions since construction.
  std::uint64_t committed_records() const { return committed_records_.load(); }
  std::uint64_t committed_transactions() const { return committed_transactions_.load(); }

 private:
  struct waiter {
    std::function<void(status)> on_commit;
    status outcome;
  };

  // Makes sure a transaction is open; false (and `*error` set) if BEGIN failed.
  bool begin(status* error);
  // Runs `records` under a SAVEPOINT: all or none.
  status write_group(const std::vector<store_record>& records);
  // SQLite ended the transaction on its own: fails everything waiting in it.
  void lost_transaction(const status& cause);
  // Calls the waiting callbacks with their outcomes and forgets them.
  void notify();

  std::unique_ptr<sql_connection> conn_;
  observer observe_;
  bool io_failed_ = false;  // a write of the open transaction failed for a resource
  std::vector<waiter> waiting_;
  std::size_t pending_records_ = 0;   // executed, failed or not
  std::size_t executed_records_ = 0;  // executed successfully
  bool durable_pending_ = false;
  std::chrono::steady_clock::time_point batch_started_;
  std::atomic<std::uint64_t> committed_records_{0};
  std::atomic<std::uint64_t> committed_transactions_{0};
};

}  // namespace troupe
