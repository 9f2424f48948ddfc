// ask_when_up, what fleet.scale and bench.submit use to reach a subsystem
// of their node: it waits while the subsystem is (re)starting (no actor yet,
// or an answer of errc::shutting_down), gives up after its patience naming
// the subsystem, passes other errors through at once, and ends with
// the actor that ran the call.
#define BOOST_TEST_MODULE ask_when_up_test
#include "actors/common/ask_when_up.hpp"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <future>
#include <mutex>

#include "tests/support/system_fixture.hpp"

using namespace std::chrono_literals;
using namespace troupe;
using namespace troupe::workflow;
using troupe::testing::system_fixture;

namespace {

// A subsystem actor that answers `status_atom` with errc::shutting_down
// `starting` times, then with 42 (or with errc::invalid_argument when `fails`).
caf::behavior subsystem(caf::event_based_actor*, int starting, bool fails) {
  auto left = std::make_shared<int>(starting);
  return {
      [left, fails](status_atom) -> caf::result<std::int64_t> {
        if ((*left)-- > 0) return make_error(errc::shutting_down, "restoring");
        if (fails) return make_error(errc::invalid_argument, "bad");
        return std::int64_t{42};
      },
  };
}

// What one ask_when_up ended with: the reply, or the error's text. Shared
// with the helper, which may still be inside set_value when the test ends.
struct outcome {
  std::promise<std::string> promise;
  std::future<std::string> future = promise.get_future();
  std::atomic<int> calls{0};
};

std::shared_ptr<outcome> ask(caf::actor_system& sys, action_env env,
                             std::function<caf::actor()> find,
                             std::chrono::milliseconds patience = 10s) {
  env.sys = &sys;
  auto out = std::make_shared<outcome>();
  ask_when_up<std::int64_t>(
      env, patience, std::move(find), "the subsystem",
      [out](std::int64_t& n) {
        ++out->calls;
        out->promise.set_value("reply " + std::to_string(n));
      },
      [out](const caf::error& err) {
        ++out->calls;
        out->promise.set_value((is(err, errc::shutting_down) ? "starting: " : "error: ") +
                               error_context(err));
      },
      status_atom::value);
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ask_when_up_suite, system_fixture)

BOOST_AUTO_TEST_CASE(waits_for_the_actor_and_through_shutting_down_answers) {
  auto target = sys->spawn(subsystem, 2, false);
  auto running = sys->registry().running();
  std::atomic<int> finds{0};
  // No actor for the first three looks, then one that is still restoring twice.
  auto out = ask(*sys, {}, [&] { return ++finds > 3 ? target : caf::actor{}; });
  BOOST_REQUIRE(out->future.wait_for(10s) == std::future_status::ready);
  BOOST_TEST(out->future.get() == "reply 42");
  BOOST_TEST(finds.load() == 6);  // 3 without an actor, 2 answered "restoring", 1 reply
  sys->registry().await_running_count_equal(running);  // the helper ended
  BOOST_TEST(out->calls.load() == 1);
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(gives_up_after_its_patience_naming_the_subsystem) {
  auto target = sys->spawn(subsystem, 1000, false);
  auto out = ask(
      *sys, {}, [&] { return target; }, 500ms);
  BOOST_REQUIRE(out->future.wait_for(10s) == std::future_status::ready);
  BOOST_TEST(out->future.get() == "starting: the subsystem did not start within 500 ms");
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(other_errors_pass_through_at_once) {
  auto target = sys->spawn(subsystem, 0, true);
  std::atomic<int> finds{0};
  auto out = ask(*sys, {}, [&] {
    ++finds;
    return target;
  });
  BOOST_REQUIRE(out->future.wait_for(10s) == std::future_status::ready);
  BOOST_TEST(out->future.get() == "error: bad");
  BOOST_TEST(finds.load() == 1);  // asked once, not again
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(ends_without_an_answer_when_its_caller_ends) {
  auto caller = sys->spawn(
      [](caf::event_based_actor*) -> caf::behavior { return {[](status_atom) {}}; });
  action_env env;
  env.caller = caller.address();
  auto running = sys->registry().running();
  auto out = ask(*sys, env, [] { return caf::actor{}; });
  BOOST_TEST(sys->registry().running() == running + 1);  // the helper
  caf::anon_send_exit(caller, caf::exit_reason::user_shutdown);
  caller = nullptr;
  sys->registry().await_running_count_equal(running -
                                            1);  // neither caller nor helper is left
  BOOST_TEST(out->calls.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
