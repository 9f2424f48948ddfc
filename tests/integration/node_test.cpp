// A real `troupe node` process: health, readiness, metrics (checked by
// promtool), the node API with and without a token, HTTP errors, signals,
// configuration errors through the binary, and the store's node events.
#define BOOST_TEST_MODULE node_test
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <sstream>

#include "runtime/base/json/json.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace troupe::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Runs `troupe <args>` to completion; returns exit code and stderr.
std::pair<int, std::string> run_troupe(std::vector<std::string> args) {
  args.insert(args.begin(), troupe_bin());
  child_process p(args, "");
  auto rc = p.wait_exit(60s);
  return {rc.value_or(-1), p.err()};
}

int promtool_check(const std::string& text) {
  temp_dir dir("prom");
  std::ofstream(dir.file("metrics.txt")) << text;
  child_process p({"/bin/sh", "-c", "promtool check metrics < metrics.txt"}, dir.path());
  auto rc = p.wait_exit(60s).value_or(-1);
  if (rc != 0) BOOST_TEST_MESSAGE("promtool: " << p.out() << p.err());
  return rc;
}

}  // namespace

BOOST_AUTO_TEST_CASE(healthz_readyz_node_api_and_graceful_sigterm) {
  node_process node({"--node.name=itest"});
  auto health = http_once(node.http(), "GET", "/healthz");
  BOOST_CHECK_EQUAL(health.status, 200);
  BOOST_CHECK(contains(health.body, "\"ok\""));
  BOOST_CHECK_EQUAL(http_once(node.http(), "GET", "/readyz").status, 200);
  auto api = http_once(node.http(), "GET", "/api/v1/node");
  BOOST_CHECK_EQUAL(api.status, 200);
  BOOST_CHECK(contains(api.body, "\"name\":\"itest\""));
  BOOST_CHECK(contains(api.body, "\"role\":\"standalone\""));
  BOOST_CHECK(contains(api.body, "\"supervision\":{\"name\":\"root\""));
  node.proc().signal(SIGTERM);
  BOOST_CHECK_EQUAL(node.proc().wait_exit(30s).value_or(-1), 0);
  BOOST_CHECK(contains(node.proc().err(), "shutting down (SIGTERM)"));
  // The store recorded both events durably.
  std::string sql =
      "sqlite3 " + node.data_dir() + "/troupe.db 'select event, detail from node_events'";
  child_process q({"/bin/sh", "-c", sql}, "");
  q.wait_exit(30s);
  BOOST_CHECK(contains(q.out(), "start|"));
  BOOST_CHECK(contains(q.out(), "stop|SIGTERM"));
}

BOOST_AUTO_TEST_CASE(sigint_exits_zero) {
  node_process node;
  node.proc().signal(SIGINT);
  BOOST_CHECK_EQUAL(node.proc().wait_exit(30s).value_or(-1), 0);
}

BOOST_AUTO_TEST_CASE(metrics_pass_promtool) {
  // The standalone config has a fleet pool, so fleet's metrics are there too.
  node_process node({"--config-file=" + source_dir() + "/config/standalone.ini"});
  http_once(node.http(), "GET", "/api/v1/node");
  http_once(node.http(), "GET", "/nope");
  auto metrics = http_once(node.http(), "GET", "/metrics");
  BOOST_REQUIRE_EQUAL(metrics.status, 200);
  BOOST_CHECK(contains(metrics.header("content-type"), "version=0.0.4"));
  BOOST_CHECK(contains(metrics.body, "troupe_node_info{"));
  BOOST_CHECK(contains(metrics.body, "troupe_http_requests_total{"));
  BOOST_CHECK(contains(metrics.body, "troupe_store_transactions_total"));
  BOOST_CHECK(contains(metrics.body, "troupe_fleet_runners{pool=\"demo\""));
  BOOST_CHECK_EQUAL(promtool_check(metrics.body), 0);
}

BOOST_AUTO_TEST_CASE(http_errors_are_json_with_the_right_status) {
  node_process node({"--http.max-body-bytes=1024"});
  http_client c(node.http());
  auto missing = c.get("/api/v1/nothing");
  BOOST_CHECK_EQUAL(missing.status, 404);
  BOOST_CHECK(contains(missing.body, "\"error\""));
  auto wrong = c.request("DELETE", "/api/v1/node");
  BOOST_CHECK_EQUAL(wrong.status, 405);
  BOOST_CHECK_EQUAL(wrong.header("allow"), "GET");
  auto big = http_once(node.http(), "POST", "/api/v1/node", std::string(4096, 'x'));
  BOOST_CHECK_EQUAL(big.status, 413);
  BOOST_CHECK(contains(big.body, "\"detail\""));
}

BOOST_AUTO_TEST_CASE(token_protects_the_api_but_not_health) {
  temp_dir dir("token");
  std::ofstream(dir.file("token")) << "s3cret-token-0123456789\n";
  node_process node({"--http.token-file=" + dir.file("token")});
  BOOST_CHECK_EQUAL(http_once(node.http(), "GET", "/healthz").status, 200);
  auto none = http_once(node.http(), "GET", "/api/v1/node");
  BOOST_CHECK_EQUAL(none.status, 401);
  BOOST_CHECK(contains(none.body, "\"error\""));
  auto bad = http_once(node.http(), "GET", "/api/v1/node", {},
                       {{"Authorization", "Bearer s3cret-token-0123456788"}});
  BOOST_CHECK_EQUAL(bad.status, 401);
  auto good = http_once(node.http(), "GET", "/api/v1/node", {},
                        {{"Authorization", "Bearer s3cret-token-0123456789"}});
  BOOST_CHECK_EQUAL(good.status, 200);
}

// Scoped tokens on a node: a read token scrapes /metrics and reads the API
// but cannot scale (403); an operate token can, and the node logs the write
// with the token's name, never the token. A bad token file stops the node
// at start naming its line.
BOOST_AUTO_TEST_CASE(scoped_tokens_on_a_node) {
  temp_dir dir("scopes");
  std::ofstream(dir.file("tokens")) << "; scraper and CI\n"
                                    << "prom read read-token-0123456789\n"
                                    << "ci operate operate-token-0123456789\n";
  node_process node({"--http.token-file=" + dir.file("tokens")});
  auto as = [](const std::string& token) {
    return std::vector<std::pair<std::string, std::string>>{
        {"Authorization", "Bearer " + token}};
  };
  BOOST_CHECK_EQUAL(http_once(node.http(), "GET", "/metrics").status, 401);
  auto scraped =
      http_once(node.http(), "GET", "/metrics", {}, as("read-token-0123456789"));
  BOOST_CHECK_EQUAL(scraped.status, 200);
  BOOST_CHECK(contains(scraped.body, "troupe_node_info"));
  BOOST_CHECK_EQUAL(
      http_once(node.http(), "GET", "/api/v1/pools", {}, as("read-token-0123456789"))
          .status,
      200);
  auto refused = http_once(node.http(), "POST", "/api/v1/pools/none/scale",
                           R"({"replicas": 1})", as("read-token-0123456789"));
  BOOST_CHECK_EQUAL(refused.status, 403);
  BOOST_CHECK(
      contains(refused.body, "needs the 'operate' scope; token 'prom' has 'read'"));
  auto allowed = http_once(node.http(), "POST", "/api/v1/pools/none/scale",
                           R"({"replicas": 1})", as("operate-token-0123456789"));
  BOOST_CHECK_EQUAL(allowed.status, 404);  // past auth: no pool "none"
  BOOST_CHECK(node.proc()
                  .await_log("POST /api/v1/pools/none/scale by token 'ci'", 10s)
                  .has_value());
  BOOST_CHECK(!contains(node.proc().err(), "operate-token-0123456789"));

  std::ofstream(dir.file("bad")) << "prom read read-token-0123456789\nci write x\n";
  auto [rc, err] = run_troupe({"node", "--node.data-dir=" + dir.file("data"),
                               "--http.token-file=" + dir.file("bad")});
  BOOST_CHECK_EQUAL(rc, 2);
  BOOST_CHECK_MESSAGE(contains(err, dir.file("bad") + ":2: unknown scope 'write'"), err);
}

// Beyond loopback a node needs TLS too; allow-insecure (a TLS-terminating
// proxy in front) lets it serve plain HTTP, with a warning at every start.
BOOST_AUTO_TEST_CASE(non_loopback_listen_needs_tls_or_allow_insecure) {
  temp_dir dir("insecure");
  std::ofstream(dir.file("token")) << "s3cret-token-0123456789\n";
  auto [rc, err] =
      run_troupe({"node", "--node.data-dir=" + dir.file("a"), "--http.listen=0.0.0.0:0",
                  "--http.token-file=" + dir.file("token")});
  BOOST_CHECK_EQUAL(rc, 2);
  BOOST_CHECK_MESSAGE(contains(err, "without TLS"), err);
  node_process node({"--http.listen=0.0.0.0:0", "--http.token-file=" + dir.file("token"),
                     "--http.allow-insecure"});
  BOOST_CHECK(contains(node.proc().err(), "http.allow-insecure=true"));
}

BOOST_AUTO_TEST_CASE(non_loopback_listen_without_token_is_refused) {
  temp_dir dir("refuse");
  auto [rc, err] =
      run_troupe({"node", "--node.data-dir=" + dir.path(), "--http.listen=0.0.0.0:0"});
  BOOST_CHECK_EQUAL(rc, 2);
  BOOST_CHECK(contains(err, "http.listen"));
  BOOST_CHECK(contains(err, "loopback"));
}

BOOST_AUTO_TEST_CASE(bad_configuration_exits_2_naming_the_place) {
  temp_dir dir("badcfg");
  struct bad_case {
    std::string ini;
    std::string expected;
  };
  std::vector<bad_case> cases{
      {"[http]\nlisten=\"127.0.0.1:0\"\nthreds=2\n",
       "bad.ini:3: unknown key 'http.threds'"},
      {"[http]\nthreads=\"two\"\n", "bad.ini:2: key 'http.threads' expects"},
      {"[http]\nthreads=1000\n", "bad.ini:2: key 'http.threads' expects 1..64, got 1000"},
      {"[http]\nlisten==\"x\"\n", "bad.ini:2:9: unexpected character"},
  };
  for (auto& c : cases) {
    std::ofstream(dir.file("bad.ini")) << c.ini;
    auto [rc, err] = run_troupe({"node", "--config-file=" + dir.file("bad.ini")});
    BOOST_CHECK_EQUAL(rc, 2);
    BOOST_CHECK_MESSAGE(contains(err, c.expected),
                        "expected '" << c.expected << "' in: " << err);
    BOOST_CHECK(!contains(err, "listening on"));  // nothing started
  }
  auto [rc, err] = run_troupe({"node", "--config-file=" + dir.file("missing.ini")});
  BOOST_CHECK_EQUAL(rc, 2);
  BOOST_CHECK(contains(err, "missing.ini: cannot read config file"));
}

BOOST_AUTO_TEST_CASE(json_logs_carry_the_node_name_on_every_line) {
  temp_dir dir("jsonlog");
  child_process p({troupe_bin(), "node", "--http.listen=127.0.0.1:0", "--log.format=json",
                   "--node.name=jsonnode", "--node.data-dir=" + dir.path()},
                  "");
  BOOST_REQUIRE(p.await_log("listening on http://", 30s));
  p.signal(SIGTERM);
  BOOST_CHECK_EQUAL(p.wait_exit(30s).value_or(-1), 0);
  std::istringstream lines(p.err());
  int count = 0;
  for (std::string line; std::getline(lines, line);) {
    auto j = troupe::json::parse(line);
    BOOST_REQUIRE_MESSAGE(j, "not JSON: " << line);
    BOOST_CHECK_EQUAL((*j)["node"].as_string(), "jsonnode");
    BOOST_CHECK((*j)["msg"].is_string());
    ++count;
  }
  BOOST_CHECK_GE(count, 3);
}

BOOST_AUTO_TEST_CASE(help_and_dump_config_exit_zero) {
  auto [rc, err] = run_troupe({"node", "--help"});
  BOOST_CHECK_EQUAL(rc, 0);
  child_process dump({troupe_bin(), "node", "--dump-config", "--node.name=dumped"}, "");
  BOOST_CHECK_EQUAL(dump.wait_exit(30s).value_or(-1), 0);
  BOOST_CHECK(contains(dump.out(), "dumped"));
}
