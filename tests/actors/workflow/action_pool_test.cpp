// The action pool's own rules, on a real actor system: replies handed back
// by a worker (replay_atom) answer the calls they belong to instead of a
// runner; a selector keeps a call away from runners whose labels do not
// match; and the reply_keeper's bounds.
#define BOOST_TEST_MODULE action_pool_test
#include "actors/workflow/action_pool.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "actors/workflow/action_core.hpp"
#include "actors/workflow/reply_keeper.hpp"
#include "messages/workflow.hpp"
#include "tests/support/system_fixture.hpp"

using namespace std::chrono_literals;
using namespace troupe;
using namespace troupe::workflow;
using troupe::testing::system_fixture;

namespace {

action_request echo_call(std::uint64_t id, const std::string& key,
                         std::vector<std::string> selector = {}) {
  action_request r;
  r.call_id = id;
  r.action = "core.sleep";
  r.input = *json::parse(R"({"seconds": 0})");
  r.execution = "e";
  r.task = "t#0";
  r.selector = std::move(selector);
  r.key = key;
  return r;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_replayed_reply_answers_its_call_without_a_runner,
                        system_fixture) {
  action_pool_options o;
  o.runners = 0;  // nobody could run it
  o.actions = std::make_shared<action_registry>(core_actions());
  auto pool = spawn_action_pool(*sys, o);
  caf::scoped_actor self{*sys};
  // Queued first, answered when the reply is handed back.
  auto queued = self->request(pool, 10s, echo_call(7, "e/t#0/0/1"));
  kept_reply kept{"e/t#0/0/1", action_reply{99, true, *json::parse(R"({"x": 1})"), ""}};
  self->request(pool, 10s, replay_atom::value,
                std::vector<kept_reply>{kept, {"e/t#0/1/1", kept.reply}})
      .receive([](std::size_t n) { BOOST_TEST(n == 2u); },
               [](caf::error&) { BOOST_FAIL("replay refused"); });
  queued.receive(
      [](action_reply& r) {
        BOOST_TEST(r.call_id == 7u);  // the caller's id, not the old one
        BOOST_TEST(r.succeeded);
        BOOST_TEST((r.result == *json::parse(R"({"x": 1})")));
      },
      [](caf::error&) { BOOST_FAIL("no answer"); });
  // Handed back before the call came: answered at once; then used up.
  self->request(pool, 10s, echo_call(8, "e/t#0/1/1"))
      .receive([](action_reply& r) { BOOST_TEST(r.call_id == 8u); },
               [](caf::error&) { BOOST_FAIL("no answer"); });
  auto again = self->request(pool, 300ms, echo_call(9, "e/t#0/1/1"));
  again.receive([](action_reply&) { BOOST_FAIL("a reply was used twice"); },
                [](caf::error& err) { BOOST_TEST((err == caf::sec::request_timeout)); });
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

BOOST_FIXTURE_TEST_CASE(a_selector_keeps_calls_off_runners_without_the_labels,
                        system_fixture) {
  action_pool_options o;
  o.runners = 2;
  o.labels = {"zone=a"};
  o.actions = std::make_shared<action_registry>(core_actions());
  auto pool = spawn_action_pool(*sys, o);
  caf::scoped_actor self{*sys};
  self->request(pool, 10s, echo_call(1, "", {"zone=a"}))
      .receive([](action_reply& r) { BOOST_TEST(r.succeeded); },
               [](caf::error&) { BOOST_FAIL("no answer"); });
  self->request(pool, 500ms, echo_call(2, "", {"zone=b"}))
      .receive([](action_reply&) { BOOST_FAIL("ran on a runner without zone=b"); },
               [](caf::error& err) { BOOST_TEST((err == caf::sec::request_timeout)); });
  // The unmatched call does not hold back the ones behind it.
  self->request(pool, 10s, echo_call(3, ""))
      .receive([](action_reply& r) { BOOST_TEST(r.succeeded); },
               [](caf::error&) { BOOST_FAIL("no answer"); });
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(the_keeper_is_bounded_oldest_first) {
  reply_keeper by_count(3, 1 << 20);
  for (int i = 0; i < 5; ++i)
    by_count.keep("k" + std::to_string(i), action_reply{1, true, json(i), ""});
  by_count.keep("", action_reply{});  // no key: not kept
  auto all = by_count.all();
  BOOST_REQUIRE_EQUAL(all.size(), 3u);
  BOOST_TEST(all[0].key == "k2");
  BOOST_TEST(all[2].key == "k4");
  reply_keeper by_bytes(100, 200);
  std::string big(150, 'x');
  by_bytes.keep("a", action_reply{1, true, json(big), ""});
  by_bytes.keep("b", action_reply{2, true, json(big), ""});
  BOOST_REQUIRE_EQUAL(by_bytes.size(), 1u);
  BOOST_TEST(by_bytes.all()[0].key == "b");
}
