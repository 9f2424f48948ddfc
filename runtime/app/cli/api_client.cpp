#include "runtime/app/cli/api_client.hpp"

#include <future>

#include "runtime/base/json/json.hpp"
#include "runtime/services/config/secret_file.hpp"

namespace troupe {

result<std::unique_ptr<api_client>> api_client::make(std::string server,
                                                     const std::string& token_file,
                                                     std::chrono::seconds timeout,
                                                     http_client_options tls) {
  std::unique_ptr<api_client> a(new api_client(std::move(tls)));
  while (!server.empty() && server.back() == '/') server.pop_back();
  a->server_ = std::move(server);
  a->timeout_ = timeout;
  if (!token_file.empty()) {
    auto token = read_secret_file(token_file, "--token-file");
    if (!token) return token.error();
    a->token_ = std::move(*token);
  }
  return a;
}

http_client_response api_client::call(const std::string& method, const std::string& path,
                                      const std::string& body) {
  http_client_request req;
  req.method = method;
  req.url = server_ + path;
  req.body = body;
  req.timeout = timeout_;
  req.headers.emplace_back("Content-Type", "application/json");
  if (!token_.empty()) req.headers.emplace_back("Authorization", "Bearer " + token_);
  std::promise<http_client_response> p;
  auto f = p.get_future();
  client_.request(std::move(req),
                  [&p](http_client_response r) { p.set_value(std::move(r)); });
  return f.get();
}

std::string describe_failure(const http_client_response& r) {
  if (!r.ok()) return std::string(to_string(r.error)) + ": " + r.error_message;
  auto body = json::parse(r.body);
  if (body && body->is_object() && (*body)["detail"].is_string())
    return "HTTP " + std::to_string(r.status) + ": " +
           std::string((*body)["detail"].as_string());
  return "HTTP " + std::to_string(r.status);
}

}  // namespace troupe
