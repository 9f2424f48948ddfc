// A cluster across network namespaces, so that the workers are real hosts
// to the coordinator: each worker runs in its own namespace, reached over a
// veth pair on a private subnet (10.213.N.0/24), and the nodes speak mutual
// TLS because the addresses are not loopback. Then the link to one worker
// is cut (a partition: no TCP reset, only silence) and it must be declared
// down within the default bound (3 s); its with-items calls run on the other
// worker; when the link is back, it rejoins by itself.
//
// Needs root (CAP_NET_ADMIN) and `ip`; where namespaces cannot be made the
// test case is reported as skipped.
#define BOOST_TEST_MODULE cluster_netns_test
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include "tests/support/cluster.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/runs.hpp"

using namespace std::chrono_literals;
using namespace troupe::testing;
using troupe::json;

namespace {

int ip(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/sbin/ip");
  child_process p(args, "");
  return p.wait_exit(10s).value_or(-1);
}

// Namespaces troupe-w<N>-<pid>, each linked to the root namespace by a veth
// pair: 10.213.N.1 (root side) — 10.213.N.2 (worker side). Removed on exit.
struct namespaces {
  std::string tag = std::to_string(::getpid() % 100000);
  std::vector<std::string> made;
  bool ok = true;

  std::string ns(int n) const { return "troupe-w" + std::to_string(n) + "-" + tag; }
  std::string host_if(int n) const { return "trh" + std::to_string(n) + "-" + tag; }
  std::string coordinator_ip(int n) const { return "10.213." + std::to_string(n) + ".1"; }

  explicit namespaces(int count) {
    for (int n = 1; n <= count && ok; ++n) {
      auto peer = "trp" + std::to_string(n) + "-" + tag;
      ok = ip({"netns", "add", ns(n)}) == 0;
      if (!ok) break;
      made.push_back(ns(n));
      ok = ip({"link", "add", host_if(n), "type", "veth", "peer", "name", peer}) == 0 &&
           ip({"link", "set", peer, "netns", ns(n)}) == 0 &&
           ip({"addr", "add", coordinator_ip(n) + "/24", "dev", host_if(n)}) == 0 &&
           ip({"link", "set", host_if(n), "up"}) == 0 &&
           ip({"netns", "exec", ns(n), "ip", "addr", "add",
               "10.213." + std::to_string(n) + ".2/24", "dev", peer}) == 0 &&
           ip({"netns", "exec", ns(n), "ip", "link", "set", peer, "up"}) == 0 &&
           ip({"netns", "exec", ns(n), "ip", "link", "set", "lo", "up"}) == 0;
    }
  }
  ~namespaces() {
    for (std::size_t n = 1; n <= made.size(); ++n)
      ip({"link", "del", host_if(static_cast<int>(n))});
    for (auto& m : made) ip({"netns", "del", m});
  }
};

}  // namespace

// Whether this process may make network namespaces (root, CAP_NET_ADMIN).
boost::test_tools::assertion_result namespaces_available(boost::unit_test::test_unit_id) {
  namespaces probe(1);
  boost::test_tools::assertion_result r(probe.ok);
  if (!probe.ok)
    r.message() << "network namespaces cannot be made here (needs root and ip)";
  return r;
}

// Reported as skipped, not passed, where namespaces cannot be made.
BOOST_AUTO_TEST_CASE(a_partitioned_worker_is_declared_down_and_rejoins,
                     *boost::unit_test::precondition(namespaces_available)) {
  namespaces net(2);
  BOOST_REQUIRE(net.ok);
  test_cluster c("cl-netns");
  auto d = c.dir().path();
  make_ca(d, "ca");
  make_leaf(d, "ca", "node");
  auto tls = tls_args(d, "node", "ca");

  // The coordinator listens on every interface (it is reached at 10.213.N.1).
  auto port = free_port();
  auto args = tls;
  args.push_back("--cluster.listen=0.0.0.0:" + std::to_string(port));
  auto coord = c.coordinator(args);
  std::vector<std::unique_ptr<child_process>> workers;
  for (int n = 1; n <= 2; ++n) {
    auto dir = c.dir().file("w" + std::to_string(n));
    ::mkdir(dir.c_str(), 0700);
    std::vector<std::string> argv{
        "/usr/sbin/ip",
        "netns",
        "exec",
        net.ns(n),
        troupe_bin(),
        "node",
        "--node.name=w" + std::to_string(n),
        "--node.role=worker",
        "--node.data-dir=" + dir,
        "--http.listen=127.0.0.1:0",
        "--cluster.join=" + net.coordinator_ip(n) + ":" + std::to_string(port),
        "--cluster.secret-file=" + c.secret_file(),
        "--workflow.action-runners=2"};
    argv.insert(argv.end(), tls.begin(), tls.end());
    workers.push_back(std::make_unique<child_process>(argv, dir));
  }
  for (auto* name : {"w1", "w2"})
    BOOST_REQUIRE_MESSAGE(await_member(coord->http(), name, "up", 15s) >= 0,
                          workers[0]->err());

  auto id = start_run(coord->http(), fan_out(20, "0.3"));
  // Under way: the first items came back, so both workers hold work.
  await_json(
      coord->http(), "/api/v1/runs/" + id,
      [](const json& s) { return s["progress"]["items_done"].as_int() >= 2; }, 10s);

  // Cut w1's link: packets vanish, nothing tells either side.
  BOOST_REQUIRE(ip({"link", "set", net.host_if(1), "down"}) == 0);
  auto detected = await_member(coord->http(), "w1", "down", 15s);
  BOOST_TEST_MESSAGE("partitioned w1 declared down after " << detected << " ms");
  BOOST_TEST(detected >= 0);

  auto done = await_final(coord->http(), id);
  BOOST_REQUIRE_MESSAGE(done["state"] == json("succeeded"), done.dump());
  auto lines = ran(done);
  BOOST_REQUIRE_EQUAL(lines.size(), 20u);
  for (int i = 0; i < 20; ++i) BOOST_TEST(lines[i].second == i + 1);

  // The link comes back: w1 rejoins without any manual step.
  BOOST_REQUIRE(ip({"link", "set", net.host_if(1), "up"}) == 0);
  BOOST_TEST(await_member(coord->http(), "w1", "up", 20s) >= 0);
}
