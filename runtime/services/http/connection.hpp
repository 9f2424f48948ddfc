// Internals of http_server (not for use elsewhere): the state shared by the
// server, its connections and outstanding responders, and one connection.
//
// Lifetime: a connection is owned by the handlers of its pending asynchronous
// operations and, while a route handler works on its request, by that
// request's responder. Responders may outlive the server, so they reach it
// only through server_core, whose gate says whether the io threads still run:
// once stop() closes the gate, responders never touch a connection again, and
// stop() releases the Asio objects of connections still held by responders
// before the io_context is destroyed.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/services/http/auth.hpp"
#include "runtime/services/http/router.hpp"
#include "runtime/services/http/server.hpp"
#include "runtime/services/metrics/metrics.hpp"

namespace troupe::http_detail {

class connection;

struct server_core {
  server_core(http_options options, metrics_registry* metrics);

  const http_options options;
  http_router router;  // complete before start(), read-only afterwards
  const bearer_auth auth;

  // Null without a registry.
  metric_family<counter>* requests = nullptr;
  metric_family<histogram>* durations = nullptr;
  gauge* connections_open = nullptr;
  gauge* handlers_inflight = nullptr;

  std::atomic<bool> intake{true};  // false after stop_intake() or stop()
  std::atomic<std::size_t> inflight{0};

  // Reserves a handler slot; false when max_inflight are taken.
  bool try_begin_handler();
  // Releases a slot (from a responder, any thread).
  void end_handler();

  // Registers a new connection; false (and nothing registered) once the gate
  // is closed.
  bool track(const std::shared_ptr<connection>& c);
  // Posts `response` to `c`'s strand if the gate is open; otherwise drops it.
  void post_response(const std::shared_ptr<connection>& c, http_response response);
  // Closes the gate; responders become no-ops. Returns the live connections.
  std::vector<std::shared_ptr<connection>> close_gate();
  // The connections still alive (held by pending operations or responders).
  std::vector<std::shared_ptr<connection>> live_connections();

 private:
  std::mutex mutex_;  // the gate
  bool open_ = true;
  std::vector<std::weak_ptr<connection>> connections_;
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  // `tls` null: plain HTTP; otherwise the connection starts with a TLS
  // handshake (within the idle timeout) and speaks HTTPS.
  connection(std::shared_ptr<server_core> core, boost::asio::ip::tcp::socket socket,
             std::shared_ptr<boost::asio::ssl::context> tls);
  ~connection();

  // Starts reading requests (posts onto the connection's strand).
  void start();
  // Closes the connection (posts onto the strand); used by stop().
  void shutdown();
  // After the io threads are joined: destroys the socket and the strand so
  // nothing of Asio outlives the io_context.
  void release_io();
  // Posts `fn` onto the strand. Only while the io threads run (the gate is open).
  template <class Fn>
  void post(Fn&& fn) {
    boost::asio::post(executor_, std::forward<Fn>(fn));
  }
  // On the strand: writes a handler's response (no-op once closed).
  void deliver(http_response response);

 private:
  void handshake();
  void read_next();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_read(boost::beast::error_code ec);
  void dispatch();
  void run_handler(const http_router::route& route, http_request request);
  // Writes `response`. With `close_after` the connection closes afterwards;
  // `drain` first discards what the client still sends (request not read).
  void reply(http_response response, bool close_after = false, bool drain = false);
  void on_write(boost::beast::error_code ec, bool close_after, bool drain);
  void drain_then_close();
  void record(int status);
  void close();

  // The TCP stream beneath (timeouts, shutdown, close).
  boost::beast::tcp_stream& tcp();
  // Calls `f` with the stream requests travel on: TLS or plain TCP.
  template <class F>
  void with_stream(F&& f) {
    if (tls_stream_) return f(*tls_stream_);
    f(*stream_);
  }

  std::shared_ptr<server_core> core_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // outlives tls_stream_
  std::optional<boost::beast::tcp_stream> stream_;  // plain HTTP
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_stream_;
  boost::asio::any_io_executor executor_;  // the connection's strand
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> response_;
  std::string peer_;
  std::vector<char> discard_;  // drain buffer
  std::size_t drained_ = 0;

  // The current exchange.
  unsigned version_ = 11;
  bool keep_alive_ = false;
  std::string method_label_;
  std::string route_label_;
  std::chrono::steady_clock::time_point started_;
  bool closed_ = false;
};

}  // namespace troupe::http_detail
