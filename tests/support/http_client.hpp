// A small blocking HTTP/1.1 client for tests (Boost.Beast), keeping one
// connection alive across requests.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace troupe::testing {

struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto i = headers.find(lower_name);
    return i == headers.end() ? std::string{} : i->second;
  }
};

class http_client {
 public:
  // Connects to `address` ("host:port"); throws on failure.
  explicit http_client(const std::string& address);
  ~http_client();

  http_reply request(
      const std::string& method, const std::string& target, const std::string& body = {},
      const std::vector<std::pair<std::string, std::string>>& headers = {});
  http_reply get(const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return request("GET", target, {}, headers);
  }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// One request on a fresh connection; status 0 when the connection failed.
http_reply http_once(
    const std::string& address, const std::string& method, const std::string& target,
    const std::string& body = {},
    const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace troupe::testing
