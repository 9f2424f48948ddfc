#include "runtime/services/http/client_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace troupe::http_client_detail {

namespace beast = boost::beast;
using error_code = boost::system::error_code;

namespace {

constexpr std::uint32_t kHeaderLimit = 64 * 1024;

bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::connection_aborted ||
         ec == net::ssl::error::stream_truncated;
}

}  // namespace

connection::connection(pool& owner) : pool_(owner), resolver_(owner.executor()) {
  if (owner.origin().tls) {
    tls_.emplace(owner.executor(), *owner.state().tls);  // pool::submit checked it
  } else {
    plain_.emplace(owner.executor());
  }
}

beast::tcp_stream& connection::tcp() {
  return plain_ ? *plain_ : beast::get_lowest_layer(*tls_);
}

void connection::run(std::shared_ptr<call> c) {
  call_ = std::move(c);
  call_->conn = weak_from_this();
  parser_.emplace();
  parser_->body_limit(call_->max_body_bytes);
  parser_->header_limit(kHeaderLimit);
  if (call_->head) parser_->skip(true);
  if (connected_) return write();
  error_code ec;
  auto address = net::ip::make_address(pool_.origin().host, ec);
  if (ec) return resolve();
  tcp().async_connect(net::ip::tcp::endpoint(address, pool_.origin().port),
                      [self = shared_from_this()](error_code connect_ec) {
                        self->on_connect(connect_ec);
                      });
}

void connection::close() {
  if (closed_) return;
  closed_ = true;
  resolver_.cancel();
  tcp().close();
}

void connection::resolve() {
  resolver_.async_resolve(
      pool_.origin().host, std::to_string(pool_.origin().port),
      [self = shared_from_this()](error_code ec,
                                  net::ip::tcp::resolver::results_type endpoints) {
        if (ec || self->closed_) return self->fail(ec, step::resolve);
        self->connect(endpoints);
      });
}

void connection::connect(const net::ip::tcp::resolver::results_type& endpoints) {
  tcp().async_connect(endpoints, [self = shared_from_this()](
                                     error_code ec, const net::ip::tcp::endpoint&) {
    self->on_connect(ec);
  });
}

void connection::on_connect(error_code ec) {
  if (ec || closed_) return fail(ec, step::connect);
  connected_ = true;
  pool_.state().opened.fetch_add(1, std::memory_order_relaxed);
  error_code ignored;
  tcp().socket().set_option(net::ip::tcp::no_delay(true), ignored);
  if (tls_) return handshake();
  write();
}

void connection::handshake() {
  const std::string& host = pool_.origin().host;
  error_code ec;
  net::ip::make_address(host, ec);
  // SNI for names only (RFC 6066 forbids IP literals); the certificate must
  // name the host either way.
  if (ec && !SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str())) {
    return fail(
        error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()),
        step::handshake);
  }
  tls_->set_verify_callback(net::ssl::host_name_verification(host));
  tls_->async_handshake(net::ssl::stream_base::client,
                        [self = shared_from_this()](error_code handshake_ec) {
                          if (handshake_ec || self->closed_) {
                            return self->fail(handshake_ec, step::handshake);
                          }
                          self->write();
                        });
}

void connection::write() {
  auto on_write = [self = shared_from_this()](error_code ec, std::size_t) {
    if (ec || self->closed_) return self->fail(ec, step::exchange);
    self->read();
  };
  if (plain_) return http::async_write(*plain_, call_->request, std::move(on_write));
  http::async_write(*tls_, call_->request, std::move(on_write));
}

// The header first: Beast 1.74's eager parsing loses the body_limit error of
// a Content-Length over the limit, but a header-only read reports it.
void connection::read() {
  auto on_header = [self = shared_from_this()](error_code ec, std::size_t) {
    if (ec || self->closed_ || self->parser_->is_done()) return self->on_read(ec);
    auto on_body = [self](error_code body_ec, std::size_t) { self->on_read(body_ec); };
    if (self->plain_) {
      return http::async_read(*self->plain_, self->buffer_, *self->parser_,
                              std::move(on_body));
    }
    http::async_read(*self->tls_, self->buffer_, *self->parser_, std::move(on_body));
  };
  if (plain_)
    return http::async_read_header(*plain_, buffer_, *parser_, std::move(on_header));
  http::async_read_header(*tls_, buffer_, *parser_, std::move(on_header));
}

void connection::on_read(error_code ec) {
  if (ec || closed_) return fail(ec, step::exchange);
  auto self = shared_from_this();
  std::shared_ptr<call> done = std::move(call_);
  if (done->finished) return pool_.discard(self);  // timed out as the answer came
  const bool reusable = parser_->keep_alive();
  auto message = parser_->release();
  http_client_response response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()),
                                  std::string(field.value()));
  }
  response.body = std::move(message.body());
  ++served_;
  pool_.complete(*done, std::move(response));
  pool_.release(self, reusable);
}

void connection::fail(error_code ec, step where) {
  auto self = shared_from_this();
  std::shared_ptr<call> failed = std::move(call_);
  if (!failed || failed->finished) return pool_.discard(self);
  // A keep-alive connection the server closed while it sat idle: resend the
  // call once on a new connection (see client.hpp).
  if (where == step::exchange && served_ > 0 && !failed->retried && is_disconnect(ec) &&
      !parser_->got_some() && clock::now() < failed->deadline) {
    pool_.resend(std::move(failed));
    return pool_.discard(self);
  }
  const std::string& origin = pool_.origin().origin();
  http_transport_error kind = http_transport_error::other;
  std::string message;
  if (ec == net::error::operation_aborted || (!ec && closed_)) {
    message = "the call was cancelled: the http client is stopped";
  } else if (where == step::resolve) {
    kind = http_transport_error::dns;
    message = "cannot resolve " + pool_.origin().host + ": " + ec.message();
  } else if (where == step::connect) {
    if (ec == net::error::connection_refused) {
      kind = http_transport_error::connection_refused;
    } else if (is_disconnect(ec)) {
      kind = http_transport_error::connection_reset;
    }
    message = "connect to " + origin + ": " + ec.message();
  } else if (where == step::handshake) {
    kind = http_transport_error::tls;
    message = "TLS handshake with " + origin + ": " + ec.message();
  } else if (ec == http::error::body_limit) {
    message = "the response from " + origin + " is over " +
              std::to_string(failed->max_body_bytes) + " bytes";
  } else if (is_disconnect(ec)) {
    kind = http_transport_error::connection_reset;
    message = origin + " closed the connection: " + ec.message();
  } else if (ec.category() == net::error::get_ssl_category()) {
    kind = http_transport_error::tls;
    message = "TLS with " + origin + ": " + ec.message();
  } else {
    message = "exchange with " + origin + ": " + ec.message();
  }
  pool_.discard(self);
  pool_.complete(*failed, transport_failure(kind, std::move(message)));
}

}  // namespace troupe::http_client_detail
