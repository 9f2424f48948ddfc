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
  // `server`: "http://HOST:PORT" or "https://HOST:PORT" (a trailing '/' is
  // dropped); `token_file`: a file holding the API token, or "" for none;
  // `tls`: the client's ca_file, cert_file and key_file for https.
  static result<std::unique_ptr<api_client>> make(std::string server,
                                                  const std::string& token_file,
                                                  std::chrono::seconds timeout,
                                                  http_client_options tls = {});

  // One request; blocks until the answer (or the timeout).
  http_client_response call(const std::string& method, const std::string& path,
                            const std::string& body = {});

 private:
  explicit api_client(http_client_options options) : client_(std::move(options)) {}
  http_client client_;
  std::string server_, token_;
  std::chrono::seconds timeout_{30};
};

// The error text of a failed call: the transport error, or "HTTP <code>:
// <detail>" from the API's JSON error body.
std::string describe_failure(const http_client_response& r);

}  // namespace troupe
