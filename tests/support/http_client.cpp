#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace troupe::testing {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

struct http_client::impl {
  net::io_context io;
  boost::beast::tcp_stream stream{io};
  boost::beast::flat_buffer buffer;
  std::string host;
};

http_client::http_client(const std::string& address) : impl_(std::make_unique<impl>()) {
  auto colon = address.rfind(':');
  impl_->host = address.substr(0, colon);
  auto port = address.substr(colon + 1);
  tcp::resolver resolver{impl_->io};
  impl_->stream.connect(resolver.resolve(impl_->host, port));
}

http_client::~http_client() {
  boost::beast::error_code ec;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

http_reply http_client::request(
    const std::string& method, const std::string& target, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, impl_->host);
  for (auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  http::write(impl_->stream, req);
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(impl_->stream, impl_->buffer, parser);
  auto& res = parser.get();
  http_reply out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  return out;
}

http_reply http_once(const std::string& address, const std::string& method,
                     const std::string& target, const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers) {
  try {
    http_client c(address);
    return c.request(method, target, body, headers);
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace troupe::testing
