#include "runtime/services/http/listen_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace troupe {

result<listen_address> parse_listen_address(std::string_view text) {
  auto fail = [&](const std::string& why) {
    return status::error("listen address '" + std::string(text) + "': " + why);
  };
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() ||
        text[close + 1] != ':') {
      return fail("expected [ipv6]:port");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return fail("expected host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return fail("put IPv6 hosts in brackets");
  }
  listen_address address;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() ||
      value > 65535) {
    return fail("port must be a number from 0 to 65535");
  }
  address.port = static_cast<std::uint16_t>(value);
  if (host == "localhost") {
    address.host = "127.0.0.1";
    address.loopback = true;
    return address;
  }
  boost::system::error_code error;
  auto ip = boost::asio::ip::make_address(std::string(host), error);
  if (error) return fail("host must be an IP address or localhost");
  address.host = ip.to_string();
  if (ip.is_v6() && ip.to_v6().is_v4_mapped()) {
    address.loopback =
        boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6())
            .is_loopback();
  } else {
    address.loopback = ip.is_loopback();
  }
  return address;
}

std::string format_host_port(const std::string& host, std::uint16_t port) {
  if (host.find(':') != std::string::npos) {
    return "[" + host + "]:" + std::to_string(port);
  }
  return host + ":" + std::to_string(port);
}

}  // namespace troupe
