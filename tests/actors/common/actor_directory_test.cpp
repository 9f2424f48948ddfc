// actor_directory: the node's one table of named actors. Entries are weak,
// typed by their key, reachable from other nodes only when put with
// reach::cluster, and a waiter hears of the name's next put exactly once;
// a name is up once put (not put_starting) while its actor lives.
#define BOOST_TEST_MODULE actor_directory_test
#include "actors/common/actor_directory.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "tests/support/system_fixture.hpp"

using namespace std::chrono_literals;
using namespace troupe;
using troupe::testing::system_fixture;

namespace {

using echo_actor = caf::typed_actor<caf::replies_to<int>::with<int>>;

echo_actor::behavior_type echo() {
  return {[](int x) { return x; }};
}

// Whether `self` has a directory_put_atom waiting (received within 10 s).
bool heard(caf::scoped_actor& self) {
  bool got = false;
  self->receive([&](directory_put_atom) { got = true; }, caf::after(10s) >> [] {});
  return got;
}

// Whether `self`'s mailbox is empty: what was sent to it before has arrived,
// since the directory sends from the putting thread before put returns.
bool nothing_queued(caf::scoped_actor& self) {
  return self->mailbox().empty();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(actor_directory_suite, system_fixture)

BOOST_AUTO_TEST_CASE(a_put_actor_comes_back_typed_and_a_restart_replaces_it) {
  actor_directory directory;
  actor_key<echo_actor> key{"echo"};
  BOOST_TEST(!directory.get(key));
  BOOST_TEST(directory.find("echo").version == 0u);
  auto first = sys->spawn(echo);
  directory.put(key, first);
  BOOST_TEST((directory.get(key) == first));
  auto second = sys->spawn(echo);
  directory.put(key, second);
  BOOST_TEST((directory.get(key) == second));
  BOOST_TEST(directory.find("echo").version == 2u);
  caf::anon_send_exit(first, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(second, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(entries_are_weak) {
  // The directory holds no strong reference: an actor put there can end and
  // be destroyed, and the actor system need not wait for it.
  actor_directory directory;
  actor_key<echo_actor> key{"echo"};
  auto a = sys->spawn<caf::lazy_init>(echo);  // not scheduled: nothing else holds it
  auto* block = caf::actor_cast<caf::actor_control_block*>(a);
  auto before = block->strong_refs.load();
  directory.put(key, a);
  BOOST_TEST(block->strong_refs.load() == before);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(only_names_put_for_the_cluster_are_published) {
  actor_directory directory;
  auto a = sys->spawn(echo);
  directory.put(actor_key<echo_actor>{"local"}, a);
  directory.put(actor_key<echo_actor>{"shared"}, a, reach::cluster);
  BOOST_TEST(!directory.find_published("local"));
  BOOST_TEST((directory.find_published("shared") == caf::actor_cast<caf::actor>(a)));
  BOOST_TEST(!directory.find_published("absent"));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_waiter_hears_of_the_next_put_once) {
  actor_directory directory;
  actor_key<echo_actor> key{"echo"};
  caf::scoped_actor self{*sys};
  auto me = caf::actor_cast<caf::actor>(self);
  directory.notify_after("echo", 0, me);
  BOOST_TEST(nothing_queued(self));  // not put yet
  auto a = sys->spawn(echo);
  directory.put(key, a);
  BOOST_TEST(heard(self));
  directory.put(key, a);  // it asked for one put only
  BOOST_TEST(nothing_queued(self));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_waiter_that_saw_an_older_version_hears_at_once) {
  actor_directory directory;
  actor_key<echo_actor> key{"echo"};
  auto a = sys->spawn(echo);
  directory.put(key, a);
  auto seen = directory.find("echo").version;
  directory.put(key, a);  // between the waiter's look and its wait
  caf::scoped_actor self{*sys};
  directory.notify_after("echo", seen, caf::actor_cast<caf::actor>(self));
  BOOST_TEST(heard(self));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_name_is_up_once_put_and_while_its_actor_lives) {
  actor_directory directory;
  actor_key<echo_actor> key{"echo"};
  std::vector<std::string> names{"echo", "never"};
  BOOST_TEST(directory.not_up(names) == names);
  auto a = sys->spawn(echo);
  directory.put_starting(key, a);  // takes requests, answers "starting"
  BOOST_TEST((directory.get(key) == a));
  BOOST_TEST(!directory.find("echo").up);
  caf::scoped_actor waiter{*sys};
  directory.notify_after("echo", directory.find("echo").version, waiter);
  directory.put(key, a);  // its start-up work is done
  BOOST_TEST(heard(waiter));
  BOOST_TEST(directory.find("echo").up);
  BOOST_TEST(directory.not_up(names) == std::vector<std::string>{"never"});
  waiter->monitor(a);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  waiter->receive([](caf::down_msg&) {});
  BOOST_TEST(!directory.find("echo").up);  // ended, and not put again
  BOOST_TEST(directory.not_up(names) == names);
}

BOOST_AUTO_TEST_CASE(each_actor_system_has_its_own) {
  caf::actor_system_config cfg2;
  caf::actor_system other{cfg2};
  BOOST_TEST(&actor_directory::of(*sys) == &actor_directory::of(*sys));
  BOOST_TEST(&actor_directory::of(*sys) != &actor_directory::of(other));
}

BOOST_AUTO_TEST_SUITE_END()
