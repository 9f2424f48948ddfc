// client_url: the parts of an http(s) URL that http_client needs, and
// percent-encoding for building targets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/base/status.hpp"

namespace troupe {

struct http_url {
  bool tls = false;        // https
  std::string host;        // a name or an IP literal, without IPv6 brackets
  std::uint16_t port = 0;  // explicit, or 80 / 443 by scheme
  std::string target;      // path and query, "/" when the URL has none

  // "http://host:port" (IPv6 hosts in brackets): the key of a connection pool.
  std::string origin() const;
  // The Host header: host, plus ":port" unless it is the scheme's default.
  std::string host_header() const;
};

// Parses "http://host[:port][/path][?query]" or "https://...". No user info,
// no fragment. Errors name the URL.
result<http_url> parse_http_url(std::string_view url);

// Percent-encodes everything but RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~), for a path segment or a query value.
std::string url_encode_component(std::string_view text);

}  // namespace troupe
