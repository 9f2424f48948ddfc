// Supervisor behaviour on the deterministic scheduler: each strategy, each
// restart policy, intensity overflow, escalation, ordered shutdown, dynamic
// children.
#define BOOST_TEST_MODULE supervisor_test
#include "actors/supervisor/supervisor.hpp"

#include <boost/test/unit_test.hpp>

#include "messages/atoms.hpp"
#include "messages/errors.hpp"
#include "messages/supervisor.hpp"
#include "tests/support/deterministic.hpp"

using namespace troupe;
using namespace std::chrono_literals;

namespace {

using crash_atom = caf::atom_constant<caf::atom("crash")>;
using finish_atom = caf::atom_constant<caf::atom("finish")>;

// What the test children did, in order: "start:a", "stop:a".
using journal = std::shared_ptr<std::vector<std::string>>;
// The current handle of each test child, by id.
using directory = std::shared_ptr<std::map<std::string, caf::actor>>;
directory children_by_id = std::make_shared<std::map<std::string, caf::actor>>();

// A worker that logs start and stop; `crash` exits abnormally, `finish`
// exits normally. With `stubborn` it ignores shutdown requests.
caf::behavior worker(caf::event_based_actor* self, std::string id, journal log,
                     bool stubborn) {
  log->push_back("start:" + id);
  self->set_exit_handler([=](caf::exit_msg& msg) {
    if (stubborn) return;
    log->push_back("stop:" + id);
    self->quit(msg.reason);
  });
  return {
      [=](crash_atom) { self->quit(caf::sec::runtime_error); },
      [=](finish_atom) { self->quit(); },
  };
}

child_spec worker_spec(std::string id, journal log,
                       restart_policy restart = restart_policy::permanent,
                       bool stubborn = false) {
  child_spec spec;
  spec.id = id;
  spec.restart = restart;
  spec.shutdown = 1s;
  spec.start = [=](caf::actor_system& sys, const caf::message&) {
    return sys.spawn(worker, id, log, stubborn);
  };
  return spec;
}

std::size_t count(const journal& log, const std::string& entry) {
  return std::count(log->begin(), log->end(), entry);
}

struct fixture : testing::deterministic {
  journal log = std::make_shared<std::vector<std::string>>();

  supervisor_report describe(const supervisor_actor& sup) {
    auto r = request<supervisor_report>(sup, describe_atom::value);
    BOOST_REQUIRE(r);
    return *r;
  }

  fixture() { children_by_id->clear(); }
  ~fixture() { children_by_id->clear(); }

  // The child's current handle.
  caf::actor child(const std::string& id) { return children_by_id->at(id); }
};

// Children record their handle at each start so tests can message them.
child_spec named(child_spec spec) {
  auto inner = spec.start;
  auto id = spec.id;
  spec.start = [=](caf::actor_system& sys, const caf::message& args) {
    auto h = inner(sys, args);
    (*children_by_id)[id] = h;
    return h;
  };
  return spec;
}

supervisor_flags flags(std::string name, restart_strategy s,
                       std::uint32_t intensity = 3) {
  supervisor_flags f;
  f.name = std::move(name);
  f.strategy = s;
  f.intensity = intensity;
  f.period = 5s;
  return f;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(one_for_one_restarts_only_the_failed_child, fixture) {
  auto sup = spawn_supervisor(sys(), flags("root", restart_strategy::one_for_one),
                              {named(worker_spec("a", log)), named(worker_spec("b", log)),
                               named(worker_spec("c", log))});
  run();
  BOOST_CHECK_EQUAL(log->size(), 3u);
  auto a = child("a");
  caf::anon_send(child("b"), crash_atom::value);
  run();
  BOOST_CHECK_EQUAL(count(log, "start:b"), 2u);
  BOOST_CHECK_EQUAL(count(log, "start:a"), 1u);
  BOOST_CHECK_EQUAL(count(log, "start:c"), 1u);
  BOOST_CHECK(child("a") == a);
  auto r = describe(sup);
  BOOST_CHECK_EQUAL(r.children.at(1).restarts, 1u);
  BOOST_CHECK(r.children.at(1).status == child_status::running);
  BOOST_CHECK_EQUAL(r.recent_restarts, 1u);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_FIXTURE_TEST_CASE(one_for_all_stops_others_in_reverse_and_restarts_all, fixture) {
  auto sup = spawn_supervisor(sys(), flags("root", restart_strategy::one_for_all),
                              {named(worker_spec("a", log)), named(worker_spec("b", log)),
                               named(worker_spec("c", log))});
  run();
  log->clear();
  caf::anon_send(child("b"), crash_atom::value);
  run();
  std::vector<std::string> expected{"stop:c", "stop:a", "start:a", "start:b", "start:c"};
  BOOST_CHECK_EQUAL_COLLECTIONS(log->begin(), log->end(), expected.begin(),
                                expected.end());
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_FIXTURE_TEST_CASE(transient_restarts_only_after_abnormal_exit, fixture) {
  auto sup = spawn_supervisor(sys(), flags("root", restart_strategy::one_for_one),
                              {named(worker_spec("t", log, restart_policy::transient))});
  run();
  caf::anon_send(child("t"), crash_atom::value);
  run();
  BOOST_CHECK_EQUAL(count(log, "start:t"), 2u);
  caf::anon_send(child("t"), finish_atom::value);
  run();
  BOOST_CHECK_EQUAL(count(log, "start:t"), 2u);
  BOOST_CHECK(describe(sup).children.at(0).status == child_status::stopped);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_FIXTURE_TEST_CASE(temporary_is_never_restarted_and_is_removed, fixture) {
  auto sup =
      spawn_supervisor(sys(), flags("root", restart_strategy::one_for_one),
                       {named(worker_spec("p", log)),
                        named(worker_spec("tmp", log, restart_policy::temporary))});
  run();
  caf::anon_send(child("tmp"), crash_atom::value);
  run();
  BOOST_CHECK_EQUAL(count(log, "start:tmp"), 1u);
  auto r = describe(sup);
  BOOST_REQUIRE_EQUAL(r.children.size(), 1u);
  BOOST_CHECK_EQUAL(r.children.at(0).id, "p");
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_FIXTURE_TEST_CASE(permanent_restarts_after_normal_exit, fixture) {
  auto sup = spawn_supervisor(sys(), flags("root", restart_strategy::one_for_one),
                              {named(worker_spec("p", log))});
  run();
  caf::anon_send(child("p"), finish_atom::value);
  run();
  BOOST_CHECK_EQUAL(count(log, "start:p"), 2u);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_FIXTURE_TEST_CASE(intensity_overflow_stops_children_and_exits_with_gave_up,
                        fixture) {
  auto sup =
      spawn_supervisor(sys(), flags("root", restart_strategy::one_for_one, 2),
                       {named(worker_spec("a", log)), named(worker_spec("b", log))});
  auto reason = std::make_shared<caf::error>();
  // Held: an actor nobody references is terminated as unreachable.
  auto watcher = sys().spawn([=](caf::event_based_actor* self) {
    self->monitor(sup);
    self->set_down_handler([=](caf::down_msg& msg) {
      *reason = msg.reason;
      self->quit();
    });
    return caf::behavior{[](int) {}};  // stays alive until the down_msg
  });
  run();
  for (int i = 0; i < 3; ++i) {
    caf::anon_send(child("b"), crash_atom::value);
    run();
  }
  BOOST_TEST_MESSAGE("exit reason: " << sys().render(*reason));
  BOOST_CHECK(is(*reason, errc::supervisor_gave_up));
  BOOST_CHECK_EQUAL(count(log, "start:b"), 3u);  // two restarts allowed, third refused
  BOOST_CHECK_EQUAL(count(log, "stop:a"), 1u);   // the sibling was stopped on the way out
}

BOOST_FIXTURE_TEST_CASE(restarts_outside_the_period_do_not_accumulate, fixture) {
  auto sup = spawn_supervisor(sys(), flags("root", restart_strategy::one_for_one, 1),
                              {named(worker_spec("a", log))});
  run();
  for (int i = 0; i < 4; ++i) {
    caf::anon_send(child("a"), crash_atom::value);
    run();
    advance_time(6s);
  }
  BOOST_CHECK_EQUAL(count(log, "start:a"), 5u);
  BOOST_CHECK(describe(sup).status == supervisor_status::running);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_FIXTURE_TEST_CASE(escalation_restarts_the_failed_child_supervisor, fixture) {
  auto inner = supervisor_child(flags("inner", restart_strategy::one_for_one, 1),
                                {named(worker_spec("w", log))});
  auto root = spawn_supervisor(sys(), flags("root", restart_strategy::one_for_one, 3),
                               {named(worker_spec("sibling", log)), inner});
  run();
  caf::anon_send(child("w"), crash_atom::value);  // restart 1: within intensity
  run();
  caf::anon_send(child("w"), crash_atom::value);  // restart 2: inner gives up
  run();
  auto r = describe(root);
  BOOST_CHECK_EQUAL(r.children.at(1).id, "inner");
  BOOST_CHECK_EQUAL(r.children.at(1).restarts, 1u);
  BOOST_CHECK(r.children.at(1).status == child_status::running);
  BOOST_CHECK_EQUAL(count(log, "start:w"), 3u);        // 1 + 1 restart + fresh inner
  BOOST_CHECK_EQUAL(count(log, "start:sibling"), 1u);  // one_for_one at the root
  BOOST_REQUIRE_EQUAL(r.subtree.size(), 1u);
  BOOST_CHECK_EQUAL(r.subtree.at(0).name, "inner");
  BOOST_CHECK_EQUAL(r.subtree.at(0).recent_restarts, 0u);
  caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
}

BOOST_FIXTURE_TEST_CASE(ordered_shutdown_stops_children_in_reverse_order, fixture) {
  auto inner =
      supervisor_child(flags("inner", restart_strategy::one_for_one),
                       {named(worker_spec("x", log)), named(worker_spec("y", log))});
  auto root = spawn_supervisor(
      sys(), flags("root", restart_strategy::one_for_one),
      {named(worker_spec("a", log)), inner, named(worker_spec("c", log))});
  run();
  log->clear();
  caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
  run();
  std::vector<std::string> expected{"stop:c", "stop:y", "stop:x", "stop:a"};
  BOOST_CHECK_EQUAL_COLLECTIONS(log->begin(), log->end(), expected.begin(),
                                expected.end());
}

BOOST_FIXTURE_TEST_CASE(shutdown_kills_a_child_that_does_not_stop, fixture) {
  auto root = spawn_supervisor(
      sys(), flags("root", restart_strategy::one_for_one),
      {named(worker_spec("a", log)),
       named(worker_spec("stubborn", log, restart_policy::permanent, true))});
  auto done = std::make_shared<bool>(false);
  auto watcher = sys().spawn([=](caf::event_based_actor* self) {
    self->monitor(root);
    self->set_down_handler([=](caf::down_msg&) {
      *done = true;
      self->quit();
    });
    return caf::behavior{[](int) {}};  // stays alive until the down_msg
  });
  run();
  caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
  run();
  BOOST_CHECK(!*done);                          // waiting for the stubborn child
  BOOST_CHECK_EQUAL(count(log, "stop:a"), 0u);  // order: a only after stubborn
  advance_time(1s);                             // its shutdown time passes: killed
  BOOST_CHECK_EQUAL(count(log, "stop:a"), 1u);
  BOOST_CHECK(*done);
}

BOOST_FIXTURE_TEST_CASE(dynamic_children_start_and_stop, fixture) {
  auto f = flags("pools", restart_strategy::one_for_one);
  child_spec tmpl;
  tmpl.restart = restart_policy::transient;
  tmpl.start = [log = log](caf::actor_system& sys, const caf::message& args) {
    auto id = args.get_as<std::string>(0);
    auto h = sys.spawn(worker, id, log, false);
    (*children_by_id)[id] = h;
    return h;
  };
  f.dynamic_child = tmpl;
  auto sup = spawn_supervisor(sys(), f, {});
  auto h = request<caf::actor>(sup, start_child_atom::value, std::string{"d1"},
                               caf::make_message(std::string{"d1"}));
  BOOST_REQUIRE(h);
  BOOST_CHECK(*h == child("d1"));
  auto dup = request<caf::actor>(sup, start_child_atom::value, std::string{"d1"},
                                 caf::make_message(std::string{"d1"}));
  BOOST_CHECK(!dup);
  BOOST_CHECK(is(last_error, errc::invalid_argument));
  caf::anon_send(child("d1"), crash_atom::value);
  run();
  BOOST_CHECK_EQUAL(count(log, "start:d1"), 2u);
  caf::anon_send(sup, stop_child_atom::value, std::string{"d1"});
  run();
  BOOST_CHECK_EQUAL(count(log, "stop:d1"), 1u);
  BOOST_CHECK(describe(sup).children.empty());
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}
