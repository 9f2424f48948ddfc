#include "runtime/services/http/connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "runtime/base/json/json_text.hpp"
#include "runtime/services/http/listen_address.hpp"

namespace troupe::http_detail {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

// Past this many bytes (or the idle timeout) a lingering close stops draining.
constexpr std::size_t kDrainLimit = 4 << 20;

std::string method_label(http::verb verb) {
  switch (verb) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::post:
    case http::verb::put:
    case http::verb::delete_:
    case http::verb::patch:
    case http::verb::options:
      return std::string(http::to_string(verb));
    default:
      return "other";
  }
}

bool is_http_error(const beast::error_code& ec) {
  return ec.category() == beast::error_code(http::error::bad_target).category();
}

}  // namespace

connection::connection(std::shared_ptr<server_core> core, net::ip::tcp::socket socket,
                       std::shared_ptr<net::ssl::context> tls)
    : core_(std::move(core)), tls_(std::move(tls)), executor_(socket.get_executor()) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (!ec) peer_ = format_host_port(endpoint.address().to_string(), endpoint.port());
  // A response goes out as several writes (header and body; over TLS, one
  // record per buffer): without TCP_NODELAY, Nagle's algorithm holds the
  // last one back until the client's delayed ACK, about 40 ms.
  socket.set_option(net::ip::tcp::no_delay(true), ec);
  if (tls_)
    tls_stream_.emplace(std::move(socket), *tls_);
  else
    stream_.emplace(std::move(socket));
  if (core_->connections_open != nullptr) core_->connections_open->inc();
}

connection::~connection() {
  // Only connections refused by the gate die unclosed, on an io thread.
  if (!closed_ && core_->connections_open != nullptr) core_->connections_open->dec();
}

beast::tcp_stream& connection::tcp() {
  return tls_stream_ ? beast::get_lowest_layer(*tls_stream_) : *stream_;
}

void connection::start() {
  net::post(executor_, [self = shared_from_this()] {
    if (self->tls_stream_) return self->handshake();
    self->read_next();
  });
}

// A client that does not complete the handshake in the idle timeout, or
// speaks plain HTTP to this port, or (mutual TLS) has no certificate the
// CA signed, is closed without an answer: there is no channel to answer on.
void connection::handshake() {
  tcp().expires_after(core_->options.idle_timeout);
  tls_stream_->async_handshake(net::ssl::stream_base::server,
                               [self = shared_from_this()](beast::error_code ec) {
                                 if (ec) return self->close();
                                 self->read_next();
                               });
}

void connection::shutdown() {
  net::post(executor_, [self = shared_from_this()] { self->close(); });
}

void connection::release_io() {
  closed_ = true;
  stream_.reset();
  tls_stream_.reset();
  executor_ = {};
}

void connection::read_next() {
  if (closed_) return;
  parser_.emplace();
  parser_->body_limit(core_->options.max_body_bytes);
  tcp().expires_after(core_->options.idle_timeout);
  with_stream([&](auto& stream) {
    http::async_read_header(
        stream, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          self->on_header(ec);
        });
  });
}

// Clients such as curl send "Expect: 100-continue" before a large body and
// wait (about a second) for the interim response; send it at once.
void connection::on_header(beast::error_code ec) {
  if (ec || closed_) return on_read(ec);
  auto& message = parser_->get();
  if (message.version() >= 11 &&
      beast::iequals(message[http::field::expect], "100-continue")) {
    static const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
    return with_stream([&](auto& stream) {
      net::async_write(
          stream, net::buffer(interim),
          [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
            if (write_ec) return self->close();
            self->read_body();
          });
    });
  }
  read_body();
}

void connection::read_body() {
  if (closed_) return;
  if (parser_->is_done()) return on_read({});
  tcp().expires_after(core_->options.idle_timeout);
  with_stream([&](auto& stream) {
    http::async_read(stream, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  });
}

void connection::on_read(beast::error_code ec) {
  started_ = std::chrono::steady_clock::now();
  version_ = 11;
  keep_alive_ = false;
  route_label_ = "none";
  method_label_ =
      parser_->is_header_done() ? method_label(parser_->get().method()) : "other";
  if (!ec) return dispatch();
  if (closed_ || ec == http::error::end_of_stream || ec == http::error::partial_message ||
      !is_http_error(ec)) {
    return close();  // the client left, timed out, or we are shutting down
  }
  if (ec == http::error::body_limit) {
    return reply(json_error(413, "payload_too_large",
                            "the body exceeds " +
                                std::to_string(core_->options.max_body_bytes) + " bytes"),
                 true, true);
  }
  if (ec == http::error::header_limit) {
    return reply(json_error(431, "header_too_large", "the request header is too large"),
                 true, true);
  }
  reply(json_error(400, "bad_request", "malformed HTTP request: " + ec.message()), true,
        true);
}

void connection::deliver(http_response response) {
  if (closed_) return;
  reply(std::move(response));
}

void connection::reply(http_response response, bool close_after, bool drain) {
  if (closed_) return;
  if (response.status < 100 || response.status > 599) response.status = 500;
  auto& out = response_.emplace();
  out.version(version_);
  out.result(static_cast<unsigned>(response.status));
  out.set(http::field::server, "troupe");
  out.set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) {
    // A CR or LF would let a value smuggle in header fields: drop it.
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      spdlog::error("http: dropped malformed response header {}", json_quoted(name));
      continue;
    }
    out.insert(name, value);
  }
  out.keep_alive(keep_alive_ && !close_after);
  out.body() = std::move(response.body);
  out.prepare_payload();
  close_after = close_after || out.need_eof();
  record(response.status);  // before the client can see the response
  tcp().expires_after(core_->options.idle_timeout);
  with_stream([&](auto& stream) {
    http::async_write(stream, out,
                      [self = shared_from_this(), close_after, drain](
                          beast::error_code ec, std::size_t) {
                        self->on_write(ec, close_after, drain);
                      });
  });
}

void connection::on_write(beast::error_code ec, bool close_after, bool drain) {
  response_.reset();
  if (ec || closed_) return close();
  if (!close_after) return read_next();
  beast::error_code ignored;
  tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  if (drain) return drain_then_close();
  close();
}

// A lingering close: the client may still be sending the request we refused.
// Closing with unread data would reset the connection and could destroy our
// response before the client reads it, so read and discard until the client
// closes, the idle timeout passes or kDrainLimit bytes came.
void connection::drain_then_close() {
  if (closed_ || drained_ >= kDrainLimit) return close();
  discard_.resize(16 * 1024);
  tcp().expires_after(core_->options.idle_timeout);
  with_stream([&](auto& stream) {
    stream.async_read_some(
        net::buffer(discard_),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          self->drained_ += n;
          if (ec) return self->close();
          self->drain_then_close();
        });
  });
}

void connection::record(int status) {
  if (core_->requests == nullptr) return;
  core_->requests->with({method_label_, route_label_, std::to_string(status)}).inc();
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
  core_->durations->with({method_label_, route_label_}).observe(elapsed.count());
}

void connection::close() {
  if (closed_) return;
  closed_ = true;
  tcp().close();
  if (core_->connections_open != nullptr) core_->connections_open->dec();
}

}  // namespace troupe::http_detail
