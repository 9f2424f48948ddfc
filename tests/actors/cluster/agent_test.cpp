// A worker's cluster agent against a coordinator in the same process: the
// coordinator is a second actor system (another CAF node) with the real
// membership actor behind a stand-in of the node actor, published on
// loopback; the agent reaches it through CAF's middleman as on a worker. The
// stand-in logs every request it receives, the stub subsystems log each
// attach, and the tests wait for those events. Covered: the agent joins
// with a proof of the secret, attaches each subsystem once joined with the
// session (whose lookup reaches the coordinator's published actors) and then
// heartbeats with its load; a coordinator that refuses the proof gets no
// attach and the link shows why; a lost coordinator (its node gone, or
// refusing a heartbeat since it forgot this node) is joined again, and only
// the subsystems without live actors attach again; a subsystem whose actors
// all ended while joined is attached again.
#define BOOST_TEST_MODULE agent_test
#include "actors/cluster/agent.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "actors/cluster/membership.hpp"
#include "actors/common/actor_directory.hpp"
#include "messages/node.hpp"
#include "messages/registry.hpp"
#include "runtime/services/cluster/members.hpp"
#include "runtime/services/metrics/metrics.hpp"

using namespace std::chrono_literals;
using namespace troupe;

namespace {

const std::string secret = "the-cluster-secret-of-this-test";

// What the stand-ins saw, in order, from any thread.
class event_log {
 public:
  void push(std::string event) {
    std::lock_guard<std::mutex> guard{mu_};
    events_.push_back(std::move(event));
    cv_.notify_all();
  }

  // Takes events until `event`; returns the ones taken before it. Fails the
  // test if it does not come within a minute (a bound for a broken agent,
  // not a measurement: each step takes milliseconds, a refused join's retry
  // 5 s).
  std::vector<std::string> await(const std::string& event) {
    auto give_up = std::chrono::steady_clock::now() + 60s;
    std::vector<std::string> before;
    std::unique_lock<std::mutex> lock{mu_};
    for (;;) {
      if (!cv_.wait_until(lock, give_up, [&] { return !events_.empty(); })) {
        std::string seen;  // the last few
        for (auto i = before.size() > 20 ? before.size() - 20 : 0; i < before.size(); ++i)
          seen += " [" + before[i] + "]";
        BOOST_FAIL("no '" + event + "'; saw" + seen);
      }
      auto next = std::move(events_.front());
      events_.pop_front();
      if (next == event) return before;
      before.push_back(std::move(next));
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> events_;
};

std::size_t occurrences(const std::vector<std::string>& events, const std::string& e) {
  return std::size_t(std::count(events.begin(), events.end(), e));
}

void load_middleman(caf::actor_system_config& cfg) {
  cfg.load<caf::io::middleman>();
  add_message_types(cfg);
}

// The coordinator's node actor as the agent sees it, handing the cluster's
// requests to the membership actor with the agent as their sender (as the
// real node actor does), after logging them. A caf::actor from this node
// replaces the membership actor: a coordinator that forgot its members.
caf::behavior node_stand_in(caf::event_based_actor* self, caf::actor first,
                            std::shared_ptr<event_log> log) {
  auto membership = std::make_shared<caf::actor>(std::move(first));
  return {
      [=](join_atom a, std::string& name) {
        log->push("challenge " + name);
        return self->delegate(*membership, a, std::move(name));
      },
      [=](join_atom a, member_info& info, std::string& proof, std::string& nonce) {
        log->push("proof " + info.name);
        return self->delegate(*membership, a, std::move(info), std::move(proof),
                              std::move(nonce));
      },
      [=](heartbeat_atom a, std::string& name, member_load load) {
        log->push("heartbeat " + name + " in_flight=" + std::to_string(load.in_flight));
        return self->delegate(*membership, a, std::move(name), load);
      },
      [=](lookup_atom a, caf::atom_value name) {
        return self->delegate(*membership, a, name);
      },
      [=](members_atom a) { return self->delegate(*membership, a); },
      [=](caf::actor& replacement) {
        if (!from_this_node(self->current_sender(), self->node())) return;
        caf::anon_send_exit(*membership, caf::exit_reason::user_shutdown);
        *membership = std::move(replacement);
      },
  };
}

// A coordinator node named "coord" on 127.0.0.1:`port` (0: any free port),
// with an actor published for members' lookups as "target".
class coordinator {
 public:
  coordinator(std::shared_ptr<event_log> log, std::uint16_t port = 0) {
    load_middleman(cfg_);
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    node_ = sys_->spawn(node_stand_in, spawn_members(), std::move(log));
    target_ = sys_->spawn([]() -> caf::behavior { return {[](int) {}}; });
    actors_.push_back(node_);
    actors_.push_back(target_);
    actor_directory::of(*sys_).put(actor_key<caf::actor>{"target"}, target_,
                                   reach::cluster);
    auto bound = publish_node(*sys_, {"127.0.0.1", port, false},
                              caf::actor_cast<node_actor>(node_));
    if (!bound) {
      stop();
      BOOST_FAIL(bound.error().message());
    }
    port_ = *bound;
  }

  ~coordinator() { stop(); }

  std::uint16_t port() const { return port_; }
  const cluster_members& members() const { return members_; }

  // A fresh membership actor replaces the one that admitted the worker.
  void forget_members() {
    caf::scoped_actor self{*sys_};
    self->send(node_, spawn_members());
  }

  cluster_view view() {
    caf::scoped_actor self{*sys_};
    cluster_view out;
    self->request(node_, 10s, members_atom::value)
        .receive([&](cluster_view& v) { out = std::move(v); },
                 [&](caf::error& e) { BOOST_FAIL(sys_->render(e)); });
    return out;
  }

 private:
  caf::actor spawn_members() {
    membership_options o;
    o.coordinator = "coord";
    o.secret = secret;
    o.down_after = 60s;
    o.members = &members_;
    o.metrics = &metrics_;
    actors_.push_back(spawn_membership(*sys_, o));
    return actors_.back();
  }

  // The node goes away: its actors end and its connections close.
  void stop() {
    for (auto& a : actors_) caf::anon_send_exit(a, caf::exit_reason::kill);
    actors_.clear();
    node_ = target_ = nullptr;
    sys_.reset();
  }

  metrics_registry metrics_;
  cluster_members members_;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::actor node_, target_;
  std::vector<caf::actor> actors_;  // all of this node's, ended with it
  std::uint16_t port_ = 0;
};

// The worker: its own actor system and the agent under test, with two stub
// subsystems. Subsystem 0 attaches no actors (so it attaches at every join)
// and logs the session it got; subsystem 1 attaches one actor that stays
// alive until the test ends it.
struct fixture {
  std::shared_ptr<event_log> log = std::make_shared<event_log>();
  std::unique_ptr<coordinator> coord = std::make_unique<coordinator>(log);
  metrics_registry metrics;
  link_monitor link;
  std::shared_ptr<cluster_work> work = std::make_shared<cluster_work>();
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  // Subsystem 1's actors, newest last.
  std::shared_ptr<std::vector<caf::actor>> parts =
      std::make_shared<std::vector<caf::actor>>();
  std::shared_ptr<std::mutex> parts_mu = std::make_shared<std::mutex>();
  caf::actor agent;

  fixture() {
    load_middleman(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
  }

  ~fixture() {
    if (agent) {
      caf::scoped_actor self{*sys};
      self->send_exit(agent, caf::exit_reason::user_shutdown);  // ends its parts too
      self->wait_for(agent);
    }
    agent = nullptr;
    parts->clear();
    sys.reset();
    coord.reset();
  }

  void start_agent(const std::string& agent_secret = secret) {
    agent_options o;
    o.coordinator = {"127.0.0.1", coord->port(), false};
    o.self = {"w1", {"runner"}, "", {}, "test"};
    o.secret = agent_secret;
    o.heartbeat_interval = 50ms;
    o.work = work;
    o.lookups = {"target", "nothing"};
    o.status = &link;
    o.metrics = &metrics;
    auto log = this->log;
    auto work = this->work;
    o.subsystems.push_back([log, work](const cluster_session& s) {
      log->push("attach 0 coordinator=" + s.coordinator + " self=" + s.self.name +
                " work=" + (s.work == work ? "shared" : "other") +
                " target=" + (s.lookup(caf::atom("target")) ? "found" : "absent") +
                " nothing=" + (s.lookup(caf::atom("nothing")) ? "found" : "absent"));
      return std::vector<caf::actor>{};
    });
    auto& worker = *sys;
    auto parts = this->parts;
    auto parts_mu = this->parts_mu;
    o.subsystems.push_back([log, &worker, parts, parts_mu](const cluster_session&) {
      auto part = worker.spawn([]() -> caf::behavior { return {[](int) {}}; });
      {
        std::lock_guard<std::mutex> guard{*parts_mu};
        parts->push_back(part);
      }
      log->push("attach 1");
      return std::vector<caf::actor>{part};
    });
    agent = caf::actor_cast<caf::actor>(spawn_agent(*sys, std::move(o)));
  }

  static std::string attach_0() {
    return "attach 0 coordinator=coord self=w1 work=shared target=found nothing=absent";
  }

  caf::actor newest_part() {
    std::lock_guard<std::mutex> guard{*parts_mu};
    return parts->empty() ? caf::actor{} : parts->back();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(it_joins_with_a_proof_of_the_secret_then_heartbeats_its_load,
                        fixture) {
  work->started();  // one job in hand
  start_agent();
  BOOST_CHECK(log->await("challenge w1").empty());
  BOOST_CHECK(log->await("proof w1").empty());
  log->await("heartbeat w1 in_flight=1");
  BOOST_CHECK(log->await("heartbeat w1 in_flight=1").empty());  // and again
  // The coordinator admitted this node (the proof is bound to it) and has
  // its load.
  BOOST_CHECK(coord->members().contains(sys->node()));
  auto view = coord->view();
  BOOST_REQUIRE_EQUAL(view.members.size(), 1u);
  BOOST_CHECK_EQUAL(view.members[0].state, "up");
  BOOST_CHECK_EQUAL(view.members[0].info.roles.at(0), "runner");
  BOOST_CHECK_EQUAL(view.members[0].load.in_flight, 1u);
  auto status = link.get();
  BOOST_CHECK_EQUAL(status.state, "joined");
  BOOST_CHECK_EQUAL(status.coordinator, "coord");
  BOOST_CHECK_EQUAL(status.sessions, 1u);
  BOOST_CHECK_EQUAL(status.last_error, "");
}

BOOST_FIXTURE_TEST_CASE(it_attaches_each_subsystem_once_joined_with_the_session,
                        fixture) {
  start_agent();
  auto before = log->await(attach_0());
  // Only after the join's proof was answered.
  BOOST_CHECK((before == std::vector<std::string>{"challenge w1", "proof w1"}));
  BOOST_CHECK(log->await("attach 1").empty());
  // Heartbeats start once the subsystems are attached, and attach nothing.
  BOOST_CHECK(log->await("heartbeat w1 in_flight=0").empty());
  BOOST_CHECK(log->await("heartbeat w1 in_flight=0").empty());
  BOOST_CHECK(newest_part());
}

BOOST_FIXTURE_TEST_CASE(a_refused_proof_attaches_nothing_and_the_link_says_why, fixture) {
  start_agent("not-the-cluster-secret");
  log->await("challenge w1");
  log->await("proof w1");
  // The agent tries again later (refused: at its longest backoff); by then
  // it has handled the refusal.
  BOOST_CHECK(log->await("challenge w1").empty());  // no heartbeat between
  BOOST_CHECK(!coord->members().contains(sys->node()));
  BOOST_CHECK(!newest_part());
  auto status = link.get();
  BOOST_CHECK_EQUAL(status.state, "refused");
  BOOST_CHECK_MESSAGE(
      status.last_error.find("the coordinator refused this node") != std::string::npos &&
          status.last_error.find("wrong") != std::string::npos,
      status.last_error);
  BOOST_CHECK_EQUAL(status.sessions, 0u);
  BOOST_CHECK_GE(status.failed_attempts, 1u);
}

BOOST_FIXTURE_TEST_CASE(a_lost_coordinator_is_joined_again_and_attached_again, fixture) {
  start_agent();
  log->await(attach_0());
  log->await("attach 1");
  log->await("heartbeat w1 in_flight=0");
  auto part = newest_part();
  // The coordinator's node goes away and comes back at the same address.
  auto port = coord->port();
  coord.reset();
  coord = std::make_unique<coordinator>(log, port);
  auto before = log->await(attach_0());
  BOOST_CHECK_EQUAL(occurrences(before, "challenge w1"), 1u);
  BOOST_CHECK_EQUAL(occurrences(before, "proof w1"), 1u);
  // Subsystem 1's actor lives on through the loss: it is not attached again.
  auto after = log->await("heartbeat w1 in_flight=0");
  BOOST_CHECK_EQUAL(occurrences(after, "attach 1"), 0u);
  BOOST_CHECK(newest_part() == part);
  BOOST_CHECK(coord->members().contains(sys->node()));
  auto status = link.get();
  BOOST_CHECK_EQUAL(status.state, "joined");
  BOOST_CHECK_EQUAL(status.sessions, 2u);
}

BOOST_FIXTURE_TEST_CASE(a_heartbeat_refused_by_a_coordinator_that_forgot_it_rejoins,
                        fixture) {
  start_agent();
  log->await(attach_0());
  log->await("heartbeat w1 in_flight=0");
  coord->forget_members();
  // The next heartbeat is refused (not_a_member): the agent joins again.
  auto before = log->await("challenge w1");
  BOOST_CHECK_GE(occurrences(before, "heartbeat w1 in_flight=0"), 1u);
  log->await("proof w1");
  BOOST_CHECK(log->await(attach_0()).empty());
  // Subsystem 1's actor lives on: it is not attached again.
  BOOST_CHECK(log->await("heartbeat w1 in_flight=0").empty());
  BOOST_CHECK_EQUAL(link.get().sessions, 2u);
  BOOST_CHECK_EQUAL(coord->view().members.at(0).state, "up");
}

BOOST_FIXTURE_TEST_CASE(a_subsystem_whose_actors_ended_is_attached_again, fixture) {
  start_agent();
  log->await("attach 1");
  auto part = newest_part();
  caf::anon_send_exit(part, caf::exit_reason::kill);
  log->await("attach 1");
  BOOST_CHECK(newest_part() != part);
  BOOST_CHECK_EQUAL(link.get().sessions, 1u);  // the same session
}
