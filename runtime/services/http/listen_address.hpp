// listen_address: parses the "host:port" a server binds to.
//   "127.0.0.1:8080", "[::1]:0", "localhost:8080", "0.0.0.0:80", "[::]:443"
// The host is an IP literal or "localhost" (taken as 127.0.0.1, so binding
// never waits on a resolver). Port 0 asks the kernel for a free port.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/base/status.hpp"

namespace troupe {

struct listen_address {
  std::string host;  // an IP literal without brackets: "127.0.0.1", "::1"
  std::uint16_t port = 0;
  // True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104.
  bool loopback = false;
};

// Parses `text`; the error names what is wrong ("listen address 'x': ...").
result<listen_address> parse_listen_address(std::string_view text);

// "host:port", with brackets around IPv6 hosts: "[::1]:8080".
std::string format_host_port(const std::string& host, std::uint16_t port);

}  // namespace troupe
