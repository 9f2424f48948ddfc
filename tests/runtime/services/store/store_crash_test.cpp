// Crash test of runtime/services/store: a child process writes a burst from several
// threads (mostly batched records, some durable records and durable groups)
// and reports every durable acknowledgement through a pipe; the parent
// kill -9s it mid-burst and checks that the database passes integrity_check
// and holds every record that was acknowledged. Repeated a few times.
#define BOOST_TEST_MODULE store_crash
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "runtime/services/store/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using troupe::testing::temp_dir;

namespace {

const std::vector<migration> kSchema = {
    {1, "item",
     "CREATE TABLE item(id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, "
     "payload TEXT NOT NULL)"}};
constexpr int kWriters = 4;
constexpr int kMaxOutstanding = 4;  // durable writes in flight per writer
constexpr std::size_t kAcksBeforeKill = 3000;

store_record insert(std::int64_t id, int writer) {
  return {"INSERT INTO item(id, writer, payload) VALUES(?, ?, ?)",
          {id, std::int64_t{writer}, std::string(100, 'a' + writer)}};
}

// Bounds a writer's durable writes in flight, so its queue stays small.
class window {
 public:
  void acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mu_);
    ++free_;
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_ = kMaxOutstanding;
};

// Sends `id` to the parent; an 8-byte write to a pipe is atomic.
void ack(int fd, std::int64_t id) {
  if (::write(fd, &id, sizeof id) != static_cast<ssize_t>(sizeof id)) _exit(4);
}

// The child: writes until killed. Never returns.
[[noreturn]] void write_burst(const std::string& path, int ack_fd) {
  auto opened = store::open({path}, kSchema);  // its thread starts in the child
  if (!opened) _exit(2);
  store& s = **opened;
  std::vector<std::thread> writers;
  std::vector<window> windows(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (std::int64_t i = 0;; ++i) {
        std::int64_t id = (std::int64_t{w} << 40) + i * 4;
        if (i % 8 != 7) {
          s.write(insert(id, w));
          continue;
        }
        windows[w].acquire();
        auto on_commit = [&, w](std::vector<std::int64_t> ids) {
          return [&, w, ids](status st) {
            if (!st) _exit(3);  // an unexpected failure ends the child early
            for (std::int64_t acked : ids) ack(ack_fd, acked);
            windows[w].release();
          };
        };
        if (i % 16 == 7) {
          s.write(insert(id, w), durability::durable, on_commit({id}));
        } else {
          s.write_group({insert(id, w), insert(id + 1, w), insert(id + 2, w)},
                        durability::durable, on_commit({id, id + 1, id + 2}));
        }
      }
    });
  }
  for (auto& t : writers) t.join();  // never: the parent kills us
  _exit(0);
}

// Reads ids from `fd` into `acked` until it holds `enough` (0: until EOF).
// False if the pipe closed first or nothing came for a minute.
bool read_acks(int fd, std::unordered_set<std::int64_t>& acked, std::size_t enough) {
  std::string pending;
  char buffer[4096];
  while (enough == 0 || acked.size() < enough) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 60'000) <= 0) return false;
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) return enough == 0;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t whole = pending.size() / sizeof(std::int64_t) * sizeof(std::int64_t);
    for (std::size_t at = 0; at < whole; at += sizeof(std::int64_t)) {
      std::int64_t id;
      std::memcpy(&id, pending.data() + at, sizeof id);
      acked.insert(id);
    }
    pending.erase(0, whole);
  }
  return true;
}

// Opens `path` directly (running WAL recovery) and returns its ids, after
// checking integrity.
std::unordered_set<std::int64_t> recovered_ids(const std::string& path) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  BOOST_REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) ==
                SQLITE_OK);
  BOOST_REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  std::string check = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  BOOST_TEST(check == "ok");
  sqlite3_finalize(stmt);
  std::unordered_set<std::int64_t> ids;
  BOOST_REQUIRE(sqlite3_prepare_v2(db, "SELECT id FROM item", -1, &stmt, nullptr) ==
                SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) ids.insert(sqlite3_column_int64(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_CASE(kill_9_loses_no_durable_acknowledged_write) {
  for (int round = 1; round <= 3; ++round) {
    BOOST_TEST_MESSAGE("round " << round);
    temp_dir dir("store-crash");
    std::string path = dir.file("troupe.db");
    int fds[2];
    BOOST_REQUIRE(pipe(fds) == 0);
    pid_t child = fork();
    BOOST_REQUIRE(child >= 0);
    if (child == 0) {
      close(fds[0]);
      write_burst(path, fds[1]);
    }
    close(fds[1]);

    std::unordered_set<std::int64_t> acked;
    bool enough = read_acks(fds[0], acked, kAcksBeforeKill);
    kill(child, SIGKILL);
    int wstatus = 0;
    BOOST_REQUIRE(waitpid(child, &wstatus, 0) == child);
    BOOST_REQUIRE_MESSAGE(enough, "child stopped early after " << acked.size()
                                                               << " acks, wait status "
                                                               << wstatus);
    BOOST_TEST(WIFSIGNALED(wstatus));
    read_acks(fds[0], acked, 0);  // acks written before the kill landed
    close(fds[0]);

    std::unordered_set<std::int64_t> ids = recovered_ids(path);
    std::size_t missing = 0;
    for (std::int64_t id : acked) missing += ids.count(id) == 0 ? 1 : 0;
    BOOST_TEST_MESSAGE("acked " << acked.size() << ", recovered " << ids.size());
    BOOST_TEST(missing == 0u);
    BOOST_TEST(ids.size() >= acked.size());

    auto reopened = store::open({path}, kSchema);  // the store itself reopens it
    BOOST_REQUIRE_MESSAGE(reopened.is_ok(), reopened.error().message());
    BOOST_TEST((*reopened)->schema_version() == 1);
  }
}
