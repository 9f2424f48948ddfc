// store: the one SQLite database of a troupe node (<data-dir>/troupe.db).
//
// The store owns a dedicated writer thread, and all SQLite work happens on
// it; its asynchronous calls only enqueue, so an actor may call them from a
// CAF scheduler thread without ever blocking on disk. Results come back as
// callbacks invoked ON THE STORE THREAD: they must be cheap and must not
// block (a caf::anon_send to the asking actor is the intended shape). A
// callback must not call the store's blocking members (query_now, flush,
// close, the destructor); those refuse or return at once when called there.
//
// Writes are group-committed: a transaction commits after
// options.batch_records records or options.batch_interval after its first
// record, whichever comes first. A durable write additionally wakes the
// writer to commit as soon as it has executed whatever is already queued, so
// concurrent durable writes share one fsync. Every write's callback runs
// after the transaction holding it ended, with ok only if it committed;
// since the database runs with synchronous=FULL, ok means "on disk".
//
// Requests are served in the order they were enqueued.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/base/status.hpp"
#include "runtime/services/store/store_types.hpp"

namespace troupe {

class store_writer;

class store {
 public:
  using commit_callback = std::function<void(status)>;
  using rows_callback = std::function<void(result<std::vector<sql_row>>)>;

  struct stats {
    std::uint64_t records = 0;       // records committed
    std::uint64_t transactions = 0;  // write transactions committed
    std::uint64_t refused = 0;       // requests refused because the store was closed
    std::uint64_t failed = 0;        // write transactions lost to a resource (io_error)
  };

  // Whether writes reach the disk. A write that fails for a resource
  // (status::is_io_error: disk full, I/O error, read-only file system) makes
  // the store unwritable; the next transaction that commits makes it
  // writable again. While unwritable, the writer probes every
  // options.probe_interval with a one-row write, so writes resume by
  // themselves once the operator freed space. Each change is logged once.
  // Writes are never refused for it here: callers (the HTTP edge) decide.
  struct health {
    bool writable = true;
    std::string cause;  // the failure that made it unwritable; "" when writable
    std::chrono::system_clock::time_point since;  // when it last changed
  };

  // Opens (creating if needed) the database at options.path, starts the
  // writer thread, checks the file (SQLite's quick_check: it reads the whole
  // file once) and applies the pending `migrations` there (see
  // runtime/services/store/store_migrate.hpp for the rules). Blocks until that is done;
  // call it at start-up, not from an actor. Errors name the path, and for a
  // failed migration its version, name and SQLite's message.
  static result<std::unique_ptr<store>> open(store_options options,
                                             std::vector<migration> migrations);

  // close().
  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  // Enqueues one statement. `on_commit` (optional) gets ok once the
  // transaction holding the record committed, or an error naming the
  // statement. After close() the write is refused: `on_commit` gets an error
  // at once, on the calling thread (a refused write without a callback is
  // logged).
  void write(store_record record, durability d = durability::batched,
             commit_callback on_commit = {});

  // Enqueues statements that commit atomically: all in the same transaction
  // or none. If one fails, the group is rolled back (a SAVEPOINT) and
  // `on_commit` gets the error naming the statement; other writes in the
  // same batch still commit. Refusal after close() as for write().
  void write_group(std::vector<store_record> records, durability d,
                   commit_callback on_commit = {});

  // Enqueues a read. It runs after every write enqueued before it has
  // committed, so it sees them (a query therefore ends the current batch).
  // It runs outside any transaction: a statement that writes commits on
  // its own. After close() `on_rows` gets an error at
  // once on the calling thread.
  void query(store_record record, rows_callback on_rows);

  // Blocking query() for start-up, shutdown, CLI and tests, and for a
  // detached actor (which owns its thread: bench's history actor); never from
  // an event-based actor on the scheduler's threads or a store callback
  // (there it returns an error).
  result<std::vector<sql_row>> query_now(store_record record);

  // Blocks until everything enqueued before the call has committed and its
  // callbacks ran. Same restrictions as query_now(); returns at once after
  // close() or on the store thread.
  void flush();

  // Commits everything enqueued so far, runs the callbacks, stops the
  // writer thread and closes the database. Later requests are refused.
  // Idempotent; safe to call from several threads.
  void close();

  // The schema version after open()'s migrations.
  int schema_version() const { return schema_version_; }

  // Counters since open(); any thread.
  stats get_stats() const;

  // The store's write health now; any thread.
  health get_health() const;

  const store_options& options() const { return options_; }

 private:
  struct request;

  explicit store(store_options options);

  // The writer thread: opens the database, migrates, reports through
  // `opened`, then serves requests until close().
  void run(std::vector<migration> migrations, std::promise<status> opened);
  void serve();
  void handle(request& r);
  // After each transaction: updates health_ from its outcome.
  void observe(const status& outcome);
  // While unwritable: one small write transaction, to learn whether writes
  // work again.
  void probe();
  // Queues `r`, or refuses it (calls its callback with an error) if closed.
  void enqueue(request r);
  bool on_store_thread() const { return std::this_thread::get_id() == thread_id_; }
  template <class Callback>
  Callback deliver_through_options(Callback cb) const;

  const store_options options_;
  std::unique_ptr<store_writer> writer_;  // used on the writer thread only
  std::atomic<int> schema_version_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> failed_{0};

  mutable std::mutex health_mu_;  // guards health_
  health health_;
  std::atomic<bool> writable_{true};  // health_.writable, read without the lock
  std::chrono::steady_clock::time_point next_probe_;  // writer thread only

  std::mutex mu_;  // guards the members below
  std::condition_variable wake_;
  std::vector<request> queue_;
  bool closed_ = false;

  std::mutex close_mu_;  // serializes close()
  std::thread thread_;
  std::thread::id thread_id_;
};

}  // namespace troupe
