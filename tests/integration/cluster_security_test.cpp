// Who may join a cluster. Mutual TLS (caf_openssl): a worker whose
// certificate comes from the cluster's CA joins; one signed by another CA,
// and one speaking plain TCP, never get in. The shared-secret challenge: a
// worker with the wrong secret is refused, and a process that reaches the
// coordinator's node actor without joining can neither join with a made-up
// proof nor find the actors that hand out work (not even through CAF's own
// registry lookup).
#define BOOST_TEST_MODULE cluster_security_test
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <fstream>

#include "messages/errors.hpp"
#include "messages/registry.hpp"
#include "runtime/services/cluster/transport.hpp"
#include "tests/support/cluster.hpp"
#include "tests/support/http_json.hpp"

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
  // Several refused handshakes each, then the coordinator still has one member.
  for (auto* refused : {rogue.get(), plain.get()})
    await_json(refused->http(), "/api/v1/cluster", [](const json& view) {
      return view["link"]["failed_attempts"].as_int() >= 3;
    });
  auto view = cluster_view(coord->http());
  BOOST_TEST(view["members"].size() == 1u, view.dump());
  for (auto* refused : {rogue.get(), plain.get()}) {
    BOOST_TEST(link_of(refused->http(), "state") == "connecting");
    // The coordinator never completes a handshake with it: the connection
    // ends during the handshake, or, on a slow machine (ThreadSanitizer), the
    // attempt times out first.
    auto error = link_of(refused->http(), "last_error");
    BOOST_TEST((error.find("handshake") != std::string::npos ||
                error.find("connection_timeout") != std::string::npos),
               error);
  }
}

BOOST_AUTO_TEST_CASE(a_wrong_secret_is_refused) {
  test_cluster c("cl-secret");
  auto coord = c.coordinator();
  std::ofstream(c.dir().file("wrong-secret")) << "not-the-cluster-secret-at-all\n";
  auto intruder =
      c.worker("intruder", {"--cluster.secret-file=" + c.dir().file("wrong-secret")});
  auto member = c.worker("member");
  BOOST_TEST(await_member(coord->http(), "member", "up", 10s) >= 0);
  await_json(intruder->http(), "/api/v1/cluster", [](const json& view) {
    return view["link"]["state"].as_string() == "refused";
  });
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
  auto port = c.port();
  auto node = troupe::connect_node(sys, {"127.0.0.1", port, false}, 10s);
  if (!node) BOOST_FAIL("cannot reach the coordinator: " + sys.render(node.error()));
  caf::scoped_actor self{sys};
  auto refused = [&](caf::error& err) {
    BOOST_TEST(troupe::is(err, troupe::errc::not_a_member), sys.render(err));
  };
  auto lookup = [&](caf::atom_value name) {
    self->request(*node, 10s, troupe::lookup_atom::value, name)
        .receive([&](caf::actor&) { BOOST_FAIL("a non-member got a handle"); }, refused);
  };
  lookup(caf::atom("wfactions"));
  troupe::member_info me{"sneaky", {"runner"}, "", {}, "0"};
  auto join = [&] {
    self->request(*node, 10s, troupe::join_atom::value, me, std::string(64, 'a'),
                  std::string(64, 'b'))
        .receive(
            [&](std::string&, std::string&) { BOOST_FAIL("a made-up proof was taken"); },
            refused);
  };
  join();  // no challenge asked for
  std::string nonce;
  self->request(*node, 10s, troupe::join_atom::value, me.name)
      .receive([&](std::string& n) { nonce = n; }, [&](caf::error&) {});
  BOOST_TEST(nonce.size() == 64u);
  join();  // a guessed proof
  self->request(*node, 10s, troupe::heartbeat_atom::value, me.name, troupe::member_load{})
      .receive([&](std::int64_t) { BOOST_FAIL("a heartbeat of a non-member was taken"); },
               refused);
  lookup(caf::atom("wfactions"));
  lookup(caf::atom("workflow"));
  // CAF's own registry lookup finds none of troupe's actors either: they are
  // named in troupe's table, which only the node actor's lookup serves.
  for (auto name : {caf::atom("wfactions"), caf::atom("workflow"),
                    caf::atom("fleetpools"), caf::atom("bsched"), caf::atom("bcollect")})
    BOOST_TEST(!sys.middleman().remote_lookup(name, node->node()), caf::to_string(name));
  BOOST_TEST(cluster_view(coord->http())["members"].size() == 0u);
}

BOOST_AUTO_TEST_CASE(
    a_worker_takes_no_work_from_a_coordinator_that_cannot_prove_the_secret) {
  // Something else answers at the coordinator's address and admits anyone.
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  troupe::add_message_types(cfg);
  caf::actor_system sys{cfg};
  auto lookups = std::make_shared<std::atomic<int>>(0);
  auto fake = sys.spawn(
      [lookups](troupe::node_actor::pointer) -> troupe::node_actor::behavior_type {
        return {
            [](troupe::describe_atom) { return troupe::node_description{}; },
            [](troupe::echo_atom, troupe::node_description& d) { return d; },
            [](troupe::join_atom, std::string&) { return std::string(64, 'c'); },
            [](troupe::join_atom, troupe::member_info&, std::string&, std::string&) {
              return caf::result<std::string, std::string>("impostor",
                                                           std::string(64, 'd'));
            },
            [](troupe::heartbeat_atom, std::string&, troupe::member_load) {
              return std::int64_t{0};
            },
            [lookups](troupe::lookup_atom, caf::atom_value) -> caf::result<caf::actor> {
              ++*lookups;
              return troupe::make_error(troupe::errc::not_found);
            },
            [](troupe::members_atom) { return troupe::cluster_view{}; },
            [](troupe::members_atom, std::uint64_t) { return troupe::cluster_view{}; },
        };
      });
  test_cluster c("cl-impostor");
  auto port = c.port();
  auto published = sys.middleman().publish(fake, port, "127.0.0.1", true);
  BOOST_REQUIRE(published);
  auto worker = c.worker("w1");
  await_json(worker->http(), "/api/v1/cluster", [](const json& view) {
    return view["link"]["state"].as_string() == "refused";
  });
  BOOST_TEST(link_of(worker->http(), "state") == "refused");
  BOOST_TEST(
      link_of(worker->http(), "last_error").find("did not prove the cluster secret") !=
          std::string::npos,
      link_of(worker->http(), "last_error"));
  BOOST_TEST(*lookups == 0);  // it asked for nothing to run
  worker.reset();
  caf::anon_send_exit(fake, caf::exit_reason::user_shutdown);
}
