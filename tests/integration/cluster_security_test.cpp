// Who may join a cluster. Mutual TLS (caf_openssl): a worker whose
// certificate comes from the cluster's CA joins; one signed by another CA,
// and one speaking plain TCP, never get in. The shared-secret challenge: a
// worker with the wrong secret is refused, and a process that reaches the
// coordinator's node actor without joining can neither join with a made-up
// proof nor look up the actors that hand out work.
#define BOOST_TEST_MODULE cluster_security_test
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <fstream>
#include <thread>

#include "messages/errors.hpp"
#include "messages/fleet.hpp"
#include "messages/registry.hpp"
#include "runtime/cluster/transport.hpp"
#include "tests/support/cluster.hpp"

using namespace std::chrono_literals;
using namespace troupe::testing;
using troupe::json;

namespace {

std::string link_of(const std::string& http, const std::string& field) {
  return std::string(cluster_view(http)["link"][field].as_string());
}

}  // namespace

BOOST_AUTO_TEST_CASE(tls_admits_only_certificates_of_the_cluster_ca) {
  test_cluster c("cl-tls");
  auto certs = c.dir().path();
  make_ca(certs, "ca");
  make_ca(certs, "other-ca");
  make_leaf(certs, "ca", "coordinator");
  make_leaf(certs, "ca", "good");
  make_leaf(certs, "other-ca", "rogue");
  auto coord = c.coordinator(tls_args(certs, "coordinator", "ca"));
  auto good = c.worker("good", tls_args(certs, "good", "ca"));
  // The rogue trusts the cluster's CA, but its own certificate is unknown to it.
  auto rogue = c.worker("rogue", tls_args(certs, "rogue", "ca"));
  auto plain = c.worker("plain");
  BOOST_TEST(await_member(coord->http(), "good", "up", 10s) >= 0);
  BOOST_TEST(link_of(good->http(), "address").rfind("tls://", 0) == 0u);
  std::this_thread::sleep_for(3s);  // several connection attempts each
  auto view = cluster_view(coord->http());
  BOOST_TEST(view["members"].size() == 1u, view.dump());
  for (auto* refused : {rogue.get(), plain.get()}) {
    BOOST_TEST(link_of(refused->http(), "state") == "connecting");
    BOOST_TEST(link_of(refused->http(), "last_error").find("handshake") != std::string::npos,
               link_of(refused->http(), "last_error"));
  }
}

BOOST_AUTO_TEST_CASE(a_wrong_secret_is_refused) {
  test_cluster c("cl-secret");
  auto coord = c.coordinator();
  std::ofstream(c.dir().file("wrong-secret")) << "not-the-cluster-secret-at-all\n";
  auto intruder = c.worker("intruder", {"--cluster.secret-file=" + c.dir().file("wrong-secret")});
  auto member = c.worker("member");
  BOOST_TEST(await_member(coord->http(), "member", "up", 10s) >= 0);
  for (int i = 0; i < 250 && link_of(intruder->http(), "state") != "refused"; ++i)
    std::this_thread::sleep_for(20ms);
  BOOST_TEST(link_of(intruder->http(), "state") == "refused");
  BOOST_TEST(link_of(intruder->http(), "last_error").find("wrong") != std::string::npos,
             link_of(intruder->http(), "last_error"));
  BOOST_TEST(member_state(cluster_view(coord->http()), "intruder") == "");
}

BOOST_AUTO_TEST_CASE(a_node_that_did_not_join_gets_no_handles) {
  test_cluster c("cl-nonmember");
  auto coord = c.coordinator();
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  troupe::add_message_types(cfg);
  caf::actor_system sys{cfg};
  auto port = static_cast<std::uint16_t>(std::stoi(c.join_address().substr(10)));
  auto node = troupe::connect_node(sys, {"127.0.0.1", port, false}, 10s);
  if (!node) BOOST_FAIL("cannot reach the coordinator: " + sys.render(node.error()));
  caf::scoped_actor self{sys};
  auto expect_refused = [&](auto reply, auto... request) {
    self->request(*node, 10s, request...)
        .receive([&](decltype(reply)&) { BOOST_FAIL("a non-member was answered"); },
                 [&](caf::error& err) { BOOST_TEST(troupe::is(err, troupe::errc::not_a_member), sys.render(err)); });
  };
  expect_refused(caf::actor{}, troupe::lookup_atom::value, caf::atom("wfactions"));
  troupe::member_info me{"sneaky", {"runner"}, "", {}, "0"};
  expect_refused(std::string{}, troupe::join_atom::value, me, std::string(64, 'a'));  // no challenge asked for
  std::string nonce;
  self->request(*node, 10s, troupe::join_atom::value, me.name).receive([&](std::string& n) { nonce = n; },
                                                                       [&](caf::error&) {});
  BOOST_TEST(nonce.size() == 64u);
  expect_refused(std::string{}, troupe::join_atom::value, me, std::string(64, 'a'));  // a guessed proof
  expect_refused(std::int64_t{0}, troupe::heartbeat_atom::value, me.name, troupe::member_load{});
  expect_refused(caf::actor{}, troupe::lookup_atom::value, caf::atom("wfactions"));
  // CAF's own registry lookup reaches the actors that hand out work without
  // troupe's door; they refuse a node that is not a member all the same.
  auto pool = caf::actor_cast<caf::actor>(sys.middleman().remote_lookup(caf::atom("wfactions"), node->node()));
  auto pools = caf::actor_cast<caf::actor>(sys.middleman().remote_lookup(caf::atom("fleetpools"), node->node()));
  BOOST_REQUIRE(pool && pools);
  auto refused = [&](auto reply, const caf::actor& dest, auto... request) {
    self->request(dest, 10s, request...)
        .receive([&](decltype(reply)&) { BOOST_FAIL("a non-member was served"); },
                 [&](caf::error& err) { BOOST_TEST(troupe::is(err, troupe::errc::not_a_member), sys.render(err)); });
  };
  self->request(pool, 10s, troupe::ready_atom::value)  // a runner asking for calls
      .receive([&]() { BOOST_FAIL("a non-member runner was accepted"); },
               [&](caf::error& err) { BOOST_TEST(troupe::is(err, troupe::errc::not_a_member), sys.render(err)); });
  refused(std::vector<troupe::pool_placement>{}, pools, troupe::placement_atom::value);  // a creator asking for pools
  BOOST_TEST(cluster_view(coord->http())["members"].size() == 0u);
}
