// Two troupe processes on loopback: a node publishes its node actor through
// CAF's middleman; `troupe probe` reaches it with remote_actor and exchanges
// typed requests carrying node_description (strings, a vector of nested
// supervisor reports) both ways: describe, then echo of the whole struct.
#define BOOST_TEST_MODULE probe_test
#include <boost/test/unit_test.hpp>

#include "tests/support/process.hpp"

using namespace troupe::testing;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(remote_typed_request_response_between_two_processes) {
  node_process node({"--node.name=published", "--cluster.listen=127.0.0.1:0"});
  auto port = node.proc().await_log("node actor published on port ", 30s);
  BOOST_REQUIRE(port);
  child_process probe({troupe_bin(), "probe", "--node=127.0.0.1:" + *port}, "");
  auto rc = probe.wait_exit(60s);
  BOOST_TEST_MESSAGE("probe stderr: " << probe.err());
  BOOST_REQUIRE(rc);
  BOOST_CHECK_EQUAL(*rc, 0);
  auto out = probe.out();
  BOOST_CHECK(out.find("\"name\": \"published\"") != std::string::npos);
  BOOST_CHECK(out.find("\"strategy\": \"one_for_one\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(probe_of_an_absent_node_fails_cleanly) {
  child_process probe({troupe_bin(), "probe", "--node=127.0.0.1:1"}, "");
  BOOST_CHECK_EQUAL(probe.wait_exit(60s).value_or(-1), 1);
  BOOST_CHECK(probe.err().find("cannot reach 127.0.0.1:1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(non_loopback_publication_needs_allow_insecure) {
  child_process node(
      {troupe_bin(), "node", "--http.listen=127.0.0.1:0", "--cluster.listen=0.0.0.0:0",
       "--node.data-dir=/tmp/troupe-probe-refused"},
      "");
  BOOST_CHECK_EQUAL(node.wait_exit(60s).value_or(-1), 2);
  BOOST_CHECK(node.err().find("cluster.allow-insecure") != std::string::npos);
}
