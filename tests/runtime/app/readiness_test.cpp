// readiness: what GET /readyz names as not up, and the node's one "is ready"
// event: watch_readiness runs its callback once every name is up (put, not
// put_starting), and ends without running it when the root ends first.
#define BOOST_TEST_MODULE readiness_test
#include "runtime/app/node/readiness.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <future>

#include "actors/common/actor_directory.hpp"
#include "actors/supervisor/supervisor.hpp"
#include "tests/support/system_fixture.hpp"

using namespace std::chrono_literals;
using namespace troupe;
using troupe::testing::system_fixture;

namespace {

caf::behavior idle() {
  return {[](int x) { return x; }};
}

const std::vector<readiness_name> names{{"alpha", "the alpha"}, {"beta", "the beta"}};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(readiness_suite, system_fixture)

BOOST_AUTO_TEST_CASE(ready_once_every_name_is_up_and_not_before) {
  auto root = spawn_supervisor(*sys, supervisor_flags{}, {});
  auto& directory = actor_directory::of(*sys);
  BOOST_TEST(not_up(*sys, names) == "the alpha, the beta");
  std::promise<void> ready;
  auto watch = watch_readiness(*sys, names, root, [&ready] { ready.set_value(); });
  auto a = sys->spawn(idle);
  auto b = sys->spawn(idle);
  directory.put_starting(actor_key<caf::actor>{"alpha"}, a);  // restoring
  directory.put(actor_key<caf::actor>{"beta"}, b);
  BOOST_TEST(not_up(*sys, names) == "the alpha");
  caf::scoped_actor self{*sys};
  self->monitor(watch);
  directory.put(actor_key<caf::actor>{"alpha"}, a);  // restored
  BOOST_REQUIRE(ready.get_future().wait_for(10s) == std::future_status::ready);
  self->receive([](caf::down_msg&) {});  // the watch ends once it has told
  BOOST_TEST(not_up(*sys, names).empty());
  for (auto& x : {a, b, caf::actor_cast<caf::actor>(root)})
    caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_root_that_ends_first_ends_the_watch_untold) {
  auto root = spawn_supervisor(*sys, supervisor_flags{}, {});
  bool told = false;
  auto watch = watch_readiness(*sys, names, root, [&told] { told = true; });
  caf::scoped_actor self{*sys};
  self->monitor(watch);
  caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
  self->receive([](caf::down_msg&) {});
  BOOST_TEST(!told);
}

BOOST_AUTO_TEST_SUITE_END()
