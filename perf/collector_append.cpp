// collector_append: how fast bench's collector takes artifacts and appends
// whole runs to history when several platforms report at once. A real
// collector actor (actors/bench/collector_actor) on a real store (SQLite,
// WAL, synchronous=FULL) in a temporary directory; K simulated platforms
// (event-based actors, K = 3 and 8) each send one artifact per run for R
// runs, in run order, each waiting for the collector's answer (the artifact
// is durable) before sending the next, as a real platform does. Every
// artifact holds 20 benchmarks x 10 samples (~5.7 KB of JSON). The documents
// are built before the clock starts; the runs are dispatched before it too
// (bench_runs rows 'running', which the collector's restore watches).
//
// What the clock covers: the first artifact sent to the last run's
// bench_appended_atom at the stand-in scheduler: K x R durable artifact
// writes, K x R parses, R append write_groups (20 x K result rows + the run's
// state each). The history actor is a stand-in that answers the restore and
// finds no steps: in a node the analysis and the history-<platform>.json
// export run on the history actor's own thread after each append, and are
// not measured here.
//
// Per K: runs/s and artifacts/s over that span; append latency = the last
// artifact of a run acknowledged (durable) -> the run appended (parse +
// write_group + durable commit), nearest-rank percentiles over the R runs;
// commit_ms, the mean of troupe_bench_append_duration_seconds (the append's
// write_group to durable); store transactions (group commit shares them
// between writes, so they grow slower than writes). At the end
// every run is checked whole: appended, with exactly 20 x K result rows, K
// artifacts and no gap. Any difference exits 1.
//
//   collector_append [--quick] [--runs N]      (R = 1000; quick 40)
#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actors/bench/bench_metrics.hpp"
#include "actors/bench/bench_store.hpp"
#include "actors/bench/collector_actor.hpp"
#include "actors/bench/history_read.hpp"
#include "messages/bench.hpp"
#include "messages/registry.hpp"
#include "runtime/services/metrics/metrics.hpp"
#include "runtime/services/store/store.hpp"

using namespace troupe;
using namespace troupe::bench;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::size_t benchmarks_per_artifact = 20;
constexpr std::size_t samples_per_benchmark = 10;

struct system_config : caf::actor_system_config {
  system_config() { troupe::add_message_types(*this); }
};

void fail(const std::string& why) {
  std::fprintf(stderr, "collector_append: %s\n", why.c_str());
  std::exit(1);
}

// What the platforms and the stand-in scheduler observe, by run (1-based).
struct tally {
  explicit tally(std::size_t runs) : last_ack(runs + 1), appended_at(runs + 1) {}
  std::mutex mu;
  std::condition_variable cv;
  std::vector<steady::time_point> last_ack;     // latest artifact answer of the run
  std::vector<steady::time_point> appended_at;  // bench_appended_atom received
  std::size_t appended = 0;
  std::string error;

  void acked(std::uint64_t run) {
    std::lock_guard<std::mutex> lock(mu);
    last_ack[run] = std::max(last_ack[run], steady::now());
  }
  void done(std::uint64_t run) {
    std::lock_guard<std::mutex> lock(mu);
    appended_at[run] = steady::now();
    ++appended;
    cv.notify_all();
  }
  void failed(const std::string& why) {
    std::lock_guard<std::mutex> lock(mu);
    error = why;
    cv.notify_all();
  }
};

std::string document(std::uint64_t run, const std::string& platform) {
  artifact a;
  a.run_id = run;
  a.platform = platform;
  a.branch = "main";
  a.commit = "c" + std::to_string(run);
  a.reason = "push";
  a.commit_range = {a.commit};
  a.host = {"perf-host", "Linux 6.1 x86_64", "perf cpu", 2};
  a.started_ms = 1'700'000'000'000 + std::int64_t(run) * 1000;
  a.finished_ms = a.started_ms + 900;
  for (std::size_t b = 0; b < benchmarks_per_artifact; ++b) {
    artifact_result r;
    r.suite = "micro";
    r.result.name = "bench_" + std::to_string(b);
    r.result.unit = "ns";
    for (std::size_t s = 0; s < samples_per_benchmark; ++s)
      r.result.samples.push_back(1000.0 + double(b) * 10 +
                                 double((run * 7 + s * s) % 10) * 0.1);
    compute_statistics(r.result);
    a.results.push_back(std::move(r));
  }
  return to_json(a).dump();
}

// A platform: sends its artifacts in order, each after the previous answer
// (message i: send the artifact of run i + 1).
caf::behavior platform_sim(caf::event_based_actor* self, bench_artifact_actor collector,
                           std::string name,
                           std::shared_ptr<std::vector<std::string>> docs,
                           std::shared_ptr<tally> t) {
  self->send(self, std::size_t{0});
  return {
      [=](std::size_t i) {
        if (i == docs->size()) return self->quit();
        auto run = std::uint64_t(i + 1);
        self->request(collector, caf::infinite, bench_artifact{run, name, (*docs)[i]})
            .then(
                [=](bool) {
                  t->acked(run);
                  self->send(self, i + 1);
                },
                [=](caf::error& e) {
                  t->failed(name + ": " + self->system().render(e));
                  self->quit();
                });
      },
  };
}

struct outcome {
  std::size_t platforms = 0, runs = 0;
  double seconds = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0, commit_mean_ms = 0;
  std::uint64_t transactions = 0;
  std::size_t artifact_bytes = 0;  // of one document
  double runs_per_second() const { return seconds > 0 ? runs / seconds : 0; }
  double artifacts_per_second() const {
    return seconds > 0 ? runs * platforms / seconds : 0;
  }
};

double nearest_rank(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * double(v.size())));
  return v[std::min(v.size(), std::max<std::size_t>(rank, 1)) - 1];
}

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base && *base ? base : "/tmp") + "/troupe-perf-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) fail("mkdtemp failed");
  return buffer.data();
}

std::int64_t count(store& db, const std::string& sql) {
  auto rows = db.query_now({sql, {}});
  if (!rows) fail(rows.error().message());
  return std::get<std::int64_t>(rows->at(0).at(0));
}

// Checks that history holds R whole runs of K platforms; exits otherwise.
void verify(store& db, std::size_t platforms, std::size_t runs) {
  auto per_run = std::int64_t(platforms * benchmarks_per_artifact);
  auto expect = [&](const char* what, std::int64_t got, std::int64_t want) {
    if (got != want)
      fail(std::string(what) + ": " + std::to_string(got) + ", expected " +
           std::to_string(want));
  };
  expect("appended runs",
         count(db, "SELECT COUNT(*) FROM bench_runs WHERE state = 'appended'"),
         std::int64_t(runs));
  expect("artifacts", count(db, "SELECT COUNT(*) FROM bench_artifacts"),
         std::int64_t(runs * platforms));
  expect("gaps", count(db, "SELECT COUNT(*) FROM bench_gaps"), 0);
  expect(
      "runs without exactly K x 20 result rows",
      count(
          db,
          "SELECT COUNT(*) FROM bench_runs r WHERE (SELECT COUNT(*) FROM bench_results x "
          "WHERE x.run_id = r.id) != " +
              std::to_string(per_run)),
      0);
  expect("result rows", count(db, "SELECT COUNT(*) FROM bench_results"),
         std::int64_t(runs) * per_run);
}

outcome run(std::size_t platforms, std::size_t runs) {
  std::string dir = make_temp_dir();
  outcome out;
  out.platforms = platforms;
  out.runs = runs;
  {
    store_options so;
    so.path = dir + "/troupe.db";
    auto opened = store::open(so, bench_migrations());
    if (!opened) fail(opened.error().message());
    store& db = **opened;
    metrics_registry metrics;
    auto t = std::make_shared<tally>(runs);

    // The runs, as the scheduler leaves them when it dispatches.
    std::vector<store_record> rows;
    for (std::uint64_t r = 1; r <= runs; ++r)
      rows.push_back(
          {"INSERT INTO bench_runs(id, branch, sha, reason, commit_range, "
           "skipped_before, created_ms, "
           "queue_depth, state, dispatched_ms) VALUES (?, 'main', ?, 'push', ?, '[]', 0, "
           "0, 'running', 0)",
           {std::int64_t(r), "c" + std::to_string(r),
            shas_json({"c" + std::to_string(r)})}});
    db.write_group(std::move(rows), durability::durable);
    db.flush();
    std::vector<std::shared_ptr<std::vector<std::string>>> docs;
    for (std::size_t p = 0; p < platforms; ++p) {
      docs.push_back(std::make_shared<std::vector<std::string>>());
      for (std::uint64_t r = 1; r <= runs; ++r)
        docs.back()->push_back(document(r, "p" + std::to_string(p)));
    }

    out.artifact_bytes = docs.front()->front().size();
    system_config cfg;
    caf::actor_system sys{cfg};
    bench_context ctx;
    ctx.settings.collector_deadline =
        std::chrono::hours(1);  // never: every platform reports
    for (std::size_t p = 0; p < platforms; ++p)
      ctx.platforms.push_back(
          {"p" + std::to_string(p), {}, "", "", {}, {}, {}, {}, false});
    ctx.history_dir = dir;
    ctx.db = &db;
    ctx.metrics = &metrics;
    // Stand-ins: the history actor answers the restore and finds no steps;
    // the scheduler counts appended runs.
    auto history =
        sys.spawn<caf::detached>([&db](caf::event_based_actor*) -> caf::behavior {
          return {
              [&db](bench_load_atom) -> caf::result<bench_snapshot> {
                auto snap = load_snapshot(db);
                if (!snap)
                  return caf::make_error(caf::sec::runtime_error, snap.error().message());
                return std::move(*snap);
              },
              [](bench_analyze_atom, std::uint64_t) {
                return std::vector<bench_regression>{};
              },
              [](bench_export_atom) {},
          };
        });
    // Stand-ins answer what the collector asks of them (a cast: they lack
    // the rest of their protocols).
    actor_directory::of(sys).put(history_key,
                                 caf::actor_cast<bench_history_actor>(history));
    auto scheduler = sys.spawn([t](caf::event_based_actor*) -> caf::behavior {
      return {
          [t](bench_appended_atom, std::uint64_t run) { t->done(run); },
          [](bench_received_atom, std::uint64_t, const std::string&) {
          },  // before each acknowledgement
      };
    });
    actor_directory::of(sys).put(scheduler_key,
                                 caf::actor_cast<bench_scheduler_actor>(scheduler));
    auto collector = spawn_collector(sys, ctx);  // restores: watches the 'running' runs

    auto started = steady::now();
    std::vector<caf::actor> sims;
    for (std::size_t p = 0; p < platforms; ++p)
      sims.push_back(
          sys.spawn(platform_sim, collector, "p" + std::to_string(p), docs[p], t));
    {
      std::unique_lock<std::mutex> lock(t->mu);
      if (!t->cv.wait_for(lock, std::chrono::minutes(10),
                          [&] { return t->appended == runs || !t->error.empty(); }))
        fail("timed out: " + std::to_string(t->appended) + " of " + std::to_string(runs) +
             " runs appended");
      if (!t->error.empty()) fail(t->error);
    }
    out.seconds = std::chrono::duration<double>(steady::now() - started).count();
    std::vector<double> latency;
    for (std::size_t r = 1; r <= runs; ++r)
      latency.push_back(
          std::chrono::duration<double, std::milli>(t->appended_at[r] - t->last_ack[r])
              .count());
    out.p50_ms = nearest_rank(latency, 0.50);
    out.p99_ms = nearest_rank(latency, 0.99);
    out.max_ms = nearest_rank(latency, 1.0);
    auto commits = bench_metrics::make(&metrics).append_seconds->collect();
    out.commit_mean_ms = commits.count ? 1000 * commits.sum / double(commits.count) : 0;
    out.transactions = db.get_stats().transactions;
    caf::anon_send_exit(collector, caf::exit_reason::user_shutdown);
    for (auto& a : {history, scheduler})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sys.await_all_actors_done();
    db.flush();
    verify(db, platforms, runs);
  }
  std::filesystem::remove_all(dir);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 1000;
  spdlog::set_level(spdlog::level::warn);  // not a line per appended run
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      runs = 40;
    } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::strtoul(argv[++i], nullptr, 10);
      if (runs == 0) fail("--runs expects a positive count");
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--runs N]\n", argv[0]);
      return 2;
    }
  }
  std::vector<outcome> results;
  for (std::size_t k : {3, 8}) results.push_back(run(k, runs));
  std::printf(
      "collector_append: real collector + store (WAL, synchronous=FULL); %zu benchmarks "
      "x %zu samples "
      "per artifact (%zu bytes); every run verified whole\n",
      benchmarks_per_artifact, samples_per_benchmark, results.front().artifact_bytes);
  std::printf("%9s %6s %10s %8s %10s %12s %8s %8s %8s %11s %6s\n", "platforms", "runs",
              "artifacts", "seconds", "runs/s", "artifacts/s", "p50_ms", "p99_ms",
              "max_ms", "commit_ms", "txns");
  for (auto& r : results)
    std::printf("%9zu %6zu %10zu %8.3f %10.1f %12.1f %8.2f %8.2f %8.2f %11.2f %6llu\n",
                r.platforms, r.runs, r.runs * r.platforms, r.seconds, r.runs_per_second(),
                r.artifacts_per_second(), r.p50_ms, r.p99_ms, r.max_ms, r.commit_mean_ms,
                static_cast<unsigned long long>(r.transactions));
  std::printf("{\"benchmark\":\"collector_append\",\"results\":[");
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    std::printf(
        "%s{\"platforms\":%zu,\"runs\":%zu,\"artifacts\":%zu,\"benchmarks_per_artifact\":"
        "%zu,"
        "\"samples_per_benchmark\":%zu,\"artifact_bytes\":%zu,\"seconds\":%.6f,\"runs_"
        "per_second\":%.1f,"
        "\"artifacts_per_second\":%.1f,\"p50_append_ms\":%.3f,\"p99_append_ms\":%.3f,"
        "\"max_append_ms\":%.3f,\"mean_commit_ms\":%.3f,\"transactions\":%llu,\"whole_"
        "runs\":true}",
        i ? "," : "", r.platforms, r.runs, r.runs * r.platforms, benchmarks_per_artifact,
        samples_per_benchmark, r.artifact_bytes, r.seconds, r.runs_per_second(),
        r.artifacts_per_second(), r.p50_ms, r.p99_ms, r.max_ms, r.commit_mean_ms,
        static_cast<unsigned long long>(r.transactions));
  }
  std::printf("]}\n");
  return 0;
}
