// bench's analysis of stored history (actors/bench/history_read.hpp) on a
// real store: a series of a tool that reports no median (Catch2) is
// analysed by its mean; a step found again at a neighbouring run is not
// recorded twice; a step records the noise it stood out of.
#define BOOST_TEST_MODULE bench_history_test
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <random>

#include "actors/bench/bench_store.hpp"
#include "actors/bench/history_read.hpp"
#include "runtime/services/store/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::bench;

namespace {

constexpr int runs = 30;
constexpr int culprit = 16;  // the first run at the new level

struct fixture {
  testing::temp_dir dir{"bench-history"};
  std::unique_ptr<store> db;

  fixture() {
    store_options so;
    so.path = dir.file("troupe.db");
    db = std::move(store::open(so, bench_migrations()).value());
  }

  // Runs 1..`runs` of one benchmark on platform "linux", 30% slower from
  // `culprit` on, 0.5% run-to-run noise. `median_known` false stores what
  // Catch2 gives: a mean, no median.
  void store_series(bool median_known) {
    std::mt19937 gen(20261207);
    std::normal_distribution<double> noise(0, 0.005);
    for (int run = 1; run <= runs; ++run) {
      auto sha = std::string(39, 'a') + static_cast<char>('a' + run % 26);
      db->write(
          {"INSERT INTO bench_runs(id, branch, sha, reason, commit_range, "
           "skipped_before, created_ms, queue_depth, state, appended_ms) VALUES "
           "(?, 'main', ?, 'push', '[]', '[]', 0, 0, 'appended', 0)",
           {std::int64_t{run}, sha}});
      double value = (run >= culprit ? 130.0 : 100.0) * (1 + noise(gen));
      db->write(
          {"INSERT INTO bench_results(run_id, platform, benchmark, unit, n, mean, "
           "median, stddev, min, max, samples, error, error_message) VALUES "
           "(?, 'linux', 'tests/sort', 'ns', 100, ?, ?, 1.0, NULL, NULL, '[]', 0, "
           "'')",
           {std::int64_t{run}, value, value}});
    }
    if (!median_known) db->write({"UPDATE bench_results SET median = NULL", {}});
    db->flush();
  }

  std::size_t recorded() {
    auto rows = db->query_now({"SELECT COUNT(*) FROM bench_regressions", {}});
    return static_cast<std::size_t>(sql_int(rows.value().at(0).at(0)));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_series_without_medians_is_analysed_by_its_means, fixture) {
  store_series(false);
  auto found = analyze_run(*db, runs, detector_options{});
  BOOST_REQUIRE(found);
  BOOST_REQUIRE_EQUAL(found->size(), 1u);
  auto& step = found->front();
  BOOST_CHECK_EQUAL(step.run_id, static_cast<std::uint64_t>(culprit));
  BOOST_CHECK(step.kind == bench_step_kind::regression);
  BOOST_CHECK_CLOSE(step.relative_change, 0.30, 5.0);
  // The noise it stood out of: the series' 0.5%, not the 30% step.
  BOOST_CHECK_GT(step.noise, 0.001);
  BOOST_CHECK_LT(step.noise, 0.02);
  auto listed = regressions_json(*db);
  BOOST_REQUIRE(listed);
  BOOST_CHECK_CLOSE((*listed)["regressions"][0]["noise"].as_double(), step.noise, 1e-6);
  // The history document gives the same value the analysis used.
  auto history = history_json(*db, "linux", detector_options{});
  BOOST_REQUIRE(history);
  auto first = (*history)["runs"][0]["results"]["tests/sort"];
  BOOST_CHECK(!std::isfinite(first["median"].as_double()));  // null in the document
  BOOST_CHECK(first["value"].is_number());
}

BOOST_FIXTURE_TEST_CASE(a_step_found_again_one_run_apart_is_recorded_once, fixture) {
  store_series(true);
  // An earlier analysis (over a window since moved on) named it a run later.
  db->write(
      {"INSERT INTO bench_regressions(run_id, platform, benchmark, kind, "
       "relative_change, p_value, baseline, candidate, method, detected_ms) VALUES "
       "(?, 'linux', 'tests/sort', 'regression', 0.3, 0.001, 100, 130, 't-test', 0)",
       {std::int64_t{culprit + 1}}});
  db->flush();
  auto found = analyze_run(*db, runs, detector_options{});
  BOOST_REQUIRE(found);
  BOOST_CHECK(found->empty());
  BOOST_CHECK_EQUAL(recorded(), 1u);
}

BOOST_FIXTURE_TEST_CASE(a_neighbouring_step_of_the_other_kind_is_a_new_step, fixture) {
  store_series(true);
  db->write(
      {"INSERT INTO bench_regressions(run_id, platform, benchmark, kind, "
       "relative_change, p_value, baseline, candidate, method, detected_ms) VALUES "
       "(?, 'linux', 'tests/sort', 'improvement', -0.2, 0.001, 100, 80, 't-test', 0)",
       {std::int64_t{culprit - 1}}});
  db->flush();
  auto found = analyze_run(*db, runs, detector_options{});
  BOOST_REQUIRE(found);
  BOOST_REQUIRE_EQUAL(found->size(), 1u);
  BOOST_CHECK_EQUAL(found->front().run_id, static_cast<std::uint64_t>(culprit));
  BOOST_CHECK_EQUAL(recorded(), 2u);
}
