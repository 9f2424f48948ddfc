// api_client: how CLI commands (troupe scale, troupe bench) talk to a node's
// HTTP API: one blocking call at a time, with the bearer token when given.
#pragma once

#include <chrono>
#include <string>

#include "runtime/base/status.hpp"
#include "runtime/services/http/client.hpp"

namespace troupe {

class api_client {
 public:
  // `server`: "http://HOST:PORT" (a trailing '/' is dropped); `token_file`:
  // a file whose first line is the API token, or "" for none.
  static result<std::unique_ptr<api_client>> make(std::string server,
                                                  const std::string& token_file,
                                                  std::chrono::seconds timeout);

  // One request; blocks until the answer (or the timeout).
  http_client_response call(const std::string& method, const std::string& path,
                            const std::string& body = {});

 private:
  api_client() = default;
  http_client client_;
  std::string server_, token_;
  std::chrono::seconds timeout_{30};
};

// The error text of a failed call: the transport error, or "HTTP <code>:
// <detail>" from the API's JSON error body.
std::string describe_failure(const http_client_response& r);

}  // namespace troupe
