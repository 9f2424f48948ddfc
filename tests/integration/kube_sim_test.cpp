// 2,000 runner creates fired at once through the kubernetes provider at a
// troupe-kube-sim process that admits 200 creates/s, fails 5% of calls with a
// 5xx and answers 1% of creates after the client's timeout. Each create is
// retried under its own name until it answers 201, or 409 (a name only this
// test creates, so ours). The end state must be exact: 2,000 objects, no
// duplicate, each name listed once.
#define BOOST_TEST_MODULE kube_sim
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "actors/fleet/provider_kubernetes.hpp"
#include "runtime/services/http/client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;
using namespace troupe::fleet;
using troupe::json;

constexpr int kRunners = 2000;
const std::string collection = "/api/v1/namespaces/ci/pods";

// Creates runners until each has answered 201 or 409, retrying the others on
// a timer thread: after Retry-After (plus up to a second of jitter, so that
// the throttled do not come back all at once) or a short backoff.
class creator {
 public:
  explicit creator(runner_provider& provider)
      : provider_(provider), work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~creator() {
    work_.reset();
    io_.stop();
    thread_.join();
  }

  void start(runner_spec spec) {
    attempt(std::make_shared<runner_spec>(std::move(spec)));
  }
  bool wait(std::chrono::seconds limit) {
    return finished_.get_future().wait_for(limit) == std::future_status::ready;
  }

  std::atomic<int> created{0}, conflicts{0}, throttled{0}, server_errors{0}, timeouts{0},
      other{0};

 private:
  void attempt(std::shared_ptr<runner_spec> spec) {
    provider_.create(*spec, [this, spec](call_report r) {
      if (r.transport == transport_error::none &&
          (r.http_status == 201 || r.http_status == 409)) {
        ++(r.http_status == 201 ? created : conflicts);
        if (done_.fetch_add(1) + 1 == kRunners) finished_.set_value();
        return;
      }
      std::chrono::milliseconds delay{100};
      if (r.http_status == 429) {
        ++throttled;
        delay = std::chrono::seconds(std::max(1, std::atoi(r.retry_after.c_str()))) +
                jitter();
      } else if (r.http_status >= 500) {
        ++server_errors;
      } else if (r.transport == transport_error::timeout) {
        ++timeouts;
      } else {
        ++other;  // unexpected: fails the test below, but keeps retrying
      }
      auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
      timer->async_wait([this, timer, spec](boost::system::error_code ec) {
        if (!ec) attempt(spec);
      });
    });
  }
  std::chrono::milliseconds jitter() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1000)(rng_));
  }

  runner_provider& provider_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  std::mutex mutex_;
  std::mt19937 rng_{7};
  std::atomic<int> done_{0};
  std::promise<void> finished_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(two_thousand_concurrent_creates_at_200_per_second) {
  const char* build = std::getenv("TROUPE_BUILD_DIR");
  troupe::testing::temp_dir dir("kube-sim");
  troupe::testing::child_process sim(
      {std::string(build != nullptr ? build : ".") + "/troupe-kube-sim",
       "--listen=127.0.0.1:0", "--rate=200", "--burst=200", "--latency-ms=50",
       "--jitter-ms=25", "--error-rate=0.05", "--slow-rate=0.01", "--slow-ms=4000",
       "--seed=3", "--resource-path=" + collection},
      dir.path());
  auto listening = sim.await_log("listening on http://", 30s);
  BOOST_REQUIRE_MESSAGE(listening, "troupe-kube-sim did not start: " + sim.err());
  const std::string address = *listening;

  kubernetes_config config;
  config.api_server = "http://" + address;
  config.resource_path = collection;
  config.request_timeout = 2000ms;
  config.object_template =
      *json::parse(R"({"containers":[{"name":"runner","image":"r"}]})");
  auto made = kubernetes_provider::make(config);
  BOOST_REQUIRE_MESSAGE(made, made.error().message());
  auto provider = *made;

  const auto started = std::chrono::steady_clock::now();
  {
    creator c(*provider);
    for (int slot = 0; slot < kRunners; ++slot) {
      runner_spec spec;
      spec.pool = "linux";
      spec.slot = static_cast<std::uint32_t>(slot);
      spec.generation = 1;
      spec.name = runner_name(spec.pool, spec.slot, spec.generation);
      spec.owner = "node-1";
      spec.labels = {"self-hosted"};
      c.start(std::move(spec));
    }
    BOOST_REQUIRE_MESSAGE(c.wait(300s), "not every create completed");
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    BOOST_TEST_MESSAGE("2000 creates in " << took.count() << " s: created " << c.created
                                          << ", 409 " << c.conflicts << ", 429 "
                                          << c.throttled << ", 5xx " << c.server_errors
                                          << ", timeouts " << c.timeouts);
    BOOST_TEST(c.other.load() == 0);
    BOOST_TEST(c.created.load() + c.conflicts.load() == kRunners);
    BOOST_TEST(c.throttled.load() > 0);  // the limit did bind
  }

  auto counts =
      json::parse(troupe::testing::http_once(address, "GET", "/debug/counts").body);
  BOOST_REQUIRE(counts);
  BOOST_TEST((*counts)["objects"].as_int() == kRunners);
  BOOST_TEST((*counts)["objects_by_pool"]["linux"].as_int() == kRunners);
  BOOST_TEST((*counts)["duplicates"].as_int() == 0);
  BOOST_TEST((*counts)["creates_served"].as_int() == kRunners);
  BOOST_TEST((*counts)["throttled"].as_int() > 0);

  // The sim fails lists too (5%): list until one answers.
  std::vector<runner_object> objects;
  bool listed_ok = false;
  for (int attempt = 0; attempt < 20 && !listed_ok; ++attempt) {
    std::promise<bool> listed;
    provider->list("linux", "node-1",
                   [&](bool ok, std::vector<runner_object> found, call_report) {
                     if (ok) objects = std::move(found);
                     listed.set_value(ok);
                   });
    listed_ok = listed.get_future().get();
  }
  BOOST_REQUIRE(listed_ok);
  std::set<std::string> names;
  for (const auto& o : objects) names.insert(o.name);
  BOOST_TEST(objects.size() == static_cast<std::size_t>(kRunners));
  BOOST_TEST(names.size() == static_cast<std::size_t>(kRunners));
  BOOST_TEST(names.count("linux-0-1") == 1u);
  BOOST_TEST(names.count("linux-1999-1") == 1u);

  // 2,000 calls in flight shared at most max_connections sockets.
  auto stats = provider->client().stats();
  BOOST_TEST(stats.connections_opened <= 1024u);
  BOOST_TEST(stats.connections_reused > 0u);
}
