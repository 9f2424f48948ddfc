// http_request: what a route handler sees of one HTTP request, already parsed,
// size-checked and (for auth routes) authenticated by http_server.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/base/status.hpp"

namespace troupe {

struct http_request {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // the raw request-target, e.g. "/api/v1/pools/a%20b?x=1"
  std::string path;    // target before '?', not percent-decoded ("/api/v1/pools/a%20b")
  // Query parameters in order, names and values percent-decoded ('+' = space).
  std::vector<std::pair<std::string, std::string>> query;
  // Header fields in the order received (names as sent).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string peer;  // the client's "address:port"
  // Values of the route pattern's {name} segments, percent-decoded.
  std::map<std::string, std::string> path_params;

  // The first header named `name` (compared case-insensitively), if any.
  std::optional<std::string> header(std::string_view name) const;
  // True when the Content-Type header's media type is `type`
  // ("application/yaml"), compared case-insensitively, its parameters
  // ("; charset=utf-8") aside; false without a Content-Type.
  bool has_content_type(std::string_view type) const;
  // The first query parameter named `name` (exact match), if any.
  std::optional<std::string> query_param(std::string_view name) const;
  // path_params.at(name), or "" when the route has no such parameter.
  const std::string& param(const std::string& name) const;
};

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Fails on a '%'
// not followed by two hex digits.
result<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Splits an application/x-www-form-urlencoded query ("a=1&b=x%20y&flag") into
// decoded pairs; a name without '=' gets an empty value, empty parts are skipped.
result<std::vector<std::pair<std::string, std::string>>> parse_query(
    std::string_view query);

// ASCII case-insensitive equality, for header names and auth schemes.
bool iequals(std::string_view a, std::string_view b);

}  // namespace troupe
