// The coordinator's membership actor inside one process: the join challenge
// admits a worker that proves the secret and proves the coordinator back; a
// wrong proof, a replayed challenge and heartbeats of non-members are
// refused; a member whose agent ends, or that stops beating, is down and
// no longer allowed; it joins again under its name.
#define BOOST_TEST_MODULE membership_test
#include "actors/cluster/membership.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <thread>

#include "messages/errors.hpp"
#include "runtime/base/hmac.hpp"
#include "runtime/services/cluster/members.hpp"
#include "runtime/services/metrics/metrics.hpp"
#include "tests/support/system_fixture.hpp"

using namespace std::chrono_literals;
using namespace troupe;

namespace {

const std::string secret = "the-cluster-secret-of-this-test";

struct fixture : testing::system_fixture {
  metrics_registry metrics;
  cluster_members members;
  membership_actor membership;

  explicit fixture(std::chrono::milliseconds down_after = 60s) {
    membership_options o;
    o.coordinator = "coord";
    o.secret = secret;
    o.down_after = down_after;
    o.members = &members;
    o.metrics = &metrics;
    membership = caf::actor_cast<membership_actor>(spawn_membership(*sys, o));
  }
  // The actor ends before `members` and `metrics`, which it writes.
  ~fixture() {
    caf::scoped_actor self{*sys};
    self->send_exit(membership, caf::exit_reason::user_shutdown);
    self->wait_for(membership);
  }

  // Step 1 of a join by `worker`: the coordinator's nonce.
  std::string challenge(caf::scoped_actor& worker, const std::string& name) {
    std::string nonce;
    worker->request(membership, 10s, join_atom::value, name)
        .receive([&](std::string& n) { nonce = std::move(n); },
                 [&](caf::error& e) { BOOST_FAIL(error_context(e)); });
    return nonce;
  }

  // Step 2 with `proof`; the coordinator's name and admit proof, or the error.
  caf::expected<std::pair<std::string, std::string>> answer(caf::scoped_actor& worker,
                                                            const std::string& name,
                                                            const std::string& proof) {
    caf::expected<std::pair<std::string, std::string>> out{caf::error{}};
    member_info info;
    info.name = name;
    info.roles = {"creator"};
    worker
        ->request(membership, 10s, join_atom::value, info, proof, std::string("w-nonce"))
        .receive([&](std::string& coordinator,
                     std::string& admit) { out = std::make_pair(coordinator, admit); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  std::string proof_of(caf::scoped_actor& worker, const std::string& nonce,
                       const std::string& name) {
    return hmac_sha256_hex(
        secret, join_proof_text("join", nonce, name, caf::to_string(worker->node())));
  }

  // A complete join; fails the test unless admitted.
  void join(caf::scoped_actor& worker, const std::string& name) {
    auto admitted = answer(worker, name, proof_of(worker, challenge(worker, name), name));
    BOOST_REQUIRE_MESSAGE(admitted,
                          (admitted ? std::string() : error_context(admitted.error())));
  }

  caf::expected<std::int64_t> beat(caf::scoped_actor& worker, const std::string& name) {
    caf::expected<std::int64_t> out{caf::error{}};
    worker->request(membership, 10s, heartbeat_atom::value, name, member_load{2, 5})
        .receive([&](std::int64_t at) { out = at; },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  // The view: now (since < 0), or once its version passes `since` (the
  // long poll; the actor answers within 10 s).
  cluster_view view(std::int64_t since = -1) {
    caf::scoped_actor self{*sys};
    cluster_view out;
    auto take = [&](cluster_view& v) { out = std::move(v); };
    auto fail = [&](caf::error& e) { BOOST_FAIL(error_context(e)); };
    if (since < 0)
      self->request(membership, 10s, members_atom::value).receive(take, fail);
    else
      self->request(membership, 20s, members_atom::value, std::uint64_t(since))
          .receive(take, fail);
    return out;
  }

  static std::string state_in(const cluster_view& v, const std::string& name) {
    for (auto& m : v.members)
      if (m.info.name == name) return m.state;
    return "";
  }

  // The state of `name` in the view ("" when not listed).
  std::string state_of(const std::string& name) { return state_in(view(), name); }

  // Waits for the view's changes (the actor's own events) until `name` is
  // `state`; a bound of 6 long polls (a minute) for a broken actor.
  void await_state(const std::string& name, const std::string& state) {
    auto v = view();
    for (int i = 0; i < 6 && state_in(v, name) != state; ++i)
      v = view(std::int64_t(v.version));
    BOOST_REQUIRE_EQUAL(state_in(v, name), state);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_worker_that_proves_the_secret_is_admitted_and_proved_back,
                        fixture) {
  caf::scoped_actor worker{*sys};
  auto nonce = challenge(worker, "w1");
  BOOST_CHECK_EQUAL(nonce.size(), 64u);
  auto admitted = answer(worker, "w1", proof_of(worker, nonce, "w1"));
  BOOST_REQUIRE(admitted);
  BOOST_CHECK_EQUAL(admitted->first, "coord");
  // The coordinator proves the secret back, over the worker's nonce.
  BOOST_CHECK_EQUAL(
      admitted->second,
      hmac_sha256_hex(secret, join_proof_text("admit", "w-nonce", "w1",
                                              caf::to_string(sys->node()))));
  BOOST_CHECK_EQUAL(state_of("w1"), "up");
  BOOST_CHECK(members.find(worker->node()).has_value());
  auto at = beat(worker, "w1");
  BOOST_CHECK(at && *at > 0);
}

BOOST_FIXTURE_TEST_CASE(a_wrong_proof_and_a_replayed_challenge_are_refused, fixture) {
  caf::scoped_actor worker{*sys};
  auto nonce = challenge(worker, "w1");
  auto wrong = answer(worker, "w1", hmac_sha256_hex("another-secret", nonce));
  BOOST_REQUIRE(!wrong);
  BOOST_CHECK(is(wrong.error(), errc::not_a_member));
  // The challenge was used up by the wrong answer: the right proof for it
  // is refused too.
  auto replayed = answer(worker, "w1", proof_of(worker, nonce, "w1"));
  BOOST_REQUIRE(!replayed);
  BOOST_CHECK(is(replayed.error(), errc::not_a_member));
  BOOST_CHECK_EQUAL(state_of("w1"), "");
  BOOST_CHECK(!members.find(worker->node()).has_value());
  auto beat_refused = beat(worker, "w1");
  BOOST_REQUIRE(!beat_refused);
  BOOST_CHECK(is(beat_refused.error(), errc::not_a_member));
}

BOOST_FIXTURE_TEST_CASE(a_member_whose_agent_ends_is_down_and_joins_again, fixture) {
  {
    caf::scoped_actor agent{*sys};
    join(agent, "w1");
    BOOST_CHECK_EQUAL(state_of("w1"), "up");
  }  // the agent ends: CAF tells the membership actor (a down message)
  await_state("w1", "down");
  caf::scoped_actor again{*sys};
  BOOST_CHECK(!members.find(again->node()).has_value());
  join(again, "w1");
  BOOST_CHECK_EQUAL(state_of("w1"), "up");
  BOOST_CHECK(beat(again, "w1"));
}

struct quick_down : fixture {
  quick_down() : fixture(200ms) {}
};

BOOST_FIXTURE_TEST_CASE(a_member_that_stops_beating_is_down, quick_down) {
  caf::scoped_actor worker{*sys};
  join(worker, "w1");
  BOOST_REQUIRE(beat(worker, "w1"));  // silence counts from the first beat
  await_state("w1", "down");
  auto refused = beat(worker, "w1");
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::not_a_member));
}
