#define BOOST_TEST_MODULE http_client
#include <dirent.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "runtime/services/http/client.hpp"
#include "runtime/services/http/client_url.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/metrics/metrics.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tls_files.hpp"

namespace troupe {
// For Boost.Test's messages.
std::ostream& operator<<(std::ostream& os, http_transport_error e) {
  return os << to_string(e);
}
}  // namespace troupe

namespace {

using namespace std::chrono_literals;
using troupe::http_client;
using troupe::http_client_options;
using troupe::http_client_request;
using troupe::http_client_response;
using troupe::http_transport_error;

// Answers held responders `delay` after their request arrived, from a thread
// of its own (as an actor would).
class delayed_answers {
 public:
  explicit delayed_answers(std::chrono::milliseconds delay)
      : delay_(delay), thread_([this] { run(); }) {}
  ~delayed_answers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void hold(troupe::http_responder responder) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back({std::chrono::steady_clock::now() + delay_, std::move(responder)});
    }
    cv_.notify_all();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      if (queue_.empty()) {
        cv_.wait(lock);
        continue;
      }
      auto due = queue_.front().first;
      if (std::chrono::steady_clock::now() < due) {
        cv_.wait_until(lock, due);
        continue;
      }
      auto responder = std::move(queue_.front().second);
      queue_.pop_front();
      lock.unlock();
      responder(troupe::json_response("{\"ok\":true}"));
      lock.lock();
    }
  }

  std::chrono::milliseconds delay_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, troupe::http_responder>>
      queue_;
  bool stop_ = false;
  std::thread thread_;
};

// A loopback server with /hello (at once), /slow (delayed answers), /never
// (never answered until the server stops) and /big (a 4 KiB body).
struct test_server {
  explicit test_server(std::chrono::seconds idle = std::chrono::seconds(30))
      : answers(100ms), server(options(idle), &metrics) {
    server.route(
        "GET", "/hello",
        [](const troupe::http_request&, troupe::http_responder r) {
          r(troupe::text_response("hi"));
        },
        troupe::http_access::open);
    server.route(
        "POST", "/echo",
        [](const troupe::http_request& q, troupe::http_responder r) {
          r(troupe::text_response(q.body + "|" + q.header("X-Test").value_or("")));
        },
        troupe::http_access::open);
    server.route(
        "GET", "/slow",
        [this](const troupe::http_request&, troupe::http_responder r) {
          answers.hold(std::move(r));
        },
        troupe::http_access::open);
    server.route(
        "GET", "/never",
        [this](const troupe::http_request&, troupe::http_responder r) {
          std::lock_guard<std::mutex> lock(mutex);
          never.push_back(std::move(r));
          held.notify_all();
        },
        troupe::http_access::open);
    server.route(
        "GET", "/big",
        [](const troupe::http_request&, troupe::http_responder r) {
          r(troupe::text_response(std::string(4096, 'x')));
        },
        troupe::http_access::open);
    auto bound = server.start();
    BOOST_REQUIRE(bound);
    url = "http://" + *bound;
  }
  static troupe::http_options options(std::chrono::seconds idle) {
    troupe::http_options o;
    o.listen = "127.0.0.1:0";
    o.max_inflight = 4096;
    o.idle_timeout = idle;
    return o;
  }

  // Whether `n` requests to /never have arrived (waits up to 30 s).
  bool await_never(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return held.wait_for(lock, 30s, [&] { return never.size() >= n; });
  }

  // Whether the server has closed every connection (its gauge of open
  // connections reads 0), asked until then for up to 30 s.
  bool await_all_closed() {
    auto& open =
        metrics.gauge_metric("troupe_http_connections_open", "Open HTTP connections");
    auto until = std::chrono::steady_clock::now() + 30s;
    while (open.value() != 0 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(10ms);
    return open.value() == 0;
  }

  troupe::metrics_registry metrics;
  delayed_answers answers;
  std::mutex mutex;
  std::condition_variable held;
  std::vector<troupe::http_responder> never;
  troupe::http_server server;
  std::string url;
};

http_client_response call(http_client& client, http_client_request request) {
  std::promise<http_client_response> promise;
  auto future = promise.get_future();
  client.request(std::move(request),
                 [&promise](http_client_response r) { promise.set_value(std::move(r)); });
  BOOST_REQUIRE(future.wait_for(30s) == std::future_status::ready);
  return future.get();
}

http_client_request get(const std::string& url, std::chrono::milliseconds timeout = 10s) {
  http_client_request r;
  r.url = url;
  r.timeout = timeout;
  return r;
}

// Fires `n` GETs at once and waits for all; returns how many got a 200.
int wave(http_client& client, const std::string& url, int n, std::size_t* max_threads) {
  std::atomic<int> ok{0};
  std::atomic<int> left{n};
  std::promise<void> all;
  for (int i = 0; i < n; ++i) {
    client.request(get(url, 30s), [&](http_client_response r) {
      if (r.ok() && r.status == 200) ok.fetch_add(1);
      if (left.fetch_sub(1) == 1) all.set_value();
    });
  }
  if (max_threads != nullptr) {
    // While the calls are in flight, the process runs a handful of threads.
    std::size_t threads = 0;
    if (DIR* dir = opendir("/proc/self/task")) {
      while (readdir(dir) != nullptr) ++threads;
      closedir(dir);
    }
    *max_threads = threads - 2;  // "." and ".."
  }
  BOOST_REQUIRE(all.get_future().wait_for(60s) == std::future_status::ready);
  return ok.load();
}

std::string free_port_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  auto port = acceptor.local_endpoint().port();
  acceptor.close();
  return "http://127.0.0.1:" + std::to_string(port) + "/";
}

// A blocking HTTPS server on one thread, one connection at a time, with a
// self-signed certificate for 127.0.0.1 made by the openssl command.
class tls_server {
 public:
  tls_server()
      : dir_("tls"), context_(boost::asio::ssl::context::tls_server), acceptor_(io_) {
    if (!troupe::testing::make_self_signed_certificate(dir_)) return;
    context_.use_certificate_chain_file(dir_.file("cert.pem"));
    context_.use_private_key_file(dir_.file("key.pem"), boost::asio::ssl::context::pem);
    boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                            0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~tls_server() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    boost::asio::ip::tcp::socket poke(io_);
    boost::system::error_code ec;
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  bool ready() const { return port_ != 0; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string ca_file() const { return dir_.file("cert.pem"); }

 private:
  void serve() {
    namespace http = boost::beast::http;
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) continue;
      boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream(std::move(socket),
                                                                    context_);
      stream.handshake(boost::asio::ssl::stream_base::server, ec);
      if (ec) continue;
      boost::beast::flat_buffer buffer;
      for (;;) {
        http::request<http::string_body> request;
        http::read(stream, buffer, request, ec);
        if (ec) break;
        http::response<http::string_body> response{http::status::ok, 11};
        response.body() = "tls ok";
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        http::write(stream, response, ec);
        if (ec || !request.keep_alive()) break;
      }
    }
  }

  troupe::testing::temp_dir dir_;
  boost::asio::io_context io_;
  boost::asio::ssl::context context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(parses_urls) {
  auto u = troupe::parse_http_url("https://kube.example:6443/api/v1/pods?x=1");
  BOOST_REQUIRE(u);
  BOOST_TEST(u->tls);
  BOOST_TEST(u->host == "kube.example");
  BOOST_TEST(u->port == 6443);
  BOOST_TEST(u->target == "/api/v1/pods?x=1");
  BOOST_TEST(u->origin() == "https://kube.example:6443");
  auto v = troupe::parse_http_url("http://[::1]");
  BOOST_REQUIRE(v);
  BOOST_TEST(v->host == "::1");
  BOOST_TEST(v->port == 80);
  BOOST_TEST(v->target == "/");
  BOOST_TEST(v->host_header() == "[::1]");
  BOOST_TEST(!troupe::parse_http_url("ftp://x/"));
  BOOST_TEST(!troupe::parse_http_url("http://x:99999/"));
  BOOST_TEST(!troupe::parse_http_url("http://:80/"));
  BOOST_TEST(troupe::url_encode_component("troupe.dev/pool=a b,c") ==
             "troupe.dev%2Fpool%3Da%20b%2Cc");
}

BOOST_AUTO_TEST_CASE(keep_alive_connection_is_reused) {
  test_server server;
  http_client client;
  for (int i = 0; i < 10; ++i) {
    auto r = call(client, get(server.url + "/hello"));
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body == "hi");
    BOOST_TEST(r.header("content-type").value_or("") == "text/plain; charset=utf-8");
  }
  auto stats = client.stats();
  BOOST_TEST(stats.connections_opened == 1u);
  BOOST_TEST(stats.connections_reused == 9u);
  BOOST_TEST(stats.connections_open == 1u);
}

BOOST_AUTO_TEST_CASE(sends_method_headers_and_body) {
  test_server server;
  http_client client;
  http_client_request request;
  request.method = "POST";
  request.url = server.url + "/echo";
  request.headers = {{"X-Test", "yes"}, {"Content-Type", "text/plain"}};
  request.body = "payload";
  auto r = call(client, request);
  BOOST_REQUIRE(r.ok());
  BOOST_TEST(r.body == "payload|yes");
  auto missing = call(client, get(server.url + "/nope"));
  BOOST_REQUIRE(missing.ok());
  BOOST_TEST(missing.status == 404);
}

BOOST_AUTO_TEST_CASE(thousand_concurrent_calls_on_few_threads) {
  test_server server;
  http_client_options options;
  options.max_connections = 1024;
  http_client client(options);
  std::size_t threads = 0;
  BOOST_TEST(wave(client, server.url + "/slow", 1000, &threads) == 1000);
  BOOST_TEST(threads <= 16u);  // test, server (2), client (1), resolver, ...
  auto first = client.stats();
  BOOST_TEST(first.connections_opened <= 1024u);
  BOOST_TEST(first.connections_opened >= 100u);  // the calls did run in parallel
  BOOST_TEST(wave(client, server.url + "/slow", 1000, nullptr) == 1000);
  auto second = client.stats();
  BOOST_TEST(second.connections_opened <= 1024u);
  BOOST_TEST(second.connections_reused - first.connections_reused >= 1000u - 24u);
  BOOST_TEST(second.timeouts == 0u);
}

BOOST_AUTO_TEST_CASE(calls_queue_at_the_connection_cap) {
  test_server server;
  http_client_options options;
  options.max_connections = 20;
  http_client client(options);
  BOOST_TEST(wave(client, server.url + "/slow", 400, nullptr) == 400);
  auto stats = client.stats();
  BOOST_TEST(stats.connections_opened <= 20u);
  BOOST_TEST(stats.connections_reused >= 380u);
}

BOOST_AUTO_TEST_CASE(timeout_completes_the_call_and_closes_the_connection) {
  test_server server;
  http_client client;
  auto r =
      call(client, get(server.url + "/never", 300ms));  // /never answers only at stop
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.error == http_transport_error::timeout);
  auto stats = client.stats();
  BOOST_TEST(stats.timeouts == 1u);
  BOOST_TEST(stats.connections_open == 0u);
  // The next call opens a fresh connection.
  auto next = call(client, get(server.url + "/hello"));
  BOOST_REQUIRE(next.ok());
  BOOST_TEST(client.stats().connections_opened == 2u);
}

BOOST_AUTO_TEST_CASE(timeout_while_queued) {
  test_server server;
  http_client_options options;
  options.max_connections = 1;
  http_client client(options);
  std::promise<http_client_response> first;
  client.request(get(server.url + "/never", 2s),
                 [&](http_client_response r) { first.set_value(std::move(r)); });
  auto queued = call(client, get(server.url + "/hello", 200ms));
  BOOST_TEST(queued.error == http_transport_error::timeout);
  BOOST_TEST(first.get_future().get().error == http_transport_error::timeout);
}

BOOST_AUTO_TEST_CASE(connection_refused) {
  http_client client;
  auto r = call(client, get(free_port_url()));
  BOOST_TEST(r.error == http_transport_error::connection_refused);
  BOOST_TEST(!r.error_message.empty());
  BOOST_TEST(client.stats().connections_open == 0u);
}

BOOST_AUTO_TEST_CASE(unresolvable_host) {
  http_client client;
  auto r = call(client, get("http://no-such-host.invalid/", 10s));
  BOOST_TEST(
      (r.error == http_transport_error::dns || r.error == http_transport_error::timeout));
}

BOOST_AUTO_TEST_CASE(malformed_url_fails_on_an_io_thread) {
  http_client client;
  auto r = call(client, get("localhost:80/x"));
  BOOST_TEST(r.error == http_transport_error::other);
  BOOST_TEST(r.error_message.find("http://") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(oversized_body_is_refused) {
  test_server server;
  http_client_options options;
  options.max_body_bytes = 1024;
  http_client client(options);
  auto r = call(client, get(server.url + "/big"));
  BOOST_TEST(r.error == http_transport_error::other);
  BOOST_TEST(r.error_message.find("1024") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_request_sets_its_own_body_limit) {
  test_server server;
  http_client client;  // 8 MiB by default
  auto request = get(server.url + "/big");
  request.max_body_bytes = 1000;
  auto r = call(client, request);
  BOOST_TEST(r.error == http_transport_error::other);
  BOOST_TEST(r.error_message.find("over 1000 bytes") != std::string::npos,
             r.error_message);
  BOOST_TEST(call(client, get(server.url + "/big")).ok());
}

BOOST_AUTO_TEST_CASE(stale_keep_alive_is_resent_once) {
  test_server server(std::chrono::seconds(1));  // the server drops idle connections
  http_client client;
  BOOST_REQUIRE(call(client, get(server.url + "/hello")).ok());
  BOOST_REQUIRE(server.await_all_closed());  // the client has not noticed
  auto r = call(client, get(server.url + "/hello"));
  BOOST_REQUIRE(r.ok());
  BOOST_TEST(r.status == 200);
  BOOST_TEST(client.stats().retried_stale == 1u);
  BOOST_TEST(client.stats().connections_opened == 2u);
}

BOOST_AUTO_TEST_CASE(idle_connections_close_after_idle_timeout) {
  test_server server;
  http_client_options options;
  options.idle_timeout = 200ms;
  http_client client(options);
  BOOST_REQUIRE(call(client, get(server.url + "/hello")).ok());
  BOOST_TEST(client.stats().connections_open == 1u);
  // Closed by the client's own idle timer: nothing else would close it (the
  // server keeps idle connections 30 s). Asked until then, for up to 10 s.
  auto until = std::chrono::steady_clock::now() + 10s;
  while (client.stats().connections_open != 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(10ms);
  BOOST_TEST(client.stats().connections_open == 0u);
}

BOOST_AUTO_TEST_CASE(stop_completes_pending_calls) {
  test_server server;
  http_client client;
  std::atomic<int> stopped{0};
  for (int i = 0; i < 5; ++i) {
    client.request(get(server.url + "/never", 30s), [&](http_client_response r) {
      if (r.error == http_transport_error::other) stopped.fetch_add(1);
    });
  }
  BOOST_REQUIRE(server.await_never(5));  // all five are pending at the server
  client.stop();
  BOOST_TEST(stopped.load() == 5);
  auto after = call(client, get(server.url + "/hello"));
  BOOST_TEST(after.error == http_transport_error::other);
}

BOOST_AUTO_TEST_CASE(https_with_a_ca_file) {
  tls_server tls;
  BOOST_REQUIRE_MESSAGE(tls.ready(), "openssl could not make a certificate");
  {
    http_client_options options;
    options.ca_file = tls.ca_file();
    http_client client(options);
    for (int i = 0; i < 3; ++i) {
      auto r = call(client, get(tls.url() + "/x"));
      BOOST_REQUIRE_MESSAGE(r.ok(), r.error_message);
      BOOST_TEST(r.status == 200);
      BOOST_TEST(r.body == "tls ok");
    }
    BOOST_TEST(client.stats().connections_opened == 1u);
  }  // closes the connection, so the one-at-a-time server takes the next
  // Without the CA the certificate does not verify.
  http_client untrusting;
  auto r = call(untrusting, get(tls.url() + "/x"));
  BOOST_TEST(r.error == http_transport_error::tls);
  // A missing CA file fails every https call.
  http_client_options missing;
  missing.ca_file = "/nonexistent/ca.pem";
  http_client broken(missing);
  BOOST_TEST(call(broken, get(tls.url() + "/x")).error == http_transport_error::tls);
}
