// A node serving its API over HTTPS with scoped tokens, checked with curl
// and promtool: /metrics fetched over HTTPS with a read token passes
// promtool; a renewed certificate is picked up on SIGHUP for new
// connections while a long poll opened before it stays open and is
// answered; a bad TLS file stops the node with exit 2 naming it.
#define BOOST_TEST_MODULE node_https_test
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/base/json/json.hpp"
#include "tests/support/cluster.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace troupe::testing;
using troupe::json;

namespace {

const std::string read_token = "read-token-0123456789";
const std::string operate_token = "operate-token-0123456789";

struct https_node {
  temp_dir dir{"node-https"};
  std::unique_ptr<child_process> node;
  std::string address;  // host:port

  https_node() {
    make_ca(dir.path(), "ca");
    make_leaf(dir.path(), "ca", "server");
    make_ca(dir.path(), "other");
    make_leaf(dir.path(), "other", "renewed");
    std::filesystem::copy_file(dir.file("server.crt"), dir.file("api.crt"));
    std::filesystem::copy_file(dir.file("server.key"), dir.file("api.key"));
    std::ofstream(dir.file("tokens"))
        << "prom read " << read_token << "\nci operate " << operate_token << "\n";
    node = std::make_unique<child_process>(
        std::vector<std::string>{
            troupe_bin(), "node", "--node.data-dir=" + dir.file("data"),
            "--http.listen=127.0.0.1:0", "--http.token-file=" + dir.file("tokens"),
            "--http.tls-certificate=" + dir.file("api.crt"),
            "--http.tls-key=" + dir.file("api.key")},
        dir.path());
    auto at = node->await_log("listening on https://", 30s);
    BOOST_REQUIRE_MESSAGE(at.has_value(), node->err());
    address = *at;
  }

  // curl -sS over HTTPS trusting CA `ca`, with `token` (empty: none).
  finished_run curl(const std::string& ca, const std::string& token,
                    const std::string& path, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{
        "/usr/bin/curl", "-sS", "--max-time", "60", "--cacert", dir.file(ca + ".crt")};
    if (!token.empty()) {
      argv.push_back("-H");
      argv.push_back("Authorization: Bearer " + token);
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("https://" + address + path);
    return run_to_end(argv, dir.path());
  }

  json get(const std::string& path) {
    auto r = curl("ca", read_token, path);
    BOOST_REQUIRE_MESSAGE(r.rc == 0, r.err);
    auto parsed = json::parse(r.out);
    BOOST_REQUIRE_MESSAGE(parsed, r.out);
    return *parsed;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(promtool_checks_metrics_fetched_over_https_with_a_read_token) {
  https_node n;
  BOOST_CHECK_NE(n.curl("ca", "", "/metrics", {"--fail"}).rc, 0);  // 401 without a token
  auto metrics = n.curl("ca", read_token, "/metrics", {"--fail", "-o", "metrics.txt"});
  BOOST_REQUIRE_MESSAGE(metrics.rc == 0, metrics.err);
  auto check =
      run_to_end({"/bin/sh", "-c", "promtool check metrics < metrics.txt"}, n.dir.path());
  BOOST_CHECK_MESSAGE(check.rc == 0, check.out << check.err);
}

BOOST_AUTO_TEST_CASE(sighup_reloads_the_certificate_and_a_long_poll_stays_open) {
  https_node n;
  // A run whose one task waits for a gate file: its status does not change
  // until the test opens the gate.
  auto gate = n.dir.file("gate");
  auto started = n.curl(
      "ca", operate_token, "/api/v1/runs",
      {"--fail", "-H", "Content-Type: application/json", "--data",
       R"({"definition": {"version": 1, "name": "gated", "tasks": {"wait": {"action": "core.shell", "input": {"argv": ["sh", "-c", "while [ ! -e )" +
           gate + R"( ]; do sleep 0.05; done; echo through"]}}}}})"});
  BOOST_REQUIRE_MESSAGE(started.rc == 0, started.err << started.out);
  auto id = std::string((*json::parse(started.out))["id"].as_string());
  json status;
  for (int i = 0; i < 600; ++i) {  // a long poll per step, until the task runs
    status = n.get("/api/v1/runs/" + id);
    if (status["tasks"].size() == 1 && status["tasks"][0]["state"] == json("running"))
      break;
    auto since = std::to_string(status["version"].as_int());
    n.get("/api/v1/runs/" + id + "?since=" + since);
  }
  BOOST_REQUIRE(status["tasks"][0]["state"] == json("running"));
  auto version = std::to_string(status["version"].as_int());

  finished_run polled;
  std::thread long_poll([&] {
    polled = n.curl("ca", read_token, "/api/v1/runs/" + id + "?since=" + version);
  });
  // The long poll waits in its handler (this scrape is the other one).
  double waiting = 0;
  for (int i = 0; i < 600 && waiting < 2; ++i) {
    auto m = n.curl("ca", read_token, "/metrics");
    waiting = metric_sample(m.out, "troupe_http_handlers_inflight ");
    if (waiting < 2) std::this_thread::sleep_for(50ms);
  }
  BOOST_REQUIRE_EQUAL(waiting, 2);
  // Renewed on disk, then SIGHUP.
  std::filesystem::copy_file(n.dir.file("renewed.crt"), n.dir.file("api.crt"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(n.dir.file("renewed.key"), n.dir.file("api.key"),
                             std::filesystem::copy_options::overwrite_existing);
  n.node->signal(SIGHUP);
  BOOST_REQUIRE(n.node->await_log("reloaded the HTTP server's TLS", 30s).has_value());
  BOOST_CHECK_EQUAL(n.curl("other", "", "/healthz", {"--fail"}).rc, 0);  // the new one
  BOOST_CHECK_EQUAL(n.curl("ca", "", "/healthz").rc, 60);                // not the old
  // The long poll, on its connection from before the reload, is answered
  // once the run changes.
  std::ofstream(gate).close();
  long_poll.join();
  BOOST_REQUIRE_MESSAGE(polled.rc == 0, polled.err);
  auto answered = json::parse(polled.out);
  BOOST_REQUIRE_MESSAGE(answered, polled.out);
  BOOST_CHECK_GT((*answered)["version"].as_int(), std::stoll(version));
}

// troupe scale speaks HTTPS with --ca-file and its token from a file: the
// node answers it (no pool "none": 404); with another CA it fails on TLS.
BOOST_AUTO_TEST_CASE(the_cli_speaks_https_with_a_ca_file_and_a_token_file) {
  https_node n;
  std::ofstream(n.dir.file("ci-token")) << operate_token << "\n";
  auto scale = [&](const std::string& ca) {
    return run_to_end(
        {troupe_bin(), "scale", "none", "1", "--server=https://" + n.address,
         "--token-file=" + n.dir.file("ci-token"),
         "--ca-file=" + n.dir.file(ca + ".crt")},
        n.dir.path());
  };
  auto answered = scale("ca");
  BOOST_CHECK_NE(answered.rc, 0);
  BOOST_CHECK_MESSAGE(answered.err.find("HTTP 404") != std::string::npos,
                      answered.out << answered.err);
  auto refused = scale("other");
  BOOST_CHECK_NE(refused.rc, 0);
  BOOST_CHECK_MESSAGE(refused.err.find("tls") != std::string::npos,
                      refused.out << refused.err);
}

BOOST_AUTO_TEST_CASE(a_key_that_does_not_match_stops_the_node_naming_it) {
  temp_dir dir("node-https-bad");
  make_ca(dir.path(), "ca");
  make_leaf(dir.path(), "ca", "server");
  make_leaf(dir.path(), "ca", "other");
  auto r = run_to_end(
      {troupe_bin(), "node", "--node.data-dir=" + dir.file("data"),
       "--http.listen=127.0.0.1:0", "--http.tls-certificate=" + dir.file("server.crt"),
       "--http.tls-key=" + dir.file("other.key")},
      dir.path());
  BOOST_CHECK_EQUAL(r.rc, 2);
  BOOST_CHECK_MESSAGE(
      r.err.find("http.tls-key " + dir.file("other.key")) != std::string::npos &&
          r.err.find("does not match") != std::string::npos,
      r.err);
}
