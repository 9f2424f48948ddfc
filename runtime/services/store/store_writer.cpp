#include "runtime/services/store/store_writer.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

namespace troupe {

void store_writer::write(const std::vector<store_record>& records, durability d,
                         std::function<void(status)> on_commit) {
  status outcome;
  if (!records.empty() && begin(&outcome)) {
    if (records.size() == 1) {
      outcome = conn_->run(records.front());
    } else {
      outcome = write_group(records);
    }
    if (!conn_->in_transaction()) {
      if (on_commit) waiting_.push_back({std::move(on_commit), outcome});
      lost_transaction(outcome);
      return;
    }
    pending_records_ += records.size();
    if (outcome) executed_records_ += records.size();
    if (d == durability::durable) durable_pending_ = true;
  }
  if (outcome.is_io_error()) {
    io_failed_ = true;
    observe_(outcome);
  }
  if (on_commit) waiting_.push_back({std::move(on_commit), std::move(outcome)});
}

void store_writer::commit() {
  if (conn_ && conn_->in_transaction()) {
    status done = conn_->run({"COMMIT", {}});
    if (done) {
      committed_transactions_.fetch_add(1);
      committed_records_.fetch_add(executed_records_);
    } else {
      if (conn_->in_transaction()) conn_->run({"ROLLBACK", {}});
      for (waiter& w : waiting_) {
        if (w.outcome) w.outcome = done.within("commit failed: ");
      }
    }
    // A commit after a write failed for a resource says nothing about
    // whether the resource is back.
    if (!done || !io_failed_) observe_(done);
  }
  io_failed_ = false;
  pending_records_ = 0;
  executed_records_ = 0;
  durable_pending_ = false;
  notify();
}

void store_writer::close() {
  commit();
  conn_.reset();
}

bool store_writer::begin(status* error) {
  if (conn_->in_transaction()) return true;
  // IMMEDIATE takes the write lock now rather than at the first write, so a
  // competing connection makes BEGIN wait (busy_timeout) instead of failing
  // a statement halfway through the batch.
  status begun = conn_->run({"BEGIN IMMEDIATE", {}});
  if (!begun) {
    *error = begun.within("cannot begin transaction: ");
    return false;
  }
  batch_started_ = std::chrono::steady_clock::now();
  pending_records_ = 0;
  executed_records_ = 0;
  durable_pending_ = false;
  return true;
}

status store_writer::write_group(const std::vector<store_record>& records) {
  status begun = conn_->run({"SAVEPOINT troupe_group", {}});
  if (!begun) return begun;
  for (std::size_t i = 0; i < records.size(); ++i) {
    status done = conn_->run(records[i]);
    if (done) continue;
    // The transaction may already be gone (see lost_transaction); if not,
    // undo just this group and keep the rest of the batch.
    if (conn_->in_transaction()) {
      conn_->run({"ROLLBACK TO troupe_group", {}});
      conn_->run({"RELEASE troupe_group", {}});
    }
    return done.within("group rolled back: statement " + std::to_string(i + 1) + " of " +
                       std::to_string(records.size()) + " failed: ");
  }
  return conn_->run({"RELEASE troupe_group", {}});
}

void store_writer::lost_transaction(const status& cause) {
  for (waiter& w : waiting_) {
    if (w.outcome) {
      w.outcome = cause.within("transaction rolled back by SQLite after: ");
    }
  }
  observe_(cause);
  io_failed_ = false;
  pending_records_ = 0;
  executed_records_ = 0;
  durable_pending_ = false;
  notify();
}

void store_writer::notify() {
  std::vector<waiter> done;
  done.swap(waiting_);
  for (waiter& w : done) {
    try {
      w.on_commit(std::move(w.outcome));
    } catch (const std::exception& e) {
      spdlog::error("store: a commit callback threw: {}", e.what());
    } catch (...) {
      spdlog::error("store: a commit callback threw a non-standard exception");
    }
  }
}

}  // namespace troupe
