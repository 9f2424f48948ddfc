// store_write: what group commit buys. Writes records into fresh databases
// through troupe's store in two modes, side by side in one run:
//
//   batched     default options (commit every 256 records or 10 ms), writes
//               not durable, one flush() at the end
//   per_record  batch_records=1 and every write durable: one transaction
//               and one fsync per record, the classic autocommit baseline
//
// Both run with synchronous=FULL in WAL mode, as the store always does.
// per_record is slow by design (one fsync per record, so its speed depends
// on the disk): it stops at its record cap or after a time budget (10 s,
// quick 3 s), whichever comes first; records/s is what compares. Prints a
// table, then one JSON line.
//
//   store_write [--quick] [--records N] [--per-record-records N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/services/store/store.hpp"

using namespace troupe;

namespace {

struct run_result {
  std::string mode;
  std::size_t records = 0;
  double seconds = 0;
  std::uint64_t transactions = 0;
  double per_second() const { return seconds > 0 ? records / seconds : 0; }
};

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base && *base ? base : "/tmp") + "/troupe-perf-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    std::perror("mkdtemp");
    std::exit(1);
  }
  return buffer.data();
}

// Writes up to `records` records into a fresh database, in chunks of
// `chunk` with a flush() after each, and stops early once `budget` is spent.
// Exits on any failure.
run_result run(const std::string& mode, std::size_t records, store_options options,
               durability level, std::size_t chunk,
               std::chrono::duration<double> budget) {
  std::string dir = make_temp_dir();
  options.path = dir + "/troupe.db";
  auto opened = store::open(
      options,
      {{1, "item", "CREATE TABLE item(id INTEGER PRIMARY KEY, payload TEXT NOT NULL)"}});
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().message().c_str());
    std::exit(1);
  }
  store& s = **opened;
  std::string payload(64, 'p');
  auto start = std::chrono::steady_clock::now();
  std::chrono::duration<double> elapsed{0};
  std::size_t written = 0;
  while (written < records && elapsed < budget) {
    std::size_t end = std::min(records, written + chunk);
    for (; written < end; ++written) {
      s.write({"INSERT INTO item(id, payload) VALUES(?, ?)",
               {static_cast<std::int64_t>(written), payload}},
              level);
    }
    s.flush();
    elapsed = std::chrono::steady_clock::now() - start;
  }
  records = written;

  run_result r{mode, records, elapsed.count(), s.get_stats().transactions};
  if (s.get_stats().records != records) {
    std::fprintf(stderr, "%s: committed %llu of %zu records\n", mode.c_str(),
                 static_cast<unsigned long long>(s.get_stats().records), records);
    std::exit(1);
  }
  opened->reset();
  std::filesystem::remove_all(dir);
  return r;
}

std::size_t parse_count(const char* text) {
  char* end = nullptr;
  unsigned long long n = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || n == 0) {
    std::fprintf(stderr, "not a positive count: %s\n", text);
    std::exit(2);
  }
  return static_cast<std::size_t>(n);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t records = 200'000;
  std::size_t per_record_records = 20'000;
  std::chrono::duration<double> per_record_budget{10.0};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      records = 20'000;
      per_record_records = 5'000;
      per_record_budget = std::chrono::duration<double>{3.0};
    } else if (std::strcmp(argv[i], "--records") == 0 && i + 1 < argc) {
      records = parse_count(argv[++i]);
    } else if (std::strcmp(argv[i], "--per-record-records") == 0 && i + 1 < argc) {
      per_record_records = parse_count(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--records N] [--per-record-records N]\n",
                   argv[0]);
      return 2;
    }
  }
  if (per_record_records > records) per_record_records = records;

  store_options batched;  // the defaults
  store_options per_record;
  per_record.batch_records = 1;
  std::vector<run_result> results = {run("batched", records, batched, durability::batched,
                                         records, std::chrono::duration<double>::max()),
                                     run("per_record", per_record_records, per_record,
                                         durability::durable, 100, per_record_budget)};
  double baseline = results[1].per_second();

  std::printf(
      "store_write: WAL, synchronous=FULL; batched = %zu records/txn or %lld ms\n",
      batched.batch_records, static_cast<long long>(batched.batch_interval.count()));
  std::printf("%-12s %10s %10s %14s %8s %8s\n", "mode", "records", "seconds", "records/s",
              "txns", "ratio");
  for (const run_result& r : results) {
    std::printf("%-12s %10zu %10.3f %14.1f %8llu %7.1fx\n", r.mode.c_str(), r.records,
                r.seconds, r.per_second(),
                static_cast<unsigned long long>(r.transactions),
                baseline > 0 ? r.per_second() / baseline : 0.0);
  }
  if (results[1].records < records) {
    std::printf(
        "(per_record wrote %zu records, not %zu, to keep the run short "
        "(cap %zu, budget %.0f s); compare records/s)\n",
        results[1].records, records, per_record_records, per_record_budget.count());
  }
  std::printf("{\"benchmark\":\"store_write\",\"results\":[");
  for (std::size_t i = 0; i < results.size(); ++i) {
    const run_result& r = results[i];
    std::printf(
        "%s{\"mode\":\"%s\",\"records\":%zu,\"seconds\":%.6f,"
        "\"records_per_second\":%.1f}",
        i ? "," : "", r.mode.c_str(), r.records, r.seconds, r.per_second());
  }
  std::printf("]}\n");
  return 0;
}
