// Tests of runtime/services/store: group commit (by count, by interval, durable
// wake-up), callbacks only after commit, migrations, queries, atomic groups,
// error messages and refusal after close. Waits are generous liveness bounds
// (60 s); nothing asserts on elapsed time.
#define BOOST_TEST_MODULE store
#include "runtime/services/store/store.hpp"

#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace std::chrono_literals;
using troupe::testing::temp_dir;

namespace {

const std::vector<migration> kSchema = {
    {1, "item", "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)"}};

store_record insert(std::int64_t id, sql_value name = std::string("x")) {
  return {"INSERT INTO item(id, name) VALUES(?, ?)", {id, std::move(name)}};
}

std::unique_ptr<store> open_store(const temp_dir& dir, std::size_t batch_records,
                                  std::chrono::milliseconds interval,
                                  const std::vector<migration>& migrations = kSchema) {
  auto s = store::open({dir.file("troupe.db"), batch_records, interval}, migrations);
  BOOST_REQUIRE_MESSAGE(s.is_ok(), s.error().message());
  return std::move(s).value();
}

std::int64_t count(store& s, const std::string& sql) {
  auto rows = s.query_now({sql, {}});
  BOOST_REQUIRE_MESSAGE(rows.is_ok(), rows.error().message());
  return std::get<std::int64_t>(rows->at(0).at(0));
}

// Catches one callback's outcome for the test thread.
template <class T>
class probe {
 public:
  std::function<void(T)> callback() {
    auto p = promise_;
    return [p](T value) { p->set_value(std::move(value)); };
  }
  bool arrived() const { return future_.wait_for(0s) == std::future_status::ready; }
  T get() {
    BOOST_REQUIRE_MESSAGE(future_.wait_for(60s) == std::future_status::ready,
                          "callback did not arrive within 60 s");
    return future_.get();
  }

 private:
  std::shared_ptr<std::promise<T>> promise_ = std::make_shared<std::promise<T>>();
  std::shared_future<T> future_ = promise_->get_future().share();
};

// Counts rows through a second SQLite connection, independent of the store.
std::int64_t count_elsewhere(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::int64_t n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return n;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_transaction_commits_every_batch_records) {
  temp_dir dir("store");
  auto s = open_store(dir, 100, 1h);
  for (std::int64_t id = 1; id <= 1050; ++id) s->write(insert(id));
  s->flush();
  // 10 full batches, then flush() commits the remaining 50.
  BOOST_TEST(s->get_stats().transactions == 11u);
  BOOST_TEST(s->get_stats().records == 1050u);
  BOOST_TEST(count(*s, "SELECT COUNT(*) FROM item") == 1050);
}

BOOST_AUTO_TEST_CASE(the_interval_commits_a_small_batch_without_flush) {
  temp_dir dir("store");
  auto s = open_store(dir, 1000, 20ms);
  probe<status> committed;
  s->write(insert(1));
  s->write(insert(2));
  s->write(insert(3), durability::batched, committed.callback());
  status outcome = committed.get();  // no flush(), no further writes
  BOOST_TEST(outcome.is_ok(), outcome.message());
  BOOST_TEST(s->get_stats().transactions == 1u);
  BOOST_TEST(s->get_stats().records == 3u);
}

BOOST_AUTO_TEST_CASE(a_batched_write_waits_for_its_batch) {
  // Batches of two records, no interval to speak of: the first record can
  // only commit with the second, in one transaction.
  temp_dir dir("store");
  auto s = open_store(dir, 2, 1h);
  probe<status> first, second;
  s->write(insert(1), durability::batched, first.callback());
  BOOST_TEST(!first.arrived());
  s->write(insert(2), durability::batched, second.callback());
  BOOST_TEST(first.get().is_ok());
  BOOST_TEST(second.get().is_ok());
  BOOST_TEST(s->get_stats().transactions == 1u);  // not one for record 1 alone
  BOOST_TEST(s->get_stats().records == 2u);
}

BOOST_AUTO_TEST_CASE(a_durable_write_is_on_disk_before_its_callback) {
  temp_dir dir("store");
  auto s = open_store(dir, 1000, 1h);  // only the durable write can end this batch
  std::string path = dir.file("troupe.db");
  probe<status> batched;
  probe<std::int64_t> seen;
  s->write(insert(1), durability::batched, batched.callback());
  s->write(insert(2), durability::durable, [path, cb = seen.callback()](status st) {
    cb(st ? count_elsewhere(path, "SELECT COUNT(*) FROM item WHERE id IN (1, 2)") : -1);
  });
  BOOST_TEST(seen.get() == 2);        // both rows visible to another connection
  BOOST_TEST(batched.get().is_ok());  // the batched write shared the commit
  BOOST_TEST(s->get_stats().transactions == 1u);
}

BOOST_AUTO_TEST_CASE(migrations_apply_in_order_and_only_once) {
  temp_dir dir("store");
  std::vector<migration> v2 = {
      {1, "create a", "CREATE TABLE a(x TEXT);"},
      {2, "seed a", "INSERT INTO a VALUES('two'); INSERT INTO a VALUES('two again');"}};
  {
    auto s = open_store(dir, 10, 10ms, v2);
    BOOST_TEST(s->schema_version() == 2);
    BOOST_TEST(count(*s, "SELECT COUNT(*) FROM a") == 2);
  }
  auto v3 = v2;
  v3.push_back({3, "seed more", "INSERT INTO a VALUES('three')"});
  auto s = open_store(dir, 10, 10ms, v3);
  BOOST_TEST(s->schema_version() == 3);
  BOOST_TEST(count(*s, "SELECT COUNT(*) FROM a") == 3);
  auto rows =
      s->query_now({"SELECT version, name, applied_at FROM schema_version "
                    "ORDER BY version",
                    {}});
  BOOST_REQUIRE(rows.is_ok());
  BOOST_REQUIRE(rows->size() == 3u);
  BOOST_TEST(std::get<std::string>(rows->at(1).at(1)) == "seed a");
  BOOST_TEST(!std::get<std::string>(rows->at(2).at(2)).empty());
}

BOOST_AUTO_TEST_CASE(a_failing_migration_leaves_the_previous_version) {
  temp_dir dir("store");
  std::vector<migration> list = {
      {1, "item", kSchema[0].sql},
      {2, "broken", "CREATE TABLE b(x); INSERT INTO missing VALUES(1);"}};
  auto failed = store::open({dir.file("troupe.db")}, list);
  BOOST_REQUIRE(!failed.is_ok());
  std::string message = failed.error().message();
  BOOST_TEST(contains(message, "migration 2 'broken'"), message);
  BOOST_TEST(contains(message, "no such table: missing"), message);
  BOOST_TEST(contains(message, "INSERT INTO missing"), message);

  auto s = open_store(dir, 10, 10ms);
  BOOST_TEST(s->schema_version() == 1);
  BOOST_TEST(count(*s, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'") == 0);
}

BOOST_AUTO_TEST_CASE(bad_migration_lists_are_refused) {
  temp_dir dir("store");
  std::string path = dir.file("troupe.db");
  auto backwards = store::open({path}, {{2, "two", ""}, {1, "one", ""}});
  BOOST_TEST(contains(backwards.error().message(), "strictly increasing"));
  auto duplicate = store::open({path}, {{1, "one", ""}, {1, "uno", ""}});
  BOOST_TEST(contains(duplicate.error().message(), "migration 1 'uno'"));
  auto zero = store::open({path}, {{0, "zero", ""}});
  BOOST_TEST(!zero.is_ok());

  open_store(dir, 10, 10ms, {{1, "one", ""}, {2, "two", ""}});
  auto older = store::open({path}, {{1, "one", ""}});
  BOOST_TEST(contains(older.error().message(), "newer"), older.error().message());
}

BOOST_AUTO_TEST_CASE(a_query_sees_earlier_writes_and_returns_typed_values) {
  temp_dir dir("store");
  auto s = open_store(dir, 1000, 1h,
                      {{1, "t", "CREATE TABLE t(i INTEGER, r REAL, s TEXT, n TEXT)"}});
  for (std::int64_t i = 1; i <= 5; ++i) {
    s->write({"INSERT INTO t VALUES(?, ?, ?, ?)",
              {i, 0.5 * i, "s" + std::to_string(i), nullptr}});
  }
  probe<result<std::vector<sql_row>>> rows;
  s->query({"SELECT i, r, s, n FROM t WHERE i >= ? ORDER BY i", {std::int64_t{2}}},
           rows.callback());
  auto got = rows.get();
  BOOST_REQUIRE_MESSAGE(got.is_ok(), got.error().message());
  BOOST_REQUIRE(got->size() == 4u);
  const sql_row& last = got->back();
  BOOST_TEST(std::get<std::int64_t>(last[0]) == 5);
  BOOST_TEST(std::get<double>(last[1]) == 2.5);
  BOOST_TEST(std::get<std::string>(last[2]) == "s5");
  BOOST_TEST(std::holds_alternative<std::nullptr_t>(last[3]));
}

BOOST_AUTO_TEST_CASE(a_group_commits_all_or_nothing) {
  temp_dir dir("store");
  auto s = open_store(dir, 1000, 1h);
  probe<status> broken, whole;
  s->write(insert(1));
  s->write_group({insert(10), insert(11), insert(12, nullptr)}, durability::batched,
                 broken.callback());
  s->write_group({insert(20), insert(21)}, durability::batched, whole.callback());
  s->write(insert(2));
  s->flush();
  std::string message = broken.get().message();
  BOOST_TEST(contains(message, "statement 3 of 3"), message);
  BOOST_TEST(contains(message, "NOT NULL constraint failed: item.name"), message);
  BOOST_TEST(contains(message, "INSERT INTO item(id, name) VALUES(?, ?)"), message);
  BOOST_TEST(whole.get().is_ok());
  BOOST_TEST(count(*s, "SELECT COUNT(*) FROM item WHERE id IN (1, 2, 20, 21)") == 4);
  BOOST_TEST(count(*s, "SELECT COUNT(*) FROM item WHERE id >= 10 AND id < 20") == 0);
  BOOST_TEST(s->get_stats().transactions == 1u);
}

BOOST_AUTO_TEST_CASE(errors_name_the_statement) {
  temp_dir dir("store");
  auto s = open_store(dir, 1000, 1h);
  probe<status> params, table, duplicate, good;
  s->write({"INSERT INTO item(id, name) VALUES(?, ?)", {std::int64_t{1}}},
           durability::batched, params.callback());
  s->write({"INSERT INTO nope VALUES(1)", {}}, durability::batched, table.callback());
  s->write(insert(5), durability::batched, good.callback());
  s->write(insert(5), durability::durable, duplicate.callback());
  BOOST_TEST(contains(params.get().message(), "takes 2 parameters, got 1"));
  BOOST_TEST(contains(params.get().message(), "INSERT INTO item"));
  BOOST_TEST(
      contains(table.get().message(), "no such table: nope (in \"INSERT INTO nope"));
  BOOST_TEST(contains(duplicate.get().message(), "UNIQUE constraint failed"));
  BOOST_TEST(good.get().is_ok());
  auto rows = s->query_now({"SELECT * FROM nowhere", {}});
  BOOST_TEST(contains(rows.error().message(), "SELECT * FROM nowhere"));
  auto two = s->query_now({"SELECT 1; SELECT 2", {}});
  BOOST_TEST(contains(two.error().message(), "one statement"));
  BOOST_TEST(count(*s, "SELECT COUNT(*) FROM item") == 1);
}

BOOST_AUTO_TEST_CASE(requests_after_close_are_refused) {
  temp_dir dir("store");
  auto s = open_store(dir, 1000, 1h);
  probe<status> before;
  s->write(insert(1), durability::batched, before.callback());
  s->close();
  BOOST_TEST(before.get().is_ok());  // close() committed it

  bool called = false;
  status refused;
  s->write(insert(2), durability::durable, [&](status st) {
    called = true;  // synchronously, on this thread
    refused = st;
  });
  BOOST_TEST(called);
  BOOST_TEST(contains(refused.message(), "closed"), refused.message());
  probe<status> group;
  s->write_group({insert(3), insert(4)}, durability::batched, group.callback());
  BOOST_TEST(!group.get().is_ok());
  BOOST_TEST(!s->query_now({"SELECT 1", {}}).is_ok());
  s->flush();                                // returns at once
  s->close();                                // idempotent
  BOOST_TEST(s->get_stats().refused == 4u);  // flush() counts too
  BOOST_TEST(count_elsewhere(dir.file("troupe.db"), "SELECT COUNT(*) FROM item") == 1);
}

BOOST_AUTO_TEST_CASE(destruction_commits_pending_writes) {
  temp_dir dir("store");
  probe<status> last;
  {
    auto s = open_store(dir, 1000, 1h);
    s->write(insert(1));
    s->write(insert(2), durability::batched, last.callback());
  }
  BOOST_TEST(last.arrived());
  BOOST_TEST(last.get().is_ok());
  auto s = open_store(dir, 1000, 1h);
  BOOST_TEST(count(*s, "SELECT COUNT(*) FROM item") == 2);
}

BOOST_AUTO_TEST_CASE(blocking_calls_from_a_callback_do_not_deadlock) {
  temp_dir dir("store");
  auto s = open_store(dir, 1000, 1h);
  probe<status> nested;
  store* raw = s.get();
  s->write(insert(1), durability::durable, [raw, cb = nested.callback()](status) {
    raw->flush();  // ignored on the store thread
    cb(raw->query_now({"SELECT 1", {}}).error());
  });
  BOOST_TEST(contains(nested.get().message(), "store thread"));
}
