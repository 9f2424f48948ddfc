// The execution state machine without actors: the context is shared, not
// copied; publishing makes a new version and leaves clones alone; joins,
// pause, failure; engine state survives a restore.
#define BOOST_TEST_MODULE workflow_execution
#include "actors/workflow/execution.hpp"

#include <boost/test/unit_test.hpp>

#include "actors/common/action.hpp"
#include "actors/workflow/action_core.hpp"

using troupe::json;
using namespace troupe::workflow;

namespace {

definition_ptr load(const std::string& text) {
  static action_registry actions = core_actions();
  auto d = parse_definition(text, "t.json", actions);
  BOOST_REQUIRE_MESSAGE(d, d.error().message());
  return *d;
}

task_key key(const execution& e, const std::string& name) {
  auto k = e.parse_key(name);
  BOOST_REQUIRE(k);
  return *k;
}

const char* two_steps =
    R"({"version": 1, "name": "t", "input": {"big": []}, "vars": {"n": 0},
  "tasks": {"a": {"action": "core.noop", "next": [{"publish": {"n": "{{ vars.n + 1 }}"}, "do": "b"}]},
            "b": {"action": "core.noop"}}})";

}  // namespace

BOOST_AUTO_TEST_CASE(a_clone_shares_the_context_and_does_not_see_later_publishes) {
  json::array_builder big;
  for (int i = 0; i < 10000; ++i) big.push_back(json("value " + std::to_string(i)));
  execution e(load(two_steps), "x", json::object().set("big", big.build()), 0);
  e.mark_durable(e.begin().scheduled);
  json clone = e.context();                                // what a dispatched task gets
  BOOST_TEST(clone.identity() == e.context().identity());  // shared, not copied
  BOOST_TEST(clone["parameters"]["big"].identity() == e.parameters()["big"].identity());
  auto a = key(e, "a#0");
  e.mark_running(a, 1);
  auto changes = e.complete(a, {true, json("done"), {}}, 2);
  BOOST_TEST(changes.vars_changed);
  BOOST_TEST(e.vars()["n"] == json(1));
  BOOST_TEST(clone["vars"]["n"] == json(0));  // the clone did not change
  BOOST_TEST(!clone["task"].contains("a"));
  // The new version shares what did not change.
  BOOST_TEST(clone["parameters"].identity() == e.context()["parameters"].identity());
  BOOST_TEST(e.context()["task"]["a"]["result"] == json("done"));
}

BOOST_AUTO_TEST_CASE(nothing_is_dispatched_before_it_is_durable_or_while_paused) {
  execution e(load(two_steps), "x", json::object(), 0);
  auto first = e.begin();
  BOOST_TEST(e.dispatchable().empty());
  e.mark_durable(first.scheduled);
  BOOST_TEST(e.dispatchable().size() == 1u);
  auto a = key(e, "a#0");
  e.mark_running(a, 1);
  e.pause();
  auto next = e.complete(a, {true, nullptr, {}}, 2);
  e.mark_durable(next.scheduled);
  BOOST_TEST(e.dispatchable().empty());
  BOOST_TEST(!e.done());
  e.resume();
  BOOST_TEST(e.dispatchable().size() == 1u);
}

BOOST_AUTO_TEST_CASE(restore_rebuilds_vars_results_and_reschedules_running_tasks) {
  auto def = load(two_steps);
  execution e(def, "x", json::object(), 0);
  e.mark_durable(e.begin().scheduled);
  auto a = key(e, "a#0");
  e.mark_running(a, 1);
  auto next = e.complete(a, {true, json(7), {}}, 2);
  e.mark_durable(next.scheduled);
  auto b = key(e, "b#0");
  e.mark_running(b, 3);  // b runs when the node dies
  std::vector<task_record> rows;
  for (auto& [k, r] : e.tasks()) rows.push_back(r);
  auto r = execution::restore(def, "x", json::object(), 0, execution_state::running,
                              e.engine_state(), rows);
  BOOST_REQUIRE(r);
  BOOST_TEST(r->vars()["n"] == json(1));
  BOOST_TEST(r->context()["task"]["a"]["result"] == json(7));
  auto d = r->dispatchable();
  BOOST_REQUIRE(d.size() == 1u);
  BOOST_TEST(r->key_name(d[0]) == "b#0");  // runs again, under the same key
  r->mark_running(d[0], 4);
  r->complete(d[0], {true, nullptr, {}}, 5);
  BOOST_TEST(r->done());
  r->finish();
  BOOST_TEST(execution_state_name(r->state()) == "succeeded");
}

BOOST_AUTO_TEST_CASE(an_unhandled_failure_stops_scheduling_and_fails_when_idle) {
  auto def = load(R"({"version": 1, "name": "t",
    "tasks": {"a": {"action": "core.noop", "next": [{"do": "c"}]},
              "b": {"action": "core.noop", "next": [{"do": "c"}]},
              "c": {"action": "core.noop"}}})");
  execution e(def, "x", json::object(), 0);
  e.mark_durable(e.begin().scheduled);
  auto a = key(e, "a#0"), b = key(e, "b#0");
  e.mark_running(a, 1);
  e.mark_running(b, 1);
  auto changes = e.complete(a, {false, nullptr, "boom"}, 2);
  BOOST_TEST(changes.scheduled.empty());
  BOOST_TEST(e.stopping());
  BOOST_TEST(!e.done());  // b still runs
  auto after = e.complete(b, {true, nullptr, {}}, 3);
  BOOST_TEST(after.scheduled.empty());  // nothing new once failing
  BOOST_TEST(e.done());
  e.finish();
  BOOST_TEST(execution_state_name(e.state()) == "failed");
  BOOST_REQUIRE(e.errors().size() == 1u);
  BOOST_TEST(e.errors()[0] == "task a: boom");
}
