// ask_when_up, what fleet.scale and bench.submit use to reach a subsystem
// of their node: it waits while the subsystem is (re)starting (no actor
// under its name, or an answer of errc::shutting_down) for the name's next
// put in the actor directory, and asks only then; it gives up after its
// patience naming the subsystem, passes other errors through at once, and
// ends with the actor that ran the call.
#define BOOST_TEST_MODULE ask_when_up_test
#include "actors/common/ask_when_up.hpp"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <condition_variable>
#include <future>
#include <mutex>

#include "messages/workflow.hpp"
#include "tests/support/system_fixture.hpp"

using namespace std::chrono_literals;
using namespace troupe;
using namespace troupe::workflow;
using troupe::testing::system_fixture;

namespace {

// How often a subsystem actor was asked; tests wait for a count.
struct asked {
  std::mutex mu;
  std::condition_variable cv;
  int count = 0;
  void add() {
    std::lock_guard<std::mutex> guard{mu};
    ++count;
    cv.notify_all();
  }
  bool wait_for(int n) {
    std::unique_lock<std::mutex> lock{mu};
    return cv.wait_for(lock, 10s, [&] { return count >= n; });
  }
  int now() {
    std::lock_guard<std::mutex> guard{mu};
    return count;
  }
};

// A subsystem actor that answers `status_atom` with errc::shutting_down
// `starting` times, then with 42 (or with errc::invalid_argument when `fails`).
caf::behavior subsystem(caf::event_based_actor*, std::shared_ptr<asked> log, int starting,
                        bool fails) {
  auto left = std::make_shared<int>(starting);
  return {
      [=](status_atom) -> caf::result<std::int64_t> {
        log->add();
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
                             const actor_key<caf::actor>& key,
                             std::chrono::milliseconds patience = 10s) {
  env.sys = &sys;
  auto out = std::make_shared<outcome>();
  ask_when_up<std::int64_t>(
      env, patience, key, "the subsystem",
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

BOOST_AUTO_TEST_CASE(asks_at_each_put_of_the_name_until_the_subsystem_answers) {
  auto& directory = actor_directory::of(*sys);
  actor_key<caf::actor> key{"waits"};
  auto log = std::make_shared<asked>();
  auto running = sys->registry().running();
  auto out = ask(*sys, {}, key);  // nothing under the name yet
  auto target = sys->spawn(subsystem, log, 2, false);
  directory.put(key, target);  // up, but still restoring
  BOOST_REQUIRE(log->wait_for(1));
  directory.put(key, target);  // says it is up again: still restoring
  BOOST_REQUIRE(log->wait_for(2));
  directory.put(key, target);  // restored
  BOOST_REQUIRE(out->future.wait_for(10s) == std::future_status::ready);
  BOOST_TEST(out->future.get() == "reply 42");
  BOOST_TEST(log->now() == 3);  // once per put: it never asked on its own
  sys->registry().await_running_count_equal(running + 1);  // the helper ended
  BOOST_TEST(out->calls.load() == 1);
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(an_actor_already_up_is_asked_at_once) {
  auto& directory = actor_directory::of(*sys);
  actor_key<caf::actor> key{"up"};
  auto log = std::make_shared<asked>();
  auto target = sys->spawn(subsystem, log, 0, false);
  directory.put(key, target);
  auto out = ask(*sys, {}, key);
  BOOST_REQUIRE(out->future.wait_for(10s) == std::future_status::ready);
  BOOST_TEST(out->future.get() == "reply 42");
  BOOST_TEST(log->now() == 1);
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(gives_up_after_its_patience_naming_the_subsystem) {
  auto log = std::make_shared<asked>();
  auto target = sys->spawn(subsystem, log, 1000, false);
  actor_key<caf::actor> key{"restoring"};
  actor_directory::of(*sys).put(key, target);
  auto out = ask(*sys, {}, key, 500ms);
  BOOST_REQUIRE(out->future.wait_for(10s) == std::future_status::ready);
  BOOST_TEST(out->future.get() == "starting: the subsystem did not start within 500 ms");
  BOOST_TEST(log->now() == 1);  // asked once; no put came after its answer
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(other_errors_pass_through_at_once) {
  auto log = std::make_shared<asked>();
  auto target = sys->spawn(subsystem, log, 0, true);
  actor_key<caf::actor> key{"fails"};
  actor_directory::of(*sys).put(key, target);
  auto out = ask(*sys, {}, key);
  BOOST_REQUIRE(out->future.wait_for(10s) == std::future_status::ready);
  BOOST_TEST(out->future.get() == "error: bad");
  BOOST_TEST(log->now() == 1);
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(ends_without_an_answer_when_its_caller_ends) {
  auto caller = sys->spawn(
      [](caf::event_based_actor*) -> caf::behavior { return {[](status_atom) {}}; });
  action_env env;
  env.caller = caller.address();
  auto running = sys->registry().running();
  auto out = ask(*sys, env, actor_key<caf::actor>{"never"});
  BOOST_TEST(sys->registry().running() == running + 1);  // the helper
  caf::anon_send_exit(caller, caf::exit_reason::user_shutdown);
  caller = nullptr;
  // Neither caller nor helper is left.
  sys->registry().await_running_count_equal(running - 1);
  BOOST_TEST(out->calls.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
