// long_polls: a request held until the actor's version passes it is
// answered at the next change with the new status; the round's expiry
// answers what it holds with the current status; the expiry of a round a
// change already answered leaves the next round's requests held.
#define BOOST_TEST_MODULE long_polls_test
#include "actors/common/long_polls.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "tests/support/system_fixture.hpp"

using namespace std::chrono_literals;
using namespace troupe;
using troupe::testing::system_fixture;

namespace {

using poll_atom = caf::atom_constant<caf::atom("poll")>;
using change_atom = caf::atom_constant<caf::atom("change")>;

struct versioned_state {
  std::uint64_t version = 0;
  // Expiry far away: the test sends long_polls_due itself.
  long_polls<std::uint64_t> polls{std::chrono::hours(1)};
};

// An actor whose status is its version: (poll_atom, since) is a long poll,
// change_atom bumps the version, long_polls_due (from anyone) expires.
caf::behavior versioned(caf::stateful_actor<versioned_state>* self) {
  return {
      [=](poll_atom, std::uint64_t since) -> caf::result<std::uint64_t> {
        auto& st = self->state;
        return st.polls.answer(self, st.version, since, [&st] { return st.version; });
      },
      [=](change_atom) {
        auto& st = self->state;
        ++st.version;
        st.polls.answer_all([&st] { return st.version; });
      },
      [=](long_polls_due due) {
        auto& st = self->state;
        st.polls.expire(due, [&st] { return st.version; });
      },
  };
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(held_until_a_change_or_the_rounds_expiry, system_fixture) {
  auto a = sys->spawn(versioned);
  // One sender for requests and events: CAF keeps one sender's order.
  caf::scoped_actor driver{*sys};
  auto answer = [&](std::uint64_t since) {
    return driver->request(a, caf::infinite, poll_atom::value, since);
  };
  auto value_of = [](auto& handle) {
    std::uint64_t out = 0;
    handle.receive([&](std::uint64_t v) { out = v; },
                   [&](caf::error& e) { BOOST_FAIL(caf::to_string(e)); });
    return out;
  };
  // Past already: answered at once.
  driver->send(a, change_atom::value);
  auto now = answer(0);
  BOOST_CHECK_EQUAL(value_of(now), 1u);
  // Held (round 1), answered by the change with the new status.
  auto first = answer(1);
  driver->send(a, change_atom::value);
  BOOST_CHECK_EQUAL(value_of(first), 2u);
  // Held (round 2). Round 1's expiry comes late: it answers nothing, so the
  // request is still held when the next change answers it with 3.
  auto second = answer(2);
  driver->send(a, long_polls_due{1});
  driver->send(a, change_atom::value);
  BOOST_CHECK_EQUAL(value_of(second), 3u);
  // Held (round 3); its own expiry answers it with the current status.
  auto third = answer(3);
  driver->send(a, long_polls_due{3});
  BOOST_CHECK_EQUAL(value_of(third), 3u);
  driver->send_exit(a, caf::exit_reason::user_shutdown);
}
