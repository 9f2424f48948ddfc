// http_router: maps (method, path) to a route. Patterns are exact paths or
// have {name} segments: "/api/v1/pools/{pool}" matches "/api/v1/pools/linux"
// with pool = "linux". When several patterns match a path, the most specific
// wins: comparing segment by segment, a literal beats a {name}.
//
// Not thread-safe for add(); find() is const and safe to call concurrently
// once all routes are added.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/services/http/auth.hpp"
#include "runtime/services/http/response.hpp"

namespace troupe {

class http_router {
 public:
  struct route {
    std::string method;
    std::string pattern;
    http_handler handler;
    http_access access = http_access::open;  // what a token needs (auth.hpp)
    std::vector<std::string> segments;       // pattern split at '/'
  };

  struct match {
    // The route for method and path; null when there is none.
    const route* found = nullptr;
    // Raw (still percent-encoded) values of the {name} segments of `found`.
    std::map<std::string, std::string> params;
    // When `found` is null: the methods that do have a route for this path,
    // sorted (empty: the path is unknown → 404; otherwise → 405 with Allow).
    std::vector<std::string> allowed;
  };

  // Adds a route. Throws std::invalid_argument when the pattern does not start
  // with '/', has a malformed or repeated {name}, or method and pattern are
  // already routed (programming errors, found at startup).
  void add(std::string method, std::string pattern, http_handler handler,
           http_access access);

  // Looks up `path` (the request path without query, not decoded).
  match find(std::string_view method, std::string_view path) const;

  bool empty() const { return routes_.empty(); }
  // Every route, in the order added.
  const std::vector<route>& routes() const { return routes_; }

 private:
  std::vector<route> routes_;
};

// Splits "/a/b/" into {"a", "b", ""}; the leading '/' is dropped.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace troupe
