// Internals of http_client (not for use elsewhere): one client connection,
// plain TCP or TLS, that carries one call at a time for its pool.
//
// A connection connects lazily with its first call (resolve unless the host is
// an IP literal, connect, TLS handshake), then writes the request and reads
// the response; on success it hands itself back to the pool. Every method and
// handler runs on the pool's strand.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>

#include "runtime/services/http/client_pool.hpp"

namespace troupe::http_client_detail {

class connection : public std::enable_shared_from_this<connection> {
 public:
  // `owner` must outlive the connection (see client_pool.hpp).
  explicit connection(pool& owner);

  // Works on `c` until it completes; then releases or discards itself.
  void run(std::shared_ptr<call> c);
  // Cancels whatever is pending and closes the socket (idempotent). Pending
  // handlers then run with an error and find their call finished.
  void close();

  // Calls this connection has completed (> 0: it is a reused keep-alive).
  int served() const { return served_; }
  clock::time_point idle_since;  // set by the pool when it parks the connection

 private:
  enum class step { resolve, connect, handshake, exchange };

  void resolve();
  void connect(const net::ip::tcp::resolver::results_type& endpoints);
  void on_connect(boost::system::error_code ec);
  void handshake();
  void write();
  void read();
  void on_read(boost::system::error_code ec);
  void fail(boost::system::error_code ec, step where);
  boost::beast::tcp_stream& tcp();

  pool& pool_;
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
  net::ip::tcp::resolver resolver_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::shared_ptr<call> call_;
  bool connected_ = false;
  bool closed_ = false;
  int served_ = 0;
};

}  // namespace troupe::http_client_detail
