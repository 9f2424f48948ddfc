#define BOOST_TEST_MODULE http_server
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/base/json/json_text.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/metrics/metrics.hpp"

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using troupe::http_options;
using troupe::http_request;
using troupe::http_responder;
using troupe::http_response;
using troupe::http_server;

using response = http::response<http::string_body>;

// A blocking HTTP/1.1 client on one connection.
class client {
 public:
  explicit client(const std::string& host_port) {
    auto colon = host_port.rfind(':');
    std::string host = host_port.substr(0, colon);
    if (host.front() == '[') host = host.substr(1, host.size() - 2);
    tcp::endpoint endpoint(
        net::ip::make_address(host),
        static_cast<unsigned short>(std::stoi(host_port.substr(colon + 1))));
    stream_.connect(endpoint);
  }

  response request(http::verb verb, const std::string& target, std::string body = {},
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "test");
    for (auto& [name, value] : headers) req.set(name, value);
    req.body() = std::move(body);
    req.prepare_payload();
    http::write(stream_, req);
    return read();
  }

  // Sends `bytes` as they are and reads one response.
  response raw(const std::string& bytes) {
    net::write(stream_.socket(), net::buffer(bytes));
    return read();
  }

  response read() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(stream_, buffer_, parser);
    return parser.release();
  }

  // True when the server closed the connection (the next read sees EOF or a reset).
  bool closed_by_server() {
    beast::error_code ec;
    char byte;
    stream_.socket().read_some(net::buffer(&byte, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context io_;
  beast::tcp_stream stream_{io_};
  beast::flat_buffer buffer_;
};

http_options loopback_options() {
  http_options options;
  options.listen = "127.0.0.1:0";
  return options;
}

std::string start(http_server& server) {
  auto bound = server.start();
  BOOST_REQUIRE_MESSAGE(bound.is_ok(), bound.error().message());
  return *bound;
}

// A handler that keeps its responders until the test releases them.
class held_responders {
 public:
  troupe::http_handler handler() {
    return [this](const http_request&, http_responder responder) {
      std::lock_guard<std::mutex> lock(mutex_);
      held_.push_back(std::move(responder));
      changed_.notify_all();
    };
  }
  void wait_for(std::size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return held_.size() >= count; });
  }
  void release_all(const std::string& body) {
    std::vector<http_responder> held;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      held.swap(held_);
    }
    for (auto& responder : held) responder(troupe::json_response(body));
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<http_responder> held_;
};

void echo(const http_request& request, http_responder respond) {
  std::string body =
      "{\"method\":" + troupe::json_quoted(request.method) +
      ",\"path\":" + troupe::json_quoted(request.path) +
      ",\"id\":" + troupe::json_quoted(request.param("id")) +
      ",\"q\":" + troupe::json_quoted(request.query_param("q").value_or("")) +
      ",\"x\":" + troupe::json_quoted(request.header("x-TEST").value_or("")) +
      ",\"peer\":" + troupe::json_quoted(request.peer) +
      ",\"body\":" + troupe::json_quoted(request.body) + "}";
  respond(troupe::json_response(std::move(body)));
}

}  // namespace

BOOST_AUTO_TEST_CASE(serves_routes_with_params_query_and_headers) {
  http_server server(loopback_options());
  server.route("GET", "/items/{id}", echo, troupe::http_access::open);
  server.route(
      "GET", "/items/special",
      [](const http_request&, http_responder respond) {
        respond(troupe::text_response("special\n"));
      },
      troupe::http_access::open);
  client c(start(server));
  response r = c.request(http::verb::get, "/items/a%20b?q=x+y%21&other", {},
                         {{"X-Test", "hello"}});
  BOOST_TEST(r.result_int() == 200);
  BOOST_TEST(std::string(r[http::field::content_type]) == "application/json");
  BOOST_TEST(r.body().find("\"id\":\"a b\"") != std::string::npos);
  BOOST_TEST(r.body().find("\"q\":\"x y!\"") != std::string::npos);
  BOOST_TEST(r.body().find("\"x\":\"hello\"") != std::string::npos);
  BOOST_TEST(r.body().find("\"path\":\"/items/a%20b\"") != std::string::npos);
  r = c.request(http::verb::get, "/items/special");  // the literal beats {id}
  BOOST_TEST(r.result_int() == 200);
  BOOST_TEST(r.body() == "special\n");
  BOOST_TEST(std::string(r[http::field::content_type]) == "text/plain; charset=utf-8");
  r = c.request(http::verb::get, "/items/%zz");
  BOOST_TEST(r.result_int() == 400);
}

BOOST_AUTO_TEST_CASE(unknown_path_is_404_and_wrong_method_is_405) {
  http_server server(loopback_options());
  server.route("GET", "/items", echo, troupe::http_access::open);
  server.route("POST", "/items", echo, troupe::http_access::open);
  client c(start(server));
  response r = c.request(http::verb::get, "/nothing");
  BOOST_TEST(r.result_int() == 404);
  BOOST_TEST(r.body() ==
             "{\"error\":\"not_found\",\"detail\":\"no route for /nothing\"}");
  r = c.request(http::verb::delete_, "/items");
  BOOST_TEST(r.result_int() == 405);
  BOOST_TEST(std::string(r[http::field::allow]) == "GET, POST");
  BOOST_TEST(r.body().find("\"error\":\"method_not_allowed\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection) {
  http_server server(loopback_options());
  server.route("POST", "/echo", echo, troupe::http_access::open);
  client c(start(server));
  response first = c.request(http::verb::post, "/echo", "one");
  response second = c.request(http::verb::post, "/echo", "two");
  BOOST_TEST(first.result_int() == 200);
  BOOST_TEST(second.result_int() == 200);
  BOOST_TEST(first.keep_alive());
  BOOST_TEST(second.body().find("\"body\":\"two\"") != std::string::npos);
  // Same peer address and port: the same TCP connection.
  auto peer = [](const std::string& body) {
    const std::string key = "\"peer\":\"";
    std::size_t begin = body.find(key) + key.size();
    return body.substr(begin, body.find('"', begin) - begin);
  };
  BOOST_TEST(!peer(first.body()).empty());
  BOOST_TEST(peer(first.body()) == peer(second.body()));
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  http_server server(loopback_options());
  server.route("POST", "/echo", echo, troupe::http_access::open);
  client c(start(server));
  response first = c.raw(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\none"
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\ntwo");
  response second = c.read();
  BOOST_TEST(first.body().find("\"body\":\"one\"") != std::string::npos);
  BOOST_TEST(second.body().find("\"body\":\"two\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(expect_100_continue_gets_an_interim_response) {
  http_server server(loopback_options());
  server.route("POST", "/echo", echo, troupe::http_access::open);
  client c(start(server));
  response interim = c.raw(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n"
      "Expect: 100-continue\r\n\r\n");
  BOOST_TEST(interim.result_int() == 100);
  response final_response = c.raw("body");
  BOOST_TEST(final_response.result_int() == 200);
  BOOST_TEST(final_response.body().find("\"body\":\"body\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(many_concurrent_connections_on_two_io_threads) {
  http_server server(loopback_options());
  std::atomic<int> calls{0};
  server.route(
      "GET", "/count",
      [&](const http_request&, http_responder respond) {
        ++calls;
        respond(troupe::json_response("{}"));
      },
      troupe::http_access::open);
  const std::string bound = start(server);
  constexpr int kClients = 16;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      client c(bound);
      for (int j = 0; j < kRequests; ++j) {
        if (c.request(http::verb::get, "/count").result_int() == 200) ++ok;
      }
    });
  }
  for (auto& thread : clients) thread.join();
  BOOST_TEST(ok.load() == kClients * kRequests);
  BOOST_TEST(calls.load() == kClients * kRequests);
}

BOOST_AUTO_TEST_CASE(oversized_bodies_get_413) {
  http_options options = loopback_options();
  options.max_body_bytes = 1024;
  http_server server(options);
  server.route("POST", "/echo", echo, troupe::http_access::open);
  const std::string bound = start(server);
  {
    client c(bound);
    BOOST_TEST(
        c.request(http::verb::post, "/echo", std::string(1024, 'a')).result_int() == 200);
  }
  {
    // Announced by Content-Length, body never sent.
    client c(bound);
    response r = c.raw("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n");
    BOOST_TEST(r.result_int() == 413);
    BOOST_TEST(r.body().find("\"error\":\"payload_too_large\"") != std::string::npos);
  }
  {
    // Sent in full: the server discards the rest and still answers.
    client c(bound);
    response r = c.request(http::verb::post, "/echo", std::string(200000, 'b'));
    BOOST_TEST(r.result_int() == 413);
    BOOST_TEST(!r.keep_alive());
  }
  {
    // Chunked, no Content-Length: the limit applies while reading.
    client c(bound);
    std::string chunked =
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) chunked += "400\r\n" + std::string(1024, 'c') + "\r\n";
    chunked += "0\r\n\r\n";
    BOOST_TEST(c.raw(chunked).result_int() == 413);
  }
}

BOOST_AUTO_TEST_CASE(malformed_http_gets_400_and_the_connection_closes) {
  http_server server(loopback_options());
  server.route("GET", "/", echo, troupe::http_access::open);
  client c(start(server));
  response r = c.raw("GARBAGE\r\n\r\n");
  BOOST_TEST(r.result_int() == 400);
  BOOST_TEST(r.body().find("\"error\":\"bad_request\"") != std::string::npos);
  BOOST_TEST(c.closed_by_server());
}

BOOST_AUTO_TEST_CASE(handlers_answer_400_for_bad_json) {
  http_server server(loopback_options());
  server.route(
      "POST", "/validate",
      [](const http_request& request, http_responder respond) {
        if (request.body.empty() || request.body.front() != '{') {
          return respond(
              troupe::json_error(400, "bad_json", "body: expected an object at $"));
        }
        respond(troupe::json_response("{\"ok\":true}", 201));
      },
      troupe::http_access::open);
  client c(start(server));
  response r = c.request(http::verb::post, "/validate", "[1,");
  BOOST_TEST(r.result_int() == 400);
  BOOST_TEST(r.body() ==
             "{\"error\":\"bad_json\",\"detail\":\"body: expected an object at $\"}");
  r = c.request(http::verb::post, "/validate", "{}");  // same connection still usable
  BOOST_TEST(r.result_int() == 201);
}

BOOST_AUTO_TEST_CASE(bearer_token_guards_auth_routes) {
  http_options options = loopback_options();
  options.tokens = {{"default", troupe::http_access::admin, "s3cret-token"}};
  http_server server(options);
  server.route("GET", "/private", echo, troupe::http_access::read);
  server.route("GET", "/public", echo, troupe::http_access::open);
  client c(start(server));
  response r = c.request(http::verb::get, "/private");
  BOOST_TEST(r.result_int() == 401);
  BOOST_TEST(std::string(r[http::field::www_authenticate]).rfind("Bearer", 0) == 0);
  r = c.request(http::verb::get, "/private", {}, {{"Authorization", "Bearer wrong"}});
  BOOST_TEST(r.result_int() == 401);
  BOOST_TEST(std::string(r[http::field::www_authenticate]).find("invalid_token") !=
             std::string::npos);
  r = c.request(http::verb::get, "/private", {},
                {{"Authorization", "Bearer s3cret-tok"}});
  BOOST_TEST(r.result_int() == 401);
  r = c.request(http::verb::get, "/private", {}, {{"Authorization", "Basic czNjcmV0"}});
  BOOST_TEST(r.result_int() == 401);
  r = c.request(http::verb::get, "/private", {},
                {{"Authorization", "Bearer s3cret-token"}});
  BOOST_TEST(r.result_int() == 200);
  r = c.request(http::verb::get, "/private", {},
                {{"Authorization", "bearer s3cret-token"}});
  BOOST_TEST(r.result_int() == 200);
  r = c.request(http::verb::get, "/public");
  BOOST_TEST(r.result_int() == 200);
}

// Each scope serves the routes that need it or less, and is refused (403,
// naming both scopes) above it; open routes need no token at all.
BOOST_AUTO_TEST_CASE(each_scope_is_refused_outside_its_routes) {
  using troupe::http_access;
  http_options options = loopback_options();
  options.tokens = {{"grafana", http_access::read, "read-token-0123456789"},
                    {"ci", http_access::operate, "operate-token-0123456789"},
                    {"ops", http_access::admin, "admin-token-0123456789"}};
  http_server server(options);
  server.route("GET", "/health", echo, http_access::open);
  server.route("GET", "/pools", echo, http_access::read);
  server.route("POST", "/scale", echo, http_access::operate);
  server.route("POST", "/admin", echo, http_access::admin);
  client c(start(server));
  auto status = [&](http::verb verb, const char* path, const std::string& token) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.push_back({"Authorization", "Bearer " + token});
    return c.request(verb, path, {}, headers).result_int();
  };
  const std::string read = "read-token-0123456789", operate = "operate-token-0123456789",
                    admin = "admin-token-0123456789";
  BOOST_TEST(status(http::verb::get, "/health", "") == 200);
  BOOST_TEST(status(http::verb::get, "/pools", "") == 401);
  for (auto& token : {read, operate, admin})
    BOOST_TEST(status(http::verb::get, "/pools", token) == 200);
  BOOST_TEST(status(http::verb::post, "/scale", read) == 403);
  BOOST_TEST(status(http::verb::post, "/scale", operate) == 200);
  BOOST_TEST(status(http::verb::post, "/scale", admin) == 200);
  BOOST_TEST(status(http::verb::post, "/admin", read) == 403);
  BOOST_TEST(status(http::verb::post, "/admin", operate) == 403);
  BOOST_TEST(status(http::verb::post, "/admin", admin) == 200);
  response r =
      c.request(http::verb::post, "/scale", {}, {{"Authorization", "Bearer " + read}});
  BOOST_TEST(
      r.body() ==
      "{\"error\":\"forbidden\",\"detail\":\"POST /scale needs the 'operate' scope; "
      "token 'grafana' has 'read'\"}");
  BOOST_TEST(r.body().find(read) == std::string::npos);  // names, never tokens
}

BOOST_AUTO_TEST_CASE(max_inflight_answers_429_until_a_responder_is_called) {
  http_options options = loopback_options();
  options.max_inflight = 1;
  http_server server(options);
  held_responders held;
  server.route("GET", "/slow", held.handler(), troupe::http_access::open);
  const std::string bound = start(server);
  std::optional<response> first;
  std::thread waiting([&] { first = client(bound).request(http::verb::get, "/slow"); });
  held.wait_for(1);
  BOOST_TEST(server.inflight() == 1u);
  response refused = client(bound).request(http::verb::get, "/slow");
  BOOST_TEST(refused.result_int() == 429);
  BOOST_TEST(std::string(refused[http::field::retry_after]) == "1");
  held.release_all("{\"released\":true}");
  waiting.join();
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(first->result_int() == 200);
  BOOST_TEST(first->body() == "{\"released\":true}");
  BOOST_TEST(server.inflight() == 0u);
}

BOOST_AUTO_TEST_CASE(responder_may_be_called_from_another_thread) {
  http_server server(loopback_options());
  std::vector<std::thread> workers;
  std::mutex mutex;
  server.route(
      "GET", "/async/{id}",
      [&](const http_request& request, http_responder respond) {
        std::lock_guard<std::mutex> lock(mutex);
        workers.emplace_back([id = request.param("id"), respond] {
          respond(troupe::json_response("{\"id\":" + troupe::json_quoted(id) + "}"));
          respond(
              troupe::json_response("{\"ignored\":true}"));  // later calls are ignored
        });
      },
      troupe::http_access::open);
  client c(start(server));
  for (int i = 0; i < 5; ++i) {
    response r = c.request(http::verb::get, "/async/" + std::to_string(i));
    BOOST_TEST(r.result_int() == 200);
    BOOST_TEST(r.body() == "{\"id\":\"" + std::to_string(i) + "\"}");
  }
  std::lock_guard<std::mutex> lock(mutex);
  for (auto& worker : workers) worker.join();
}

BOOST_AUTO_TEST_CASE(dropped_responders_and_throwing_handlers_answer_500) {
  http_server server(loopback_options());
  server.route(
      "GET", "/drop", [](const http_request&, http_responder) {},
      troupe::http_access::open);
  server.route(
      "GET", "/throw",
      [](const http_request&, http_responder) { throw std::runtime_error("boom"); },
      troupe::http_access::open);
  client c(start(server));
  response r = c.request(http::verb::get, "/drop");
  BOOST_TEST(r.result_int() == 500);
  r = c.request(http::verb::get, "/throw");
  BOOST_TEST(r.result_int() == 500);
  BOOST_TEST(r.body().find("boom") == std::string::npos);  // details stay in the log
  BOOST_TEST(server.inflight() == 0u);
}

BOOST_AUTO_TEST_CASE(refuses_non_loopback_listen_without_token) {
  for (const char* listen : {"0.0.0.0:0", "[::]:0", "10.1.2.3:80"}) {
    http_options options;
    options.listen = listen;
    http_server server(options);
    auto bound = server.start();
    BOOST_TEST(!bound.is_ok(), listen);
    BOOST_TEST(bound.error().message().find("token") != std::string::npos);
  }
  http_options options;
  options.listen = "0.0.0.0:0";
  options.tokens = {{"default", troupe::http_access::admin, "t"}};
  options.allow_insecure =
      true;  // plain HTTP beyond loopback (https_server_test has TLS)
  http_server server(options);
  server.route("GET", "/", echo, troupe::http_access::read);
  auto bound = server.start();
  BOOST_REQUIRE_MESSAGE(bound.is_ok(), bound.error().message());
  BOOST_TEST(bound->rfind("0.0.0.0:", 0) == 0);
  std::string port = bound->substr(bound->rfind(':') + 1);
  BOOST_TEST(port != "0");
  client c("127.0.0.1:" + port);
  BOOST_TEST(
      c.request(http::verb::get, "/", {}, {{"Authorization", "Bearer t"}}).result_int() ==
      200);
}

BOOST_AUTO_TEST_CASE(listens_on_localhost_and_rejects_bad_addresses) {
  http_options options;
  options.listen = "localhost:0";
  http_server server(options);
  server.route("GET", "/", echo, troupe::http_access::open);
  client c(start(server));
  BOOST_TEST(c.request(http::verb::get, "/").result_int() == 200);
  BOOST_TEST(!server.start().is_ok());  // twice
  for (const char* listen :
       {"nohost", "127.0.0.1:99999", "example.com:80", "[::1:80", "::1:80"}) {
    http_options bad;
    bad.listen = listen;
    http_server refused(bad);
    BOOST_TEST(!refused.start().is_ok(), listen);
  }
}

BOOST_AUTO_TEST_CASE(stop_intake_refuses_new_work_and_lets_inflight_finish) {
  http_server server(loopback_options());
  held_responders held;
  server.route("GET", "/slow", held.handler(), troupe::http_access::open);
  server.route("GET", "/fast", echo, troupe::http_access::open);
  const std::string bound = start(server);
  client idle(bound);
  BOOST_TEST(idle.request(http::verb::get, "/fast").result_int() == 200);
  std::optional<response> slow;
  std::thread waiting([&] { slow = client(bound).request(http::verb::get, "/slow"); });
  held.wait_for(1);
  server.stop_intake();
  response refused = idle.request(http::verb::get, "/fast");
  BOOST_TEST(refused.result_int() == 503);
  BOOST_TEST(!refused.keep_alive());
  held.release_all("{\"done\":true}");
  waiting.join();
  BOOST_REQUIRE(slow.has_value());
  BOOST_TEST(slow->result_int() == 200);
  // A new connection is refused or, if it raced the listener's close, closed
  // without a successful answer.
  bool answered = false;
  try {
    answered = client(bound).request(http::verb::get, "/fast").result_int() == 200;
  } catch (const boost::system::system_error&) {
  }
  BOOST_TEST(!answered);
}

BOOST_AUTO_TEST_CASE(responders_outliving_the_server_are_noops) {
  held_responders held;
  std::thread waiting;
  {
    http_server server(loopback_options());
    server.route("GET", "/slow", held.handler(), troupe::http_access::open);
    const std::string bound = start(server);
    waiting = std::thread([bound] {
      try {
        client(bound).request(http::verb::get, "/slow");
      } catch (const boost::system::system_error&) {
        // The server stopped before answering: expected.
      }
    });
    held.wait_for(1);
    client idle(bound);  // an idle keep-alive connection does not delay stop()
    server.stop();
    server.stop();  // idempotent
    BOOST_TEST(idle.closed_by_server());
  }
  held.release_all("{}");  // server gone: a no-op
  waiting.join();
}

// A handler that drops the last owner of its server destroys it on an io
// thread, which cannot join itself: the destructor hands the stop to a thread
// of its own instead of throwing (std::terminate from a destructor).
BOOST_AUTO_TEST_CASE(a_handler_may_destroy_its_server) {
  auto server = std::make_shared<http_server>(loopback_options());
  std::promise<void> destroyed;
  std::mutex owner_mutex;
  std::shared_ptr<http_server> owner = server;
  server->route(
      "GET", "/bye",
      [&](const http_request&, http_responder respond) {
        respond(troupe::json_response("{}"));
        std::shared_ptr<http_server> last;
        {
          std::lock_guard<std::mutex> lock(owner_mutex);
          last.swap(owner);
        }
        last.reset();  // ~http_server on this io thread
        destroyed.set_value();
      },
      troupe::http_access::open);
  const std::string bound = start(*server);
  server.reset();
  std::thread request([bound] {
    try {
      client(bound).request(http::verb::get, "/bye");
    } catch (const boost::system::system_error&) {
      // Closed before the answer was written: allowed.
    }
  });
  destroyed.get_future().wait();
  request.join();
}

BOOST_AUTO_TEST_CASE(lists_its_routes_in_the_order_added) {
  http_server server(loopback_options());
  server.route("GET", "/a/{x}", echo, troupe::http_access::read);
  server.route("POST", "/b", echo, troupe::http_access::open);
  auto routes = server.routes();
  BOOST_REQUIRE_EQUAL(routes.size(), 2u);
  BOOST_TEST(routes[0].method == "GET");
  BOOST_TEST(routes[0].pattern == "/a/{x}");
  BOOST_TEST((routes[0].access == troupe::http_access::read));
  BOOST_TEST(routes[1].method == "POST");
  BOOST_TEST(routes[1].pattern == "/b");
  BOOST_TEST((routes[1].access == troupe::http_access::open));
}

BOOST_AUTO_TEST_CASE(counts_requests_in_the_metrics_registry) {
  troupe::metrics_registry registry;
  http_server server(loopback_options(), &registry);
  server.route("GET", "/items/{id}", echo, troupe::http_access::open);
  client c(start(server));
  c.request(http::verb::get, "/items/1");
  c.request(http::verb::get, "/items/2");
  c.request(http::verb::get, "/missing");
  const std::string text = registry.render();
  BOOST_TEST_INFO(text);
  BOOST_TEST(text.find("troupe_http_requests_total{method=\"GET\",route=\"/items/{id}\","
                       "code=\"200\"} 2\n") != std::string::npos);
  BOOST_TEST(text.find("troupe_http_requests_total{method=\"GET\",route=\"none\","
                       "code=\"404\"} 1\n") != std::string::npos);
  BOOST_TEST(text.find("troupe_http_request_duration_seconds_count{method=\"GET\","
                       "route=\"/items/{id}\"} 2\n") != std::string::npos);
  BOOST_TEST(text.find("troupe_http_connections_open 1\n") != std::string::npos);
  BOOST_TEST(text.find("troupe_http_handlers_inflight 0\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(route_errors_are_programming_errors) {
  http_server server(loopback_options());
  server.route("GET", "/a/{x}", echo, troupe::http_access::open);
  BOOST_CHECK_THROW(server.route("GET", "/a/{y}", echo, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(server.route("GET", "no-slash", echo, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(server.route("GET", "/b/{x", echo, troupe::http_access::open),
                    std::invalid_argument);
  BOOST_CHECK_THROW(server.route("GET", "/b/{x}/{x}", echo, troupe::http_access::open),
                    std::invalid_argument);
  start(server);
  BOOST_CHECK_THROW(server.route("GET", "/late", echo, troupe::http_access::open),
                    std::logic_error);
}

BOOST_AUTO_TEST_CASE(serves_on_ipv6_loopback) {
  http_options options;
  options.listen = "[::1]:0";
  http_server server(options);
  server.route("GET", "/", echo, troupe::http_access::open);
  auto bound = server.start();
  BOOST_REQUIRE_MESSAGE(bound.is_ok(), bound.error().message());
  BOOST_TEST(bound->rfind("[::1]:", 0) == 0);
  client c(*bound);
  response r = c.request(http::verb::get, "/");
  BOOST_TEST(r.result_int() == 200);
  BOOST_TEST(r.body().find("\"peer\":\"[::1]:") != std::string::npos);
}
