// workflow_records on a real store: GET /api/v1/runs reads the newest runs
// from an index, with and without a state, instead of sorting every
// execution ever stored (SQLite's own query plan says so: no temporary
// B-tree for the ORDER BY), and answers newest first.
#define BOOST_TEST_MODULE workflow_records_test
#include "actors/workflow/workflow_records.hpp"

#include <boost/test/unit_test.hpp>

#include "runtime/services/store/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe;
using namespace troupe::workflow;

namespace {

struct fixture {
  testing::temp_dir dir{"workflow-records"};
  std::unique_ptr<store> db;

  fixture() {
    store_options so;
    so.path = dir.file("troupe.db");
    db = std::move(store::open(so, workflow_migrations()).value());
    // 3,000 executions, one started per millisecond; every third failed.
    std::vector<store_record> rows;
    for (int i = 0; i < 3000; ++i)
      rows.push_back(
          {"INSERT INTO wf_executions (id, workflow, source, definition, "
           "parameters, state, engine, errors, started_ms) "
           "VALUES (?, 'w', 'api', '{}', '{}', ?, '{}', '[]', ?)",
           {"e" + std::to_string(i), std::string(i % 3 == 0 ? "failed" : "succeeded"),
            std::int64_t{1000000 + i}}});
    db->write_group(std::move(rows), durability::durable);
    db->flush();
  }

  // SQLite's plan for `q`, its detail lines joined.
  std::string plan(store_record q) {
    q.sql = "EXPLAIN QUERY PLAN " + q.sql;
    auto rows = db->query_now(std::move(q));
    BOOST_REQUIRE(rows.is_ok());
    std::string out;
    for (auto& r : *rows) out += std::get<std::string>(r.at(3)) + "; ";
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(the_run_listing_reads_an_index_and_sorts_nothing, fixture) {
  for (auto state :
       {std::optional<std::string>{}, std::optional<std::string>{"failed"}}) {
    auto p = plan(list_executions(state, 10));
    BOOST_TEST_MESSAGE("plan (" << state.value_or("any state") << "): " << p);
    BOOST_CHECK_MESSAGE(
        p.find("USING INDEX wf_executions_") != std::string::npos ||
            p.find("USING COVERING INDEX wf_executions_") != std::string::npos,
        "no index: " << p);
    BOOST_CHECK_MESSAGE(p.find("TEMP B-TREE") == std::string::npos,
                        "the listing sorts: " << p);
  }
}

BOOST_FIXTURE_TEST_CASE(the_run_listing_is_newest_first_and_filtered, fixture) {
  auto all = db->query_now(list_executions(std::nullopt, 5));
  BOOST_REQUIRE(all.is_ok());
  BOOST_REQUIRE_EQUAL(all->size(), 5u);
  BOOST_CHECK_EQUAL(std::get<std::string>(all->at(0).at(0)), "e2999");
  BOOST_CHECK_EQUAL(std::get<std::string>(all->at(4).at(0)), "e2995");
  auto failed = db->query_now(list_executions(std::string("failed"), 3));
  BOOST_REQUIRE(failed.is_ok());
  BOOST_REQUIRE_EQUAL(failed->size(), 3u);
  BOOST_CHECK_EQUAL(std::get<std::string>(failed->at(0).at(0)), "e2997");
  BOOST_CHECK_EQUAL(std::get<std::string>(failed->at(2).at(0)), "e2991");
  for (auto& r : *failed) BOOST_CHECK_EQUAL(std::get<std::string>(r.at(2)), "failed");
}
