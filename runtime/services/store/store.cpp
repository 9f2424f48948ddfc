#include "runtime/services/store/store.hpp"

#include <spdlog/spdlog.h>

#include "runtime/services/store/store_connection.hpp"
#include "runtime/services/store/store_migrate.hpp"
#include "runtime/services/store/store_writer.hpp"

namespace troupe {

// One queued request. A write carries records and on_commit; a query one
// record and on_rows; a flush only on_commit, called once all before it
// committed.
struct store::request {
  enum class kind { write, query, flush };
  kind what = kind::write;
  std::vector<store_record> records;
  durability level = durability::batched;
  commit_callback on_commit;
  rows_callback on_rows;
};

store::store(store_options options) : options_(std::move(options)) {
  health_.since = std::chrono::system_clock::now();
}

store::~store() {
  close();
}

result<std::unique_ptr<store>> store::open(store_options options,
                                           std::vector<migration> migrations) {
  std::string where = "store " + options.path + ": ";
  if (options.path.empty()) return status::error("store: options.path is empty");
  if (options.batch_records == 0) {
    return status::error(where + "batch_records must be >= 1");
  }
  if (options.batch_interval.count() < 0) {
    return status::error(where + "batch_interval must not be negative");
  }
  status checked = check_migrations(migrations);
  if (!checked) return status::error(where + checked.message());

  std::unique_ptr<store> s(new store(std::move(options)));
  std::promise<status> opened;
  std::future<status> ready = opened.get_future();
  store* self = s.get();
  // The promise moves into the thread, so it outlives set_value() even when
  // open() returns at once.
  s->thread_ =
      std::thread([self, m = std::move(migrations), p = std::move(opened)]() mutable {
        self->run(std::move(m), std::move(p));
      });
  s->thread_id_ = s->thread_.get_id();
  status started = ready.get();
  if (!started) return status::error(where + started.message());  // ~store joins
  return s;
}

void store::run(std::vector<migration> migrations, std::promise<status> opened) {
  auto conn = sql_connection::open(options_.path, options_.busy_timeout);
  if (!conn) {
    opened.set_value(conn.error());
    return;
  }
  // A damaged file is refused before anything is written to it.
  if (auto sound = (*conn)->check_integrity(false); !sound) {
    opened.set_value(sound);
    return;
  }
  auto version = apply_migrations(**conn, migrations);
  if (!version) {
    opened.set_value(version.error());
    return;
  }
  schema_version_ = *version;
  // The probe's row (see probe()); a no-op that writes nothing when present.
  if (auto made = (*conn)->exec_script("CREATE TABLE IF NOT EXISTS store_probe("
                                       "id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL)");
      !made) {
    opened.set_value(made);
    return;
  }
  writer_ = std::make_unique<store_writer>(std::move(*conn),
                                           [this](const status& s) { observe(s); });
  opened.set_value(status::ok());
  serve();
  writer_->close();
}

void store::serve() {
  using clock = std::chrono::steady_clock;
  std::vector<request> chunk;
  for (;;) {
    bool stopping = false;
    bool probe_due = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      while (queue_.empty() && !closed_) {
        if (writer_->has_pending()) {
          if (wake_.wait_until(lock,
                               writer_->batch_started() + options_.batch_interval) ==
              std::cv_status::timeout)
            break;
        } else if (!writable_.load()) {
          if (wake_.wait_until(lock, next_probe_) == std::cv_status::timeout) {
            probe_due = true;
            break;
          }
        } else {
          wake_.wait(lock);
        }
      }
      chunk.swap(queue_);
      // close() sets closed_ under this lock, so no request can follow the
      // ones just taken.
      stopping = closed_;
    }
    for (request& r : chunk) handle(r);
    chunk.clear();
    // Group commit: durable writes commit as soon as the queue is drained,
    // batched ones when their interval ran out (a full batch committed
    // already in handle()).
    if (writer_->has_pending() &&
        (stopping || writer_->durable_pending() ||
         clock::now() >= writer_->batch_started() + options_.batch_interval)) {
      writer_->commit();
    }
    if (stopping) return;
    if (probe_due) probe();
  }
}

void store::probe() {
  next_probe_ = std::chrono::steady_clock::now() + options_.probe_interval;
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  writer_->write({{"INSERT OR REPLACE INTO store_probe(id, at_ms) VALUES (1, ?)",
                   {std::int64_t{now_ms}}}},
                 durability::durable, {});
  writer_->commit();
}

void store::observe(const status& outcome) {
  if (!outcome && !outcome.is_io_error())
    return;  // the statement's fault, not the disk's
  if (!outcome) failed_.fetch_add(1);
  if (outcome.is_ok() == writable_.load()) return;
  auto now = std::chrono::system_clock::now();
  std::lock_guard<std::mutex> lock(health_mu_);
  if (outcome) {
    spdlog::warn(
        "store {}: writes work again (they failed for {} s)", options_.path,
        std::chrono::duration_cast<std::chrono::seconds>(now - health_.since).count());
    health_ = {true, "", now};
  } else {
    spdlog::error(
        "store {}: writes fail: {}; requests that write are refused until they work "
        "again (probing every {} ms)",
        options_.path, outcome.message(), options_.probe_interval.count());
    health_ = {false, outcome.message(), now};
    next_probe_ = std::chrono::steady_clock::now() + options_.probe_interval;
  }
  writable_ = outcome.is_ok();
}

void store::handle(request& r) {
  switch (r.what) {
    case request::kind::write:
      writer_->write(r.records, r.level, std::move(r.on_commit));
      if (writer_->pending_records() >= options_.batch_records) writer_->commit();
      break;
    case request::kind::query: {
      if (writer_->has_pending()) writer_->commit();
      auto rows = writer_->connection().query(r.records.front());
      try {
        r.on_rows(std::move(rows));
      } catch (const std::exception& e) {
        spdlog::error("store {}: a query callback threw: {}", options_.path, e.what());
      } catch (...) {
        spdlog::error("store {}: a query callback threw", options_.path);
      }
      break;
    }
    case request::kind::flush:
      writer_->commit();
      r.on_commit(status::ok());
      break;
  }
}

void store::enqueue(request r) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closed_) {
      // The writer only sleeps on an empty queue; a non-empty one it will
      // take as a whole, ours included.
      bool was_empty = queue_.empty();
      queue_.push_back(std::move(r));
      if (was_empty) wake_.notify_one();
      return;
    }
  }
  refused_.fetch_add(1);
  status refused =
      status::error("store " + options_.path + " is closed; refused " +
                    (r.records.empty() ? std::string("request")
                                       : describe_statement(r.records[0].sql)));
  if (r.on_rows) {
    r.on_rows(refused);
  } else if (r.on_commit) {
    r.on_commit(refused);
  } else {
    spdlog::warn("{}", refused.message());
  }
}

// A callback that runs where options.run_callback says (see store_options).
template <class Callback>
Callback store::deliver_through_options(Callback cb) const {
  if (!cb || !options_.run_callback) return cb;
  return [run = options_.run_callback, cb = std::move(cb)](auto outcome) {
    run([cb, outcome = std::move(outcome)]() mutable { cb(std::move(outcome)); });
  };
}

void store::write(store_record record, durability d, commit_callback on_commit) {
  request r;
  r.records.push_back(std::move(record));
  r.level = d;
  r.on_commit = deliver_through_options(std::move(on_commit));
  enqueue(std::move(r));
}

void store::write_group(std::vector<store_record> records, durability d,
                        commit_callback on_commit) {
  request r;
  r.records = std::move(records);
  r.level = d;
  r.on_commit = deliver_through_options(std::move(on_commit));
  enqueue(std::move(r));
}

void store::query(store_record record, rows_callback on_rows) {
  request r;
  r.what = request::kind::query;
  r.records.push_back(std::move(record));
  r.on_rows = deliver_through_options(std::move(on_rows));
  enqueue(std::move(r));
}

result<std::vector<sql_row>> store::query_now(store_record record) {
  if (on_store_thread()) {
    return status::error(
        "store: query_now() called on the store thread (from a callback)");
  }
  // Shared, so the promise outlives set_value() even if get() returns first.
  auto done = std::make_shared<std::promise<result<std::vector<sql_row>>>>();
  auto rows = done->get_future();
  // Not through query(): this callback must run on the store thread, even
  // where options.run_callback holds the others back.
  request r;
  r.what = request::kind::query;
  r.records.push_back(std::move(record));
  r.on_rows = [done](result<std::vector<sql_row>> x) { done->set_value(std::move(x)); };
  enqueue(std::move(r));
  return rows.get();
}

void store::flush() {
  if (on_store_thread()) {
    spdlog::error("store {}: flush() called on the store thread; ignored", options_.path);
    return;
  }
  auto done = std::make_shared<std::promise<void>>();
  auto flushed = done->get_future();
  request r;
  r.what = request::kind::flush;
  r.on_commit = [done](const status&) { done->set_value(); };
  enqueue(std::move(r));
  flushed.wait();
}

void store::close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  wake_.notify_one();
  if (on_store_thread()) return;  // the writer stops once it sees closed_
  std::lock_guard<std::mutex> lock(close_mu_);
  if (thread_.joinable()) thread_.join();
}

store::stats store::get_stats() const {
  stats s;
  if (writer_) {
    s.records = writer_->committed_records();
    s.transactions = writer_->committed_transactions();
  }
  s.refused = refused_.load();
  s.failed = failed_.load();
  return s;
}

store::health store::get_health() const {
  std::lock_guard<std::mutex> lock(health_mu_);
  return health_;
}

}  // namespace troupe
