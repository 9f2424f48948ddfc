// The kubernetes provider against a real troupe-kube-sim process on loopback.
#define BOOST_TEST_MODULE kube_provider
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <future>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "actors/fleet/provider_kubernetes.hpp"
#include "runtime/services/http/client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace troupe {
// For Boost.Test's messages.
std::ostream& operator<<(std::ostream& os, transport_error e) {
  return os << to_string(e);
}
}  // namespace troupe

namespace {

using namespace std::chrono_literals;
using namespace troupe::fleet;
using troupe::json;
using troupe::testing::child_process;

const std::string collection =
    "/apis/actions.github.com/v1alpha1/namespaces/ci/ephemeralrunners";

std::string sim_path() {
  const char* dir = std::getenv("TROUPE_BUILD_DIR");
  return std::string(dir != nullptr ? dir : ".") + "/troupe-kube-sim";
}

// A troupe-kube-sim process; `address` is its "127.0.0.1:PORT".
struct sim {
  explicit sim(std::vector<std::string> flags = {}) : dir("kube-sim") {
    std::vector<std::string> argv{sim_path(), "--listen=127.0.0.1:0"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    proc.emplace(argv, dir.path());
    auto listening = proc->await_log("listening on http://", 30s);
    BOOST_REQUIRE_MESSAGE(listening, "troupe-kube-sim did not start: " + proc->err());
    address = *listening;
  }
  json counts() {
    auto reply = troupe::testing::http_once(address, "GET", "/debug/counts");
    auto parsed = json::parse(reply.body);
    BOOST_REQUIRE(parsed);
    return *parsed;
  }
  std::int64_t count(const char* key) { return counts()[key].as_int(); }

  troupe::testing::temp_dir dir;
  std::optional<child_process> proc;
  std::string address;
};

kubernetes_config config_for(const sim& s) {
  kubernetes_config c;
  c.api_server = "http://" + s.address;
  c.resource_path = collection;
  c.api_version = "actions.github.com/v1alpha1";
  c.kind = "EphemeralRunner";
  c.request_timeout = 5000ms;
  c.object_template = *json::parse(R"({"githubConfigUrl":"https://github.com/o/r"})");
  return c;
}

std::shared_ptr<kubernetes_provider> provider_for(kubernetes_config c) {
  auto made = kubernetes_provider::make(std::move(c));
  BOOST_REQUIRE_MESSAGE(made, made.error().message());
  return *made;
}

runner_spec spec(std::uint32_t slot, const std::string& pool = "linux",
                 std::string owner = "n1") {
  runner_spec s;
  s.pool = pool;
  s.slot = slot;
  s.generation = 1;
  s.name = runner_name(pool, slot, 1);
  s.labels = {"self-hosted", "linux"};
  s.owner = std::move(owner);
  return s;
}

call_report create(runner_provider& p, const runner_spec& s) {
  std::promise<call_report> done;
  p.create(s, [&](call_report r) { done.set_value(std::move(r)); });
  auto f = done.get_future();
  BOOST_REQUIRE(f.wait_for(60s) == std::future_status::ready);
  return f.get();
}

call_report remove(runner_provider& p, const std::string& name) {
  std::promise<call_report> done;
  p.remove("linux", name, [&](call_report r) { done.set_value(std::move(r)); });
  auto f = done.get_future();
  BOOST_REQUIRE(f.wait_for(60s) == std::future_status::ready);
  return f.get();
}

std::vector<runner_object> list(runner_provider& p, const std::string& pool = "linux",
                                const std::string& owner = "n1") {
  std::promise<std::vector<runner_object>> done;
  p.list(pool, owner, [&](bool ok, std::vector<runner_object> objects, call_report r) {
    BOOST_TEST(ok, "list failed: " << r.http_status << " " << r.status_message);
    done.set_value(std::move(objects));
  });
  auto f = done.get_future();
  BOOST_REQUIRE(f.wait_for(60s) == std::future_status::ready);
  return f.get();
}

}  // namespace

BOOST_AUTO_TEST_CASE(object_shape) {
  kubernetes_config c;
  c.api_server = "http://127.0.0.1:1";
  c.resource_path = collection;
  c.api_version = "actions.github.com/v1alpha1";
  c.kind = "EphemeralRunner";
  c.object_template = *json::parse(R"({"githubConfigUrl":"https://github.com/o/r"})");
  auto p = provider_for(c);
  json o = p->object_for(spec(7));
  BOOST_TEST(o["apiVersion"] == json("actions.github.com/v1alpha1"));
  BOOST_TEST(o["kind"] == json("EphemeralRunner"));
  BOOST_TEST(o["metadata"]["name"] == json("linux-7-1"));
  BOOST_TEST(o["metadata"]["labels"]["troupe.dev/pool"] == json("linux"));
  BOOST_TEST(o["metadata"]["labels"]["troupe.dev/owner"] == json("n1"));
  BOOST_TEST(o["metadata"]["labels"]["troupe.dev/slot"] == json("7"));
  BOOST_TEST(o["metadata"]["labels"]["troupe.dev/generation"] == json("1"));
  BOOST_TEST(o["metadata"]["annotations"]["troupe.dev/labels"] ==
             json("self-hosted,linux"));
  BOOST_TEST(o["spec"]["githubConfigUrl"] == json("https://github.com/o/r"));
}

BOOST_AUTO_TEST_CASE(make_checks_the_config) {
  kubernetes_config c;
  c.api_server = "127.0.0.1:80";
  c.resource_path = collection;
  BOOST_TEST(!kubernetes_provider::make(c));
  c.api_server = "http://127.0.0.1:80/api";
  BOOST_TEST(!kubernetes_provider::make(c));
  c.api_server = "http://127.0.0.1:80";
  c.resource_path = "pods";
  BOOST_TEST(!kubernetes_provider::make(c));
  c.resource_path = collection;
  c.token_file = "/nonexistent/token";
  auto missing = kubernetes_provider::make(c);
  BOOST_REQUIRE(!missing);
  BOOST_TEST(missing.error().message().find("/nonexistent/token") != std::string::npos);
  c.token_file.clear();
  c.object_template = json("spec");
  BOOST_TEST(!kubernetes_provider::make(c));
  c.object_template = json();
  BOOST_TEST(kubernetes_provider::make(c).is_ok());
}

BOOST_AUTO_TEST_CASE(parses_lists_and_busy_runners) {
  auto page = parse_runner_list(R"({"kind":"EphemeralRunnerList","items":[
    {"metadata":{"name":"a","labels":{"troupe.dev/pool":"p"}}},
    {"metadata":{"name":"b","annotations":{"troupe.dev/busy":"true"}}},
    {"metadata":{"name":"c"},"status":{"phase":"Running","jobRequestId":42}},
    {"metadata":{"name":"d"},"status":{"phase":"Running"}}]})");
  BOOST_REQUIRE(page);
  auto& objects = page->objects;
  BOOST_REQUIRE(objects.size() == 4u);
  BOOST_TEST(objects[0].labels.at("troupe.dev/pool") == "p");
  BOOST_TEST(!objects[0].busy);
  BOOST_TEST(objects[1].busy);
  BOOST_TEST(objects[2].busy);
  BOOST_TEST(!objects[3].busy);
  BOOST_TEST(page->next.empty());
  auto bad = parse_runner_list(R"({"items":[{"metadata":{}}]})");
  BOOST_REQUIRE(!bad);
  BOOST_TEST(bad.error().message().find("$.items[0].metadata.name") != std::string::npos);
  BOOST_TEST(!parse_runner_list("{}"));
  auto more = parse_runner_list(R"({"metadata":{"continue":"t1"},"items":[]})");
  BOOST_REQUIRE(more);
  BOOST_TEST(more->next == "t1");
  auto wrong = parse_runner_list(R"({"metadata":{"continue":7},"items":[]})");
  BOOST_REQUIRE(!wrong);
  BOOST_TEST(wrong.error().message().find("$.metadata.continue") != std::string::npos);
}

// A pool larger than a page is listed in pages (limit and continue, as the
// API server chunks lists): every object once, none missed at the seams.
BOOST_AUTO_TEST_CASE(large_pools_are_listed_in_pages) {
  sim s;
  auto p = provider_for(config_for(s));
  const std::uint32_t n = 2 * list_page_size + 7;
  for (std::uint32_t slot = 0; slot < n; ++slot)
    BOOST_REQUIRE(create(*p, spec(slot)).http_status == 201);
  BOOST_REQUIRE(create(*p, spec(0, "other")).http_status == 201);  // not this pool
  auto mine = list(*p);
  BOOST_TEST(mine.size() == n);
  std::set<std::string> names;
  for (auto& o : mine) names.insert(o.name);
  BOOST_TEST(names.size() == n);
  // The simulator's side of the contract: a page of `limit` and a token.
  auto first = troupe::testing::http_once(
      s.address, "GET",
      std::string(collection) + "?labelSelector=troupe.dev%2Fpool%3Dlinux&limit=" +
          std::to_string(list_page_size));
  BOOST_REQUIRE(first.status == 200);
  auto body = json::parse(first.body);
  BOOST_REQUIRE(body);
  BOOST_TEST((*body)["items"].size() == list_page_size);
  BOOST_TEST((*body)["metadata"]["continue"].is_string());
}

BOOST_AUTO_TEST_CASE(create_conflict_list_delete) {
  sim s;
  auto p = provider_for(config_for(s));
  auto created = create(*p, spec(1));
  BOOST_TEST(created.transport == transport_error::none);
  BOOST_TEST(created.http_status == 201);
  auto again = create(*p, spec(1));
  BOOST_TEST(again.http_status == 409);
  BOOST_TEST(again.status_reason == "AlreadyExists");
  BOOST_TEST(create(*p, spec(2)).http_status == 201);
  BOOST_TEST(create(*p, spec(3, "other")).http_status == 201);
  BOOST_TEST(create(*p, spec(4, "linux", "n2")).http_status == 201);

  auto mine = list(*p);
  BOOST_REQUIRE(mine.size() == 2u);
  BOOST_TEST(mine[0].name == "linux-1-1");
  BOOST_TEST(mine[1].name == "linux-2-1");
  BOOST_TEST(mine[0].labels.at("troupe.dev/slot") == "1");
  BOOST_TEST(!mine[0].busy);
  BOOST_TEST(list(*p, "other").size() == 1u);
  BOOST_TEST(list(*p, "linux", "n2").size() == 1u);

  auto busy = troupe::testing::http_once(s.address, "POST", "/debug/busy/linux-2-1");
  BOOST_TEST(busy.status == 200);
  mine = list(*p);
  BOOST_REQUIRE(mine.size() == 2u);
  BOOST_TEST(mine[1].busy);

  auto removed = remove(*p, "linux-1-1");
  BOOST_TEST(removed.http_status == 200);
  auto gone = remove(*p, "linux-1-1");
  BOOST_TEST(gone.http_status == 404);
  BOOST_TEST(gone.status_reason == "NotFound");
  BOOST_TEST(list(*p).size() == 1u);
  BOOST_TEST(s.count("objects") == 3);
  BOOST_TEST(s.count("duplicates") == 0);
  // Calls shared keep-alive connections.
  BOOST_TEST(p->client().stats().connections_opened == 1u);
}

BOOST_AUTO_TEST_CASE(invalid_names_get_422) {
  sim s;
  auto p = provider_for(config_for(s));
  auto r = create(*p, spec(1, "Linux_X64"));
  BOOST_TEST(r.http_status == 422);
  BOOST_TEST(r.status_reason == "Invalid");
  BOOST_TEST(s.count("objects") == 0);
}

BOOST_AUTO_TEST_CASE(throttling_passes_retry_after_through) {
  sim s({"--rate=0.5", "--burst=1"});
  auto p = provider_for(config_for(s));
  BOOST_TEST(create(*p, spec(1)).http_status == 201);
  auto throttled = create(*p, spec(2));
  BOOST_TEST(throttled.http_status == 429);
  BOOST_TEST(throttled.status_reason == "TooManyRequests");
  BOOST_TEST(!throttled.retry_after.empty());
  const int seconds = std::stoi(throttled.retry_after);
  BOOST_TEST(seconds >= 1);
  BOOST_TEST(seconds <= 2);
  BOOST_REQUIRE(throttled.status_retry_after_seconds);
  BOOST_TEST(*throttled.status_retry_after_seconds == seconds);
  BOOST_TEST(s.count("throttled") == 1);
  BOOST_TEST(s.count("objects") == 1);
}

BOOST_AUTO_TEST_CASE(quota_answers_403) {
  sim s({"--quota=2"});
  auto p = provider_for(config_for(s));
  BOOST_TEST(create(*p, spec(1)).http_status == 201);
  BOOST_TEST(create(*p, spec(2)).http_status == 201);
  auto over = create(*p, spec(3));
  BOOST_TEST(over.http_status == 403);
  BOOST_TEST(over.status_reason == "Forbidden");
  BOOST_TEST(over.status_message.find("exceeded quota") != std::string::npos);
  // A finished runner frees quota.
  BOOST_TEST(
      troupe::testing::http_once(s.address, "POST", "/debug/finish/linux-1-1").status ==
      200);
  BOOST_TEST(create(*p, spec(3)).http_status == 201);
}

BOOST_AUTO_TEST_CASE(server_errors_change_nothing) {
  sim s({"--error-rate=1"});
  auto p = provider_for(config_for(s));
  for (int i = 0; i < 4; ++i) {
    auto r = create(*p, spec(1));
    BOOST_TEST((r.http_status == 500 || r.http_status == 503));
    BOOST_TEST(
        (r.status_reason == "InternalError" || r.status_reason == "ServiceUnavailable"));
  }
  BOOST_TEST(s.count("objects") == 0);
  BOOST_TEST(s.count("server_errors") == 4);
}

BOOST_AUTO_TEST_CASE(slow_success_times_out_but_exists) {
  sim s({"--slow-rate=1", "--slow-ms=3000"});
  auto c = config_for(s);
  c.request_timeout = 500ms;
  auto p = provider_for(c);
  auto r = create(*p, spec(1));
  BOOST_TEST(r.transport == transport_error::timeout);
  BOOST_TEST(r.http_status == 0);
  auto listed = list(*p);
  BOOST_REQUIRE(listed.size() == 1u);
  BOOST_TEST(listed[0].name == "linux-1-1");
  // The retry a creator-worker makes under the same name answers 409.
  BOOST_TEST(create(*p, spec(1)).http_status == 409);
  BOOST_TEST(s.count("conflicts") == 1);
  BOOST_TEST(s.count("objects") == 1);
}

BOOST_AUTO_TEST_CASE(bearer_token_from_a_file) {
  troupe::testing::temp_dir dir("token");
  std::ofstream(dir.file("token")) << "s3cret-token\n";
  sim s({"--token-file=" + dir.file("token")});
  auto without = provider_for(config_for(s));
  auto refused = create(*without, spec(1));
  BOOST_TEST(refused.http_status == 401);
  BOOST_TEST(refused.status_reason == "Unauthorized");
  auto c = config_for(s);
  c.token_file = dir.file("token");
  auto with = provider_for(c);
  BOOST_TEST(create(*with, spec(1)).http_status == 201);
  BOOST_TEST(list(*with).size() == 1u);
  BOOST_TEST(s.count("unauthorized") == 1);
}

BOOST_AUTO_TEST_CASE(connection_refused_is_a_transport_error) {
  sim s;
  const std::string address = s.address;
  s.proc->signal(SIGKILL);
  s.proc->wait_exit(10s);
  kubernetes_config c;
  c.api_server = "http://" + address;
  c.resource_path = collection;
  auto p = provider_for(c);
  auto r = create(*p, spec(1));
  BOOST_TEST(r.transport == transport_error::connection_refused);
  BOOST_TEST(!r.status_message.empty());
  std::promise<bool> listed;
  p->list("linux", "n1", [&](bool ok, std::vector<runner_object>, call_report report) {
    listed.set_value(ok || report.transport != transport_error::connection_refused);
  });
  BOOST_TEST(!listed.get_future().get());
}
