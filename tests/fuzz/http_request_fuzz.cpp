// libFuzzer target for the node's HTTP request path up to its handlers:
// arbitrary bytes are parsed as an HTTP/1.1 request by Boost.Beast with the
// server's limits, then taken as the server takes them (absolute path,
// routing against the node's route table, percent-decoding of path
// parameters, the query string) and, for the routes whose handlers parse a
// body, through that parser. Any crash, sanitizer report or timeout is a bug:
// every input must end in a request or an error.
//
// Built by tests/fuzz/CMakeLists.txt and run by tests/fuzz/run_fuzz.sh (the
// CTest test http_request_fuzz). By hand:
//   tests/fuzz/run_fuzz.sh build/fuzz 60 http_request_fuzz
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "actors/bench/commit_json.hpp"
#include "runtime/services/http/request.hpp"
#include "runtime/services/http/router.hpp"

namespace {

namespace http = boost::beast::http;

// The node's routes (GET/POST patterns of docs/http-api.md); what the
// handlers do is not under test here, only the way to them.
const troupe::http_router& routes() {
  static const troupe::http_router router = [] {
    troupe::http_router r;
    auto none = [](const troupe::http_request&, troupe::http_responder) {};
    for (const char* p :
         {"/healthz", "/readyz", "/metrics", "/api/v1/node", "/api/v1/cluster",
          "/api/v1/pools", "/api/v1/pools/{pool}", "/api/v1/pools/{pool}/events",
          "/api/v1/runs", "/api/v1/runs/{id}", "/api/v1/bench/status",
          "/api/v1/bench/runs", "/api/v1/bench/runs/{id}",
          "/api/v1/bench/history/{platform}", "/api/v1/bench/compare/{id}"})
      r.add("GET", p, none, troupe::http_access::read);
    for (const char* p :
         {"/api/v1/pools/{pool}/scale", "/api/v1/runs", "/api/v1/runs/{id}/{action}",
          "/api/v1/bench/commits", "/api/v1/bench/runs", "/api/v1/bench/compare",
          "/webhooks/github"})
      r.add("POST", p, none, troupe::http_access::operate);
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(1 << 20);  // http.max-body-bytes' default
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec && ec != http::error::need_more) return 0;
  if (!parser.is_header_done()) return 0;
  auto& message = parser.get();
  std::string target(message.target());
  auto question = target.find('?');
  std::string path = target.substr(0, question);
  if (path.empty() || path.front() != '/') return 0;
  if (question != std::string::npos) {
    auto query = troupe::parse_query(std::string_view(target).substr(question + 1));
    (void)query;
  }
  auto method = message.method_string();
  auto match = routes().find(std::string_view(method.data(), method.size()), path);
  if (match.found == nullptr) return 0;
  for (auto& [name, raw] : match.params) (void)troupe::percent_decode(raw, false);
  const std::string& body = message.body();
  if (match.found->pattern == "/api/v1/bench/commits")
    (void)troupe::bench::parse_commit_list(body);
  if (match.found->pattern == "/api/v1/bench/compare")
    (void)troupe::bench::parse_compare_request(body);
  return 0;
}
